import type { AlertSeverity } from '@opsloom/api';
import { newId } from '../../platform/ids.js';
import { truncate } from '../../platform/text.js';
import {
  type AlertReason,
  type AlertState,
  type CorrelationOptions,
  defaultCorrelationOptions,
  type IncidentState,
  type RootCandidate,
  type RootCandidates,
  severityRank,
} from './correlation-state.js';
import { addToCandidates, combine, countAlert, emptyCandidate, explainAlternative, explainRoot, fitOf, pathFromRoot, rankRoots, unionFit, UpstreamCache } from './root-cause.js';
import type { CiInfo, TopologyView } from './topology.js';

/** Runner-up roots kept with an incident, and how likely at least, relative to the root, to be shown. */
const ROOT_ALTERNATIVES = 3;
const MIN_ALTERNATIVE_LIKELIHOOD = 0.01;
/** How late (in event time) an alert may arrive and still find every incident it could join. */
const LATE_DELIVERY_MS = 60 * 60_000;

export interface CorrelationInput {
  ci: CiInfo | null;
  labels: Record<string, string>;
  eventAt: number;
  severity: AlertSeverity;
  summary: string;
  integrationId: string;
  integrationTeamId: string | null;
}

export interface CorrelationResult {
  incident: IncidentState;
  reason: AlertReason;
  /** Incidents folded into `incident` because one failure explains both (`mergeRelated`). */
  merged: IncidentState[];
}

interface Match {
  incident: IncidentState;
  rule: AlertReason['rule'];
  score: number;
  via: string;
}

// Label keys that name "the same thing" for alerts no CI explains, most specific first.
const groupingLabels = ['service', 'job', 'alertname'] as const;

/**
 * Groups alerts into incidents by event time and topology, with one readable rule per
 * decision (docs/adr/0005). Pure memory: the pipeline persists what it changes.
 */
export class Correlator {
  readonly open = new Map<string, IncidentState>();
  /** Upstream CI u → open incidents whose root is u or below u, with the distance u→root. */
  private readonly byAncestor = new Map<string, Map<IncidentState, number>>();
  private readonly byLabel = new Map<string, Set<IncidentState>>();
  private readonly upstream: UpstreamCache;
  /** Reused to score "the incident if this alert joined" without allocating per alert. */
  private readonly scratch = emptyCandidate();
  private nextNumber: number;

  constructor(
    private readonly topology: TopologyView,
    firstNumber: number,
    readonly options: CorrelationOptions = defaultCorrelationOptions,
  ) {
    this.nextNumber = firstNumber;
    this.upstream = new UpstreamCache(topology);
    topology.onChange(() => this.upstream.clear());
  }

  correlate(input: CorrelationInput): CorrelationResult {
    const match = input.ci ? this.matchByTopology(input.ci, input.eventAt) : this.matchByLabels(input.labels, input.eventAt);
    if (!match) {
      const incident = this.openIncident(input);
      const reason: AlertReason = { rule: 'opened', path: [], relatedCi: null, gapSeconds: 0, ci: input.ci?.key ?? null, via: null };
      return { incident, reason, merged: this.mergeRelated(incident, input.eventAt) };
    }
    const { incident } = match;
    const gapSeconds = Math.round(Math.abs(input.eventAt - incident.lastAlertAt) / 1000);
    const newCi = this.addAlertTo(incident, input);
    // Only a new alerting CI changes how well the incidents are explained.
    const merged = newCi ? this.mergeRelated(incident, input.eventAt) : [];
    return { incident, reason: this.describe(match, input.ci, gapSeconds), merged };
  }

  /** An alert left its incident by resolving; the incident resolves with its last alert. */
  release(alert: AlertState, at: number): IncidentState | null {
    const incident = alert.incident;
    if (!incident) return null;
    incident.alerts.delete(alert);
    incident.dirty = true;
    if (incident.alerts.size === 0 && this.options.autoResolve && incident.status === 'open') {
      incident.status = 'resolved';
      incident.resolvedAt = at;
      this.forget(incident);
      return incident;
    }
    return null;
  }

  /**
   * Someone resolved an open incident. Its firing alerts stay with it (they resolve into it
   * later without reopening it); new alerts no longer join it.
   */
  resolveByHand(incidentId: string, at: number): IncidentState | null {
    const incident = this.open.get(incidentId);
    if (!incident || incident.status !== 'open') return null;
    incident.status = 'resolved';
    incident.resolvedAt = at;
    incident.dirty = true;
    this.forget(incident);
    return incident;
  }

