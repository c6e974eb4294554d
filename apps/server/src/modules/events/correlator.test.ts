import { describe, expect, it } from 'vitest';
import { AlertProcessor, ChangeSet } from './alert-processor.js';
import { type AlertReason, type AlertState, defaultCorrelationOptions, type IncidentState, type RootCandidates } from './correlation-state.js';
import { Correlator } from './correlator.js';
import { addToCandidates, chooseRoot, fitOf, originOf, UpstreamCache } from './root-cause.js';
import { generateDeepScenario } from './testing/deep-scenario-generator.js';
import { topologyOf } from './testing/replay-scenario.js';
import { generateScenario, occurrence, type Scenario, type ScenarioOptions, scoreScenario } from './testing/scenario-generator.js';
import { type MemoryTopology } from './topology.js';
import { fromAlertmanager, IntakeProblems } from './wire-formats.js';

type Variant = NonNullable<ScenarioOptions['variant']> | 'deep' | 'deep-large' | 'deep-delayed';
function scenarioOf(seed: number, variant: Variant): Scenario {
  if (variant === 'deep') return generateDeepScenario(seed);
  if (variant === 'deep-large') return generateDeepScenario(seed, { sites: [14, 18], failures: 250 });
  if (variant === 'deep-delayed') return generateDeepScenario(seed, { arrivalDelayMs: 15 * 60_000 });
  return generateScenario(seed, { variant });
}

interface Replayed {
  scenario: Scenario;
  topology: MemoryTopology;
  /** Occurrence → its alert as correlation left it (incident after merges), and why it was placed. */
  states: Map<string, AlertState>;
  reasons: Map<string, AlertReason>;
  /** Placements whose reason claims the root explains the alert's CI while it does not. */
  untrueReasons: number;
  score: ReturnType<typeof scoreScenario>;
}

/** Replays a scenario alert by alert (as tiny webhook batches) through dedup and correlation. */
function replay(seed: number, variant: Variant): Replayed {
  const scenario = scenarioOf(seed, variant);
  const topology = topologyOf(scenario);
  const cache = new UpstreamCache(topology);
  const processor = new AlertProcessor(topology, new Correlator(topology, 1));
  const states = new Map<string, AlertState>();
  const reasons = new Map<string, AlertReason>();
  let opened = 0;
  let untrueReasons = 0;
  for (const delivery of scenario.deliveries) {
    const problems = new IntakeProblems();
    const alerts = fromAlertmanager({ alerts: delivery }, Date.now(), problems);
    expect(problems.problems).toEqual([]);
    for (const alert of alerts) {
      const changes = new ChangeSet();
      processor.process({ id: 'am', teamId: null }, [alert], Date.now(), changes);
      opened += changes.opened.length - changes.merges.length;
      for (const fresh of changes.newAlerts) {
        const incident = fresh.state.incident;
        if (!incident || !fresh.reason) continue;
        const key = occurrence(fresh.alert.dedupKey, new Date(fresh.alert.startsAt).toISOString());
        states.set(key, fresh.state);
        reasons.set(key, fresh.reason);
        // Each reason's claim about the root, checked against the incident as it stands.
        const { rule, relatedCi } = fresh.reason;
        const root = incident.rootCiId;
        const ciId = fresh.state.ciId;
        const explained = !!root && !!ciId && (root === ciId || cache.get(ciId).has(root));
        if ((rule === 'explained_by_root' && !explained) || (rule === 'upstream_of_root' && root !== ciId) ||
          (rule === 'common_upstream' && (relatedCi !== incident.rootCiKey || explained !== (fresh.reason.via === relatedCi)))) {
          untrueReasons++;
          if (process.env.DEBUG_CORRELATION) console.log(`  untrue reason: ${rule} (root named ${relatedCi}) for ${ciId}, incident root ${incident.rootCiKey}`);
        }
      }
    }
  }
  const placed = new Map<string, { incident: string; rootKey: string | null }>();
  for (const [key, state] of states) {
    const incident = state.incident as IncidentState;
    placed.set(key, { incident: incident.id, rootKey: incident.rootCiKey });
  }
  return { scenario, topology, states, reasons, untrueReasons, score: scoreScenario(scenario, placed, opened) };
}

type MissKind = 'a: ambiguous from its alerts' | 'b: unrelated alert merged in' | 'c: root chosen wrongly' | 'd: grouping split';

/**
 * Why a failure's incident names the wrong root. The root the rules name from the
 * failure's own alerting CIs alone (perfect grouping) separates failures their alerts
 * cannot identify (a: typically a silent CI with one alerting dependant, which explains
 * everything as well with a smaller blast radius) from grouping errors (b, d) and wrong
 * choices among the right alerts (c).
 */
