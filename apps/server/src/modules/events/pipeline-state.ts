import type { Selectable } from 'kysely';
import type { IncidentsTable } from '../../platform/db/schema.js';
import type { CorrelationWrites, IncidentSnapshot, RootAlternative } from '../incidents/index.js';
import type { ChangeSet } from './alert-processor.js';
import { type IncidentState, severityOfRank, severityRank } from './correlation-state.js';
import type { TopologyView } from './topology.js';

export function snapshot(incident: IncidentState): IncidentSnapshot {
  return {
    id: incident.id, number: incident.number, title: incident.title, severity: severityOfRank(incident.severity), status: incident.status,
    teamId: incident.teamId, integrationId: incident.integrationId, rootCiId: incident.rootCiId, rootCiKey: incident.rootCiKey,
    rootExplanation: incident.rootExplanation, rootAlternatives: incident.rootAlternatives, ciKeys: [...incident.cis.values()], firstSummary: incident.firstSummary, fallbackTeamId: incident.fallbackTeamId, alertCount: incident.alertCount,
    openAlertCount: incident.alerts.size, mergedInto: incident.mergedInto, startedAt: incident.startedAt, lastAlertAt: incident.lastAlertAt,
    resolvedAt: incident.resolvedAt, createdAt: incident.createdAt,
  };
}

/** What the incidents module stores for one pipeline run. */
export function toWrites(changes: ChangeSet): CorrelationWrites {
  const snaps = new Map<IncidentState, IncidentSnapshot>();
  const snap = (incident: IncidentState) => {
    let s = snaps.get(incident);
    if (!s) snaps.set(incident, (s = snapshot(incident)));
    return s;
  };
  const writes: CorrelationWrites = { inserted: [], updated: [], opened: [], resolved: [], resolvedByHand: [], merged: [], added: [], rootChanged: [] };
  for (const incident of changes.incidents) {
    (incident.isNew ? writes.inserted : writes.updated).push(snap(incident));
    if (!incident.isNew && !incident.mergedInto && incident.rootCiKey !== incident.storedRootCiKey) {
      writes.rootChanged.push({ incident: snap(incident), from: incident.storedRootCiKey });
    }
  }
  writes.opened = changes.opened.map(snap);
  writes.resolved = changes.resolved.filter((i) => !i.mergedInto).map(snap);
  writes.resolvedByHand = changes.resolvedByHand.map(({ incident, command }) => ({ incident: snap(incident), actor: command.actor, note: command.note }));
  writes.merged = changes.merges.map(({ from, to }) => ({ from: snap(from), to: snap(to) }));
  writes.added = [...changes.added].filter(([i]) => !i.mergedInto).map(([incident, alerts]) => ({ incident: snap(incident), alerts }));
  return writes;
}

/**
 * How `incident_cis` and `incident_labels` change in a run: the rows open incidents gain
 * ([incident id, position, CI id, first alert time] and [incident id, position, label]), and the
 * incidents that closed (resolved or merged), whose rows no restart needs any more.
 */
export interface NewCorrelationRows {
  cis: Array<[string, number, string, number]>;
  labels: Array<[string, number, string]>;
  closed: string[];
}

/**
 * Adds to `rows` what an incident gained since last stored: its new alerting CIs, each with
 * its first alert time, and its new label keys (both only grow while it is open); or, once it
 * is closed, that its rows can go.
 */
export function newCorrelationRows(incident: IncidentState, rows: NewCorrelationRows): void {
  if (incident.status !== 'open') {
    // Rows were stored for it (a position was taken): they go once, then nothing is left to delete.
    if (incident.nextPosition > 0) rows.closed.push(incident.id);
    incident.nextPosition = 0;
    return;
  }
  if (incident.cis.size > incident.storedCis) {
    let index = 0;
    for (const id of incident.cis.keys()) {
      if (index++ >= incident.storedCis) rows.cis.push([incident.id, incident.nextPosition++, id, incident.candidates?.get(id)?.own ?? incident.startedAt]);
    }
    incident.storedCis = incident.cis.size;
  }
  if (incident.labelKeys.size > incident.storedLabels) {
    let index = 0;
    for (const label of incident.labelKeys) {
      if (index++ >= incident.storedLabels) rows.labels.push([incident.id, incident.nextPosition++, label]);
    }
    incident.storedLabels = incident.labelKeys.size;
  }
}

/** What `incident_cis` and `incident_labels` hold for one open incident, in order. */
export interface StoredCorrelation {
  cis: Array<{ ciId: string; firstAlertAt: number }>;
  labels: string[];
  /** One past the highest position stored in either table. */
  nextPosition: number;
}

/** The stored incident columns a restart needs (the pipeline reads them through the incidents module). */
type IncidentRowLike = Pick<
  Selectable<IncidentsTable>,
  | 'id' | 'number' | 'title' | 'severity' | 'status' | 'team_id' | 'integration_id' | 'root_ci_id' | 'root_ci_key'
  | 'root_explanation' | 'root_alternatives' | 'ci_keys' | 'alert_count' | 'started_at' | 'last_alert_at' | 'created_at'
  | 'first_summary' | 'fallback_team_id'
>;

/**
 * An open incident back in memory after a restart, and the first alert time of each of its
 * alerting CIs; CIs are looked up again in the CMDB (one deleted since is dropped). Incidents
 * stored before 2026-11-22T12-00 have no stored CIs and labels: they come back with what their
 * columns say (every CI as having alerted when the incident began, the root's team as the
 * fallback), and their next run stores the rest.
 */
export function incidentFromRow(row: IncidentRowLike, stored: StoredCorrelation | undefined, topology: TopologyView): { incident: IncidentState; firstAlertAt: Map<string, number> } {
  const cis = new Map<string, string>();
  const firstAlertAt = new Map<string, number>();
  if (stored && stored.cis.length > 0) {
    for (const { ciId, firstAlertAt: at } of stored.cis) {
      const ci = topology.ciById(ciId);
      if (!ci) continue;
      cis.set(ci.id, ci.key);
      firstAlertAt.set(ci.id, at);
    }
  } else {
    for (const key of JSON.parse(row.ci_keys) as string[]) {
      const ci = topology.ciByKey(key);
      if (ci) cis.set(ci.id, ci.key);
    }
  }
  const labelKeys = new Set(stored?.labels ?? []);
  // Every incident stored since the migration has its first summary; a null one is from before.
  const storedBeforeMigration = row.first_summary === null;
  const incident: IncidentState = {
    id: row.id, number: row.number, status: 'open', title: row.title, firstSummary: row.first_summary ?? row.title.replace(/ \(root cause: .*\)$/, ''),
    rootCiId: row.root_ci_id, rootCiKey: row.root_ci_key, storedRootCiKey: row.root_ci_key, rootExplanation: row.root_explanation,
    rootAlternatives: JSON.parse(row.root_alternatives) as RootAlternative[], candidates: null, cis, labelKeys,
    // CIs deleted from the CMDB since are not back; new rows go after every stored one.
    storedCis: stored && stored.cis.length > 0 ? cis.size : 0, storedLabels: labelKeys.size, nextPosition: stored?.nextPosition ?? 0,
    alerts: new Set(), alertCount: row.alert_count, severity: severityRank[row.severity as keyof typeof severityRank] ?? 1,
    teamId: row.team_id, fallbackTeamId: storedBeforeMigration ? row.team_id : row.fallback_team_id, integrationId: row.integration_id,
    startedAt: row.started_at, lastAlertAt: row.last_alert_at, createdAt: row.created_at, resolvedAt: null, mergedInto: null, isNew: false, dirty: false,
  };
  return { incident, firstAlertAt };
}
