import type { Kysely } from 'kysely';
import type pg from 'pg';
import { loadPg } from '../db/database.js';
import type { Database } from '../db/schema.js';
import type { ActivityBus } from './activity-bus.js';
import { decodeActivityRow } from './activity-row.js';
import { ACTIVITY_CHANNEL } from './activity-spine.js';

export interface RelayLogger {
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

/**
 * Carries committed activity from every server process to this one's bus: LISTEN on a
 * dedicated connection, then load the announced rows in batches. Reconnects with backoff;
 * records committed while disconnected are caught up by id.
 */
export class PostgresActivityRelay {
  private client: pg.Client | null = null;
  private pending: number[] = [];
  private flushing = false;
  private lastDeliveredId = 0;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly url: string,
    private readonly db: Kysely<Database>,
    private readonly bus: ActivityBus,
    private readonly log: RelayLogger,
  ) {}

  async start(): Promise<void> {
    const latest = await this.db.selectFrom('activity').select((eb) => eb.fn.max('id').as('max')).executeTakeFirst();
    this.lastDeliveredId = Number(latest?.max ?? 0);
    await this.connect();
  }

  private async connect(): Promise<void> {
    const client = new (loadPg().Client)({ connectionString: this.url });
    client.on('notification', (message) => {
      if (message.channel !== ACTIVITY_CHANNEL || !message.payload) return;
      this.pending.push(Number(message.payload));
      void this.flush();
    });
    client.on('error', (error) => {
      this.log.warn({ err: error }, 'activity relay connection lost; reconnecting');
      this.reconnectSoon();
    });
    await client.connect();
    await client.query(`LISTEN ${ACTIVITY_CHANNEL}`);
    this.client = client;
    // Anything committed while we were not listening.
    this.pending.push(Number.MAX_SAFE_INTEGER);
    void this.flush();
  }

  private reconnectSoon(): void {
    if (this.stopped || this.retryTimer) return;
    const old = this.client;
    this.client = null;
    old?.end().catch(() => undefined);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect().catch((error: unknown) => {
        this.log.error({ err: error }, 'activity relay reconnect failed');
        this.reconnectSoon();
      });
    }, 1000);
  }

  /**
   * Loads the announced records by id. Ids are taken from a sequence before commit, so
   * they may commit out of order: each notification names its own record rather than a
   * range. After a reconnect, everything above the highest id seen is caught up.
   */
  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, 500);
        const catchUp = batch.includes(Number.MAX_SAFE_INTEGER);
        const ids = batch.filter((id) => id !== Number.MAX_SAFE_INTEGER);
        const announced = ids.length > 0 ? await this.db.selectFrom('activity').selectAll().where('id', 'in', ids).execute() : [];
        const missed = catchUp
          ? await this.db.selectFrom('activity').selectAll().where('id', '>', this.lastDeliveredId).orderBy('id').limit(5000).execute()
          : [];
        const rows = [...new Map([...announced, ...missed].map((row) => [row.id, row])).values()].sort((a, b) => a.id - b.id);
        for (const row of rows) {
          this.lastDeliveredId = Math.max(this.lastDeliveredId, row.id);
          this.bus.publish(decodeActivityRow(row));
        }
      }
    } catch (error) {
      this.log.error({ err: error }, 'activity relay failed to load records');
    } finally {
      this.flushing = false;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.client?.end().catch(() => undefined);
  }
}
