import { describe, expect, it } from 'vitest';
import type { RootCandidates } from './correlation-state.js';
import { defaultCorrelationOptions } from './correlation-state.js';
import { addToCandidates, chooseRoot, explainAlternative, rankRoots, UpstreamCache } from './root-cause.js';
import { MemoryTopology } from './topology.js';

/** sw-1 ← host-1 ← vm-1 ← app-1 (each runs on / depends on the next), and vm-2 on host-1 too. */
function chain() {
  const topology = new MemoryTopology();
  for (const [key, type] of [['sw-1', 'network'], ['host-1', 'host'], ['vm-1', 'vm'], ['vm-2', 'vm'], ['app-1', 'application']] as const) {
    topology.addCi({ id: key, key, name: key, type, teamId: null }, []);
  }
  topology.relate('host-1', 'sw-1', 'depends_on');
  topology.relate('vm-1', 'host-1', 'runs_on');
  topology.relate('vm-2', 'host-1', 'runs_on');
  topology.relate('app-1', 'vm-1', 'runs_on');
  return { topology, cache: new UpstreamCache(topology) };
}

function candidatesOf(cache: UpstreamCache, alerts: Array<[string, number]>): RootCandidates {
  const candidates: RootCandidates = new Map();
  for (const [ci, at] of alerts) addToCandidates(candidates, cache.get(ci), ci, at);
  return candidates;
}

describe('root-cause ranking', () => {
  it('ranks every candidate by fit, best first, and keeps only as many as asked', () => {
    const { cache } = chain();
    const candidates = candidatesOf(cache, [['app-1', 1000]]);
    const ranked = rankRoots(candidates, 1, cache, defaultCorrelationOptions, 10);
    expect(ranked.map((r) => [r.id, r.origin])).toEqual([['app-1', 'first'], ['vm-1', 'silent'], ['host-1', 'silent'], ['sw-1', 'silent']]);
    // app-1 explains itself and impacts nothing: 0. vm-1 explains it as a silent root: −1.1.
    // host-1 and sw-1 are silent too and impact CIs that stayed quiet: 1 of 3 alerted
    // (ln ⅓ + 2 ln ⅔ − 1.1) and 1 of 4 (ln ¼ + 3 ln ¾ − 1.1).
    expect(ranked.map((r) => Number(r.fit.toFixed(3)))).toEqual([0, -1.1, -3.01, -3.349]);
    expect(rankRoots(candidates, 1, cache, defaultCorrelationOptions, 2).map((r) => r.id)).toEqual(['app-1', 'vm-1']);
    expect(chooseRoot(candidates, 1, cache, defaultCorrelationOptions)?.id).toBe('app-1');
    expect(rankRoots(null, 0, cache, defaultCorrelationOptions, 3)).toEqual([]);
  });

  it('breaks equal fits by closeness to the alerting CIs', () => {
    // c runs on m, which runs on far; c also depends on near, which d depends on too.
    const topology = new MemoryTopology();
    for (const key of ['c', 'm', 'far', 'near', 'd']) topology.addCi({ id: key, key, name: key, type: 'application', teamId: null }, []);
    topology.relate('c', 'm', 'runs_on');
    topology.relate('m', 'far', 'runs_on');
    topology.relate('c', 'near', 'depends_on');
    topology.relate('d', 'near', 'depends_on');
    const cache = new UpstreamCache(topology);
    const ranked = rankRoots(candidatesOf(cache, [['c', 1000]]), 1, cache, defaultCorrelationOptions, 4);
    // near and far both impact two CIs of which one alerted, and neither alerted: the same fit.
    expect(ranked[2].fit).toBe(ranked[3].fit);
    expect(ranked.map((r) => r.id)).toEqual(['c', 'm', 'near', 'far']);
  });

  it('explains a runner-up in one line: what it covers, how much of its impact alerted, whether it alerted', () => {
    const { cache } = chain();
    const [, vm, host] = rankRoots(candidatesOf(cache, [['app-1', 1000]]), 1, cache, defaultCorrelationOptions, 3);
    expect(explainAlternative(vm, 1)).toBe('explains all 1 alerting CI(s); 1 of the 1 CIs it impacts alerted; it sent no alert');
    expect(explainAlternative(host, 1)).toBe('explains all 1 alerting CI(s); 1 of the 3 CIs it impacts alerted; it sent no alert');
    const twoAlerts = candidatesOf(cache, [['app-1', 1000], ['vm-2', 1000]]);
    const app = rankRoots(twoAlerts, 2, cache, defaultCorrelationOptions, 10).find((r) => r.id === 'app-1');
    expect(app && explainAlternative(app, 2)).toBe('explains 1 of the 2 alerting CI(s) (the other 1 as separate problems); it alerted first');
  });
});