function classifyMisses({ scenario, topology, states }: Replayed): Array<{ group: string; kind: MissKind; detail: string }> {
  const cache = new UpstreamCache(topology);
  const keyOf = (id: string | null) => (id ? (topology.ciById(id)?.key ?? id) : 'none');
  const rootOf = (cis: Map<string, number>) => {
    const candidates: RootCandidates = new Map();
    for (const [id, at] of cis) addToCandidates(candidates, cache.get(id), id, at);
    return keyOf(chooseRoot(candidates, cis.size, cache, defaultCorrelationOptions)?.id ?? null);
  };
  // Alerting CI → its first event time, for some alerts.
  const alertingCis = (list: Array<{ state: AlertState }>) => {
    const cis = new Map<string, number>();
    for (const { state } of list) if (state.ciId) cis.set(state.ciId, Math.min(cis.get(state.ciId) ?? Infinity, state.startsAt));
    return cis;
  };
  const byGroup = new Map<string, Array<{ state: AlertState; group: string }>>();
  const byIncident = new Map<IncidentState, Array<{ state: AlertState; group: string }>>();
  for (const [key, state] of states) {
    const entry = { state, group: scenario.truth.get(key)?.group ?? 'unknown' };
    byGroup.set(entry.group, [...(byGroup.get(entry.group) ?? []), entry]);
    const incident = state.incident as IncidentState;
    byIncident.set(incident, [...(byIncident.get(incident) ?? []), entry]);
  }
  const truthRoot = new Map<string, string | null>();
  for (const t of scenario.truth.values()) truthRoot.set(t.group, t.rootKey);
  const misses: Array<{ group: string; kind: MissKind; detail: string }> = [];
  for (const [group, entries] of byGroup) {
    const root = truthRoot.get(group);
    if (!root) continue;
    // The incident holding most of the failure's alerts, as scoreScenario picks it.
    const votes = new Map<IncidentState, number>();
    for (const { state } of entries) votes.set(state.incident as IncidentState, (votes.get(state.incident as IncidentState) ?? 0) + 1);
    const incident = [...votes.entries()].sort((a, b) => b[1] - a[1])[0][0];
    if (incident.rootCiKey === root) continue;
    const own = alertingCis(entries);
    const inIncident = byIncident.get(incident) ?? [];
    const foreign = inIncident.filter((e) => e.group !== group);
    const kind: MissKind = rootOf(own) !== root ? 'a: ambiguous from its alerts'
      : rootOf(alertingCis(inIncident.filter((e) => e.group === group))) !== root ? 'd: grouping split'
      : foreign.length > 0 ? 'b: unrelated alert merged in'
      : 'c: root chosen wrongly';
    const fits = [root, incident.rootCiKey].map((key) => {
      const id = topology.ciByKey(key ?? '')?.id ?? '';
      const value = incident.candidates?.get(id);
      if (!value) return `${key} explains none`;
      const impact = cache.impactSize(id);
      return `${key} explains ${value.explained}, impacts ${impact}, ${originOf(value, defaultCorrelationOptions)}, fit ${fitOf(value, impact, incident.cis.size, defaultCorrelationOptions).toFixed(1)}`;
    });
    const detail = `truth ${root}${own.has(`id-${root}`) ? '' : ' (silent)'}, named ${incident.rootCiKey}; own CIs ${[...own.keys()].map(keyOf).join(',')}` +
      (votes.size > 1 ? `; split over ${votes.size} incidents` : '') +
      (foreign.length > 0 ? `; foreign ${[...new Set(foreign.map((e) => `${e.group}@${keyOf(e.state.ciId)}`))].join(',')}` : '') +
      `; ${fits.join(' vs ')} of ${incident.cis.size} alerting CIs`;
    misses.push({ group, kind, detail });
  }
  return misses;
}

/** DEBUG_GROUP=variant:seed:group prints the alerts of one failure and of the incidents they ended in. */
function traceGroup({ scenario, topology, states, reasons }: Replayed, group: string): void {
  const incidents = new Set([...states].filter(([key]) => scenario.truth.get(key)?.group === group).map(([, s]) => s.incident));
  const rows = [...states].filter(([key, s]) => scenario.truth.get(key)?.group === group || incidents.has(s.incident)).sort((a, b) => a[1].startsAt - b[1].startsAt);
  const t0 = rows[0]?.[1].startsAt ?? 0;
  const rootKey = [...scenario.truth.values()].find((t) => t.group === group)?.rootKey ?? '';
  const below = topology.impacted(topology.ciByKey(rootKey)?.id ?? '').map((r) => `${topology.ciById(r.id)?.key}@${r.distance}`);
  console.log(`  ${group}: failed CI ${rootKey}, impacts ${below.join(' ')}`);
  for (const [key, s] of rows) {
    const reason = reasons.get(key);
    console.log(`  +${Math.round((s.startsAt - t0) / 1000)}s ${scenario.truth.get(key)?.group} ${s.ciId ? topology.ciById(s.ciId)?.key : 'unmapped'}: ` +
      `${reason?.rule}${reason?.via ? ` via ${reason.via}` : ''} (root ${reason?.relatedCi}); finally ${s.incident?.id.slice(-4)} root ${s.incident?.rootCiKey}`);
  }
}

