import type { Insertable } from 'kysely';
import { systemActor } from '../../platform/activity/activity-spine.js';
import type { AlertsTable } from '../../platform/db/schema.js';
import type { ModuleDeps } from '../../platform/module-deps.js';
import { truncate } from '../../platform/text.js';
import type { CorrelationWrites, IncidentSnapshot, IncidentsService } from '../incidents/index.js';
import { type ChangeSet, mergedReason, type NewAlert, type NoiseDelta } from './alert-processor.js';
import { type AlertUpdateRow, eventsRepo } from './events.repo.js';
import { COMMAND_SOURCE } from './pipeline-commands.js';
import { type NewCorrelationRows, newCorrelationRows, toWrites } from './pipeline-state.js';
import { relaxedTransaction } from './relaxed-commit.js';

/** The pipeline's row in `event_pipeline`: the last log row whose effects are stored. */
export const WATERMARK = 'alerts';
const ADDED_ACTIVITY_EVERY_MS = 5000;

/** The stored reason: as it joined, unless a merge in the same run moved it since. */
function reasonOf(n: NewAlert): string | null {
  if (n.joined && n.state.incident && n.joined !== n.state.incident) return JSON.stringify(mergedReason(n.joined, n.state.incident, n.ci?.key ?? null));
  return n.reason ? JSON.stringify(n.reason) : null;
}

/**
 * "Alerts joined incident #n" is recorded at most every few seconds per incident, with
 * the count since the last record: a storm adds thousands of alerts a second to one
 * incident, and the activity stream should say so in a few lines, not thousands.
 */
export class AddedAlertsThrottle {
  private readonly byIncident = new Map<string, { lastAt: number; pending: number }>();

  due(added: Array<{ incident: IncidentSnapshot; alerts: number }>, at: number): typeof added {
    const due: typeof added = [];
    for (const { incident, alerts } of added) {
      const state = this.byIncident.get(incident.id) ?? { lastAt: 0, pending: 0 };
      state.pending += alerts;
      if (at - state.lastAt >= ADDED_ACTIVITY_EVERY_MS || incident.status !== 'open') {
        due.push({ incident, alerts: state.pending });
        state.lastAt = at;
        state.pending = 0;
      }
      if (incident.status === 'open') this.byIncident.set(incident.id, state);
      else this.byIncident.delete(incident.id);
    }
    return due;
  }
}

/**
 * One run's effects as plain data, taken from the correlation state the moment the run is
 * processed: the next run may change the same alerts and incidents while this one is still
 * being stored (PostgreSQL, pipeline.ts), and must not change what this one writes.
 */
export interface RunWrites {
  last: number;
  at: number;
  incidents: CorrelationWrites;
  alertRows: Array<Insertable<AlertsTable>>;
  updates: AlertUpdateRow[];
  moves: Array<{ from: string; to: string; reason: string }>;
  correlation: NewCorrelationRows;
  perIntegration: Array<{ integrationId: string; name: string; deliveries: number; alerts: number; lastAt: number }>;
  noise: NoiseDelta[];
}

/**
 * Snapshots a processed run (see RunWrites). Incidents count as stored from here on (not new,
 * not dirty): if storing fails, the pipeline rebuilds its whole state from storage anyway.
 */
