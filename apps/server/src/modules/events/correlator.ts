import type { AlertSeverity } from '@opsloom/api';
import { newId } from '../../platform/ids.js';
import {
  type AlertReason,
  type AlertState,
  type CorrelationOptions,
  defaultCorrelationOptions,
  type IncidentState,
  type RootCandidates,
  severityRank,
} from './correlation-state.js';
import { chooseRoot, explainRoot, intersectCandidates, UpstreamCache } from './root-cause.js';
import type { CiInfo, TopologyView } from './topology.js';

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
  /** Incidents folded into `incident` because its new root explains them. */
  merged: IncidentState[];
}

interface Match {
  incident: IncidentState;
  rule: AlertReason['rule'];
  score: number;
  via: string;
}

/**
 * A root that alerts itself and already explains several alerting CIs is a confirmed
 * failure: an alert beside it (not below, not above) is more likely a separate problem
 * than evidence for a silent cause further up, so it does not move the root sideways.
 */
const confirmed = (incident: IncidentState) => incident.rootCiId !== null && incident.cis.size >= 3;

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
      return { incident, reason, merged: this.absorbBelow(incident, input.eventAt) };
    }
    const { incident } = match;
    const gapSeconds = Math.round(Math.abs(input.eventAt - incident.lastAlertAt) / 1000);
    this.addAlertTo(incident, input);
    const reason = this.describe(match, input.ci, gapSeconds);
    const merged = match.rule === 'shared_labels' ? [] : this.absorbBelow(incident, input.eventAt);
    return { incident, reason, merged };
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

  /** Puts back an incident loaded from storage after a restart. */
  restore(incident: IncidentState): void {
    this.nextNumber = Math.max(this.nextNumber, incident.number + 1);
    if (incident.status !== 'open') return;
    this.open.set(incident.id, incident);
    for (const ciId of incident.cis.keys()) incident.candidates = intersectCandidates(incident.candidates, this.upstream.get(ciId), ciId);
    this.index(incident);
  }

  private matchByTopology(ci: CiInfo, at: number): Match | null {
    let best: Match | null = null;
    const consider = (candidate: Match) => {
      if (!this.inWindow(candidate.incident, at)) return;
      if (!best || candidate.score < best.score || (candidate.score === best.score && candidate.incident.lastAlertAt > best.incident.lastAlertAt)) best = candidate;
    };
    const ups = this.upstream.get(ci.id);
    const climb: Array<[string, number]> = [[ci.id, 0], ...ups.entries()];
    for (const [u, dc] of climb) {
      const incidents = this.byAncestor.get(u);
      if (!incidents) continue;
      for (const [incident, dr] of incidents) {
        if (dc === 0 && dr === 0) consider({ incident, rule: incident.cis.has(ci.id) ? 'same_ci' : 'explained_by_root', score: 0, via: u });
        else if (dr === 0) consider({ incident, rule: 'explained_by_root', score: dc, via: u });
        else if (dc === 0) consider({ incident, rule: 'upstream_of_root', score: dr, via: u });
        else if (dc <= this.options.maxCommonHops && dr <= this.options.maxCommonHops && dc + dr <= this.options.maxCommonPath && !confirmed(incident) && this.upstream.impactSize(u) <= this.options.maxSilentRootImpact) {
          // A silent common cause costs more than a direct explanation of the same length.
          consider({ incident, rule: 'common_upstream', score: dc + dr + 0.5, via: u });
        }
      }
    }
    return best;
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
      id: newId(), number: this.nextNumber++, status: 'open', title: input.summary.slice(0, 300), firstSummary: input.summary,
      rootCiId: null, rootCiKey: null, rootExplanation: '', candidates: null, cis: new Map(), labelKeys: new Set(), alerts: new Set(),
      alertCount: 0, severity: 0, teamId: input.integrationTeamId, fallbackTeamId: input.integrationTeamId, integrationId: input.integrationId,
      startedAt: input.eventAt, lastAlertAt: input.eventAt, createdAt: Date.now(), resolvedAt: null, mergedInto: null, isNew: true, dirty: true,
    };
    this.open.set(incident.id, incident);
    this.addAlertTo(incident, input);
    return incident;
  }

  private addAlertTo(incident: IncidentState, input: CorrelationInput): void {
    incident.alertCount++;
    incident.severity = Math.max(incident.severity, severityRank[input.severity]);
    incident.startedAt = Math.min(incident.startedAt, input.eventAt);
    incident.lastAlertAt = Math.max(incident.lastAlertAt, input.eventAt);
    incident.dirty = true;
    if (input.ci && !incident.cis.has(input.ci.id)) {
      incident.cis.set(input.ci.id, input.ci.key);
      incident.candidates = intersectCandidates(incident.candidates, this.upstream.get(input.ci.id), input.ci.id);
      this.reroot(incident);
    }
    if (!input.ci) {
      for (const name of groupingLabels) {
        const value = input.labels[name];
        if (value && !incident.labelKeys.has(`${name}=${value}`)) {
          incident.labelKeys.add(`${name}=${value}`);
          let set = this.byLabel.get(`${name}=${value}`);
          if (!set) this.byLabel.set(`${name}=${value}`, (set = new Set()));
          set.add(incident);
        }
      }
    }
  }

  /** Recomputes the root cause and re-indexes the incident under its new ancestors. */
  private reroot(incident: IncidentState): void {
    const root = chooseRoot(incident.candidates, this.upstream);
    if (!root) return;
    if (root === incident.rootCiId) {
      // Same root, one more alerting CI: the explanation counts them, so it is rewritten.
      incident.rootExplanation = explainRoot(incident, this.topology);
      return;
    }
    this.unindex(incident);
    const ci = this.topology.ciById(root);
    incident.rootCiId = root;
    incident.rootCiKey = ci?.key ?? root;
    incident.teamId = ci?.teamId ?? incident.fallbackTeamId;
    incident.rootExplanation = explainRoot(incident, this.topology);
    incident.title = `${incident.firstSummary.slice(0, 200)} (root cause: ${ci?.name ?? root})`;
    this.index(incident);
  }

  /** Folds other open incidents into `target` when its root explains their root. */
  private absorbBelow(target: IncidentState, at: number): IncidentState[] {
    if (!target.rootCiId) return [];
    const merged: IncidentState[] = [];
    for (const [other, distance] of [...(this.byAncestor.get(target.rootCiId) ?? [])]) {
      if (other === target || !this.inWindow(other, at) || distance > this.options.maxCommonHops + 2) continue;
      this.forget(other);
      for (const alert of other.alerts) {
        alert.incident = target;
        target.alerts.add(alert);
      }
      for (const [ciId, key] of other.cis) {
        if (target.cis.has(ciId)) continue;
        target.cis.set(ciId, key);
        target.candidates = intersectCandidates(target.candidates, this.upstream.get(ciId), ciId);
      }
      target.alertCount += other.alertCount;
      target.severity = Math.max(target.severity, other.severity);
      target.startedAt = Math.min(target.startedAt, other.startedAt);
      target.lastAlertAt = Math.max(target.lastAlertAt, other.lastAlertAt);
      other.status = 'resolved';
      other.mergedInto = target.id;
      other.resolvedAt = at;
      other.alerts = new Set();
      other.dirty = true;
      merged.push(other);
    }
    if (merged.length > 0) {
      target.dirty = true;
      this.reroot(target);
    }
    return merged;
  }

  private describe(match: Match, ci: CiInfo | null, gapSeconds: number): AlertReason {
    const { incident, rule, via } = match;
    const keyOf = (id: string) => this.topology.ciById(id)?.key ?? id;
    const path = ci && incident.rootCiId ? (this.topology.pathBetween(incident.rootCiId, ci.id) ?? []).map(keyOf) : [];
    const base = { gapSeconds, ci: ci?.key ?? null };
    switch (rule) {
      case 'same_ci':
        return { ...base, rule, path: ci ? [ci.key] : [], relatedCi: ci?.key ?? null, via: null };
      case 'common_upstream':
        return { ...base, rule, path, relatedCi: keyOf(via), via: keyOf(via) };
      case 'shared_labels':
        return { ...base, rule, path: [], relatedCi: null, via };
      default:
        return { ...base, rule, path, relatedCi: incident.rootCiKey, via: null };
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

  /** Drops incidents far outside any window from the match indexes; they stay open. */
  prune(latestEventAt: number): void {
    for (const incident of this.open.values()) {
      if (incident.lastAlertAt + 2 * this.options.windowMs < latestEventAt) {
        this.unindex(incident);
        for (const key of incident.labelKeys) this.byLabel.get(key)?.delete(incident);
      }
    }
  }
}

export type { RootCandidates };
