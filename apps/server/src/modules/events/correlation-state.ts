import type { AlertSeverity } from '@opsloom/api';
import type { RootAlternative } from '../incidents/index.js';

/**
 * Why an alert sits in its incident, stored compactly with the alert (tens of thousands a
 * second); `reason-text.ts` turns it into the console's sentence when read.
 */
export interface AlertReason {
  rule: 'opened' | 'same_fingerprint' | 'same_ci' | 'explained_by_root' | 'upstream_of_root' | 'common_upstream' | 'shared_labels' | 'merged';
  /** CI keys on the dependency path from the root cause to the alert's CI. */
  path: string[];
  relatedCi: string | null;
  gapSeconds: number;
  /** The alert's CI key, and what linked it (a common upstream CI or a shared label). */
  ci: string | null;
  via: string | null;
}

export const severityRank: Record<AlertSeverity, number> = { critical: 5, major: 4, minor: 3, warning: 2, info: 1 };
export const severityOfRank = (rank: number): AlertSeverity =>
  (Object.entries(severityRank).find(([, r]) => r === rank)?.[0] ?? 'info') as AlertSeverity;

/**
 * A possible root cause of an incident: how many of its alerting CIs the candidate's failure
 * explains (itself included), the farthest and summed hops down to them, and event times:
 * its own first alert (Infinity: silent) and the earliest alert of the CIs it impacts.
 */
export interface RootCandidate {
  explained: number;
  max: number;
  sum: number;
  own: number;
  first: number;
}
export type RootCandidates = Map<string, RootCandidate>;

/** An open alert as the pipeline keeps it in memory (dedup key → state); small on purpose. */
export interface AlertState {
  id: string;
  incident: IncidentState | null;
  ciId: string | null;
  /** The alert's team as stored (its CI's, else its integration's): the noise figure counts its re-deliveries there. */
  teamId: string | null;
  startsAt: number;
  count: number;
}

/** An open incident as correlation keeps it in memory. */
export interface IncidentState {
  id: string;
  number: number;
  status: 'open' | 'resolved';
  title: string;
  firstSummary: string;
  rootCiId: string | null;
  rootCiKey: string | null;
  /** The root as last handed over for storage: a different one now is a root change to record. */
  storedRootCiKey: string | null;
  rootExplanation: string;
  /** The next likeliest roots (at most 3, each at least 1% as likely as the root). */
  rootAlternatives: RootAlternative[];
  candidates: RootCandidates | null;
  /** Alerting CI id → key, in the order they joined. */
  cis: Map<string, string>;
  labelKeys: Set<string>;
  /** How many of `cis` and `labelKeys` (the first ones) are stored for a restart (`incident_cis`, `incident_labels`)… */
  storedCis: number;
  storedLabels: number;
  /** …and the position the next stored row of either takes (positions order them; gaps are harmless). */
  nextPosition: number;
  alerts: Set<AlertState>;
  alertCount: number;
  severity: number;
  teamId: string | null;
  fallbackTeamId: string | null;
  integrationId: string | null;
  startedAt: number;
  lastAlertAt: number;
  createdAt: number;
  resolvedAt: number | null;
  mergedInto: string | null;
  isNew: boolean;
  dirty: boolean;
}

export interface CorrelationOptions {
  /** An alert joins an incident only within this event time after the incident's latest alert… */
  windowMs: number;
  /** …and within this event time after its first alert: a failure's alerts come in one burst. */
  maxSpanMs: number;
  /** How far up the graph a common upstream CI (a possibly silent root) may be from either side. */
  maxCommonHops: number;
  /** …and at most this many hops from the alert up to it and down to the incident's root together. */
  maxCommonPath: number;
  /** A silent common upstream is only inferred when it impacts at most this many CIs (guards against "the site"). */
  maxSilentRootImpact: number;
  /** Root scoring (`fitOf`): an alerting CI outside the root's impact costs this, as one separate problem… */
  unrelatedAlertCost: number;
  /** …a root that sent no alert itself costs this (a failed CI usually alerts)… */
  silentRootCost: number;
  /** …and one that alerted more than `rootLeadMs` after a CI it impacts, this (it is more likely a victim). */
  lateRootCost: number;
  rootLeadMs: number;
  /** Resolve an incident when its last open alert resolves. */
  autoResolve: boolean;
}

export const defaultCorrelationOptions: CorrelationOptions = {
  windowMs: 5 * 60_000,
  maxSpanMs: 30 * 60_000,
  maxCommonHops: 3,
  maxCommonPath: 4,
  maxSilentRootImpact: 2000,
  unrelatedAlertCost: 5,
  silentRootCost: 1.1,
  lateRootCost: 3,
  rootLeadMs: 30_000,
  autoResolve: true,
};
