import type { FastifyBaseLogger } from 'fastify';
import { systemActor } from '../../platform/activity/activity-spine.js';
import type { ModuleDeps } from '../../platform/module-deps.js';
import type { IncidentSnapshot, IncidentsService } from '../incidents/index.js';
import { AlertProcessor, ChangeSet, mergedReason, type NewAlert } from './alert-processor.js';
import type { CorrelationOptions, IncidentState } from './correlation-state.js';
import { Correlator } from './correlator.js';
import type { EventsMetrics } from './events.metrics.js';
import { eventsRepo } from './events.repo.js';
import { isDataError } from '../../platform/db/errors.js';
import type { IntakeLog } from './intake-log.js';
import type { NormalizedAlert } from './normalized.js';
import { COMMAND_SOURCE, type PipelineCommand } from './pipeline-commands.js';
import { incidentFromRow, toWrites } from './pipeline-state.js';
import { relaxedTransaction } from './relaxed-commit.js';
import type { TopologyView } from './topology.js';
import { truncate } from '../../platform/text.js';

const WATERMARK = 'alerts';
// Bounded so one transaction stays short and the first incidents show within a second.
const MAX_ALERTS_PER_RUN = 2000;
const ADDED_ACTIVITY_EVERY_MS = 5000;
// Runs are at least this far apart under load: fewer, larger transactions leave the one
// SQLite connection to intake commits most of the time (latency budget: 1 s, target 250 ms).
const MIN_RUN_GAP_MS = 25;

/** The stored reason: as it joined, unless a merge in the same run moved it since. */
function reasonOf(n: NewAlert): string | null {
  if (n.joined && n.state.incident && n.joined !== n.state.incident) return JSON.stringify(mergedReason(n.joined, n.state.incident, n.ci?.key ?? null));
  return n.reason ? JSON.stringify(n.reason) : null;
}

/**
 * The single consumer of the intake log: dedup, correlate, persist alerts, incidents,
 * activity and the processed watermark in one transaction per run. Replays the log
 * after the watermark on start, so a crash loses nothing and double-counts nothing.
 */
export class AlertPipeline {
  private processor!: AlertProcessor;
  private watermark = 0;
  private running = false;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly idleWaiters: Array<() => void> = [];
  private readonly integrations = new Map<string, { teamId: string | null; name: string }>();
  private lastRunAt = 0;
  private current: Promise<void> = Promise.resolve();
  private readonly addedLog = new Map<string, { lastAt: number; pending: number }>();
  /** Memory may be ahead of storage (a run failed and reloading did too): load before the next run. */
  private stale = false;
  /** Runs take one log row at a time up to this id (a run the database refused). */
  private isolateThrough = 0;

  constructor(
    private readonly deps: ModuleDeps,
    private readonly incidents: IncidentsService,
    private readonly topology: TopologyView,
    private readonly log: IntakeLog,
    private readonly options: CorrelationOptions,
    private readonly logger: FastifyBaseLogger,
    private readonly metrics: Pick<EventsMetrics, 'processed' | 'setAside'> | null = null,
  ) {}

  async start(pollMs: number): Promise<void> {
    await this.load();
    this.timer = setInterval(() => this.wake(), pollMs);
    this.wake();
  }

  /** Stops after the run in progress, so nothing touches the database once this resolves. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.current;
  }

  /** Processes whatever the log holds beyond the watermark, now or right after the current run. */
  wake(): void {
    if (this.stopped) {
      for (const waiter of this.idleWaiters.splice(0)) waiter();
      return;
    }
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    this.current = this.loop().catch((error: unknown) => this.logger.error({ err: error }, 'alert pipeline run failed'));
    void this.current.finally(() => {
      this.running = false;
      if (this.again) {
        this.again = false;
        this.wake();
      } else for (const waiter of this.idleWaiters.splice(0)) waiter();
    });
  }

  /** Resolves once everything appended so far is processed (tests and the bench use it). */
  async drained(): Promise<void> {
    for (;;) {
      const last = await eventsRepo.lastLogId(this.deps.database.db);
      if (last <= this.watermark || this.stopped) return;
      await this.processedThrough(last, Number.POSITIVE_INFINITY);
    }
  }

