import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../app.js';
import { systemActor } from '../../../platform/activity/activity-spine.js';
import { openDatabase } from '../../../platform/db/database.js';
import { call } from '../../../testing/http.js';
import { startTestApp, type TestApp } from '../../../testing/test-app.js';

/** Two server processes on one PostgreSQL: writes of one reach the other's graph through the activity relay. */
describe.runIf(Boolean(process.env.OPSLOOM_TEST_DATABASE_URL))('graph index across processes on postgres', () => {
  let t: TestApp;
  let other: Awaited<ReturnType<typeof buildApp>>;
  let close: () => Promise<void>;

  beforeAll(async () => {
    t = await startTestApp('postgres');
    await t.services.identity.teams.create(systemActor, { slug: 'servers', name: 'Servers' });
    const handle = openDatabase({ databaseUrl: t.database.location.databaseUrl, dataDir: t.database.location.dataDir, poolSize: 3 });
    other = await buildApp({ config: t.config, database: handle, logger: false });
    await other.app.ready();
    close = async () => {
      await other.app.close();
      await handle.close();
    };
  });
  afterAll(async () => {
    await close?.();
    await t?.close();
  });

  const until = async (check: () => boolean) => {
    for (let i = 0; i < 100 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    await other.services.cmdb.graph.settled();
    return check();
  };

  it('sees imports, patches, relationships and deletes made by another process', async () => {
    const graph = other.services.cmdb.graph;
    await call(t, 'POST', '/api/v1/cmdb/import', {
      as: 'operator',
      payload: { cis: [{ key: 'a', type: 'host', name: 'a' }, { key: 'b', type: 'vm', name: 'b' }], relationships: [{ from: 'b', to: 'a', type: 'runs_on' }] },
    });
    expect(await until(() => graph.ciByKey('b') !== undefined)).toBe(true);
    const a = graph.ciByKey('a');
    expect(graph.impacted(a?.id ?? '').map((r) => graph.ciById(r.id)?.key)).toEqual(['b']);

    await call(t, 'PATCH', '/api/v1/cis/a', { as: 'operator', payload: { name: 'renamed', attributes: { ip: '10.1.1.1' } } });
    expect(await until(() => graph.ciByKey('a')?.name === 'renamed')).toBe(true);
    expect(graph.findByHost('10.1.1.1').map((ci) => ci.key)).toEqual(['a']);

    await call(t, 'POST', '/api/v1/cis', { as: 'operator', payload: { key: 'c', type: 'service', name: 'c' } });
    await call(t, 'POST', '/api/v1/relationships', { as: 'operator', payload: { from: 'c', to: 'b', type: 'depends_on' } });
    expect(await until(() => graph.impacted(a?.id ?? '').length === 2)).toBe(true);

    await call(t, 'DELETE', '/api/v1/cis/b', { as: 'operator' });
    expect(await until(() => graph.ciByKey('b') === undefined)).toBe(true);
    expect(graph.impacted(a?.id ?? '')).toEqual([]);
    expect(graph.stats()).toMatchObject({ cis: 2, relationships: 0 });
  });
});
