import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '../../testing/databases.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';
import { ALERTMANAGER_BINARY, connectAlertmanager, eventually, type RealAlertmanager } from './testing/real-alertmanager.js';

const present = fs.existsSync(ALERTMANAGER_BINARY);
const required = process.env.OPSLOOM_TEST_REQUIRE_ALERTMANAGER === '1';
// (alertmanager.real.test.ts warns when the binary is missing.)

interface AlertItem { fingerprint: string; integration: { kind: string } }

/**
 * Overload as a real Alertmanager meets it: its notifications are refused while Opsloom is
 * behind, and must arrive once it has caught up. The group interval is 5 minutes, as in
 * Alertmanager's defaults, so within this test only Alertmanager's own retries can deliver them,
 * not its next notification of the group.
 */
describe.runIf(present || required).each(testDatabaseKinds())('real Alertmanager against an overloaded Opsloom on %s', (kind) => {
  let t: TestApp;
  let am: RealAlertmanager;

  beforeAll(async () => {
    if (!present) throw new Error(`${ALERTMANAGER_BINARY} is required (OPSLOOM_TEST_REQUIRE_ALERTMANAGER=1) but missing`);
    t = await startTestApp(kind);
    am = await connectAlertmanager(t, '5m');
  }, 60_000);

  afterAll(async () => {
    await am?.stop();
    await t?.close();
  });

  const overloaded = async () => {
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    return [...metrics.matchAll(/^opsloom_intake_rejected_total\{format="(\w+)",reason="overloaded"\} (\d+)/gm)].map(([, format, count]) => `${format}:${count}`);
  };

  it('retries what Opsloom refused while behind, through both receivers, once it has caught up', async () => {
    const log = t.services.events.log;
    const limit = log.admission.maxBacklog;
    log.admission.maxBacklog = 0;
    try {
      expect(await am.push([{ labels: { alertname: 'QueueBacklog', instance: 'mq-01:9419' }, annotations: { summary: 'queue backlog on mq-01' } }])).toBe(200);
      // Both receivers were turned away at least once.
      await eventually('both receivers to be refused', async () => {
        const refused = await overloaded();
        return refused.some((entry) => entry.startsWith('alertmanager:')) && refused.some((entry) => entry.startsWith('pagerduty:'));
      }, 20_000);
      await new Promise((resolve) => setTimeout(resolve, 2000));
    } finally {
      log.admission.maxBacklog = limit;
    }
    const arrived = await eventually('the alert through both receivers', async () => {
      const items = (await t.app.inject({ method: 'GET', url: '/api/v1/alerts?limit=50', headers: t.as('viewer') })).json<{ items: AlertItem[] }>().items;
      const kinds = new Set(items.map((item) => item.integration.kind));
      return kinds.has('alertmanager') && kinds.has('pagerduty-v2') ? kinds : null;
    }, 60_000);
    expect([...arrived].sort()).toEqual(['alertmanager', 'pagerduty-v2']);
  }, 120_000);
});
