import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp, type Services } from '../../app.js';
import { openDatabase, type DatabaseHandle } from '../../platform/db/database.js';
import { testDatabaseKinds } from '../../testing/databases.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';

interface Incident { id: string; status: string; alertCount: number; cis: string[] }

/**
 * PostgreSQL with two Opsloom instances on one database: both accept alerts, one runs the
 * pipeline (advisory lock), the other's batches and hand resolutions reach it through the
 * log, and the second takes over when the first stops.
 */
describe.skipIf(!testDatabaseKinds().includes('postgres'))('two instances on one PostgreSQL database', () => {
  let leader: TestApp;
  let follower: { app: FastifyInstance; services: Services; handle: DatabaseHandle };
  let routingKey = '';
  const send = (app: FastifyInstance, fingerprint: string, ci: string) =>
    app.inject({
      method: 'POST', url: '/api/v1/events', headers: { authorization: `Bearer ${routingKey}` },
      payload: { source: 'nagios', fingerprint, ci, summary: `check ${fingerprint}`, severity: 'major', status: 'firing', occurredAt: new Date().toISOString() },
    });
  const incidents = async (app: FastifyInstance) =>
    (await app.inject({ method: 'GET', url: '/api/v1/incidents?status=all', headers: leader.as('viewer') })).json<{ items: Incident[] }>().items;

  beforeAll(async () => {
    leader = await startTestApp('postgres');
    const handle = openDatabase({ databaseUrl: leader.database.location.databaseUrl, dataDir: leader.database.location.dataDir, poolSize: 3 });
    const built = await buildApp({ config: leader.config, database: handle, logger: false });
    await built.app.ready();
    follower = { ...built, handle };
    await leader.app.inject({
      method: 'POST', url: '/api/v1/cmdb/import', headers: leader.as('admin'),
      payload: { cis: [{ key: 'db-01', type: 'database', name: 'db-01' }, { key: 'db-02', type: 'database', name: 'db-02' }], relationships: [] },
    });
    routingKey = (await leader.app.inject({ method: 'POST', url: '/api/v1/integrations', headers: leader.as('admin'), payload: { kind: 'generic', name: 'nagios' } })).json<{ routingKey: string }>().routingKey;
  });
  afterAll(async () => {
    await follower?.app.close();
    await follower?.handle.close();
    await leader?.close();
  });

  it('runs the pipeline on one instance only; the other accepts and the leader correlates', async () => {
    expect(leader.services.events.pipeline).not.toBeNull();
    expect(follower.services.events.pipeline).toBeNull();
    expect((await send(follower.app, 'disk', 'db-01')).statusCode).toBe(202);
    await vi.waitFor(async () => expect((await incidents(follower.app)).map((i) => i.cis)).toEqual([['db-01']]), { timeout: 5000 });
  });

  it('counts the other instance\'s batches as processed once the leader has stored them, so it never holds or refuses for them', async () => {
    for (const fingerprint of ['follower-1', 'follower-2', 'follower-3']) expect((await send(follower.app, fingerprint, 'db-01')).statusCode).toBe(202);
    expect(follower.services.events.log.backlog).toBeGreaterThan(0);
    await vi.waitFor(() => expect(follower.services.events.log.backlog).toBe(0), { timeout: 5000 });
    expect(follower.services.events.log.admission.lagMs()).toBe(0);
    const visible = (await follower.app.inject({ method: 'GET', url: '/metrics' })).body.match(/^opsloom_intake_visible_delay_seconds_count (\d+)$/m)?.[1];
    expect(Number(visible)).toBeGreaterThanOrEqual(3);
  });

  it('resolves an incident asked of the instance that does not run the pipeline', async () => {
    const [incident] = await incidents(follower.app);
    const answer = await follower.app.inject({ method: 'POST', url: `/api/v1/incidents/${incident.id}/resolve`, headers: leader.as('operator'), payload: { note: 'fixed' } });
    expect(answer.statusCode).toBe(200);
    expect(answer.json<Incident>().status).toBe('resolved');
  });

  it('the other instance takes the pipeline over when the leader stops', async () => {
    await leader.services.events.stop();
    await vi.waitFor(() => expect(follower.services.events.pipeline).not.toBeNull(), { timeout: 10_000, interval: 200 });
    expect((await send(follower.app, 'cpu', 'db-02')).statusCode).toBe(202);
    await vi.waitFor(async () => expect((await incidents(follower.app)).some((i) => i.cis.includes('db-02'))).toBe(true), { timeout: 5000 });
  }, 20_000);
});
