import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../platform/activity/activity-spine.js';
import { testDatabaseKinds } from '../../testing/databases.js';
import { call, expectError } from '../../testing/http.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';

interface History {
  items: Array<{ action: string; subjectType: string; summary: string; changes: Array<{ field: string; from: unknown; to: unknown }>; actor: { name: string } }>;
}
const keysOf = (items: Array<{ key: string }>) => items.map((item) => item.key);

describe.each(testDatabaseKinds())('CIs and relationships on %s', (kind) => {
  let t: TestApp;
  const post = (url: string, payload: unknown) => call(t, 'POST', url, { as: 'operator', payload });

  beforeAll(async () => {
    t = await startTestApp(kind);
    for (const slug of ['network', 'servers']) await t.services.identity.teams.create(systemActor, { slug, name: slug });
    for (const [key, type] of [['svc:portal', 'service'], ['app:portal', 'application'], ['host:web-1', 'host'], ['net:sw-1', 'network_device']]) {
      expect((await post('/api/v1/cis', { key, type, name: key, team: 'servers' })).status).toBe(201);
    }
    await post('/api/v1/relationships', { from: 'svc:portal', to: 'app:portal', type: 'depends_on' });
    await post('/api/v1/relationships', { from: 'app:portal', to: 'host:web-1', type: 'runs_on' });
  });
  afterAll(async () => t?.close());

  it('creates, lists and filters CIs', async () => {
    expectError(await post('/api/v1/cis', { key: 'svc:portal', type: 'service', name: 'again' }), 409, 'conflict', /^key: /);
    expectError(await post('/api/v1/cis', { key: 'x:1', type: 'host', name: 'x', team: 'nope' }), 400, 'validation_failed', /^team: /);
    const hosts = await call(t, 'GET', '/api/v1/cis?type=host', { as: 'viewer' });
    expect(keysOf(hosts.json<{ items: Array<{ key: string }> }>().items)).toEqual(['host:web-1']);
    const text = await call(t, 'GET', '/api/v1/cis?q=PORTAL&limit=1', { as: 'viewer' });
    const page = text.json<{ items: Array<{ key: string }>; nextCursor: string }>();
    expect(page.items).toHaveLength(1);
    const next = await call(t, 'GET', `/api/v1/cis?q=portal&limit=1&cursor=${page.nextCursor}`, { as: 'viewer' });
    expect(next.json<{ items: Array<{ key: string }> }>().items[0].key).not.toBe(page.items[0].key);
    expectError(await call(t, 'GET', '/api/v1/cis?team=ghosts', { as: 'viewer' }), 404, 'not_found');
  });

  it('PATCH records a field-level diff and updates the graph', async () => {
    const patched = await call(t, 'PATCH', '/api/v1/cis/host:web-1', { as: 'operator', payload: { name: 'web-1', criticality: 1, team: 'network', attributes: { ip: '10.9.9.9' } } });
    expect(patched.status, patched.body).toBe(200);
    const history = (await call(t, 'GET', '/api/v1/cis/host:web-1/history', { as: 'viewer' })).json<History>();
    expect(history.items[0]).toMatchObject({ action: 'updated', actor: { name: 'Test operator' } });
    expect(history.items[0].changes).toEqual([
      { field: 'name', from: 'host:web-1', to: 'web-1' },
      { field: 'team', from: 'servers', to: 'network' },
      { field: 'criticality', from: 3, to: 1 },
      { field: 'attributes.ip', from: null, to: '10.9.9.9' },
    ]);
    expect(t.services.cmdb.graph.ciByKey('host:web-1')).toMatchObject({ name: 'web-1', criticality: 1 });
    expect(t.services.cmdb.graph.findByHost('10.9.9.9').map((ci) => ci.key)).toEqual(['host:web-1']);
    const unchanged = await call(t, 'PATCH', '/api/v1/cis/host:web-1', { as: 'operator', payload: { name: 'web-1' } });
    expect(unchanged.status).toBe(200);
    expect((await call(t, 'GET', '/api/v1/cis/host:web-1/history', { as: 'viewer' })).json<History>().items).toHaveLength(history.items.length);
  });

  it('relationships: create, 409 on duplicate, delete, with history on both ends', async () => {
    const created = await post('/api/v1/relationships', { from: 'host:web-1', to: 'net:sw-1', type: 'depends_on' });
    expect(created.status, created.body).toBe(201);
    const rel = created.json<{ id: string }>();
    expectError(await post('/api/v1/relationships', { from: 'host:web-1', to: 'net:sw-1', type: 'depends_on' }), 409, 'conflict');
    expectError(await post('/api/v1/relationships', { from: 'host:web-1', to: 'host:web-1', type: 'depends_on' }), 400, 'validation_failed', /^to: /);
    expectError(await post('/api/v1/relationships', { from: 'host:web-1', to: 'nope', type: 'depends_on' }), 400, 'validation_failed', /^to: /);
    const impact = await call(t, 'GET', '/api/v1/cis/net:sw-1/impact', { as: 'viewer' });
    expect(keysOf(impact.json<{ impacted: Array<{ key: string }> }>().impacted)).toEqual(['host:web-1', 'app:portal', 'svc:portal']);
    const switchHistory = (await call(t, 'GET', '/api/v1/cis/net:sw-1/history', { as: 'viewer' })).json<History>();
    expect(switchHistory.items[0]).toMatchObject({ subjectType: 'relationship', action: 'created', summary: 'related host:web-1 depends_on net:sw-1' });
    expect((await call(t, 'DELETE', `/api/v1/relationships/${rel.id}`, { as: 'operator' })).status).toBe(204);
    expect((await call(t, 'GET', '/api/v1/cis/net:sw-1/impact', { as: 'viewer' })).json<{ impacted: unknown[] }>().impacted).toEqual([]);
    expectError(await call(t, 'DELETE', `/api/v1/relationships/${rel.id}`, { as: 'operator' }), 404, 'not_found');
  });

  it('the change trail covers the CI and what it depends on', async () => {
    const trail = await call(t, 'GET', '/api/v1/cis/svc:portal/changes?depth=5', { as: 'viewer' });
    expect(trail.status, trail.body).toBe(200);
    const items = trail.json<{ items: Array<{ ci: { key: string }; action: string }> }>().items;
    expect(items[0]).toMatchObject({ ci: { key: 'host:web-1' } });
    expect(new Set(items.map((item) => item.ci.key))).toEqual(new Set(['svc:portal', 'app:portal', 'host:web-1']));
    const alone = await call(t, 'GET', '/api/v1/cis/svc:portal/changes?depth=0', { as: 'viewer' });
    expect(new Set(alone.json<{ items: Array<{ ci: { key: string } }> }>().items.map((item) => item.ci.key))).toEqual(new Set(['svc:portal']));
  });

  it('the map answers a focused neighbourhood and the whole graph', async () => {
    const focused = await call(t, 'GET', '/api/v1/graph?focus=app:portal&depth=1', { as: 'viewer' });
    const map = focused.json<{ nodes: Array<{ key: string; team: string | null }>; edges: Array<{ type: string }>; truncated: boolean }>();
    expect(new Set(keysOf(map.nodes))).toEqual(new Set(['app:portal', 'svc:portal', 'host:web-1']));
    expect(map.edges.map((edge) => edge.type).sort()).toEqual(['depends_on', 'runs_on']);
    expect(map.nodes.find((node) => node.key === 'host:web-1')?.team).toBe('network');
    const all = await call(t, 'GET', '/api/v1/graph?limit=2', { as: 'viewer' });
    expect(all.json()).toMatchObject({ truncated: true });
    expectError(await call(t, 'GET', '/api/v1/graph?focus=none:1', { as: 'viewer' }), 404, 'not_found');
  });

  it('global search finds CIs', async () => {
    const found = await call(t, 'GET', '/api/v1/search?q=web-1', { as: 'viewer' });
    expect(found.json<{ items: Array<{ type: string; href: string }> }>().items).toContainEqual(expect.objectContaining({ type: 'ci', href: '/cmdb/cis/host%3Aweb-1' }));
  });

  it('DELETE removes the CI and its relationships, says so in history, and updates the graph', async () => {
    const app = t.services.cmdb.graph.ciByKey('app:portal');
    expect((await call(t, 'DELETE', '/api/v1/cis/app:portal', { as: 'operator' })).status).toBe(204);
    expectError(await call(t, 'GET', '/api/v1/cis/app:portal', { as: 'viewer' }), 404, 'not_found');
    expect(t.services.cmdb.graph.ciByKey('app:portal')).toBeUndefined();
    expect((await call(t, 'GET', '/api/v1/cis/host:web-1/impact', { as: 'viewer' })).json<{ impacted: unknown[] }>().impacted).toEqual([]);
    const history = (await call(t, 'GET', `/api/v1/cis/${app?.id}/history`, { as: 'viewer' })).json<History>();
    expect(history.items[0]).toMatchObject({ subjectType: 'ci', action: 'deleted', summary: 'deleted application app:portal and its 2 relationships' });
    expect(history.items[0].changes).toContainEqual({ field: 'key', from: 'app:portal', to: null });
    expect(history.items.filter((item) => item.subjectType === 'relationship' && item.action === 'deleted')).toHaveLength(2);
    expect(history.items[1].summary).toMatch(/\(app:portal was deleted\)$/);
    const activity = await call(t, 'GET', `/api/v1/activity?subject=${app?.id}`, { as: 'viewer' });
    expect(activity.json<{ items: Array<{ verb: string }> }>().items.map((item) => item.verb)).toEqual(['ci.deleted', 'ci.created']);
  });
});
