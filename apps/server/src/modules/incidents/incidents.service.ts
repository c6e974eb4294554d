import type { IncidentDetail, IncidentSummary, TeamRef } from '@opsloom/api';
import { type Actor, systemActor } from '../../platform/activity/activity-spine.js';
import type { UnitOfWork } from '../../platform/db/unit-of-work.js';
import { notFound } from '../../platform/errors.js';
import type { ModuleDeps } from '../../platform/module-deps.js';
import type { IdentityServices } from '../identity/index.js';
import { presentIncident, presentRootAlternatives } from './incidents.presenter.js';
import { type IncidentRow, incidentsRepo } from './incidents.repo.js';
import { decodeIdCursor } from '../../platform/pagination.js';
import { truncate } from '../../platform/text.js';

/** A runner-up root cause: how likely relative to the named one, and what its failure would explain. */
export interface RootAlternative {
  ciId: string;
  ciKey: string;
  /** exp(its fit − the root's fit): 1 as likely (the tie broken by closeness), 0.1 ten times less. */
  relativeLikelihood: number;
  explanation: string;
}

/** An incident as correlation hands it over for storage. */
export interface IncidentSnapshot {
  id: string;
  number: number;
  title: string;
  severity: string;
  status: 'open' | 'resolved';
  teamId: string | null;
  integrationId: string | null;
  rootCiId: string | null;
  rootCiKey: string | null;
  rootExplanation: string;
  rootAlternatives: RootAlternative[];
  ciKeys: string[];
  /** Stored once, for correlation after a restart: the first alert's summary and the integration's team. */
  firstSummary: string;
  fallbackTeamId: string | null;
  alertCount: number;
  openAlertCount: number;
  mergedInto: string | null;
  startedAt: number;
  lastAlertAt: number;
  resolvedAt: number | null;
  createdAt: number;
}

export interface CorrelationWrites {
  inserted: IncidentSnapshot[];
  updated: IncidentSnapshot[];
  opened: IncidentSnapshot[];
  resolved: IncidentSnapshot[];
  /** Incidents people resolved (through the pipeline), with who and their note. */
  resolvedByHand: Array<{ incident: IncidentSnapshot; actor: Actor; note: string | null }>;
  merged: Array<{ from: IncidentSnapshot; to: IncidentSnapshot }>;
  /** incident → alerts that joined it in this batch. */
  added: Array<{ incident: IncidentSnapshot; alerts: number }>;
  /** Open incidents whose root cause (and so, maybe, owning team) changed since last stored. */
  rootChanged: Array<{ incident: IncidentSnapshot; from: string | null }>;
}

/** Impact of a root cause, from the CMDB graph (the detail view shows it). */
export interface ImpactLookup {
  impact(rootCiId: string): { cis: number; services: Array<{ id: string; key: string; name: string }> };
}

