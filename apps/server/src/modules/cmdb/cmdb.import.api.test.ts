import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../platform/activity/activity-spine.js';
import { testDatabaseKinds } from '../../testing/databases.js';
import { call, expectError } from '../../testing/http.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';
import { cmdbRepo } from './cmdb.repo.js';

interface ImportAnswer {
  cis: { created: number; updated: number; unchanged: number };
  relationships: { created: number; updated: number; unchanged: number };
}
interface Issue {
  path: string;
  message: string;
  index: number;
}

const body = () => ({
  cis: [
    { key: 'svc:mail', type: 'service', name: 'E-mail', team: 'messaging', criticality: 1 },
    { key: 'app:exchange', type: 'application', name: 'Exchange', team: 'messaging' },
    { key: 'vm:mail-01', type: 'vm', name: 'mail-01', team: 'servers', attributes: { hostname: 'mail-01', ip: '10.0.0.11' }, tags: ['dc1'] },
    { key: 'host:esx-01', type: 'host', name: 'esx-01', team: 'servers', attributes: { fqdn: 'esx-01.dc1.example.net' } },
    { key: 'net:core-1', type: 'network_device', name: 'core switch', team: 'network' },
  ],
  relationships: [
    { from: 'app:exchange', to: 'svc:mail', type: 'part_of' },
    { from: 'vm:mail-01', to: 'app:exchange', type: 'part_of' },
    { from: 'vm:mail-01', to: 'host:esx-01', type: 'runs_on' },
    { from: 'host:esx-01', to: 'net:core-1', type: 'depends_on' },
    { from: 'net:core-1', to: 'vm:mail-01', type: 'connects_to' },
  ],
});

