import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { testDatabaseKinds } from '../../testing/databases.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';

interface IncidentItem { id: string; status: string; alertCount: number }

/** OPSLOOM_INCIDENT_AUTO_RESOLVE and OPSLOOM_CORRELATION_WINDOW_MINUTES, end to end. */
describe.each(testDatabaseKinds())('correlation settings on %s', (kind) => {
  let t: TestApp | null = null;
  afterEach(async () => {
    await t?.close();
    t = null;
  });

  async function start(env: Record<string, string>) {
    const settings = loadConfig(env);
    t = await startTestApp(kind, { incidentAutoResolve: settings.incidentAutoResolve, correlationWindowMinutes: settings.correlationWindowMinutes });
    const app = t;
    await app.app.inject({ method: 'POST', url: '/api/v1/cmdb/import', headers: app.as('admin'), payload: { cis: [{ key: 'db-01', type: 'database', name: 'db-01' }], relationships: [] } });
    const integration = (await app.app.inject({ method: 'POST', url: '/api/v1/integrations', headers: app.as('admin'), payload: { kind: 'generic', name: 'cron' } })).json<{ routingKey: string }>();
    const send = async (fingerprint: string, status: 'firing' | 'resolved', minutesAgo: number) => {
      const res = await app.app.inject({
        method: 'POST', url: '/api/v1/events', headers: { authorization: `Bearer ${integration.routingKey}` },
        payload: { source: 'cron', fingerprint, ci: 'db-01', summary: `check ${fingerprint}`, severity: 'major', status, occurredAt: new Date(Date.now() - minutesAgo * 60_000).toISOString() },
      });
      expect(res.statusCode).toBe(202);
      await app.services.events.drained();
    };
    const incidents = async () => (await app.app.inject({ method: 'GET', url: '/api/v1/incidents?status=all', headers: app.as('viewer') })).json<{ items: IncidentItem[] }>().items;
    return { send, incidents };
  }

  it('resolves an incident with its last alert by default, and leaves it open when auto-resolve is off', async () => {
    const on = await start({});
    await on.send('a', 'firing', 2);
    await on.send('a', 'resolved', 1);
    expect((await on.incidents()).map((i) => i.status)).toEqual(['resolved']);
    await t?.close();

    const off = await start({ OPSLOOM_INCIDENT_AUTO_RESOLVE: 'false' });
    await off.send('a', 'firing', 2);
    await off.send('a', 'resolved', 1);
    expect((await off.incidents()).map((i) => i.status)).toEqual(['open']);
  });

  it('joins alerts on the same CI within the window and opens a new incident beyond it', async () => {
    const narrow = await start({ OPSLOOM_CORRELATION_WINDOW_MINUTES: '5' });
    await narrow.send('first', 'firing', 30);
    await narrow.send('second', 'firing', 10);
    expect(await narrow.incidents()).toHaveLength(2);
    await t?.close();

    const wide = await start({ OPSLOOM_CORRELATION_WINDOW_MINUTES: '30' });
    await wide.send('first', 'firing', 30);
    await wide.send('second', 'firing', 10);
    expect((await wide.incidents()).map((i) => i.alertCount)).toEqual([2]);
  });

  it('refuses a window outside 1 to 120 minutes, naming the variable', () => {
    expect(() => loadConfig({ OPSLOOM_CORRELATION_WINDOW_MINUTES: '0' })).toThrow(/OPSLOOM_CORRELATION_WINDOW_MINUTES/);
    expect(() => loadConfig({ OPSLOOM_INCIDENT_AUTO_RESOLVE: 'maybe' })).toThrow(/OPSLOOM_INCIDENT_AUTO_RESOLVE/);
  });
});
