import type pg from 'pg';
import { loadPg } from '../../platform/db/database.js';

// Any fixed 64-bit number; it names "the alert pipeline" among PostgreSQL advisory locks.
const PIPELINE_LOCK = 0x6f70736c6f6f6d1n.toString();

/**
 * On PostgreSQL several Opsloom instances may share one database: all accept and log
 * alerts, only the holder of this session-level advisory lock runs the pipeline (the
 * in-memory dedup and correlation state must have one owner). The lock dies with the
 * session, so another instance takes over within one retry interval after a crash.
 */
export class PipelineLeadership {
  private client: pg.Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly postgresUrl: string,
    private readonly onLeader: () => Promise<void>,
    private readonly retryMs = 2000,
  ) {}

  async start(): Promise<void> {
    if (this.stopped) return;
    try {
      const client = new (loadPg().Client)({ connectionString: this.postgresUrl });
      await client.connect();
      const result = await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1::bigint) as ok', [PIPELINE_LOCK]);
      if (result.rows[0]?.ok) {
        this.client = client;
        client.on('error', () => undefined);
        await this.onLeader();
        return;
      }
      await client.end();
    } catch {
      // Database unreachable: try again later like a follower.
    }
    if (!this.stopped) this.timer = setTimeout(() => void this.start(), this.retryMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.client?.end().catch(() => undefined);
  }
}
