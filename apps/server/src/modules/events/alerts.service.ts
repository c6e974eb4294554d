import type { Alert, eventsApi, Integration, TeamRef } from '@opsloom/api';
import type { z } from 'zod';
import type { ModuleDeps } from '../../platform/module-deps.js';
import { decodeIdCursor } from '../../platform/pagination.js';
import type { IdentityServices } from '../identity/index.js';
import type { IncidentsService } from '../incidents/index.js';
import { presentAlert } from './events.presenter.js';
import { type AlertRow, eventsRepo } from './events.repo.js';
import { decodeReason } from './reason-text.js';

type AlertsQuery = z.output<typeof eventsApi.alertsQuery>;
const DAY = 86_400_000;

export function createAlertsService(deps: ModuleDeps, identity: IdentityServices, incidents: IncidentsService) {
  const db = deps.database.db;

  async function present(rows: AlertRow[]): Promise<Alert[]> {
    const integrations = new Map((await eventsRepo.listAllIntegrations(db)).map((r) => [r.id, { id: r.id, name: r.name, kind: r.kind as Integration['kind'] }]));
    const teams = await incidents.teamsOf(rows.map((r) => r.team_id));
    const incidentIds = [...new Set(rows.map((r) => r.incident_id).filter((id): id is string => id !== null))];
    const numbers = new Map((await incidents.numbersOf(incidentIds)).map((r) => [r.id, r]));
    return rows.map((row) => {
      const incident = row.incident_id ? numbers.get(row.incident_id) ?? null : null;
      const integration = integrations.get(row.integration_id) ?? { id: row.integration_id, name: 'deleted', kind: 'generic' as const };
      return presentAlert(row, integration, row.team_id ? teams.get(row.team_id) ?? null : null, incident ? { id: incident.id, number: incident.number } : null);
    });
  }

  return {
    async list(query: AlertsQuery) {
      let teamId: string | undefined;
      if (query.team) teamId = (await identity.teams.require(query.team)).id;
      const { rows, continueBelow } = await eventsRepo.listAlertsPage(db, deps.database.kind, {
        status: query.status === 'all' ? undefined : query.status, severity: query.severity, integrationId: query.integration, teamId,
        ciKey: query.ci, incidentId: query.incident, unmapped: query.unmapped, beforeId: decodeIdCursor(query.cursor),
      }, query.limit + 1);
      const page = rows.slice(0, query.limit);
      // A page may hold fewer than `limit` alerts and still have a next one: SQLite searched only so far back.
      return { items: await present(page), nextCursor: rows.length > query.limit ? page[page.length - 1].id : continueBelow };
    },

    async ofIncident(incidentId: string) {
      const incident = await incidents.require(incidentId);
      const rows = await eventsRepo.alertsOfIncident(db, incidentId, 10_000);
      return {
        items: rows.map((row) => ({
          id: row.id, fingerprint: row.dedup_key, status: row.status as Alert['status'], ci: row.ci_key, summary: row.summary,
          severity: row.severity as Alert['severity'], startsAt: new Date(row.starts_at).toISOString(), count: row.count,
          reason: decodeReason(row.reason),
        })),
        prunedAlerts: Number(incident.pruned_alert_count),
      };
    },

    /** Alerts received vs incidents opened by event day, integration and team. */
    async noise(days: number) {
      const since = Math.floor((Date.now() - days * DAY) / DAY) * DAY;
      const alertRows = (await eventsRepo.alertNoise(db, since / DAY)).map((r) => ({ ...r, team_id: r.team_key || null }));
      const opened = await incidents.openedSince(since);
      const integrations = new Map((await eventsRepo.listAllIntegrations(db)).map((r) => [r.id, r.name]));
      const teams = await incidents.teamsOf([...alertRows.map((r) => r.team_id), ...opened.map((r) => r.team_id)]);
      type Row = { key: string; label: string; alerts: number; deliveries: number; incidents: number };
      const buckets = { byDay: new Map<string, Row>(), byIntegration: new Map<string, Row>(), byTeam: new Map<string, Row>() };
      const bucket = (map: Map<string, Row>, key: string, label: string) => {
        let row = map.get(key);
        if (!row) map.set(key, (row = { key, label, alerts: 0, deliveries: 0, incidents: 0 }));
        return row;
      };
      const teamKey = (id: string | null): [string, string] => {
        const team: TeamRef | undefined = id ? teams.get(id) : undefined;
        return team ? [team.slug, team.name] : ['none', 'no team'];
      };
      const totals: Row = { key: 'total', label: 'total', alerts: 0, deliveries: 0, incidents: 0 };
      for (const r of alertRows) {
        const day = new Date(Number(r.day) * DAY).toISOString().slice(0, 10);
        const alerts = Number(r.alerts);
        const deliveries = Number(r.deliveries);
        for (const row of [bucket(buckets.byDay, day, day), bucket(buckets.byIntegration, r.integration_id, integrations.get(r.integration_id) ?? r.integration_id), bucket(buckets.byTeam, ...teamKey(r.team_id)), totals]) {
          row.alerts += alerts;
          row.deliveries += deliveries;
        }
      }
      for (const r of opened) {
        const day = new Date(r.started_at).toISOString().slice(0, 10);
        bucket(buckets.byDay, day, day).incidents++;
        if (r.integration_id) bucket(buckets.byIntegration, r.integration_id, integrations.get(r.integration_id) ?? r.integration_id).incidents++;
        bucket(buckets.byTeam, ...teamKey(r.team_id)).incidents++;
        totals.incidents++;
      }
      const sorted = (map: Map<string, Row>) => [...map.values()].sort((a, b) => a.key.localeCompare(b.key));
      return { since: new Date(since).toISOString(), totals, byDay: sorted(buckets.byDay), byIntegration: sorted(buckets.byIntegration), byTeam: sorted(buckets.byTeam) };
    },
  };
}