  /**
   * Puts back an incident loaded from storage after a restart, with each alerting CI's first
   * alert time (those missing count as the incident's start), and indexes it as before.
   */
  restore(incident: IncidentState, firstAlertAt: Map<string, number> = new Map()): void {
    this.nextNumber = Math.max(this.nextNumber, incident.number + 1);
    if (incident.status !== 'open') return;
    this.open.set(incident.id, incident);
    incident.candidates = new Map();
    for (const ciId of incident.cis.keys()) addToCandidates(incident.candidates, this.upstream.get(ciId), ciId, firstAlertAt.get(ciId) ?? incident.startedAt);
    this.index(incident);
    for (const key of incident.labelKeys) this.indexLabel(incident, key);
  }

  private matchByTopology(ci: CiInfo, at: number): Match | null {
    let best: Match | null = null;
    const { maxCommonHops, maxCommonPath, maxSilentRootImpact } = this.options;
    const consider = (incident: IncidentState, rule: AlertReason['rule'], score: number, via: string) => {
      if (best && (score > best.score || (score === best.score && incident.lastAlertAt <= best.incident.lastAlertAt))) return;
      best = { incident, rule, score, via };
    };
    const climb = (u: string, dc: number) => {
      const incidents = this.byAncestor.get(u);
      if (!incidents) return;
      // forEach, not for-of: the [key, value] pair for-of makes per entry was a measurable share of a storm's garbage.
      incidents.forEach((dr, incident) => {
        if (!this.inWindow(incident, at)) return;
        if (dc === 0 && dr === 0) consider(incident, incident.cis.has(ci.id) ? 'same_ci' : 'explained_by_root', 0, u);
        else if (dr === 0) consider(incident, 'explained_by_root', dc, u);
        else if (dc === 0) {
          if (this.explainsBetter(incident, u, ci, at)) consider(incident, 'upstream_of_root', dr, u);
        } else if (dc <= maxCommonHops && dr <= maxCommonHops && dc + dr <= maxCommonPath && this.upstream.impactSize(u) <= maxSilentRootImpact && this.explainsBetter(incident, u, ci, at)) {
          // A silent common cause costs more than a direct explanation of the same length.
          consider(incident, 'common_upstream', dc + dr + 0.5, u);
        }
      });
    };
    climb(ci.id, 0);
    this.upstream.get(ci.id).forEach((dc, u) => climb(u, dc));
    return best;
  }

  /**
   * Whether one failure of `u` accounts for the incident's alerting CIs plus `ci` at least
   * as well as the current root does with `ci` left out as a separate problem (`fitOf`):
   * one unrelated alert does not drag a well-explained incident to a large, quiet CI.
   */
  private explainsBetter(incident: IncidentState, u: string, ci: CiInfo, at: number): boolean {
    const root = incident.rootCiId;
    if (!root || !incident.candidates) return true;
    const isNew = !incident.cis.has(ci.id);
    const alerting = incident.cis.size + (isNew ? 1 : 0);
    const value = combine(this.scratch, incident.candidates.get(u));
    if (isNew) countAlert(value, u === ci.id ? 0 : (this.upstream.get(ci.id).get(u) ?? 0), at);
    return fitOf(value, this.upstream.impactSize(u), alerting, this.options) >= this.fit(incident, alerting);
  }

  private matchByLabels(labels: Record<string, string>, at: number): Match | null {
    for (const name of groupingLabels) {
      const value = labels[name];
      if (!value) continue;
      let best: IncidentState | null = null;
      for (const incident of this.byLabel.get(`${name}=${value}`) ?? []) {
        if (this.inWindow(incident, at) && (!best || incident.lastAlertAt > best.lastAlertAt)) best = incident;
      }
      if (best) return { incident: best, rule: 'shared_labels', score: 0, via: `${name}=${value}` };
    }
    return null;
  }

  private inWindow(incident: IncidentState, at: number): boolean {
    return (
      incident.status === 'open' &&
      at <= incident.lastAlertAt + this.options.windowMs &&
      at <= incident.startedAt + this.options.maxSpanMs &&
      at >= incident.startedAt - this.options.windowMs
    );
  }

  private openIncident(input: CorrelationInput): IncidentState {
    const incident: IncidentState = {
      id: newId(), number: this.nextNumber++, status: 'open', title: truncate(input.summary, 300), firstSummary: input.summary,
      rootCiId: null, rootCiKey: null, storedRootCiKey: null, rootExplanation: '', rootAlternatives: [], candidates: null, cis: new Map(), labelKeys: new Set(), storedCis: 0, storedLabels: 0, nextPosition: 0, alerts: new Set(),
      alertCount: 0, severity: 0, teamId: input.integrationTeamId, fallbackTeamId: input.integrationTeamId, integrationId: input.integrationId,
      startedAt: input.eventAt, lastAlertAt: input.eventAt, createdAt: Date.now(), resolvedAt: null, mergedInto: null, isNew: true, dirty: true,
    };
    this.open.set(incident.id, incident);
    this.addAlertTo(incident, input);
    return incident;
  }

