import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../demo/seed-demo.js';
import { testDatabaseKinds } from '../../testing/databases.js';
import { call } from '../../testing/http.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';

describe.each(testDatabaseKinds())('demo infrastructure on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
    expect(await seedDemo(t.services)).toBe(true);
  });
  afterAll(async () => t?.close());

  it('starts with an alert storm correlated into incidents: the silent SAN is the root cause', async () => {
    await t.services.events.drained();
    const list = await call(t, 'GET', '/api/v1/incidents?status=all', { as: 'viewer' });
    expect(list.status, list.body).toBe(200);
    const incidents = list.json<{ items: Array<{ status: string; team: { slug: string } | null; rootCause: { key: string } | null; alertCount: number; cis: string[] }> }>().items;
    const san = incidents.find((incident) => incident.rootCause?.key === 'storage:san-01.dc1');
    expect(san).toMatchObject({ status: 'open', team: { slug: 'storage' }, alertCount: 4 });
    expect([...(san?.cis ?? [])].sort()).toEqual(['app:exchange', 'db:payroll', 'host:esx-02.dc1', 'vm:mail-01.dc1']);
    const detail = await call(t, 'GET', `/api/v1/incidents/${(san as unknown as { id: string }).id}`, { as: 'viewer' });
    expect(detail.body).toContain('impacts all 4 alerting CI(s)');
    expect(incidents.find((incident) => incident.rootCause?.key === 'app:vpn-gateway')).toMatchObject({ status: 'open', alertCount: 1 });
    expect(incidents.find((incident) => incident.rootCause?.key === 'net:access-sw-02.dc2')).toMatchObject({ status: 'resolved' });
    expect(incidents).toHaveLength(3);
  });

  it('tells the story: a SAN array in DC1 takes e-mail and payroll with it', async () => {
    const impact = await call(t, 'GET', '/api/v1/cis/storage:san-01.dc1/impact', { as: 'viewer' });
    expect(impact.status, impact.body).toBe(200);
    const services = impact.json<{ services: Array<{ key: string }> }>().services.map((s) => s.key).sort();
    expect(services).toEqual(['svc:email', 'svc:payroll', 'svc:web-portal']);
    const ci = await call(t, 'GET', '/api/v1/cis/vm:mail-01.dc1', { as: 'viewer' });
    expect(ci.json()).toMatchObject({ team: { slug: 'messaging' }, attributes: { site: 'DC1' } });
    const history = await call(t, 'GET', '/api/v1/cis/svc:email/history', { as: 'viewer' });
    expect(history.json<{ items: Array<{ action: string }> }>().items.length).toBeGreaterThan(0);
    const activity = await call(t, 'GET', '/api/v1/activity?subjectType=cmdb', { as: 'viewer' });
    expect(activity.json<{ items: Array<{ verb: string }> }>().items.map((item) => item.verb)).toEqual(['cmdb.imported']);
    for (const slug of ['network', 'storage', 'servers', 'database', 'messaging', 'service-desk']) {
      const owned = await call(t, 'GET', `/api/v1/cis?team=${slug}`, { as: 'viewer' });
      expect(owned.json<{ items: unknown[] }>().items.length, slug).toBeGreaterThan(0);
    }
  });
});
