import type { CorrelationOptions, IncidentState, RootCandidate, RootCandidates } from './correlation-state.js';
import type { TopologyView } from './topology.js';

/** Upstream closures (CI → its causes with distances), cached until the CMDB changes. */
export class UpstreamCache {
  private readonly ups = new Map<string, Map<string, number>>();
  private readonly impactSizes = new Map<string, number>();

  constructor(private readonly topology: TopologyView) {}

  get(ciId: string): Map<string, number> {
    let map = this.ups.get(ciId);
    if (!map) {
      map = new Map(this.topology.dependencies(ciId).map((reach) => [reach.id, reach.distance]));
      this.ups.set(ciId, map);
    }
    return map;
  }

  impactSize(ciId: string): number {
    let size = this.impactSizes.get(ciId);
    if (size === undefined) {
      size = this.topology.impacted(ciId).length;
      this.impactSizes.set(ciId, size);
    }
    return size;
  }

  clear(): void {
    this.ups.clear();
    this.impactSizes.clear();
  }
}

/** The scoring settings of `CorrelationOptions` (docs/adr/0005, "Root cause"). */
export type RootScoring = Pick<CorrelationOptions, 'unrelatedAlertCost' | 'silentRootCost' | 'lateRootCost' | 'rootLeadMs'>;

export const emptyCandidate = (): RootCandidate => ({ explained: 0, max: 0, sum: 0, own: Infinity, first: Infinity });

/**
 * Counts one more alerting CI (first alert at `at`) for every CI that could be the root: the
 * CI itself and everything upstream of it. Costs the size of its upstream closure.
 */
export function addToCandidates(candidates: RootCandidates, upstream: Map<string, number>, ciId: string, at: number): void {
  let self = candidates.get(ciId);
  if (!self) candidates.set(ciId, (self = emptyCandidate()));
  countAlert(self, 0, at);
  for (const [u, d] of upstream) {
    let value = candidates.get(u);
    if (!value) candidates.set(u, (value = emptyCandidate()));
    countAlert(value, d, at);
  }
}

/** Adds to `value` an alerting CI `distance` hops below it (0: the candidate itself) whose first alert is at `at`. */
export function countAlert(value: RootCandidate, distance: number, at: number): void {
  value.explained++;
  if (distance === 0) {
    value.own = Math.min(value.own, at);
    return;
  }
  if (distance > value.max) value.max = distance;
  value.sum += distance;
  if (at < value.first) value.first = at;
}

/** `into` set to `a` and `b` counted together (`b` absent: a copy of `a`). */
export function combine(into: RootCandidate, a: RootCandidate | undefined, b?: RootCandidate): RootCandidate {
  into.explained = (a?.explained ?? 0) + (b?.explained ?? 0);
  into.max = Math.max(a?.max ?? 0, b?.max ?? 0);
  into.sum = (a?.sum ?? 0) + (b?.sum ?? 0);
  into.own = Math.min(a?.own ?? Infinity, b?.own ?? Infinity);
  into.first = Math.min(a?.first ?? Infinity, b?.first ?? Infinity);
  return into;
}

/** `fitOf` for `u` as the root of several incidents' alerting CIs together (a CI alerting in two counts once). */
export function unionFit(incidents: IncidentState[], u: string, impact: number, cache: UpstreamCache, scoring: RootScoring): number {
  const value = emptyCandidate();
  let alerting = 0;
  for (const incident of incidents) {
    combine(value, value, incident.candidates?.get(u));
    alerting += incident.cis.size;
  }
  const [first, ...others] = incidents;
  for (const other of others) {
    const [small, large] = first.cis.size <= other.cis.size ? [first, other] : [other, first];
    for (const ciId of small.cis.keys()) {
      if (!large.cis.has(ciId)) continue;
      alerting--;
      if (ciId === u || cache.get(ciId).has(u)) value.explained--;
    }
  }
  return fitOf(value, impact, alerting, scoring);
}

type Origin = 'first' | 'silent' | 'late';

/** Of the alerting CIs a candidate explains, those it impacts: all but itself when it alerted. */
const alertedBelow = (explained: number, origin: Origin) => explained - (origin === 'silent' ? 0 : 1);

/** Failures alert first at the failed CI: did the candidate alert, and no later than the CIs it impacts? */
export function originOf(value: RootCandidate, scoring: RootScoring): Origin {
  if (value.own === Infinity) return 'silent';
  return value.own <= value.first + scoring.rootLeadMs ? 'first' : 'late';
}

/**
 * How likely one failure of the candidate makes the incident's `alerting` CIs alert, as a
 * log-likelihood: the CIs it impacts alert at the share observed (`k` of `impact`; more
 * quiet CIs, lower score), every alerting CI outside its impact counts as a separate
 * problem, and a candidate that did not alert first pays for it. Among candidates that
 * explain every alert with the same origin, fewer impacted CIs always score higher.
 */
export function fitOf(value: RootCandidate, impact: number, alerting: number, scoring: RootScoring): number {
  const origin = originOf(value, scoring);
  const k = alertedBelow(value.explained, origin);
  let fit = 0;
  if (k > 0 && k < impact) fit = k * Math.log(k / impact) + (impact - k) * Math.log(1 - k / impact);
  fit -= (alerting - value.explained) * scoring.unrelatedAlertCost;
  if (origin === 'silent') fit -= scoring.silentRootCost;
  if (origin === 'late') fit -= scoring.lateRootCost;
  return fit;
}

