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
    rootExplanation: incident.rootExplanation, rootAlternatives: incident.rootAlternatives, ciKeys: [...incident.cis.values()], alertCount: incident.alertCount,
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

/** The stored incident columns a restart needs (the pipeline reads them through the incidents module). */
type IncidentRowLike = Pick<
  Selectable<IncidentsTable>,
  | 'id' | 'number' | 'title' | 'severity' | 'status' | 'team_id' | 'integration_id' | 'root_ci_id' | 'root_ci_key'
  | 'root_explanation' | 'root_alternatives' | 'ci_keys' | 'alert_count' | 'started_at' | 'last_alert_at' | 'created_at'
>;

/** An open incident back in memory after a restart; CIs are looked up again in the CMDB. */
export function incidentFromRow(row: IncidentRowLike, topology: TopologyView): IncidentState {
  const cis = new Map<string, string>();
  for (const key of JSON.parse(row.ci_keys) as string[]) {
    const ci = topology.ciByKey(key);
    if (ci) cis.set(ci.id, ci.key);
  }
  return {
    id: row.id, number: row.number, status: 'open', title: row.title, firstSummary: row.title.replace(/ \(root cause: .*\)$/, ''),
    rootCiId: row.root_ci_id, rootCiKey: row.root_ci_key, storedRootCiKey: row.root_ci_key, rootExplanation: row.root_explanation,
    rootAlternatives: JSON.parse(row.root_alternatives) as RootAlternative[], candidates: null, cis, labelKeys: new Set(),
    alerts: new Set(), alertCount: row.alert_count, severity: severityRank[row.severity as keyof typeof severityRank] ?? 1,
    teamId: row.team_id, fallbackTeamId: row.team_id, integrationId: row.integration_id, startedAt: row.started_at, lastAlertAt: row.last_alert_at,
    createdAt: row.created_at, resolvedAt: null, mergedInto: null, isNew: false, dirty: false,
  };
}
