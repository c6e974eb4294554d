import { describe, expect, it } from 'vitest';
import { AlertProcessor, ChangeSet } from './alert-processor.js';
import { Correlator, type RootCandidates } from './correlator.js';
import { chooseRoot, intersectCandidates, UpstreamCache } from './root-cause.js';
import { generateScenario, occurrence, type Scenario, scoreScenario } from './testing/scenario-generator.js';
import { MemoryTopology } from './topology.js';
import { fromAlertmanager, IntakeProblems } from './wire-formats.js';

function topologyOf(scenario: Scenario): MemoryTopology {
  const topology = new MemoryTopology();
  for (const ci of scenario.cis) {
    const hosts = [ci.attributes?.hostname, ci.attributes?.ip].filter((h): h is string => typeof h === 'string');
    topology.addCi({ id: `id-${ci.key}`, key: ci.key, name: ci.name, type: ci.type, teamId: ci.team ?? null }, hosts);
  }
  for (const rel of scenario.relationships) topology.relate(`id-${rel.from}`, `id-${rel.to}`, rel.type);
  return topology;
}

function replay(seed: number) {
  const scenario = generateScenario(seed);
  const topology = topologyOf(scenario);
  const processor = new AlertProcessor(topology, new Correlator(topology, 1));
  const placed = new Map<string, { incident: string; rootKey: string | null }>();
  const states = new Map<string, ReturnType<typeof Object>>();
  let opened = 0;
  const reasons = new Map<string, string>();
  for (const delivery of scenario.deliveries) {
    const problems = new IntakeProblems();
    const alerts = fromAlertmanager({ alerts: delivery }, Date.now(), problems);
    expect(problems.problems).toEqual([]);
    const changes = new ChangeSet();
    processor.process({ id: 'am', teamId: null }, alerts, Date.now(), changes);
    opened += changes.opened.length - changes.merges.length;
    for (const fresh of changes.newAlerts) if (fresh.state.incident) { const key = occurrence(fresh.alert.dedupKey, new Date(fresh.alert.startsAt).toISOString()); states.set(key, fresh.state); reasons.set(key, fresh.reason?.rule ?? ''); }
  }
  for (const [fingerprint, state] of states) {
    const incident = (state as { incident: { id: string; rootCiKey: string | null } }).incident;
    placed.set(fingerprint, { incident: incident.id, rootKey: incident.rootCiKey });
  }
  if (process.env.DEBUG_CORRELATION) {
    const firstOf = new Map<string, string>();
    const wrong = new Map<string, number>();
    for (const [fp, p] of placed) {
      const group = scenario.truth.get(fp)?.group ?? '';
      if (!firstOf.has(p.incident)) firstOf.set(p.incident, group);
      else if (firstOf.get(p.incident) !== group && (console.log('foreign', group, 'into', firstOf.get(p.incident), reasons.get(fp)), true)) wrong.set(reasons.get(fp) ?? '', (wrong.get(reasons.get(fp) ?? '') ?? 0) + 1);
    }
    console.log('foreign joins by rule', Object.fromEntries(wrong));
    const cache = new UpstreamCache(topology);
    const groupCis = new Map<string, Set<string>>();
    for (const [fp, st] of states) {
      const t = scenario.truth.get(fp);
      const ciId = (st as { ciId: string | null }).ciId;
      if (t?.rootKey && ciId) groupCis.set(t.group, (groupCis.get(t.group) ?? new Set()).add(ciId));
    }
    let ceilingMiss = 0;
    for (const [g, ids] of groupCis) {
      let cand: RootCandidates | null = null;
      for (const id of ids) cand = intersectCandidates(cand, cache.get(id), id);
      const ideal = topology.ciById(chooseRoot(cand, cache) ?? '')?.key;
      const truthRoot = [...scenario.truth.values()].find((t) => t.group === g)?.rootKey;
      if (ideal !== truthRoot) { ceilingMiss++; console.log('ideal miss', g, truthRoot, ideal, [...ids].map((i) => topology.ciById(i)?.key).join(',')); }
    }
    console.log('ceiling misses', ceilingMiss, 'of', groupCis.size);
    const byGroup = new Map<string, Map<string, number>>();
    for (const [fp, p] of placed) {
      const t = scenario.truth.get(fp);
      if (!t?.rootKey) continue;
      const m = byGroup.get(t.group) ?? new Map<string, number>();
      m.set(`${p.incident.slice(-6)}:${p.rootKey}`, (m.get(`${p.incident.slice(-6)}:${p.rootKey}`) ?? 0) + 1);
      byGroup.set(t.group, m);
    }
    for (const [g, m] of byGroup) {
      const fp = [...scenario.truth.entries()].find(([, t]) => t.group === g);
      const truthRoot = fp?.[1].rootKey;
      const top = [...m.entries()].sort((a, b) => b[1] - a[1]);
      if (top[0][0].split(':')[1] !== truthRoot || top.length > 1) console.log(g, 'truth', truthRoot, JSON.stringify(top));
    }
  }
  return scoreScenario(scenario, placed, opened);
}

describe('correlation on generated failure scenarios (in-memory topology)', () => {
  it('groups alerts and names root causes over five seeds', () => {
    const totals = { f1: 0, correct: 0, failures: 0, deliveries: 0, incidents: 0 };
    for (const seed of [1, 2, 3, 4, 5]) {
      const score = replay(seed);
      // Printed on purpose: these are the figures the issue asks for.
      console.log(`seed ${seed}: F1 ${score.f1.toFixed(3)} (P ${score.precision.toFixed(3)} R ${score.recall.toFixed(3)}), root-cause top-1 ${score.rootAccuracy.toFixed(3)} over ${score.failures} failures, ${score.deliveries} firing deliveries → ${score.incidents} incidents (noise reduction ${(100 * score.noiseReduction).toFixed(1)}%)`);
      expect(score.f1).toBeGreaterThanOrEqual(0.95);
      totals.f1 += score.f1 / 5;
      totals.correct += Math.round(score.rootAccuracy * score.failures);
      totals.failures += score.failures;
      totals.deliveries += score.deliveries;
      totals.incidents += score.incidents;
    }
    const accuracy = totals.correct / totals.failures;
    console.log(`all seeds: mean F1 ${totals.f1.toFixed(3)}, root-cause top-1 ${accuracy.toFixed(3)} (${totals.correct}/${totals.failures}), ${totals.deliveries} firing deliveries → ${totals.incidents} incidents`);
    expect(totals.f1).toBeGreaterThanOrEqual(0.95);
    // Some injected failures cannot be named from their alerts at all (a silent CI with one
    // alerting dependant); the target is over all failures of all seeds.
    expect(accuracy).toBeGreaterThanOrEqual(0.9);
  });
});