export interface RootChoice {
  id: string;
  /** Alerting CIs its failure explains, itself included. */
  explained: number;
  /** CIs its failure impacts, itself excluded. */
  impact: number;
  origin: Origin;
  /** `fitOf`: its log-likelihood as the single failure behind the alerting CIs. */
  fit: number;
}

/** Better root first: higher fit, then closer to its farthest alerting CI, then closer on average. */
function ranksBefore(fit: number, value: RootCandidate, otherFit: number, other: RootCandidate): boolean {
  return fit > otherFit || (fit === otherFit && (value.max < other.max || (value.max === other.max && value.sum < other.sum)));
}

/**
 * The `limit` likeliest single failures behind the incident's alerting CIs, best first
 * (`fitOf`, then the closest to its farthest alerting CI, then the closest on average). Hop
 * counts alone mislead where CIs have several parents: a switch can be as close to a host as
 * the storage array the host also depends on.
 */
export function rankRoots(candidates: RootCandidates | null, alerting: number, cache: UpstreamCache, scoring: RootScoring, limit: number): RootChoice[] {
  if (!candidates) return [];
  const top: Array<{ id: string; value: RootCandidate; fit: number }> = [];
  for (const [u, value] of candidates) {
    const fit = fitOf(value, cache.impactSize(u), alerting, scoring);
    if (top.length === limit && !ranksBefore(fit, value, top[limit - 1].fit, top[limit - 1].value)) continue;
    let at = top.length;
    while (at > 0 && ranksBefore(fit, value, top[at - 1].fit, top[at - 1].value)) at--;
    top.splice(at, 0, { id: u, value, fit });
    if (top.length > limit) top.pop();
  }
  return top.map(({ id, value, fit }) => ({ id, explained: value.explained, impact: cache.impactSize(id), origin: originOf(value, scoring), fit }));
}

/** The likeliest single failure behind the incident's alerting CIs (`rankRoots`). */
export function chooseRoot(candidates: RootCandidates | null, alerting: number, cache: UpstreamCache, scoring: RootScoring): RootChoice | null {
  return rankRoots(candidates, alerting, cache, scoring, 1)[0] ?? null;
}

const originText = (origin: Origin, leadMs: number) => ({
  first: `It alerted itself, before the CIs it impacts or within ${Math.round(leadMs / 1000)} s of the first of them.`,
  silent: 'It sent no alert itself.',
  late: `It alerted itself more than ${Math.round(leadMs / 1000)} s after a CI it impacts, which counts against it.`,
})[origin];

/** The root's explanation stored with the incident: what it explains, how much of its impact alerted, when it alerted. */
export function explainRoot(incident: IncidentState, root: RootChoice | null, topology: TopologyView, scoring: RootScoring): string {
  if (!root) return 'no CI: the alerts are unmapped and grouped by time and shared labels';
  const key = topology.ciById(root.id)?.key ?? root.id;
  const alerting = incident.cis.size;
  const below = alertedBelow(root.explained, root.origin);
  const share = root.impact > 0 ? ` ${below} of the ${root.impact} CIs it impacts alerted (${Math.round((100 * below) / root.impact)}%).` : '';
  const explained = root.explained === alerting ? `all ${alerting} alerting CI(s)` : `${root.explained} of the ${alerting} alerting CI(s)`;
  const separate = root.explained === alerting ? ''
    : ` The other ${alerting - root.explained} alerting CI(s) are outside its impact and count as separate problems: no candidate explaining them too fits better.`;
  return `${key} is the likeliest single failure: it impacts ${explained}.${share} ${originText(root.origin, scoring.rootLeadMs)}${separate}`;
}

/** One line on a runner-up root cause: what its failure would explain and whether it alerted. */
export function explainAlternative(choice: RootChoice, alerting: number): string {
  const below = alertedBelow(choice.explained, choice.origin);
  const share = choice.impact > 0 ? `; ${below} of the ${choice.impact} CIs it impacts alerted` : '';
  const origin = { first: 'it alerted first', silent: 'it sent no alert', late: 'it alerted after a CI it impacts' }[choice.origin];
  const separate = choice.explained === alerting ? '' : ` (the other ${alerting - choice.explained} as separate problems)`;
  return `explains ${choice.explained === alerting ? 'all' : `${choice.explained} of the`} ${alerting} alerting CI(s)${separate}${share}; ${origin}`;
}

/**
 * CI keys from `root` down to `ciId`, one nearest direct cause at a time from the cached
 * upstream closures (no graph search per alert); the topology's own search when the root
 * does not explain the CI.
 */
export function pathFromRoot(root: string, ciId: string, cache: UpstreamCache, topology: TopologyView): string[] {
  const keyOf = (id: string) => topology.ciById(id)?.key ?? id;
  const hops = root === ciId ? 0 : cache.get(ciId).get(root);
  if (hops === undefined) return (topology.pathBetween(root, ciId) ?? []).map(keyOf);
  const path = [keyOf(ciId)];
  for (let current = ciId, d = hops; d > 0; d--) {
    let next: string | null = null;
    const causes = cache.get(current);
    for (const cause of causes.keys()) {
      if (causes.get(cause) === 1 && (cause === root ? 0 : cache.get(cause).get(root)) === d - 1) {
        next = cause;
        break;
      }
    }
    if (!next) return (topology.pathBetween(root, ciId) ?? []).map(keyOf);
    path.push(keyOf(next));
    current = next;
  }
  return path.reverse();
}