  /** Resolves once the log row `logId` (and everything before it) is processed, or after `timeoutMs`; true if processed. */
  async processedThrough(logId: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.watermark < logId && !this.stopped && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 100);
        this.idleWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
        this.wake();
      });
    }
    return this.watermark >= logId;
  }

  get openAlertCount(): number {
    return this.processor.openAlerts.size;
  }

  /** What `/metrics` shows of the correlation state. */
  state(): { openAlerts: number; openIncidents: number } {
    return { openAlerts: this.processor.openAlerts.size, openIncidents: this.processor.correlator.open.size };
  }

  /**
   * Builds the correlation state from storage, and only then replaces the old one: a load
   * that fails half-way (the database gone again) leaves `stale` set, and the next run loads
   * again before it processes anything, never with a half-restored state.
   */
  private async load(): Promise<void> {
    const db = this.deps.database.db;
    const watermark = await eventsRepo.watermark(db, WATERMARK);
    const correlator = new Correlator(this.topology, (await this.incidents.maxNumber()) + 1, this.options);
    const processor = new AlertProcessor(this.topology, correlator);
    const open = new Map<string, IncidentState>();
    for (const row of await this.incidents.openRows()) {
      const incident = incidentFromRow(row, this.topology);
      open.set(incident.id, incident);
      correlator.restore(incident);
    }
    for (const row of await eventsRepo.openAlerts(db)) {
      const incident = row.incident_id ? open.get(row.incident_id) ?? null : null;
      processor.restoreAlert(row.integration_id, row.dedup_key, { id: row.id, incident, ciId: row.ci_id, startsAt: row.starts_at, count: row.count });
    }
    this.watermark = watermark;
    this.processor = processor;
    this.stale = false;
  }

  private async integrationOf(integrationId: string): Promise<{ teamId: string | null; name: string }> {
    let info = this.integrations.get(integrationId);
    if (!info) {
      const row = await eventsRepo.findIntegration(this.deps.database.db, integrationId);
      info = { teamId: row?.team_id ?? null, name: row?.name ?? integrationId };
      this.integrations.set(integrationId, info);
    }
    return info;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      if (this.stale) await this.load();
      const wait = this.lastRunAt + MIN_RUN_GAP_MS - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      this.lastRunAt = Date.now();
      const started = performance.now();
      // After a run the database refused, batches go one at a time until past it (setAside).
      const heads = await eventsRepo.readLogHeadsAfter(this.deps.database.db, this.watermark, this.isolateThrough > this.watermark ? 1 : 200);
      if (heads.length === 0) return;
      const rows: typeof heads = [];
      let counted = 0;
      for (const row of heads) {
        if (counted > 0 && counted + row.alert_count > MAX_ALERTS_PER_RUN) break;
        rows.push(row);
        counted += row.alert_count;
      }
      // Batches committed by this process come from memory; the rest (replay, other instances) from storage.
      const batches = rows.map((row) => this.log.takeFresh(Number(row.id)));
      const missing = rows.filter((_, i) => !batches[i]).map((row) => Number(row.id));
      const bodies = missing.length > 0 ? await eventsRepo.readLogBodies(this.deps.database.db, missing) : null;
      const changes = new ChangeSet();
      // From the first batch applied in memory until the run commits, memory is ahead of
      // storage: any failure in between (not only the commit's) reloads before the next run.
      this.stale = true;
      let last = this.watermark;
      let alerts = 0;
      for (const [i, row] of rows.entries()) {
        last = Number(row.id);
        if (row.integration_id === COMMAND_SOURCE) {
          this.processor.apply(JSON.parse(bodies?.get(Number(row.id)) ?? 'null') as PipelineCommand, changes);
          continue;
        }
        const batch = batches[i] ?? (JSON.parse(bodies?.get(Number(row.id)) ?? '[]') as NormalizedAlert[]);
        this.processor.process({ id: row.integration_id, teamId: (await this.integrationOf(row.integration_id)).teamId }, batch, row.received_at, changes);
        alerts += row.alert_count;
      }
      try {
        await this.persist(changes, last);
        this.stale = false;
        this.watermark = last;
        this.log.processed(alerts);
        this.metrics?.processed({
          receivedAt: rows.filter((row) => row.integration_id !== COMMAND_SOURCE).map((row) => row.received_at),
          seconds: (performance.now() - started) / 1000,
          created: changes.newAlerts.length,
          opened: changes.opened.length,
          merged: changes.merges.length,
          resolvedByAlerts: changes.resolved.length,
          resolvedByHand: changes.resolvedByHand.length,
        });
      } catch (error) {
        // Memory is ahead of storage now: rebuild it from what did commit and retry later.
        this.logger.error({ err: error }, 'alert pipeline: persisting failed; reloading state');
        await this.load();
        // The database refusing the data itself (not being down) fails the same way on every
        // retry, and would hold up every batch after it: find the batch and set it aside.
        if (isDataError(error)) {
          if (rows.length > 1) this.isolateThrough = last;
          else await this.setAside(rows[0], error);
        }
        return;
      }
    }
  }

  /**
   * Moves the watermark past one log row the database refuses to store the effects of
   * (a value too long for a column, say), so the batches after it are processed. The row
   * stays in the log; its integration's error count, the activity stream and
   * `opsloom_pipeline_set_aside_total` say so.
   */
  private async setAside(row: { id: number | string; integration_id: string; alert_count: number }, error: unknown): Promise<void> {
    const logId = Number(row.id);
    const command = row.integration_id === COMMAND_SOURCE;
    const at = Date.now();
    const summary = truncate(`${command ? 'A pipeline command' : `A batch of ${row.alert_count} alert(s)`} could not be stored and was set aside: ${(error as Error).message ?? String(error)}`, 500);
    try {
      await relaxedTransaction(this.deps, async (uow) => {
        if (!command) await eventsRepo.recordError(uow.trx, row.integration_id, summary, at);
        await this.deps.spine.record(uow, systemActor, {
          verb: 'alerts.set_aside',
          subject: command ? { type: 'integration', id: COMMAND_SOURCE, label: 'pipeline command' } : { type: 'integration', id: row.integration_id, label: (await this.integrationOf(row.integration_id)).name },
          summary,
          data: { logId, alerts: row.alert_count, error: truncate(String((error as Error).message ?? error), 500) },
        });
        await eventsRepo.setWatermark(uow.trx, WATERMARK, logId, at);
      });
    } catch (failure) {
      this.logger.error({ err: failure }, 'alert pipeline: could not set a refused batch aside; retrying later');
      return;
    }
    this.logger.error({ err: error, logId }, 'alert pipeline: a batch the database refuses was set aside; it stays in the intake log');
    this.watermark = logId;
    if (!command) this.log.processed(row.alert_count);
    this.metrics?.setAside();
  }

  /**
   * "Alerts joined incident #n" is recorded at most every few seconds per incident, with
   * the count since the last record: a storm adds thousands of alerts a second to one
   * incident, and the activity stream should say so in a few lines, not thousands.
   */
  private throttleAdded(added: Array<{ incident: IncidentSnapshot; alerts: number }>, at: number) {
    const due: typeof added = [];
    for (const { incident, alerts } of added) {
      const state = this.addedLog.get(incident.id) ?? { lastAt: 0, pending: 0 };
      state.pending += alerts;
      if (at - state.lastAt >= ADDED_ACTIVITY_EVERY_MS || incident.status !== 'open') {
        due.push({ incident, alerts: state.pending });
        state.lastAt = at;
        state.pending = 0;
      }
      if (incident.status === 'open') this.addedLog.set(incident.id, state);
      else this.addedLog.delete(incident.id);
    }
    return due;
  }

  private async persist(changes: ChangeSet, last: number): Promise<void> {
    const at = Date.now();
    const writes = toWrites(changes);
    writes.added = this.throttleAdded(writes.added, at);
    await this.incidents.prepare(writes);
    await relaxedTransaction(this.deps, async (uow) => {
      await eventsRepo.insertAlerts(uow.trx, uow.kind, changes.newAlerts.map((n) => ({
        id: n.state.id, integration_id: n.integrationId, dedup_key: n.alert.dedupKey, status: n.alert.status, severity: n.alert.severity,
        summary: n.alert.summary, source: n.alert.source, ci_id: n.ci?.id ?? null, ci_key: n.ci?.key ?? null, team_id: n.teamId,
        labels: JSON.stringify(n.alert.labels), incident_id: n.state.incident?.id ?? null, reason: reasonOf(n),
        count: n.state.count, starts_at: n.alert.startsAt, ends_at: n.alert.endsAt, first_seen_at: n.receivedAt, last_seen_at: n.receivedAt,
      })), this.deps.database.sqlite);
      await eventsRepo.updateAlerts(uow.trx, uow.kind, [...changes.updates].map(([id, u]) => [id, u.status, u.endsAt, u.lastSeenAt, u.count]), this.deps.database.sqlite);
      for (const { from, to } of changes.merges) await eventsRepo.moveAlerts(uow.trx, from.id, to.id, JSON.stringify(mergedReason(from, to, null)));
      await this.incidents.save(uow, writes, at);
      for (const [integrationId, stats] of changes.perIntegration) {
        await eventsRepo.countEvents(uow.trx, integrationId, stats.deliveries, stats.lastAt);
        // One record per integration and run, not one per alert or duplicate.
        await this.deps.spine.record(uow, systemActor, {
          verb: 'alerts.received',
          subject: { type: 'integration', id: integrationId, label: this.integrations.get(integrationId)?.name ?? integrationId },
          summary: `${stats.deliveries} alert deliveries, ${stats.alerts} new alert(s)`,
          data: { deliveries: stats.deliveries, newAlerts: stats.alerts, throughBatch: last },
        });
      }
      await eventsRepo.setWatermark(uow.trx, WATERMARK, last, at);
    });
    for (const incident of changes.incidents) {
      incident.isNew = false;
      incident.dirty = false;
    }
  }
}
