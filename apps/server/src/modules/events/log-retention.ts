import { systemActor } from '../../platform/activity/activity-spine.js';
import type { ModuleDeps } from '../../platform/module-deps.js';
import { eventsRepo } from './events.repo.js';
import { relaxedTransaction } from './relaxed-commit.js';

const DAY_MS = 24 * 3600_000;
/** Batches deleted per transaction, so a pass never holds the write lock for long. */
const PRUNE_CHUNK = 500;
/** Once the log is pruned up to date, the next pass starts this much later. */
export const PRUNE_PASS_EVERY_MS = 10 * 60_000;

/**
 * Deletes intake-log batches older than the retention once the pipeline has processed them
 * (docs/adr/0005, "Intake log retention"). The log is the durable record of what was sent
 * until its effects are stored; after that it serves replay after a crash (never of
 * processed rows) and the integration page's last events. Without this it grew by a few
 * hundred bytes per alert delivered, forever.
 */
export class LogRetention {
  private nextPassAt = 0;

  constructor(
    private readonly deps: Pick<ModuleDeps, 'database' | 'spine'>,
    /** 0 keeps the log forever. */
    private readonly retentionDays: number,
    private readonly chunk = PRUNE_CHUNK,
  ) {}

  /**
   * Deletes at most one chunk of the oldest batches received before the retention and
   * processed (ids up to `processedThrough`); returns how many. The pipeline calls it when it
   * has nothing else to do, so a storm is never slowed by it.
   */
  async step(processedThrough: number, now = Date.now()): Promise<number> {
    if (this.retentionDays <= 0 || now < this.nextPassAt) return 0;
    const receivedBefore = now - this.retentionDays * DAY_MS;
    const heads = await eventsRepo.oldestLogHeads(this.deps.database.db, processedThrough, this.chunk);
    // Ids follow arrival closely but not exactly (several instances append on PostgreSQL):
    // only the run of expired batches at the head goes, the rest waits for its turn.
    let expired = 0;
    let alerts = 0;
    while (expired < heads.length && heads[expired].received_at < receivedBefore) alerts += heads[expired++].alert_count;
    if (expired < this.chunk) this.nextPassAt = now + PRUNE_PASS_EVERY_MS;
    if (expired === 0) return 0;
    const throughBatch = Number(heads[expired - 1].id);
    // A deletion lost to a crash only leaves old batches for the next pass: no flush awaited.
    await relaxedTransaction(this.deps, async (uow) => {
      await eventsRepo.deleteLogThrough(uow.trx, throughBatch);
      await this.deps.spine.record(uow, systemActor, {
        verb: 'alerts.log_pruned',
        subject: { type: 'intake_log', id: 'event_log', label: 'intake log' },
        summary: `${expired} intake batch(es) with ${alerts} alert deliveries, received before ${new Date(receivedBefore).toISOString()}, deleted (retention: ${this.retentionDays} days)`,
        data: { batches: expired, alerts, throughBatch, receivedBefore, retentionDays: this.retentionDays },
      });
    });
    return expired;
  }
}
