import type { IncidentDetail, IncidentSummary } from '@opsloom/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { systemActor } from '../../platform/activity/activity-spine.js';
import { testDatabaseKinds } from '../../testing/databases.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';

/**
 * An incident names its likeliest root cause and keeps the runner-ups, so an operator sees
 * when the alerts cannot tell two causes apart (a silent VM under one alerting application).
 */
describe.each(testDatabaseKinds())('root-cause alternatives on %s', (kind) => {
  let t: TestApp;
  let routingKey: string;
  const at = Date.now() - 60_000;
  const send = (labels: Record<string, string>, startsAt: number) => t.app.inject({
    method: 'POST', url: '/api/v1/integrations/alertmanager', headers: { authorization: `Bearer ${routingKey}` },
    payload: { version: '4', alerts: [{ status: 'firing', labels, startsAt: new Date(startsAt).toISOString(), fingerprint: labels.alertname }] },
  });

  beforeAll(async () => {
    t = await startTestApp(kind);
    for (const slug of ['servers', 'apps']) await t.services.identity.teams.create(systemActor, { slug, name: slug });
    const imported = await t.app.inject({
      method: 'POST', url: '/api/v1/cmdb/import', headers: t.as('admin'),
      payload: {
        cis: [
          { key: 'sw-1', type: 'network', name: 'Switch 1' }, { key: 'host-1', type: 'host', name: 'Host 1' },
          { key: 'vm-1', type: 'vm', name: 'VM 1', team: 'servers' }, { key: 'vm-2', type: 'vm', name: 'VM 2' },
          { key: 'app-1', type: 'application', name: 'App 1', team: 'apps' },
        ],
        relationships: [
          { from: 'host-1', to: 'sw-1', type: 'depends_on' }, { from: 'vm-1', to: 'host-1', type: 'runs_on' },
          { from: 'vm-2', to: 'host-1', type: 'runs_on' }, { from: 'app-1', to: 'vm-1', type: 'runs_on' },
        ],
      },
    });
    expect(imported.statusCode).toBe(200);
    routingKey = (await t.app.inject({ method: 'POST', url: '/api/v1/integrations', headers: t.as('admin'), payload: { kind: 'alertmanager', name: 'prometheus' } })).json<{ routingKey: string }>().routingKey;
  });
  afterAll(async () => t?.close());

  const incidentDetail = async (app = t.app) => {
    const list = (await app.inject({ method: 'GET', url: '/api/v1/incidents?status=open', headers: t.as('viewer') })).json<{ items: IncidentSummary[] }>();
    expect(list.items).toHaveLength(1);
    return (await app.inject({ method: 'GET', url: `/api/v1/incidents/${list.items[0].id}`, headers: t.as('viewer') })).json<IncidentDetail>();
  };

  it('names the alerting CI and lists the silent CIs above it, with how likely each is in comparison', async () => {
    expect((await send({ alertname: 'Http5xx', ci: 'app-1' }, at)).statusCode).toBe(202);
    await t.services.events.drained();
    const detail = await incidentDetail();
    expect(detail.rootCause?.key).toBe('app-1');
    expect(detail.team?.slug).toBe('apps');
    // vm-1: a silent root explaining the one alert (e^−1.1); host-1 and sw-1 also impact quiet CIs.
    expect(detail.rootCauseAlternatives.map(({ ci, relativeLikelihood, explanation }) => [ci.key, relativeLikelihood, explanation])).toEqual([
      ['vm-1', 0.333, 'explains all 1 alerting CI(s); 1 of the 1 CIs it impacts alerted; it sent no alert'],
      ['host-1', 0.049, 'explains all 1 alerting CI(s); 1 of the 3 CIs it impacts alerted; it sent no alert'],
      ['sw-1', 0.035, 'explains all 1 alerting CI(s); 1 of the 4 CIs it impacts alerted; it sent no alert'],
    ]);
    const cis = (await t.app.inject({ method: 'GET', url: '/api/v1/cis?limit=100', headers: t.as('viewer') })).json<{ items: Array<{ id: string; key: string }> }>();
    const idOf = new Map(cis.items.map((ci) => [ci.key, ci.id]));
    expect(detail.rootCauseAlternatives.map((a) => a.ci.id)).toEqual(['vm-1', 'host-1', 'sw-1'].map((key) => idOf.get(key)));
  });

  it('re-ranks as alerts arrive, drops candidates under 1% and keeps the ranking across a restart', async () => {
    // vm-1 alerted 10 s before app-1: now it explains both and alerted first.
    expect((await send({ alertname: 'InstanceDown', ci: 'vm-1' }, at - 10_000)).statusCode).toBe(202);
    await t.services.events.drained();
    const detail = await incidentDetail();
    expect(detail.rootCause?.key).toBe('vm-1');
    expect(detail.team?.slug).toBe('servers');
    // host-1: silent, 2 of its 3 impacted CIs alerted (2 ln ⅔ + ln ⅓ − 1.1); sw-1: 2 of 4.
    // app-1 as the root would leave vm-1 a separate problem (e^−5 < 1%): not listed.
    expect(detail.rootCauseAlternatives.map((a) => [a.ci.key, a.relativeLikelihood])).toEqual([['host-1', 0.049], ['sw-1', 0.021]]);
    // The change of root is on the record, under the new root's team (vm-1 belongs to servers).
    const activity = (await t.app.inject({ method: 'GET', url: '/api/v1/activity?limit=50', headers: t.as('admin') }))
      .json<{ items: Array<{ verb: string; summary: string; subject: { id: string }; team: { slug: string } | null }> }>();
    expect(activity.items.filter((a) => a.verb === 'incident.root_changed').map((a) => [a.subject.id, a.summary, a.team?.slug]))
      .toEqual([[detail.id, `root cause of incident #${detail.number} is now vm-1 (was app-1)`, 'servers']]);

    await t.services.events.stop();
    const second = await buildApp({ config: t.config, database: t.database.handle, logger: false });
    await second.app.ready();
    try {
      await second.services.events.drained();
      expect((await incidentDetail(second.app)).rootCauseAlternatives).toEqual(detail.rootCauseAlternatives);
    } finally {
      await second.services.events.stop();
    }
  });
});