  /** Adds the alert; true when its CI is new to the incident (the root was re-evaluated). */
  private addAlertTo(incident: IncidentState, input: CorrelationInput): boolean {
    incident.alertCount++;
    incident.severity = Math.max(incident.severity, severityRank[input.severity]);
    incident.startedAt = Math.min(incident.startedAt, input.eventAt);
    incident.lastAlertAt = Math.max(incident.lastAlertAt, input.eventAt);
    incident.dirty = true;
    if (input.ci && !incident.cis.has(input.ci.id)) {
      incident.cis.set(input.ci.id, input.ci.key);
      addToCandidates((incident.candidates ??= new Map<string, RootCandidate>()), this.upstream.get(input.ci.id), input.ci.id, input.eventAt);
      this.reroot(incident);
      return true;
    }
    if (!input.ci) {
      for (const name of groupingLabels) {
        const value = input.labels[name];
        if (value && !incident.labelKeys.has(`${name}=${value}`)) {
          incident.labelKeys.add(`${name}=${value}`);
          this.indexLabel(incident, `${name}=${value}`);
        }
      }
    }
    return false;
  }

  /** Recomputes the root cause and re-indexes the incident under its new ancestors. */
  private reroot(incident: IncidentState): void {
    const [choice, ...runnersUp] = rankRoots(incident.candidates, incident.cis.size, this.upstream, this.options, 1 + ROOT_ALTERNATIVES);
    if (!choice) return;
    // The explanation counts the alerting CIs, so it is rewritten even when the root stays.
    incident.rootExplanation = explainRoot(incident, choice, this.topology, this.options);
    incident.rootAlternatives = runnersUp
      .map((other) => ({ other, relativeLikelihood: Math.round(1000 * Math.exp(other.fit - choice.fit)) / 1000 }))
      .filter(({ relativeLikelihood }) => relativeLikelihood >= MIN_ALTERNATIVE_LIKELIHOOD)
      .map(({ other, relativeLikelihood }) => ({
        ciId: other.id, ciKey: this.topology.ciById(other.id)?.key ?? other.id, relativeLikelihood, explanation: explainAlternative(other, incident.cis.size),
      }));
    if (choice.id === incident.rootCiId) return;
    this.unindex(incident);
    const ci = this.topology.ciById(choice.id);
    incident.rootCiId = choice.id;
    incident.rootCiKey = ci?.key ?? choice.id;
    incident.teamId = ci?.teamId ?? incident.fallbackTeamId;
    incident.title = `${truncate(incident.firstSummary, 200)} (root cause: ${ci?.name ?? choice.id})`;
    this.index(incident);
  }

  /** `fitOf` of the incident's root over its alerting CIs (or `alerting` of them). */
  private fit(incident: IncidentState, alerting = incident.cis.size): number {
    const root = incident.rootCiId;
    const value = root ? incident.candidates?.get(root) : undefined;
    return root && value ? fitOf(value, this.upstream.impactSize(root), alerting, this.options) : 0;
  }

  /** Folds into `target` every open incident that one failure explains together with it (`bestMerge`). */
  private mergeRelated(target: IncidentState, at: number): IncidentState[] {
    const merged: IncidentState[] = [];
    for (let others = this.bestMerge(target, at); others; others = this.bestMerge(target, at)) {
      for (const other of others) this.mergeInto(target, other, at);
      merged.push(...others);
    }
    return merged;
  }

  /**
   * Incidents one failure explains together with `target` better than separate failures
   * would: for each CI `u` explaining as many of `target`'s alerting CIs as its root does
   * (at most `maxCommonHops` farther from them), the open incidents rooted at most
   * `maxCommonHops + 2` below `u`, one of them or all (a silent failure's alerts often open
   * one incident per branch) — whichever raises `fitOf` most over the incidents' own fits
   * less the cost of one separate problem per extra incident.
   */
  private bestMerge(target: IncidentState, at: number): IncidentState[] | null {
    const root = target.rootCiId;
    const rootValue = root ? target.candidates?.get(root) : undefined;
    if (!root || !rootValue || !target.candidates) return null;
    const { maxCommonHops, maxSilentRootImpact, unrelatedAlertCost } = this.options;
    const targetFit = this.fit(target);
    let best: IncidentState[] | null = null;
    let bestGain = 0;
    const consider = (group: IncidentState[], u: string, impact: number, separate: number) => {
      const gain = unionFit([target, ...group], u, impact, this.upstream, this.options) - separate;
      if (gain > bestGain || (gain === 0 && !best)) {
        best = group;
        bestGain = gain;
      }
    };
    for (const [u, value] of target.candidates) {
      if (value.explained < rootValue.explained || value.max > rootValue.max + maxCommonHops) continue;
      const incidents = this.byAncestor.get(u);
      if (!incidents) continue;
      const impact = this.upstream.impactSize(u);
      if (u !== root && impact > maxSilentRootImpact) continue;
      const group: IncidentState[] = [];
      let separate = targetFit;
      for (const [other, dr] of incidents) {
        if (other === target || dr > maxCommonHops + 2 || !this.inWindow(other, at)) continue;
        const otherFit = this.fit(other) - unrelatedAlertCost;
        consider([other], u, impact, targetFit + otherFit);
        group.push(other);
        separate += otherFit;
      }
      if (group.length > 1) consider(group, u, impact, separate);
    }
    return best;
  }

