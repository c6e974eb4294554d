import type { AlertSeverity, IncidentDetail, IncidentSummary, TeamRef } from '@opsloom/api';
import type { IncidentRow } from './incidents.repo.js';
import type { RootAlternative } from './incidents.service.js';

export function presentIncident(row: IncidentRow, teams: Map<string, TeamRef>): IncidentSummary {
  return {
    id: row.id,
    number: row.number,
    title: row.title,
    severity: row.severity as AlertSeverity,
    status: row.status as IncidentSummary['status'],
    team: row.team_id ? teams.get(row.team_id) ?? null : null,
    rootCause: row.root_ci_id ? { id: row.root_ci_id, key: row.root_ci_key ?? row.root_ci_id } : null,
    cis: JSON.parse(row.ci_keys) as string[],
    alertCount: row.alert_count,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/** The runner-up root causes stored with the incident (JSON), as the API shows them. */
export function presentRootAlternatives(row: IncidentRow): IncidentDetail['rootCauseAlternatives'] {
  return (JSON.parse(row.root_alternatives) as RootAlternative[]).map((a) => ({
    ci: { id: a.ciId, key: a.ciKey }, relativeLikelihood: a.relativeLikelihood, explanation: a.explanation,
  }));
}
