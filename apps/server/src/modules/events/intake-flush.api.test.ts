import { afterEach, describe, expect, it, vi } from 'vitest';
import { holdWalFlushes } from '../../testing/databases.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';

/**
 * The intake log's flush and what it holds up (docs/adr/0005, "The latency tail"). Only SQLite
 * at synchronous FULL flushes apart from its commit; on PostgreSQL the commit is the flush, and
 * the test databases run SQLite at NORMAL, so this test opens its own at FULL.
 */
describe('intake on SQLite at synchronous FULL, with the WAL flush held back', () => {
  let t: TestApp | null = null;
  afterEach(async () => {
    await t?.close();
    t = null;
  });

  async function start(): Promise<{ app: TestApp; routingKey: string }> {
    const app = await startTestApp('sqlite', {}, { sqliteSynchronous: 'FULL' });
    t = app;
    expect(app.database.handle.syncWal).not.toBeNull();
    await app.app.inject({ method: 'POST', url: '/api/v1/cmdb/import', headers: app.as('admin'), payload: { cis: [{ key: 'db-01', type: 'host', name: 'db-01' }], relationships: [] } });
    const created = await app.app.inject({ method: 'POST', url: '/api/v1/integrations', headers: app.as('admin'), payload: { kind: 'alertmanager', name: 'prometheus' } });
    return { app, routingKey: created.json<{ routingKey: string }>().routingKey };
  }

  const body = (fingerprint: string) => ({
    version: '4',
    alerts: [{ status: 'firing', labels: { alertname: 'DiskFull', instance: 'db-01:9100' }, annotations: { summary: fingerprint }, startsAt: new Date().toISOString(), fingerprint }],
  });
  const deliver = (app: TestApp, routingKey: string, fingerprint: string) =>
    app.app.inject({ method: 'POST', url: '/api/v1/integrations/alertmanager', headers: { authorization: `Bearer ${routingKey}` }, payload: body(fingerprint) });
  const alertsOf = async (app: TestApp) =>
    (await app.app.inject({ method: 'GET', url: '/api/v1/alerts?limit=50', headers: app.as('viewer') })).json<{ items: Array<{ fingerprint: string; count: number; incident: unknown }> }>().items;

  it('shows committed batches in incidents while their flush runs, and answers only after it', async () => {
    const { app, routingKey } = await start();
    const release = holdWalFlushes(app.database.handle);
    const answered: string[] = [];
    const visible = (fingerprints: string[]) => vi.waitFor(async () => {
      const alerts = await alertsOf(app);
      expect(alerts.map((alert) => alert.fingerprint).sort()).toEqual(fingerprints);
      expect(alerts.every((alert) => alert.incident !== null)).toBe(true);
    }, { timeout: 5000, interval: 20 });
    const first = deliver(app, routingKey, 'held-1').then((res) => (answered.push('held-1'), res));
    await visible(['held-1']);
    // The second batch commits without waiting for the first one's flush, and is processed too,
    // while neither sender has an answer yet.
    const second = deliver(app, routingKey, 'held-2').then((res) => (answered.push('held-2'), res));
    await visible(['held-1', 'held-2']);
    expect(answered).toEqual([]);
    release();
    expect((await first).statusCode).toBe(202);
    expect((await second).statusCode).toBe(202);
  });

  it('answers a failed flush with an error, and the sender\'s retry folds into the alert already processed', async () => {
    const { app, routingKey } = await start();
    const handle = app.database.handle;
    const flush = handle.syncWal!;
    handle.syncWal = () => Promise.reject(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
    const failed = await deliver(app, routingKey, 'flaky');
    expect(failed.statusCode).toBe(500);
    expect(failed.json<{ error: { code: string } }>().error.code).toBe('internal');
    handle.syncWal = flush;
    expect((await deliver(app, routingKey, 'flaky')).statusCode).toBe(202);
    await app.services.events.drained();
    const alerts = (await alertsOf(app)).filter((alert) => alert.fingerprint === 'flaky');
    // One alert, counted twice: the unanswered batch was in the log all along, and the retry
    // is a duplicate delivery like any other.
    expect(alerts).toHaveLength(1);
    expect(alerts[0].count).toBe(2);
  });
});
