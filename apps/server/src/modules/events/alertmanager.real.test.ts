import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../platform/activity/activity-spine.js';
import { testDatabaseKinds } from '../../testing/databases.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';
import { ALERTMANAGER_BINARY, connectAlertmanager, eventually, type RealAlertmanager } from './testing/real-alertmanager.js';

const present = fs.existsSync(ALERTMANAGER_BINARY);
const required = process.env.OPSLOOM_TEST_REQUIRE_ALERTMANAGER === '1';
if (!present && !required) console.warn(`real Alertmanager tests skipped: ${ALERTMANAGER_BINARY} not found (apt-get install prometheus-alertmanager; CI sets OPSLOOM_TEST_REQUIRE_ALERTMANAGER=1)`);

interface AlertItem { status: string; ci: { key: string } | null; integration: { kind: string }; incident: { id: string } | null }

/** A real Prometheus Alertmanager 0.25 drives Opsloom through its webhook and PagerDuty receivers. */
describe.runIf(present || required).each(testDatabaseKinds())('real Alertmanager → Opsloom on %s', (kind) => {
  let t: TestApp;
  let am: RealAlertmanager;

  beforeAll(async () => {
    if (!present) throw new Error(`${ALERTMANAGER_BINARY} is required (OPSLOOM_TEST_REQUIRE_ALERTMANAGER=1) but missing`);
    t = await startTestApp(kind);
    await t.services.identity.teams.create(systemActor, { slug: 'storage', name: 'Storage' });
    const imported = await t.app.inject({
      method: 'POST', url: '/api/v1/cmdb/import', headers: t.as('admin'),
      payload: {
        cis: [
          { key: 'stor-01', type: 'storage', name: 'Storage array 1', team: 'storage' },
          { key: 'mail-01', type: 'vm', name: 'mail-01' },
        ],
        relationships: [{ from: 'mail-01', to: 'stor-01', type: 'depends_on' }],
      },
    });
    expect(imported.statusCode).toBe(200);
    am = await connectAlertmanager(t, '1s');
  }, 60_000);

  afterAll(async () => {
    await am?.stop();
    await t?.close();
  });

  const alerts = async () => (await t.app.inject({ method: 'GET', url: '/api/v1/alerts?limit=100', headers: t.as('viewer') })).json<{ items: AlertItem[] }>().items;
  const push = (endsAt?: string) => am.push([{
    labels: { alertname: 'ArrayDegraded', instance: 'stor-01:9100', severity: 'critical' },
    annotations: { summary: 'RAID group 2 degraded on stor-01' },
    ...(endsAt ? { endsAt } : {}),
  }]);

  it('alerts arrive through both receivers, open one incident on the right CI and resolve with Alertmanager', async () => {
    expect(await push()).toBe(200);
    const firing = await eventually('alerts from both receivers', async () => {
      const items = await alerts();
      const kinds = new Set(items.filter((a) => a.ci?.key === 'stor-01' && a.status === 'firing').map((a) => a.integration.kind));
      return kinds.has('alertmanager') && kinds.has('pagerduty-v2') ? items : null;
    });
    const incidentIds = new Set(firing.map((a) => a.incident?.id));
    expect(incidentIds.size).toBe(1);
    const [incidentId] = [...incidentIds];
    const incident = (await t.app.inject({ method: 'GET', url: `/api/v1/incidents/${incidentId}`, headers: t.as('viewer') })).json<{ rootCause: { key: string }; status: string; team: { slug: string } }>();
    expect(incident).toMatchObject({ rootCause: { key: 'stor-01' }, status: 'open', team: { slug: 'storage' } });

    expect(await push(new Date(Date.now() - 1000).toISOString())).toBe(200);
    await eventually('the incident to resolve', async () => {
      const detail = (await t.app.inject({ method: 'GET', url: `/api/v1/incidents/${incidentId}`, headers: t.as('viewer') })).json<{ status: string }>();
      return detail.status === 'resolved';
    });
    expect((await alerts()).filter((a) => a.ci?.key === 'stor-01').every((a) => a.status === 'resolved')).toBe(true);
  }, 60_000);
});
