import type { FastifyBaseLogger } from 'fastify';
import { isDataError } from '../../platform/db/errors.js';
import type { ModuleDeps } from '../../platform/module-deps.js';
import type { IncidentsService } from '../incidents/index.js';
import { alertIdFloor } from './alert-ids.js';
import { AlertProcessor, ChangeSet, RECENT_LIMIT } from './alert-processor.js';
import type { AlertRetention } from './alert-retention.js';
import type { CorrelationOptions, IncidentState } from './correlation-state.js';
import { Correlator } from './correlator.js';
import type { EventsMetrics } from './events.metrics.js';
import { eventsRepo } from './events.repo.js';
import type { IntakeLog } from './intake-log.js';
import type { LogRetention } from './log-retention.js';
import type { NormalizedAlert } from './normalized.js';
import { COMMAND_SOURCE, type PipelineCommand } from './pipeline-commands.js';
import { incidentFromRow } from './pipeline-state.js';
import { AddedAlertsThrottle, type RunWrites, setAsideLogRow, snapshotRun, storeRun, WATERMARK } from './pipeline-writes.js';
import type { TopologyView } from './topology.js';

// Bounded so one transaction stays short and the first incidents show within a second.
const MAX_ALERTS_PER_RUN = 2000;
// Runs are at least this far apart under load: fewer, larger transactions leave the one
// SQLite connection to intake commits most of the time (latency budget: 1 s, target 250 ms).
const MIN_RUN_GAP_MS = 25;
/** Alerts processed that make a full collection worth its pause once the storm is over. */
const COLLECT_AFTER_ALERTS = 50_000;
// Resolved alerts a restart remembers for late re-deliveries: those created in the last day.
const RESOLVED_REMEMBERED_MS = 24 * 3600_000;
// A restart reads an alert through the incident index for about the cost of scanning 5 to 10
// (1.6-3.1 us against 0.32 per row, `npm run bench:alert-retention`).
const INDEX_READ_COST = 8;

type LogHead = Awaited<ReturnType<typeof eventsRepo.readLogHeadsAfter>>[number];

