import { Worker } from 'node:worker_threads';
import type { ErrorCode } from '@opsloom/api';
import { AppError } from '../../platform/errors.js';
import { unflattenBatch } from './alert-batch.js';
import { workerScript } from '../../platform/threads/worker-script.js';
import { type IntakeKind, parseIntake } from './intake-parse.js';
import type { ParseReply, ParseRequest } from './intake-parse.worker.js';
import type { NormalizedAlert } from './normalized.js';

/** Normalised alerts, and their JSON when a thread made it (the intake log stores it as is). */
export interface ParsedBatch {
  alerts: NormalizedAlert[];
  body?: string;
}

export interface IntakeParser {
  /** Parses a batch body; throws the `AppError` its route answers with (400, naming the field). */
  parse(kind: IntakeKind, text: string, arrival: number): Promise<ParsedBatch>;
  close(): Promise<void>;
}

const failed = (error: { code: string; message: string; details?: unknown }) => new AppError(error.code as ErrorCode, error.message, error.details);

/** On the main thread (OPSLOOM_INTAKE_THREADS=0). */
function inProcessParser(): IntakeParser {
  return {
    parse: async (kind, text, arrival) => {
      const parsed = parseIntake(kind, text, arrival);
      if (!parsed.ok) throw failed(parsed.error);
      return { alerts: parsed.alerts };
    },
    close: async () => undefined,
  };
}

interface Thread {
  worker: Worker;
  pending: Map<number, { resolve: (batch: ParsedBatch) => void; reject: (error: unknown) => void }>;
}

/**
 * Intake threads (docs/adr/0005): JSON parsing, schema validation and normalisation of batch
 * bodies are most of what a request costs the main thread, and need no state, so they run
 * on worker threads. The answer crosses back as a flat array of primitives (alert-batch.ts),
 * which costs the main thread a fraction of the original work, with its JSON, which the log
 * stores as it is.
 */
class ThreadedParser implements IntakeParser {
  private readonly threads: Array<Thread | null>;
  private nextId = 1;
  private closed = false;

  constructor(count: number) {
    this.threads = Array.from({ length: count }, () => null);
  }

  parse(kind: IntakeKind, text: string, arrival: number): Promise<ParsedBatch> {
    if (this.closed) return Promise.reject(new AppError('unavailable', 'the server is shutting down'));
    const thread = this.leastBusy();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (thread.pending.size === 0) thread.worker.ref();
      thread.pending.set(id, { resolve, reject });
      thread.worker.postMessage({ id, kind, text, arrival } satisfies ParseRequest);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.threads.flatMap((thread) => (thread ? [thread.worker.terminate()] : [])));
  }

  private leastBusy(): Thread {
    let best = 0;
    for (let i = 0; i < this.threads.length; i++) {
      const thread = this.threads[i];
      if (!thread) return this.start(i);
      if (thread.pending.size < (this.threads[best]?.pending.size ?? 0)) best = i;
    }
    return this.threads[best] ?? this.start(best);
  }

  private start(slot: number): Thread {
    const { url, execArgv } = workerScript(import.meta.url, 'intake-parse.worker');
    const thread: Thread = { worker: new Worker(url, { execArgv, name: 'opsloom-intake' }), pending: new Map() };
    // Referenced only while a request waits on it: an idle intake thread never keeps the process alive.
    thread.worker.unref();
    thread.worker.on('message', (reply: ParseReply) => {
      const waiter = thread.pending.get(reply.id);
      thread.pending.delete(reply.id);
      if (thread.pending.size === 0) thread.worker.unref();
      if (!waiter) return;
      if (reply.ok) waiter.resolve({ alerts: unflattenBatch(reply.flat), body: reply.body });
      else waiter.reject(failed(reply.error));
    });
    const fail = (error: unknown) => {
      // Started again on the next request; what it held is answered 503 and retried by the sender.
      if (this.threads[slot] === thread) this.threads[slot] = null;
      for (const waiter of thread.pending.values()) waiter.reject(new AppError('unavailable', `an intake thread stopped (${String(error)}); retry`));
      thread.pending.clear();
    };
    thread.worker.on('error', fail);
    thread.worker.on('exit', (code) => fail(`exit code ${code}`));
    this.threads[slot] = thread;
    return thread;
  }
}

/** `threads` 0: parse on the main thread; otherwise on that many intake threads, started on first use. */
export function createIntakeParser(threads: number): IntakeParser {
  return threads > 0 ? new ThreadedParser(threads) : inProcessParser();
}
