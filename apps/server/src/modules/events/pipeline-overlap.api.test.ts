import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testDatabaseKinds } from '../../testing/databases.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';

/**
 * PostgreSQL: the pipeline correlates the next run while the one before is being stored
 * (docs/adr/0005). When storing a run fails, the run processed after it must be dropped
 * with it and processed again: nothing lost, nothing counted twice.
 */
describe.skipIf(!testDatabaseKinds().includes('postgres'))('a failed store while the next run is already processed (PostgreSQL)', () => {
  let t: TestApp;
  let routingKey = '';
  let integrationId = '';
  const send = (fingerprint: string) =>
    t.app.inject({
      method: 'POST', url: '/api/v1/events', headers: { authorization: `Bearer ${routingKey}` },
      payload: { source: 'nagios', fingerprint, ci: 'db-01', summary: `check ${fingerprint}`, severity: 'major', status: 'firing' },
    });

  beforeAll(async () => {
    t = await startTestApp('postgres');
    await t.app.inject({ method: 'POST', url: '/api/v1/cmdb/import', headers: t.as('admin'), payload: { cis: [{ key: 'db-01', type: 'database', name: 'db-01' }], relationships: [] } });
    const integration = (await t.app.inject({ method: 'POST', url: '/api/v1/integrations', headers: t.as('admin'), payload: { kind: 'generic', name: 'nagios' } })).json<{ id: string; routingKey: string }>();
    routingKey = integration.routingKey;
    integrationId = integration.id;
  });
  afterAll(async () => t?.close());

  it('drops the run processed after the failed one and processes both again', async () => {
    const pipeline = t.services.events.pipeline;
    if (!pipeline) throw new Error('the test app runs no pipeline');
    const blocker = new pg.Client({ connectionString: t.database.location.databaseUrl });
    // Its own connection: inside the blocker's transaction, pg_stat_activity would stay as first read.
    const observer = new pg.Client({ connectionString: t.database.location.databaseUrl });
    await blocker.connect();
    await observer.connect();
    try {
      // Hold the alerts table: the next run's insert waits on the lock, mid-transaction.
      await blocker.query('begin');
      await blocker.query('lock table alerts in access exclusive mode');
      expect((await send('first')).statusCode).toBe(202);
      const blocked = async () =>
        (await observer.query<{ pid: number }>(`select pid from pg_stat_activity where wait_event_type = 'Lock' and query like 'insert into "alerts"%'`)).rows;
      await vi.waitFor(async () => expect(await blocked()).toHaveLength(1), { timeout: 5000 });
      // A second batch is processed in memory while the first is stuck being stored.
      expect((await send('second')).statusCode).toBe(202);
      await vi.waitFor(() => expect(pipeline.progress().processed).toBeGreaterThan(pipeline.progress().stored + 1), { timeout: 5000 });
      // The first run's connection dies: its store fails, and the second must not be stored on its own.
      const [{ pid }] = await blocked();
      await observer.query('select pg_terminate_backend($1)', [pid]);
      // Rebuilding the state reads the alerts table too: it waits for the lock to go.
    } finally {
      await blocker.query('rollback').catch(() => undefined);
      await blocker.end();
      await observer.end();
    }
    await t.services.events.drained();
    const db = t.database.handle.db;
    const alerts = await db.selectFrom('alerts').select(['dedup_key', 'count', 'incident_id']).where('integration_id', '=', integrationId).orderBy('dedup_key').execute();
    expect(alerts.map((a) => [a.dedup_key, a.count])).toEqual([['first', 1], ['second', 1]]);
    expect(alerts.every((a) => a.incident_id !== null)).toBe(true);
    const counted = await db.selectFrom('integrations').select('event_count').where('id', '=', integrationId).executeTakeFirstOrThrow();
    expect(Number(counted.event_count)).toBe(2);
    const incidents = (await t.app.inject({ method: 'GET', url: '/api/v1/incidents?status=all', headers: t.as('viewer') })).json<{ items: Array<{ alertCount: number }> }>().items;
    expect(incidents.map((i) => i.alertCount)).toEqual([2]);
  });
});