/** A processed run on its way to storage. */
interface StoringRun {
  rows: LogHead[];
  writes: RunWrites;
  alerts: number;
  /** Seconds spent processing it in memory. */
  processedIn: number;
  counts: { created: number; opened: number; merged: number; resolvedByAlerts: number; resolvedByHand: number };
  /** Resolves once committed, with the seconds storing took, or with the error that stopped it. */
  stored: Promise<{ storedIn: number } | { error: unknown }>;
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
  /** A run waiting on its store with nothing else to do, woken by new batches (wake). */
  private readonly wakeWaiters: Array<() => void> = [];
  private readonly integrations = new Map<string, { teamId: string | null; name: string }>();
  private lastRunAt = 0;
  private current: Promise<void> = Promise.resolve();
  private readonly addedThrottle = new AddedAlertsThrottle();
  /**
   * The state must be rebuilt from storage before the next run: set while a run is applied
   * in memory (an exception half-way leaves it set) and when storing a run fails.
   */
  private stale = false;
  /** The last log row processed in memory; ahead of `watermark` while runs are being stored. */
  private readThrough = 0;
  /** The run being stored, if any. */
  private storing: StoringRun | null = null;
  /**
   * On PostgreSQL the next run is processed while the one before is being stored: a run's
   * statements wait on the database and on the event loop, not on this thread's CPU
   * (docs/adr/0005). Runs are still stored one after the other, in order. On SQLite storing is
   * this thread's own work, so nothing would overlap.
   */
  private readonly overlapStores: boolean;
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
    private readonly retention: { log: LogRetention; alerts: AlertRetention } | null = null,
  ) {
    this.overlapStores = deps.database.kind === 'postgres';
  }

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
      for (const waiter of this.wakeWaiters.splice(0)) waiter();
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

  /** The last log row whose effects are stored, and the last one processed in memory (ahead while a run is being stored). */
  progress(): { stored: number; processed: number } {
    return { stored: this.watermark, processed: this.readThrough };
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
    const rows = await this.incidents.openRows();
    const stored = await eventsRepo.correlationRows(db, rows.map((row) => row.id));
    for (const row of rows) {
      const { incident, firstAlertAt } = incidentFromRow(row, stored.get(row.id), this.topology);
      open.set(incident.id, incident);
      correlator.restore(incident, firstAlertAt);
    }
    for (const row of await eventsRepo.recentlyResolvedAlerts(db, alertIdFloor(Date.now() - RESOLVED_REMEMBERED_MS), RECENT_LIMIT)) {
      processor.restoreResolved(row.integration_id, row.dedup_key, { id: row.id, startsAt: row.starts_at, count: row.count, teamId: row.team_id });
    }
    for (const row of await this.firingAlerts(rows)) {
      const incident = row.incident_id ? open.get(row.incident_id) ?? null : null;
      processor.restoreAlert(row.integration_id, row.dedup_key, { id: row.id, incident, ciId: row.ci_id, teamId: row.team_id, startsAt: row.starts_at, count: row.count });
    }
    this.watermark = watermark;
    this.readThrough = watermark;
    this.log.processedThrough(watermark);
    this.processor = processor;
    this.stale = false;
  }

  /**
   * Every firing alert, for `load`. A firing alert always belongs to an open incident or one
   * resolved by hand while it fired (which keeps counting its open alerts), so they can be read
   * through those incidents, without reading every alert ever kept: 31 ms against 327 ms for
   * 10,000 firing alerts among a million (`npm run bench:alert-retention`). That reads every
   * alert of those incidents, by index, which costs more per row than a scan: when they hold
   * most of the table (a million alerts open, `npm run bench:events`), the scan is faster.
   */
  private async firingAlerts(openRows: ReadonlyArray<{ id: string; alert_count: number }>) {
    const db = this.deps.database.db;
    const holding = [...openRows, ...await this.incidents.resolvedWithOpenAlerts()];
    const theirAlerts = holding.reduce((sum, row) => sum + Number(row.alert_count), 0);
    // An index read costs a few scanned rows; the estimate only chooses between two correct reads.
    if (theirAlerts * INDEX_READ_COST < await eventsRepo.alertRowsEstimate(db, this.deps.database.kind)) {
      return eventsRepo.firingAlertsOf(db, holding.map((row) => row.id));
    }
    return eventsRepo.firingAlerts(db);
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
    try {
      while (!this.stopped) {
        if (this.stale) await this.load();
        const wait = this.lastRunAt + MIN_RUN_GAP_MS - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        this.lastRunAt = Date.now();
        const started = performance.now();
        // After a run the database refused, batches go one at a time until past it (setAside).
        const heads = await eventsRepo.readLogHeadsAfter(this.deps.database.db, this.readThrough, this.isolateThrough > this.readThrough ? 1 : 200);
        if (heads.length === 0) {
          if (this.storing) {
            // Nothing new yet: whichever comes first, the store's end or new batches to process.
            const stored = await Promise.race([this.storing.stored.then(() => true), new Promise<false>((resolve) => this.wakeWaiters.push(() => resolve(false)))]);
            if (stored && !(await this.finishStoring())) return;
            continue;
          }
          await this.prune();
          // A storm's garbage goes back once it is over (docs/adr/0009).
          this.deps.collector.idle();
          return;
        }
        const rows: LogHead[] = [];
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
        // Applying a run in memory half-way and failing (an exception) leaves the state to rebuild.
        this.stale = true;
        let last = this.readThrough;
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
        const writes = snapshotRun(changes, { last, throttle: this.addedThrottle, integrationName: (id) => this.integrations.get(id)?.name ?? id });
        this.stale = false;
        this.readThrough = last;
        const processedIn = (performance.now() - started) / 1000;
        // Stored in order, one transaction at a time: this run's starts once the one before committed.
        if (this.storing && !(await this.finishStoring())) return;
        const storeStarted = performance.now();
        this.storing = {
          rows, writes, alerts, processedIn,
          counts: {
            created: changes.newAlerts.length, opened: changes.opened.length, merged: changes.merges.length,
            resolvedByAlerts: changes.resolved.length, resolvedByHand: changes.resolvedByHand.length,
          },
          stored: storeRun(this.deps, this.incidents, writes).then(
            () => ({ storedIn: (performance.now() - storeStarted) / 1000 }),
            (error: unknown) => ({ error }),
          ),
        };
        if (!this.overlapStores && !(await this.finishStoring())) return;
      }
    } finally {
      // Nothing touches the database once the loop has returned (stop() waits for it).
      if (this.storing) await this.finishStoring();
    }
  }

  /**
   * Waits for the run being stored. False when storing it failed: the state is rebuilt from
   * what did commit (runs processed after it are dropped with it and processed again), and a
   * run the database refuses as data is isolated and set aside.
   */
  private async finishStoring(): Promise<boolean> {
    const run = this.storing;
    if (!run) return true;
    this.storing = null;
    const outcome = await run.stored;
    if ('storedIn' in outcome) {
      this.watermark = run.writes.last;
      this.log.processedThrough(this.watermark);
      this.deps.collector.did(run.alerts, COLLECT_AFTER_ALERTS);
      this.metrics?.processed({
        receivedAt: run.rows.filter((row) => row.integration_id !== COMMAND_SOURCE).map((row) => row.received_at),
        seconds: run.processedIn + outcome.storedIn,
        ...run.counts,
      });
      return true;
    }
    const { error } = outcome;
    // Memory is ahead of storage now: rebuild it from what did commit and retry later.
    this.stale = true;
    this.logger.error({ err: error }, 'alert pipeline: persisting failed; reloading state');
    await this.load();
    // The database refusing the data itself (not being down) fails the same way on every
    // retry, and would hold up every batch after it: find the batch and set it aside.
    if (isDataError(error)) {
      if (run.rows.length > 1) this.isolateThrough = run.writes.last;
      else await this.setAside(run.rows[0], error);
    }
    return false;
  }

  /**
   * Old processed batches and old resolved alerts go, a chunk of each at a time, when there is
   * nothing to process (log-retention.ts, alert-retention.ts); the poll wakes the pipeline for
   * the next chunk. A failure waits for the next idle moment. Here, between runs, a chunk never
   * meets a run changing the alerts it looks at.
   */
  private async prune(): Promise<void> {
    try {
      await this.retention?.log.step(this.watermark);
    } catch (error) {
      this.logger.error({ err: error }, 'alert pipeline: pruning the intake log failed; retrying later');
    }
    try {
      await this.retention?.alerts.step();
    } catch (error) {
      this.logger.error({ err: error }, 'alert pipeline: deleting alerts past their retention failed; retrying later');
    }
  }

  /** Sets one refused log row aside (setAsideLogRow); a failure to do so is retried on the next run. */
  private async setAside(row: { id: number | string; integration_id: string; alert_count: number }, error: unknown): Promise<void> {
    try {
      await setAsideLogRow(this.deps, row, error, (await this.integrationOf(row.integration_id)).name);
    } catch (failure) {
      this.logger.error({ err: failure }, 'alert pipeline: could not set a refused batch aside; retrying later');
      return;
    }
    this.logger.error({ err: error, logId: Number(row.id) }, 'alert pipeline: a batch the database refuses was set aside; it stays in the intake log');
    this.watermark = Number(row.id);
    this.readThrough = this.watermark;
    this.log.processedThrough(this.watermark);
    this.metrics?.setAside();
  }
}
