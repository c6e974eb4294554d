import type { Config } from '../../config.js';
import type { ActivityRow } from '../../platform/activity/activity-row.js';
import type { DatabaseOptions } from '../../platform/db/database.js';
import type { PipelineCommand } from './pipeline-commands.js';

/** What the pipeline thread is started with (structured-cloned). */
export interface PipelineThreadData {
  config: Config;
  database: DatabaseOptions;
}

/** Main thread → pipeline thread. `id` numbers a request; the answer carries it back. */
export type ToPipelineThread =
  | { op: 'append'; id: number; integrationId: string; body: string; alertCount: number; receivedAt: number }
  | { op: 'command'; id: number; command: PipelineCommand }
  | { op: 'drain'; id: number }
  | { op: 'close'; id: number }
  /** A record committed by the main thread: the thread's CMDB graph follows it like another instance would. */
  | { op: 'activity'; row: ActivityRow };

/** Pipeline thread → main thread. */
export type FromPipelineThread =
  | { op: 'ready'; processedId: number }
  | { op: 'done'; id: number; logId: number | null }
  | { op: 'failed'; id: number; error: { code: string | null; message: string } }
  /** After each pipeline run: the last log id processed, and how many alerts it took. */
  | { op: 'progress'; processedId: number; alerts: number }
  /** A record the pipeline committed, for the main thread's live stream. */
  | { op: 'activity'; row: ActivityRow };