const seedsFrom = (count: number) => (process.env.CORRELATION_SEEDS ? process.env.CORRELATION_SEEDS.split(',').map(Number) : Array.from({ length: count }, (_, i) => i + 1));
const seeds = seedsFrom(20);

/**
 * Replays every seed and prints the figures the issue asks for. Per seed: F1 ≥ 0.95, and
 * root-cause top-1 ≥ 0.90 over the failures their own alerts identify (class a excluded:
 * no rule can name a silent CI whose single alerting dependant explains everything).
 */
function runSeeds(variant: Variant, expected: { accuracy: number }, seedList = seeds) {
  const totals = { f1: 0, correct: 0, failures: 0, ambiguous: 0, deliveries: 0, incidents: 0, untrue: 0 };
  const missKinds = new Map<string, number>();
  for (const seed of seedList) {
    const replayed = replay(seed, variant);
    const { score } = replayed;
    const misses = classifyMisses(replayed);
    const ambiguous = misses.filter((m) => m.kind.startsWith('a')).length;
    const correct = Math.round(score.rootAccuracy * score.failures);
    console.log(`${variant} seed ${seed}: F1 ${score.f1.toFixed(3)} (P ${score.precision.toFixed(3)} R ${score.recall.toFixed(3)}), root-cause top-1 ${score.rootAccuracy.toFixed(3)} over ${score.failures} failures (${ambiguous} ambiguous from their alerts), ${score.deliveries} firing deliveries → ${score.incidents} incidents (noise reduction ${(100 * score.noiseReduction).toFixed(1)}%)`);
    for (const miss of misses) missKinds.set(miss.kind, (missKinds.get(miss.kind) ?? 0) + 1);
    if (process.env.DEBUG_CORRELATION) for (const miss of misses) console.log(`  miss ${miss.group} [${miss.kind}] ${miss.detail}`);
    const [traceVariant, traceSeed, traceName] = (process.env.DEBUG_GROUP ?? '').split(':');
    if (traceVariant === variant && Number(traceSeed) === seed) traceGroup(replayed, traceName);
    expect.soft(score.f1, `${variant} seed ${seed}: F1`).toBeGreaterThanOrEqual(0.95);
    expect.soft(correct / (score.failures - ambiguous), `${variant} seed ${seed}: root cause over identifiable failures`).toBeGreaterThanOrEqual(0.9);
    totals.f1 += score.f1 / seedList.length;
    totals.correct += correct;
    totals.failures += score.failures;
    totals.ambiguous += ambiguous;
    totals.deliveries += score.deliveries;
    totals.incidents += score.incidents;
    totals.untrue += replayed.untrueReasons;
  }
  const accuracy = totals.correct / totals.failures;
  console.log(`${variant}, ${seedList.length} seeds: mean F1 ${totals.f1.toFixed(3)}, root-cause top-1 ${accuracy.toFixed(3)} (${totals.correct}/${totals.failures}; ${totals.ambiguous} ambiguous from their alerts), ${totals.deliveries} firing deliveries → ${totals.incidents} incidents`);
  console.log(`${variant} misses by kind`, Object.fromEntries([...missKinds].sort()), `reasons not matching the final root: ${totals.untrue}`);
  expect(totals.f1).toBeGreaterThanOrEqual(0.98);
  expect(accuracy).toBeGreaterThanOrEqual(expected.accuracy);
}

describe('correlation on generated failure scenarios (in-memory topology)', () => {
  it(`groups alerts and names root causes on the classic infrastructure over ${seeds.length} seeds`, () => {
    runSeeds('classic', { accuracy: 0.94 });
  });

  it(`groups alerts and names root causes on varied infrastructures over ${seeds.length} seeds`, () => {
    // More sites of different shapes, clusters, shared applications, varied alerting rates and
    // overlapping failures in the same site: more failures are ambiguous from their alerts.
    runSeeds('varied', { accuracy: 0.88 });
  });

  it(`groups alerts and names root causes on deep infrastructures from a second generator over ${seeds.length} seeds`, () => {
    // Written apart from the first generator (testing/deep-scenario-generator.ts), so that the
    // rules are checked on shapes they were not developed on. Any CI may fail, a third of
    // failures are silent and as few as a fifth of the blast radius alerts: about one failure
    // in seven is ambiguous from its alerts, which caps top-1 accuracy near 0.86.
    runSeeds('deep', { accuracy: 0.85 });
  });

  it(`groups alerts and names root causes when deliveries arrive up to 15 minutes out of event-time order over ${seeds.length} seeds`, () => {
    // Correlation runs on event time, so arrival order must not matter much (a replayed day
    // correlates as it happened); Alertmanager delays a group's notification up to its group_interval.
    runSeeds('deep-delayed', { accuracy: 0.85 });
  });

  const largeSeeds = seedsFrom(3);
  it(`groups alerts and names root causes on large deep infrastructures (14–18 sites, 250 failures a day) over ${largeSeeds.length} seeds`, () => {
    // 740–980 CIs and several failures alerting at any time, in unrelated parts of the graph.
    runSeeds('deep-large', { accuracy: 0.83 }, largeSeeds);
  });
});