export function snapshotRun(
  changes: ChangeSet,
  run: { last: number; throttle: AddedAlertsThrottle; integrationName: (id: string) => string },
): RunWrites {
  const at = Date.now();
  const incidents = toWrites(changes);
  incidents.added = run.throttle.due(incidents.added, at);
  const alertRows = changes.newAlerts.map((n) => ({
    id: n.state.id, integration_id: n.integrationId, dedup_key: n.alert.dedupKey, status: n.alert.status, severity: n.alert.severity,
    summary: n.alert.summary, source: n.alert.source, ci_id: n.ci?.id ?? null, ci_key: n.ci?.key ?? null, team_id: n.teamId,
    labels: JSON.stringify(n.alert.labels), incident_id: n.state.incident?.id ?? null, reason: reasonOf(n),
    count: n.state.count, starts_at: n.alert.startsAt, ends_at: n.alert.endsAt, first_seen_at: n.receivedAt, last_seen_at: n.receivedAt,
  }));
  const updates = [...changes.updates].map(([id, u]): AlertUpdateRow => [id, u.status, u.endsAt, u.lastSeenAt, u.count]);
  const moves = changes.merges.map(({ from, to }) => ({ from: from.id, to: to.id, reason: JSON.stringify(mergedReason(from, to, null)) }));
  const perIntegration = [...changes.perIntegration].map(([integrationId, stats]) => ({ integrationId, name: run.integrationName(integrationId), ...stats }));
  const correlation: NewCorrelationRows = { cis: [], labels: [], closed: [] };
  for (const incident of changes.incidents) {
    newCorrelationRows(incident, correlation);
    incident.isNew = false;
    incident.dirty = false;
    incident.storedRootCiKey = incident.rootCiKey;
  }
  return { last: run.last, at, incidents, alertRows, updates, moves, correlation, perIntegration, noise: [...changes.noise.values()] };
}

/**
 * One run's effects in one transaction: new alert rows, dedup and resolve updates, merges,
 * incidents, batch-level activity and the watermark `last` (docs/adr/0005).
 */
export async function storeRun(deps: ModuleDeps, incidents: IncidentsService, run: RunWrites): Promise<void> {
  await incidents.prepare(run.incidents);
  await relaxedTransaction(deps, async (uow) => {
    await eventsRepo.insertAlerts(uow.trx, uow.kind, run.alertRows, deps.database.sqlite);
    await eventsRepo.updateAlerts(uow.trx, uow.kind, run.updates, deps.database.sqlite);
    for (const { from, to, reason } of run.moves) await eventsRepo.moveAlerts(uow.trx, from, to, reason);
    await incidents.save(uow, run.incidents, run.at);
    await eventsRepo.storeCorrelationRows(uow.trx, uow.kind, run.correlation);
    await eventsRepo.addNoise(uow.trx, run.noise);
    for (const stats of run.perIntegration) {
      await eventsRepo.countEvents(uow.trx, stats.integrationId, stats.deliveries, stats.lastAt);
      // One record per integration and run, not one per alert or duplicate.
      await deps.spine.record(uow, systemActor, {
        verb: 'alerts.received',
        subject: { type: 'integration', id: stats.integrationId, label: stats.name },
        summary: `${stats.deliveries} alert deliveries, ${stats.alerts} new alert(s)`,
        data: { deliveries: stats.deliveries, newAlerts: stats.alerts, throughBatch: run.last },
      });
    }
    await eventsRepo.setWatermark(uow.trx, WATERMARK, run.last, run.at);
  });
}

/**
 * Moves the watermark past one log row the database refuses to store the effects of (a
 * value too long for a column, say), so the batches after it are processed. The row stays
 * in the log; its integration's error count and last error, and the activity stream
 * (`alerts.set_aside`), say so.
 */
export async function setAsideLogRow(
  deps: ModuleDeps,
  row: { id: number | string; integration_id: string; alert_count: number },
  error: unknown,
  integrationName: string,
): Promise<void> {
  const logId = Number(row.id);
  const command = row.integration_id === COMMAND_SOURCE;
  const at = Date.now();
  const message = String((error as Error).message ?? error);
  const summary = truncate(`${command ? 'A pipeline command' : `A batch of ${row.alert_count} alert(s)`} could not be stored and was set aside: ${message}`, 500);
  await relaxedTransaction(deps, async (uow) => {
    if (!command) await eventsRepo.recordError(uow.trx, row.integration_id, summary, at);
    await deps.spine.record(uow, systemActor, {
      verb: 'alerts.set_aside',
      subject: { type: 'integration', id: row.integration_id, label: command ? 'pipeline command' : integrationName },
      summary,
      data: { logId, alerts: row.alert_count, error: truncate(message, 500) },
    });
    await eventsRepo.setWatermark(uow.trx, WATERMARK, logId, at);
  });
}
