import { describe, expect, it } from 'vitest';
import { GraphIndex, type Reached } from './graph-index.js';

function graph(edges: Array<[string, 'depends_on' | 'runs_on' | 'part_of' | 'connects_to', string]>, extra: string[] = []): GraphIndex {
  const index = new GraphIndex();
  const names = new Set(extra);
  for (const [from, , to] of edges) names.add(from).add(to);
  for (const name of names) index.upsertCi({ id: name, key: `k:${name}`, type: name.startsWith('svc') ? 'service' : 'host', name, teamId: null, status: 'live', criticality: 3, hosts: [`${name}.example.net`] });
  edges.forEach(([from, type, to], i) => index.addRelationship({ id: `e${i}`, fromId: from, toId: to, type }));
  return index;
}
const asMap = (reached: Reached[]) => Object.fromEntries(reached.map((r) => [r.id, r.distance]));

describe('graph index propagation', () => {
  it('depends_on and runs_on: the dependant is impacted, transitively, with distances', () => {
    const g = graph([['app', 'runs_on', 'vm'], ['vm', 'runs_on', 'host'], ['svc', 'depends_on', 'app']]);
    expect(asMap(g.impacted('host'))).toEqual({ vm: 1, app: 2, svc: 3 });
    expect(asMap(g.impacted('svc'))).toEqual({});
    expect(asMap(g.dependencies('svc'))).toEqual({ app: 1, vm: 2, host: 3 });
  });

  it('part_of: the whole is impacted when a part is, not the other way round', () => {
    const g = graph([['mail-01', 'part_of', 'svc-email'], ['mail-02', 'part_of', 'svc-email']]);
    expect(asMap(g.impacted('mail-01'))).toEqual({ 'svc-email': 1 });
    expect(asMap(g.impacted('svc-email'))).toEqual({});
    expect(asMap(g.dependencies('svc-email'))).toEqual({ 'mail-01': 1, 'mail-02': 1 });
  });

  it('connects_to does not propagate', () => {
    const g = graph([['a', 'connects_to', 'b']]);
    expect(g.impacted('a')).toEqual([]);
    expect(g.impacted('b')).toEqual([]);
    expect(g.neighbours('a')).toEqual([{ id: 'b', relationshipId: 'e0', type: 'connects_to', direction: 'out' }]);
  });

  it('cycles end, and each CI appears once at its shortest distance; the CI itself is excluded', () => {
    const g = graph([['a', 'depends_on', 'b'], ['b', 'depends_on', 'c'], ['c', 'depends_on', 'a'], ['d', 'depends_on', 'a'], ['d', 'depends_on', 'c']]);
    expect(asMap(g.impacted('a'))).toEqual({ c: 1, d: 1, b: 2 });
    expect(asMap(g.dependencies('d'))).toEqual({ a: 1, c: 1, b: 2 });
  });

  it('mixes part_of and depends_on along one path', () => {
    // switch fails → host (depends_on) → vm (runs_on) → cluster (vm part_of cluster) → svc (depends_on cluster)
    const g = graph([['host', 'depends_on', 'switch'], ['vm', 'runs_on', 'host'], ['vm', 'part_of', 'cluster'], ['svc', 'depends_on', 'cluster']]);
    expect(asMap(g.impacted('switch'))).toEqual({ host: 1, vm: 2, cluster: 3, svc: 4 });
    expect(g.pathBetween('switch', 'svc')?.map((step) => [step.id, step.via?.type ?? null])).toEqual([
      ['switch', null], ['host', 'depends_on'], ['vm', 'runs_on'], ['cluster', 'part_of'], ['svc', 'depends_on'],
    ]);
    expect(g.pathBetween('svc', 'switch')).toBeNull();
  });

  it('stays correct after removals and slot reuse, and finds CIs by host', () => {
    const g = graph([['a', 'depends_on', 'b'], ['b', 'depends_on', 'c']]);
    g.removeRelationship('e1');
    expect(asMap(g.impacted('c'))).toEqual({});
    g.removeCi('b');
    expect(g.ciById('b')).toBeUndefined();
    expect(g.relationshipCount).toBe(0);
    g.upsertCi({ id: 'x', key: 'k:x', type: 'host', name: 'x', teamId: null, status: 'live', criticality: 1, hosts: ['10.0.0.9', 'X.Example.Net'] });
    g.addRelationship({ id: 'e9', fromId: 'a', toId: 'x', type: 'runs_on' });
    expect(asMap(g.impacted('x'))).toEqual({ a: 1 });
    expect(g.findByHost('x.example.net').map((ci) => ci.id)).toEqual(['x']);
    expect(g.findByHost('10.0.0.9').map((ci) => ci.id)).toEqual(['x']);
    expect(g.findByHost('k:a').map((ci) => ci.id)).toEqual(['a']);
    g.upsertCi({ id: 'x', key: 'k:x2', type: 'host', name: 'x', teamId: null, status: 'live', criticality: 1, hosts: [] });
    expect(g.findByHost('10.0.0.9')).toEqual([]);
    expect(g.ciByKey('k:x')).toBeUndefined();
    expect(g.ciByKey('k:x2')?.id).toBe('x');
  });

  it('neighbourhood walks every relationship both ways up to depth and limit', () => {
    const g = graph([['a', 'connects_to', 'b'], ['c', 'part_of', 'b'], ['d', 'depends_on', 'c']]);
    expect(asMap(g.neighbourhood('a', 2, 100))).toEqual({ a: 0, b: 1, c: 2 });
    expect(g.neighbourhood('a', 5, 2)).toHaveLength(2);
  });
});

describe('graph index bulk load', () => {
  it('answers the same as one-by-one inserts', () => {
    const edges: Array<[string, 'depends_on' | 'runs_on' | 'part_of' | 'connects_to', string]> = [
      ['a', 'depends_on', 'b'], ['b', 'runs_on', 'c'], ['c', 'part_of', 'd'], ['e', 'depends_on', 'd'], ['a', 'connects_to', 'e'],
    ];
    const bulk = new GraphIndex();
    for (const name of ['a', 'b', 'c', 'd', 'e']) bulk.upsertCi({ id: name, key: name, type: 'host', name, teamId: null, status: 'live', criticality: 3, hosts: [] });
    edges.forEach(([from, type, to], i) => expect(bulk.bulkAddRelationship({ id: `e${i}`, fromId: from, toId: to, type })).toBe(true));
    expect(bulk.bulkAddRelationship({ id: 'x', fromId: 'a', toId: 'nope', type: 'depends_on' })).toBe(false);
    bulk.finishBulkLoad();
    const single = graph(edges);
    for (const id of ['a', 'b', 'c', 'd', 'e']) {
      expect(asMap(bulk.impacted(id))).toEqual(asMap(single.impacted(id)));
      expect(asMap(bulk.dependencies(id))).toEqual(asMap(single.dependencies(id)));
    }
    bulk.removeCi('c');
    bulk.addRelationship({ id: 'n1', fromId: 'a', toId: 'd', type: 'runs_on' });
    expect(asMap(bulk.impacted('d'))).toEqual({ a: 1, e: 1 });
  });
});
