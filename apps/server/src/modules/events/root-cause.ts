import type { IncidentState, RootCandidates } from './correlation-state.js';
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

/**
 * Keeps the candidates that explain every alerting CI so far: the CI itself or anything
 * upstream of it. When a CI cannot be explained together with the others the previous
 * candidates stay (the root explains most alerts rather than none).
 */
export function intersectCandidates(previous: RootCandidates | null, upstream: Map<string, number>, ciId: string): RootCandidates {
  const distanceTo = (u: string) => (u === ciId ? 0 : upstream.get(u));
  if (!previous) {
    const seed: RootCandidates = new Map([[ciId, { max: 0, sum: 0 }]]);
    for (const [u, d] of upstream) seed.set(u, { max: d, sum: d });
    return seed;
  }
  const next: RootCandidates = new Map();
  for (const [u, value] of previous) {
    const d = distanceTo(u);
    if (d !== undefined) next.set(u, { max: Math.max(value.max, d), sum: value.sum + d });
  }
  return next.size > 0 ? next : previous;
}

/**
 * The most specific common cause: among the CIs whose impact contains every alerting CI,
 * the one impacting the fewest CIs (the likeliest single failure to produce exactly these
 * alerts), then the closest to its farthest alerting CI, then the closest on average.
 * Hop counts alone mislead where CIs have several parents: a switch can be as close to a
 * host as the storage array the host also depends on.
 */
export function chooseRoot(candidates: RootCandidates | null, cache: UpstreamCache): string | null {
  if (!candidates) return null;
  let best: string | null = null;
  let bestImpact = Infinity;
  let bestMax = Infinity;
  let bestSum = Infinity;
  for (const [u, value] of candidates) {
    const impact = cache.impactSize(u);
    const better = impact < bestImpact || (impact === bestImpact && (value.max < bestMax || (value.max === bestMax && value.sum < bestSum)));
    if (!better) continue;
    best = u;
    bestImpact = impact;
    bestMax = value.max;
    bestSum = value.sum;
  }
  return best;
}

export function explainRoot(incident: IncidentState, topology: TopologyView): string {
  const root = incident.rootCiId;
  if (!root) return 'no CI: the alerts are unmapped and grouped by time and shared labels';
  const ci = topology.ciById(root);
  const upstreamOf = new Set(topology.impacted(root).map((reach) => reach.id));
  const explained = [...incident.cis.keys()].filter((id) => id === root || upstreamOf.has(id)).length;
  const silent = incident.cis.has(root) ? '' : ' It sent no alert itself.';
  const all = explained === incident.cis.size ? `all ${explained}` : `${explained} of ${incident.cis.size}`;
  return `${ci?.key ?? root} is the most specific CI whose failure impacts ${all} alerting CI(s)` +
    ` (it impacts ${upstreamOf.size} CIs in all).${silent}`;
}

