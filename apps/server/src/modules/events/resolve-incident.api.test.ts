import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { buildApp } from '../../app.js';
import { testDatabaseKinds } from '../../testing/databases.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';
import { newAlertId } from './alert-ids.js';

interface Incident { id: string; number: number; status: string; resolvedAt: string | null; openAlertCount: number; alertCount: number }
interface ActivityItem { verb: string; summary: string; actor: { handle: string } | null; subject: { id: string } }

/** POST /api/v1/incidents/{id}/resolve: a person resolves an incident, through the pipeline. */
describe.each(testDatabaseKinds())('resolving an incident by hand on %s', (kind) => {
  let t: TestApp;
  let routingKey = '';
  const send = async (fingerprint: string, status: 'firing' | 'resolved') => {
    const res = await t.app.inject({
      method: 'POST', url: '/api/v1/events', headers: { authorization: `Bearer ${routingKey}` },
      payload: { source: 'nagios', fingerprint, ci: 'db-01', summary: `check ${fingerprint}`, severity: 'major', status, occurredAt: new Date().toISOString() },
    });
    expect(res.statusCode).toBe(202);
    await t.services.events.drained();
  };
  const incidents = async () => (await t.app.inject({ method: 'GET', url: '/api/v1/incidents?status=all', headers: t.as('viewer') })).json<{ items: Incident[] }>().items;
  const resolve = (id: string, role: 'operator' | 'viewer', note?: string) =>
    t.app.inject({ method: 'POST', url: `/api/v1/incidents/${id}/resolve`, headers: t.as(role), payload: note === undefined ? {} : { note } });

  beforeAll(async () => {
    // Auto-resolve off: incidents stay open until someone resolves them.
    t = await startTestApp(kind, { incidentAutoResolve: false });
    await t.app.inject({ method: 'POST', url: '/api/v1/cmdb/import', headers: t.as('admin'), payload: { cis: [{ key: 'db-01', type: 'database', name: 'db-01' }], relationships: [] } });
    routingKey = (await t.app.inject({ method: 'POST', url: '/api/v1/integrations', headers: t.as('admin'), payload: { kind: 'generic', name: 'nagios' } })).json<{ routingKey: string }>().routingKey;
  });
  afterAll(async () => t?.close());

  it('resolves with the person and the note on record; firing alerts stay with it; new alerts open a new incident', async () => {
    await send('disk', 'firing');
    await send('load', 'firing');
    await send('load', 'resolved');
    const [open] = await incidents();
    expect(open).toMatchObject({ status: 'open', alertCount: 2 });

    expect((await resolve(open.id, 'viewer')).statusCode).toBe(403);
    const answer = await resolve(open.id, 'operator', 'failed disk replaced');
    expect(answer.statusCode).toBe(200);
    expect(answer.json<Incident>()).toMatchObject({ id: open.id, status: 'resolved', openAlertCount: 1 });
    expect(answer.json<Incident>().resolvedAt).not.toBeNull();

    const activity = (await t.app.inject({ method: 'GET', url: `/api/v1/activity?subject=${open.id}`, headers: t.as('viewer') })).json<{ items: ActivityItem[] }>().items;
    expect(activity.find((a) => a.verb === 'incident.resolved')).toMatchObject({
      actor: { handle: t.users.operator.handle }, summary: `resolved incident #${open.number} with 1 alert(s) still firing: failed disk replaced`,
    });

    // The alert still firing neither reopens it nor drags new alerts in.
    await send('disk', 'resolved');
    await send('memory', 'firing');
    const after = await incidents();
    expect(after).toHaveLength(2);
    expect(after.find((i) => i.id === open.id)).toMatchObject({ status: 'resolved' });
    expect(after.find((i) => i.id !== open.id)).toMatchObject({ status: 'open', alertCount: 1 });

    // Again: nothing changes, still 200.
    const again = await resolve(open.id, 'operator');
    expect(again.statusCode).toBe(200);
    expect(again.json<Incident>().resolvedAt).toBe(answer.json<Incident>().resolvedAt);
  });

  it('after a restart, an alert still firing in an incident resolved by hand folds its re-deliveries as before', async () => {
    const other = await startTestApp(kind, { incidentAutoResolve: false });
    let { app, services } = other;
    try {
      await app.inject({ method: 'POST', url: '/api/v1/cmdb/import', headers: other.as('admin'), payload: { cis: [{ key: 'db-02', type: 'database', name: 'db-02' }], relationships: [] } });
      const integration = (await app.inject({ method: 'POST', url: '/api/v1/integrations', headers: other.as('admin'), payload: { kind: 'generic', name: 'icinga' } })).json<{ id: string; routingKey: string }>();
      const key = integration.routingKey;
      const fire = async () => {
        const res = await app.inject({
          method: 'POST', url: '/api/v1/events', headers: { authorization: `Bearer ${key}` },
          payload: { source: 'icinga', fingerprint: 'swap', ci: 'db-02', summary: 'swap usage high', severity: 'minor', status: 'firing', occurredAt: new Date().toISOString() },
        });
        expect(res.statusCode).toBe(202);
        await services.events.drained();
      };
      await fire();
      const [incident] = (await app.inject({ method: 'GET', url: '/api/v1/incidents?status=all', headers: other.as('viewer') })).json<{ items: Incident[] }>().items;
      expect((await app.inject({ method: 'POST', url: `/api/v1/incidents/${incident.id}/resolve`, headers: other.as('operator'), payload: {} })).statusCode).toBe(200);
      // Years of resolved alerts beside it: a restart reads the firing ones through their incidents
      // (pipeline.ts, firingAlerts), and finds this one through the incident still counting it.
      const history = Array.from({ length: 300 }, (_, i) => ({
        id: newAlertId(), integration_id: integration.id, dedup_key: `old-${i}`, status: 'resolved', severity: 'warning', summary: 'old', source: 'old', ci_id: null, ci_key: null,
        team_id: null, labels: '{}', incident_id: null, reason: null, count: 1, starts_at: 1, ends_at: 2, first_seen_at: 1, last_seen_at: 2,
      }));
      await other.database.handle.db.insertInto('alerts').values(history).execute();
      if (kind === 'postgres') await sql`analyze alerts`.execute(other.database.handle.db);
      await app.close();
      ({ app, services } = await buildApp({ config: other.config, database: other.database.handle, logger: false }));
      await app.ready();
      await fire();
      const alerts = (await app.inject({ method: 'GET', url: '/api/v1/alerts?status=firing', headers: other.as('viewer') })).json<{ items: Array<{ fingerprint: string; count: number }> }>().items;
      expect(alerts).toEqual([expect.objectContaining({ fingerprint: 'swap', count: 2 })]);
      expect((await app.inject({ method: 'GET', url: '/api/v1/incidents?status=all', headers: other.as('viewer') })).json<{ items: Incident[] }>().items).toHaveLength(1);
    } finally {
      await app.close();
      await other.close();
    }
  });

  it('answers 404 for an unknown incident and 400 for a bad id or note', async () => {
    expect((await resolve('01900000-0000-7000-8000-000000000009', 'operator')).statusCode).toBe(404);
    expect((await resolve('nope', 'operator')).statusCode).toBe(400);
    const [incident] = await incidents();
    const long = await resolve(incident.id, 'operator', 'x'.repeat(1001));
    expect(long.statusCode).toBe(400);
    expect(long.json<{ error: { message: string } }>().error.message).toMatch(/note/);
  });
});
