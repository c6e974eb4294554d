import { committedTransaction } from '../../platform/db/durable-commit.js';
import type { ModuleDeps } from '../../platform/module-deps.js';
import { truncate } from '../../platform/text.js';
import type { EventsMetrics } from './events.metrics.js';
import { eventsRepo } from './events.repo.js';
import type { IntakeAdmission } from './intake-admission.js';
import type { NormalizedAlert } from './normalized.js';
import { COMMAND_SOURCE, type PipelineCommand } from './pipeline-commands.js';
import { WATERMARK } from './pipeline-writes.js';

interface Pending {
  integrationId: string;
  alerts: NormalizedAlert[];
  command?: PipelineCommand;
  receivedAt: number;
  resolve: (logId: number) => void;
  reject: (error: unknown) => void;
}

/** Alerts of recently committed batches kept for the pipeline (see `takeFresh`). */
const MAX_FRESH_ALERTS = 20_000;

/**
 * The durable intake log with group commit: requests parsed in the same turn of the event
 * loop share a transaction, batches committed while a flush is running share the next one,
 * and each request is answered only after a flush that covers its batch.
 */
export class IntakeLog {
  private queue: Pending[] = [];
  private flushing = false;
  private following = false;
  /**
   * Batches this process committed, by log id, so the pipeline (when it runs here) need not
   * read back and re-parse what it was just handed. A cache only: the log row is the truth,
   * the pipeline reads it from storage for any id not here (replay, other instances). Bounded.
   */
  private readonly fresh = new Map<number, NormalizedAlert[]>();
  private freshAlerts = 0;

  constructor(
    private readonly deps: ModuleDeps,
    private readonly onAppended: () => void,
    /** Who may append when the pipeline falls behind, and what is still unprocessed. */
    readonly admission: IntakeAdmission,
    private readonly metrics: Pick<EventsMetrics, 'committed'> | null = null,
  ) {}

  /** Alerts accepted by this process and not yet processed by the pipeline. */
  get backlog(): number {
    return this.admission.backlog;
  }

  /** Appends a batch durably once admitted (intake-admission.ts); resolves with its log id. */
  async append(integrationId: string, alerts: NormalizedAlert[], receivedAt: number): Promise<number> {
    await this.admission.admit(alerts.length);
    return this.enqueue({ integrationId, alerts, receivedAt });
  }

  /** Appends a command for the pipeline (pipeline-commands.ts), durably; resolves with its log id. */
  appendCommand(command: PipelineCommand): Promise<number> {
    return this.enqueue({ integrationId: COMMAND_SOURCE, alerts: [], command, receivedAt: command.at });
  }

  private enqueue(entry: Omit<Pending, 'resolve' | 'reject'>): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ ...entry, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        // One turn of the event loop lets requests parsed together share the commit.
        setImmediate(() => void this.flush());
      }
    });
  }

  /** The committed batch with this log id, if still cached; removes it and everything older. */
  takeFresh(logId: number): NormalizedAlert[] | undefined {
    const alerts = this.fresh.get(logId);
    for (const [id, batch] of this.fresh) {
      if (id > logId) break;
      this.fresh.delete(id);
      this.freshAlerts -= batch.length;
    }
    return alerts;
  }

  private keepFresh(logId: number, alerts: NormalizedAlert[]): void {
    this.fresh.set(logId, alerts);
    this.freshAlerts += alerts.length;
    for (const [id, batch] of this.fresh) {
      if (this.freshAlerts <= MAX_FRESH_ALERTS) break;
      this.fresh.delete(id);
      this.freshAlerts -= batch.length;
    }
  }

  /** The pipeline stored the effects of every log row up to `watermark`. */
  processedThrough(watermark: number): void {
    this.admission.processedThrough(watermark);
  }

  /**
   * Where another instance runs the pipeline: reads how far it got. One read at a time, so a
   * slow database does not pile reads up; an unreachable one waits for the next call.
   */
  async followStoredWatermark(): Promise<void> {
    if (this.following) return;
    this.following = true;
    try {
      this.processedThrough(await eventsRepo.watermark(this.deps.database.db, WATERMARK));
    } catch {
      // The database is away; the next poll reads it again.
    } finally {
      this.following = false;
    }
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      const started = performance.now();
      let durable: Promise<void>;
      try {
        const rows = batch.map((p) => ({
          integration_id: p.integrationId, received_at: p.receivedAt, alert_count: p.alerts.length,
          sample: truncate(p.command?.kind ?? p.alerts[0]?.summary ?? '', 200), body: JSON.stringify(p.command ?? p.alerts),
        }));
        const committed = await committedTransaction(this.deps.database, (trx) => eventsRepo.appendLog(trx, rows, this.deps.database.sqlite));
        const ids = committed.result;
        durable = committed.durable.then(() => batch.forEach((p, i) => p.resolve(ids[i])));
        batch.forEach((p, i) => {
          if (p.command) return;
          this.admission.committed(p.alerts.length, ids[i]);
          this.keepFresh(ids[i], p.alerts);
        });
      } catch (error) {
        for (const p of batch) {
          if (!p.command) this.admission.committed(p.alerts.length, null);
          p.reject(error);
        }
        this.onAppended();
        continue;
      }
      // The pipeline may process the batches while the WAL is flushed: on this disk a flush can
      // take hundreds of milliseconds while a checkpoint's writes go out, and the alerts are
      // visible in incidents meanwhile. Nobody is answered before the flush, and the next
      // batches commit without waiting for it (the flush covers them all, or the next one does).
      this.onAppended();
      // A failed flush leaves the batches in the log, where the pipeline processes them; the
      // senders get an error and retry, and dedup folds the copies.
      void durable.then(
        () => this.metrics?.committed((performance.now() - started) / 1000),
        (error: unknown) => batch.forEach((p) => p.reject(error)),
      );
    }
    this.flushing = false;
  }
}