export function createIncidentsService(deps: ModuleDeps, identity: IdentityServices, impact: ImpactLookup) {
  const db = deps.database.db;
  // Team names rarely change; a per-process cache keeps list pages to one query.
  const teamCache = new Map<string, TeamRef | null>();

  async function teamsOf(ids: Array<string | null>): Promise<Map<string, TeamRef>> {
    const out = new Map<string, TeamRef>();
    for (const id of new Set(ids.filter((x): x is string => x !== null))) {
      if (!teamCache.has(id)) {
        const row = await identity.teams.find(id);
        teamCache.set(id, row ? { id: row.id, slug: row.slug, name: row.name } : null);
      }
      const team = teamCache.get(id);
      if (team) out.set(id, team);
    }
    return out;
  }

  const toRow = (s: IncidentSnapshot, at: number) => ({
    id: s.id, number: s.number, title: truncate(s.title, 300), severity: s.severity, status: s.status, team_id: s.teamId, integration_id: s.integrationId,
    root_ci_id: s.rootCiId, root_ci_key: s.rootCiKey, root_explanation: s.rootExplanation,
    root_alternatives: JSON.stringify(s.rootAlternatives), ci_keys: JSON.stringify(s.ciKeys.slice(0, 500)),
    alert_count: s.alertCount, open_alert_count: s.openAlertCount, merged_into: s.mergedInto, started_at: s.startedAt, last_alert_at: s.lastAlertAt,
    resolved_at: s.resolvedAt, created_at: s.createdAt, updated_at: at, first_summary: s.firstSummary, fallback_team_id: s.fallbackTeamId,
  });

  async function record(uow: UnitOfWork, actor: Actor, verb: string, s: IncidentSnapshot, summary: string, data: Record<string, unknown>) {
    // Only the cache here: a query outside `uow` would wait for SQLite's one connection, held by this transaction.
    const team = s.teamId ? teamCache.get(s.teamId) ?? null : null;
    await deps.spine.record(uow, actor, { verb, subject: { type: 'incident', id: s.id, label: `#${s.number} ${s.title}` }, team, summary, data });
  }

  return {
    teamsOf,
    maxNumber: () => incidentsRepo.maxNumber(db),
    openRows: () => incidentsRepo.open(db),
    /**
     * Incidents resolved by hand whose alerts were still firing then (and may still be). With the
     * open ones, every firing alert belongs to one of them: a restart looks for alerts there.
     */
    resolvedWithOpenAlerts: () => incidentsRepo.resolvedWithOpenAlerts(db),

    /** Loads what `save` needs outside the transaction (team names for the activity records). */
    prepare: (writes: CorrelationWrites) => teamsOf([...writes.inserted, ...writes.updated].map((s) => s.teamId)),

    /** Stores what correlation changed, with batch-level activity, inside the pipeline's transaction. */
    async save(uow: UnitOfWork, writes: CorrelationWrites, at: number): Promise<void> {
      const inserted = writes.inserted.map((s) => toRow(s, at));
      for (let i = 0; i < inserted.length; i += 500) await incidentsRepo.insert(uow.trx, inserted.slice(i, i + 500));
      await incidentsRepo.updateMany(uow.trx, uow.kind, writes.updated.map((s) => toRow(s, at)));
      for (const s of writes.opened) {
        await record(uow, systemActor, 'incident.opened', s, `opened incident #${s.number}: ${s.title}`, { rootCause: s.rootCiKey, severity: s.severity });
      }
      for (const { from, to } of writes.merged) {
        await record(uow, systemActor, 'incident.merged', from, `merged incident #${from.number} into #${to.number}`, { into: to.id, intoNumber: to.number });
      }
      for (const { incident, alerts } of writes.added) {
        if (writes.opened.includes(incident) && alerts <= 1) continue;
        await record(uow, systemActor, 'incident.alerts_added', incident, `${alerts} alert(s) joined incident #${incident.number}`, { alerts, rootCause: incident.rootCiKey, alertCount: incident.alertCount });
      }
      for (const { incident: s, from } of writes.rootChanged) {
        // Recorded under the new root's team, so that team's followers hear the incident is theirs now.
        await record(uow, systemActor, 'incident.root_changed', s, `root cause of incident #${s.number} is now ${s.rootCiKey ?? 'none'}${from ? ` (was ${from})` : ''}`, { rootCause: s.rootCiKey, previous: from });
      }
      for (const s of writes.resolved) {
        await record(uow, systemActor, 'incident.resolved', s, `incident #${s.number} resolved: all its alerts resolved`, { alertCount: s.alertCount });
      }
      for (const { incident: s, actor, note } of writes.resolvedByHand) {
        const firing = s.openAlertCount > 0 ? ` with ${s.openAlertCount} alert(s) still firing` : '';
        await record(uow, actor, 'incident.resolved', s, `resolved incident #${s.number}${firing}${note ? `: ${note}` : ''}`, { alertCount: s.alertCount, openAlerts: s.openAlertCount, note, byHand: true });
      }
    },

    /** Inside the alert retention's transaction: how many alerts of each incident it deleted. */
    countPrunedAlerts: async (uow: UnitOfWork, counts: ReadonlyMap<string, number>) => {
      if (counts.size > 0) await incidentsRepo.addPrunedAlerts(uow.trx, uow.kind, counts);
    },

    async list(status: 'open' | 'resolved' | 'all', cursor: string | undefined, limit: number): Promise<{ items: IncidentSummary[]; nextCursor: string | null }> {
      const rows = await incidentsRepo.list(db, status, decodeIdCursor(cursor), limit + 1);
      const page = rows.slice(0, limit);
      const teams = await teamsOf(page.map((row) => row.team_id));
      return { items: page.map((row) => presentIncident(row, teams)), nextCursor: rows.length > limit ? page[page.length - 1].id : null };
    },

    async require(id: string): Promise<IncidentRow> {
      const row = await incidentsRepo.find(db, id);
      if (!row) throw notFound('incident', id);
      return row;
    },

    async get(id: string): Promise<IncidentDetail> {
      const row = await incidentsRepo.find(db, id);
      if (!row) throw notFound('incident', id);
      const teams = await teamsOf([row.team_id]);
      const merged = row.merged_into ? (await incidentsRepo.findMany(db, [row.merged_into]))[0] ?? null : null;
      const reach = row.root_ci_id ? impact.impact(row.root_ci_id) : { cis: 0, services: [] };
      const detail: IncidentDetail = {
        ...presentIncident(row, teams),
        startedAt: new Date(row.started_at).toISOString(),
        lastAlertAt: new Date(row.last_alert_at).toISOString(),
        resolvedAt: row.resolved_at === null ? null : new Date(row.resolved_at).toISOString(),
        updatedAt: new Date(row.updated_at).toISOString(),
        openAlertCount: row.open_alert_count,
        mergedInto: merged ? { id: merged.id, number: merged.number } : null,
        rootCauseExplanation: row.root_explanation,
        rootCauseAlternatives: presentRootAlternatives(row),
        impactedCis: reach.cis,
        impactedServices: reach.services,
      };
      return detail;
    },

    numbersOf: (ids: string[]) => incidentsRepo.findMany(db, ids),
    openedSince: (since: number) => incidentsRepo.opened(db, since),
  };
}

export type IncidentsService = ReturnType<typeof createIncidentsService>;