describe.each(testDatabaseKinds())('CMDB import on %s', (kind) => {
  let t: TestApp;
  const historyCount = () => cmdbRepo.countHistory(t.database.handle.db);
  const cmdbCounts = async () => ({
    cis: await cmdbRepo.countCis(t.database.handle.db),
    history: await historyCount(),
    relationships: (await cmdbRepo.allRelationships(t.database.handle.db)).length,
  });

  beforeAll(async () => {
    t = await startTestApp(kind);
    for (const slug of ['messaging', 'servers', 'network']) await t.services.identity.teams.create(systemActor, { slug, name: slug });
  });
  afterAll(async () => t?.close());

  it('imports, answers counts, and the same body again changes nothing and records no history', async () => {
    const first = await call(t, 'POST', '/api/v1/cmdb/import', { as: 'operator', payload: body() });
    expect(first.status, first.body).toBe(200);
    expect(first.json<ImportAnswer>()).toMatchObject({ cis: { created: 5, updated: 0, unchanged: 0 }, relationships: { created: 5, updated: 0, unchanged: 0 } });
    const before = await cmdbCounts();
    expect(before.history).toBe(10);
    const activity = await call(t, 'GET', '/api/v1/activity?subjectType=cmdb', { as: 'viewer' });
    expect(activity.json<{ items: Array<{ verb: string; data: unknown }> }>().items).toMatchObject([{ verb: 'cmdb.imported', data: { cis: { created: 5 } } }]);

    const second = await call(t, 'POST', '/api/v1/cmdb/import', { as: 'operator', payload: body() });
    expect(second.json<ImportAnswer>()).toMatchObject({ cis: { created: 0, updated: 0, unchanged: 5 }, relationships: { created: 0, unchanged: 5 } });
    expect(await cmdbCounts()).toEqual(before);
    const again = await call(t, 'GET', '/api/v1/activity?subjectType=cmdb', { as: 'viewer' });
    expect(again.json<{ items: unknown[] }>().items).toHaveLength(1);
  });

  it('answers impact and dependencies from the graph, with the business services', async () => {
    const impact = await call(t, 'GET', '/api/v1/cis/net:core-1/impact', { as: 'viewer' });
    expect(impact.status, impact.body).toBe(200);
    const result = impact.json<{ ci: { key: string }; impacted: Array<{ key: string; distance: number }>; services: Array<{ key: string }> }>();
    expect(result.ci.key).toBe('net:core-1');
    expect(result.impacted.map((i) => [i.key, i.distance])).toEqual([['host:esx-01', 1], ['vm:mail-01', 2], ['app:exchange', 3], ['svc:mail', 4]]);
    expect(result.services.map((s) => s.key)).toEqual(['svc:mail']);
    const deps = await call(t, 'GET', '/api/v1/cis/svc:mail/dependencies', { as: 'viewer' });
    expect(deps.json<{ impacted: Array<{ key: string }> }>().impacted.map((i) => i.key)).toEqual(['app:exchange', 'vm:mail-01', 'host:esx-01', 'net:core-1']);
    const detail = await call(t, 'GET', '/api/v1/cis/vm:mail-01', { as: 'viewer' });
    expect(detail.json()).toMatchObject({ key: 'vm:mail-01', team: { slug: 'servers' }, services: [{ key: 'svc:mail' }], attributes: { hostname: 'mail-01' }, tags: ['dc1'] });
    expect(t.services.cmdb.graph.findByHost('10.0.0.11').map((ci) => ci.key)).toEqual(['vm:mail-01']);
  });

  it('one bad row rejects the whole import with every problem listed, and writes nothing', async () => {
    const before = await cmdbCounts();
    const bad = body();
    bad.cis.push({ key: 'new:ok', type: 'host', name: 'fine', team: 'servers' });
    bad.cis.push({ key: 'new:bad-team', type: 'host', name: 'x', team: 'no-such-team' });
    bad.cis.push({ key: 'svc:mail', type: 'service', name: 'duplicate', team: 'messaging' });
    bad.relationships.push({ from: 'new:ok', to: 'nowhere:1', type: 'depends_on' });
    const answer = await call(t, 'POST', '/api/v1/cmdb/import', { as: 'operator', payload: bad });
    const error = expectError(answer, 400, 'validation_failed', /nothing was imported/);
    const issues = (error.details as { issues: Issue[] }).issues;
    expect(issues.map((i) => i.path)).toEqual(['body.cis.7.key']);
    // Duplicate keys are found first; fix that and the database-dependent problems are all listed together.
    bad.cis.pop();
    const second = expectError(await call(t, 'POST', '/api/v1/cmdb/import', { as: 'operator', payload: bad }), 400, 'validation_failed');
    expect((second.details as { issues: Issue[] }).issues.map((i) => [i.path, i.index])).toEqual([['body.cis.6.team', 6], ['body.relationships.5.to', 5]]);
    expect(second.message).toMatch(/no team with slug "no-such-team"/);
    expect(await cmdbCounts()).toEqual(before);
    expect(t.services.cmdb.graph.ciByKey('new:ok')).toBeUndefined();
  });

  it('reports malformed rows by index and field', async () => {
    const answer = await call(t, 'POST', '/api/v1/cmdb/import', {
      as: 'operator',
      payload: { cis: [{ key: 'ok:1', type: 'host', name: 'a' }, { key: 'bad key', type: 'Host', name: '', criticality: 7 }], relationships: [{ from: 'ok:1', to: 'x', type: 'likes' }] },
    });
    const error = expectError(answer, 400, 'validation_failed');
    const paths = (error.details as { issues: Issue[] }).issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['body.cis.1.key', 'body.cis.1.type', 'body.cis.1.name', 'body.cis.1.criticality', 'body.relationships.0.type']));
  });

  it('updates only what changed and keeps omitted fields', async () => {
    const next = body();
    next.cis[2] = { key: 'vm:mail-01', type: 'vm', name: 'mail-01', team: 'servers', attributes: { hostname: 'mail-01', ip: '10.0.0.12' }, tags: ['dc1'] };
    next.cis[0] = { key: 'svc:mail', type: 'service', name: 'E-mail', team: 'messaging' };
    const answer = await call(t, 'POST', '/api/v1/cmdb/import', { as: 'operator', payload: next });
    expect(answer.json<ImportAnswer>().cis).toEqual({ created: 0, updated: 1, unchanged: 4 });
    const history = await call(t, 'GET', '/api/v1/cis/vm:mail-01/history', { as: 'viewer' });
    expect(history.json<{ items: Array<{ action: string; changes: unknown[] }> }>().items[0]).toMatchObject({
      action: 'updated', changes: [{ field: 'attributes.ip', from: '10.0.0.11', to: '10.0.0.12' }],
    });
    expect(t.services.cmdb.graph.findByHost('10.0.0.12').map((ci) => ci.key)).toEqual(['vm:mail-01']);
    expect(t.services.cmdb.graph.findByHost('10.0.0.11')).toEqual([]);
    const svc = await call(t, 'GET', '/api/v1/cis/svc:mail', { as: 'viewer' });
    expect(svc.json()).toMatchObject({ criticality: 1 });
  });

  it('skips unknown references when asked, reporting each', async () => {
    const answer = await call(t, 'POST', '/api/v1/cmdb/import', {
      as: 'operator',
      payload: { unknownReferences: 'skip', cis: [{ key: 'skip:1', type: 'host', name: 's', team: 'ghosts' }], relationships: [{ from: 'skip:1', to: 'ghost:1', type: 'depends_on' }] },
    });
    expect(answer.status, answer.body).toBe(200);
    expect(answer.json()).toMatchObject({ cis: { created: 1 }, relationships: { created: 0 }, warnings: [{ path: 'body.cis.0.team' }, { path: 'body.relationships.0.to' }] });
  });

  it('exports JSON and CSV that import back as unchanged', async () => {
    const json = await call(t, 'GET', '/api/v1/cmdb/export?format=json', { as: 'viewer' });
    const exported = json.json<{ cis: unknown[]; relationships: unknown[] }>();
    const reimport = await call(t, 'POST', '/api/v1/cmdb/import', { as: 'operator', payload: exported });
    expect(reimport.json<ImportAnswer>()).toMatchObject({ cis: { created: 0, updated: 0 }, relationships: { created: 0 } });
    const csv = await call(t, 'GET', '/api/v1/cmdb/export?format=csv', { as: 'viewer' });
    const files = csv.json<{ cis: string; relationships: string }>();
    expect(files.cis.split('\n')[0]).toBe('key,type,name,team,criticality,status,tags,attributes');
    const { csvToImport } = await import('@opsloom/api/formats');
    const parsed = csvToImport(files);
    expect(parsed.errors).toEqual([]);
    expect(parsed.cis).toEqual(exported.cis.map((ci) => {
      const row = { ...(ci as Record<string, unknown>) };
      if (row.team === null) delete row.team;
      if (Object.keys(row.attributes as object).length === 0) delete row.attributes;
      if ((row.tags as string[]).length === 0) delete row.tags;
      return row;
    }));
    const back = await call(t, 'POST', '/api/v1/cmdb/import', { as: 'operator', payload: { cis: parsed.cis, relationships: parsed.relationships } });
    expect(back.json<ImportAnswer>()).toMatchObject({ cis: { created: 0, updated: 0 }, relationships: { created: 0 } });
  });

  it('is closed to viewers and requesters for writes, and to requesters for reads', async () => {
    expectError(await call(t, 'POST', '/api/v1/cmdb/import', { as: 'viewer', payload: body() }), 403, 'forbidden');
    expectError(await call(t, 'POST', '/api/v1/cis', { as: 'viewer', payload: { key: 'v:1', type: 'host', name: 'v' } }), 403, 'forbidden');
    expectError(await call(t, 'PATCH', '/api/v1/cis/svc:mail', { as: 'viewer', payload: { name: 'x' } }), 403, 'forbidden');
    expectError(await call(t, 'DELETE', '/api/v1/cis/svc:mail', { as: 'viewer' }), 403, 'forbidden');
    expectError(await call(t, 'GET', '/api/v1/cis', { as: 'requester' }), 403, 'forbidden');
    expectError(await call(t, 'GET', '/api/v1/cis'), 401, 'unauthenticated');
  });
});