  private mergeInto(target: IncidentState, other: IncidentState, at: number): void {
    this.forget(other);
    for (const alert of other.alerts) {
      alert.incident = target;
      target.alerts.add(alert);
    }
    for (const [ciId, key] of other.cis) {
      if (target.cis.has(ciId)) continue;
      target.cis.set(ciId, key);
      addToCandidates((target.candidates ??= new Map<string, RootCandidate>()), this.upstream.get(ciId), ciId, other.candidates?.get(ciId)?.own ?? other.startedAt);
    }
    target.alertCount += other.alertCount;
    target.severity = Math.max(target.severity, other.severity);
    target.startedAt = Math.min(target.startedAt, other.startedAt);
    target.lastAlertAt = Math.max(target.lastAlertAt, other.lastAlertAt);
    target.dirty = true;
    other.status = 'resolved';
    other.mergedInto = target.id;
    other.resolvedAt = at;
    other.alerts = new Set();
    other.dirty = true;
    this.reroot(target);
  }

  private pathFromRoot(incident: IncidentState, ci: CiInfo | null): string[] {
    return ci && incident.rootCiId ? pathFromRoot(incident.rootCiId, ci.id, this.upstream, this.topology) : [];
  }

  /**
   * The stored reason, said of the incident as the alert left it (merges included): an
   * alert that was to become the root but did not is explained by the root chosen instead,
   * and the common upstream CI named is the root when the root explains the alert.
   */
  private describe(match: Match, ci: CiInfo | null, gapSeconds: number): AlertReason {
    const { incident, via } = match;
    const keyOf = (id: string) => this.topology.ciById(id)?.key ?? id;
    const base = { gapSeconds, ci: ci?.key ?? null };
    const root = incident.rootCiId;
    const explained = !!ci && !!root && (root === ci.id || this.upstream.get(ci.id).has(root));
    let rule = match.rule;
    if (rule === 'upstream_of_root' && root !== ci?.id && explained) rule = 'explained_by_root';
    switch (rule) {
      case 'same_ci':
        return { ...base, rule, path: ci ? [ci.key] : [], relatedCi: ci?.key ?? null, via: null };
      case 'shared_labels':
        return { ...base, rule, path: [], relatedCi: null, via };
      case 'common_upstream': {
        const shared = keyOf(explained && root ? root : via);
        return { ...base, rule, path: this.pathFromRoot(incident, ci), relatedCi: incident.rootCiKey, via: shared };
      }
      default:
        return { ...base, rule, path: this.pathFromRoot(incident, ci), relatedCi: incident.rootCiKey, via: null };
    }
  }

  private index(incident: IncidentState): void {
    if (!incident.rootCiId) return;
    const add = (u: string, d: number) => {
      let map = this.byAncestor.get(u);
      if (!map) this.byAncestor.set(u, (map = new Map<IncidentState, number>()));
      map.set(incident, d);
    };
    add(incident.rootCiId, 0);
    for (const [u, d] of this.upstream.get(incident.rootCiId)) add(u, d);
  }

  private indexLabel(incident: IncidentState, key: string): void {
    let set = this.byLabel.get(key);
    if (!set) this.byLabel.set(key, (set = new Set()));
    set.add(incident);
  }

  private unindex(incident: IncidentState): void {
    if (!incident.rootCiId) return;
    this.byAncestor.get(incident.rootCiId)?.delete(incident);
    for (const u of this.upstream.get(incident.rootCiId).keys()) this.byAncestor.get(u)?.delete(incident);
  }

  private forget(incident: IncidentState): void {
    this.unindex(incident);
    for (const key of incident.labelKeys) this.byLabel.get(key)?.delete(incident);
    this.open.delete(incident.id);
  }

  /**
   * Drops incidents far outside any window from the match indexes; they stay open. "Far" leaves
   * an hour for alerts delivered late (event time is what counts), so which incidents an alert
   * can join does not depend on when this last ran, nor on a restart, which indexes them all.
   */
  prune(latestEventAt: number): void {
    for (const incident of this.open.values()) {
      if (incident.lastAlertAt + this.options.windowMs + LATE_DELIVERY_MS < latestEventAt) {
        this.unindex(incident);
        for (const key of incident.labelKeys) this.byLabel.get(key)?.delete(incident);
      }
    }
  }
}

export type { RootCandidates };
