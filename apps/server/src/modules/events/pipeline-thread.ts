import { Worker } from 'node:worker_threads';
import type { FastifyBaseLogger } from 'fastify';
import { AppError } from '../../platform/errors.js';
import type { ModuleDeps } from '../../platform/module-deps.js';
import { type AlertLog, backlogFull, DEFAULT_MAX_BACKLOG } from './intake-log.js';
import type { NormalizedAlert } from './normalized.js';
import type { PipelineCommand } from './pipeline-commands.js';
import type { FromPipelineThread, PipelineThreadData, ToPipelineThread } from './pipeline-thread-protocol.js';

type Request = ToPipelineThread extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;
interface Waiter { resolve: (logId: number | null) => void; reject: (error: unknown) => void }

// A thread that died is started again after this long; its state is rebuilt from storage.
const RESTART_AFTER_MS = 1000;

const unavailable = () => new AppError('unavailable', 'the alert pipeline is restarting; retry in a second', {});

/**
 * The alert pipeline on its own thread (SQLite; docs/adr/0010-pipeline-thread.md). The
 * thread owns a second connection and every write of the events module: intake log
 * appends (durable before they are answered) and the pipeline's runs, in order on one
 * connection, so the two never wait for each other's write lock. This thread keeps HTTP,
 * parsing and validation; the two share the machine's cores instead of one doing all.
 * Activity records cross in both directions, so the live stream sees the pipeline's and
 * the thread's CMDB graph follows the API's changes.
 */
export class PipelineThread {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly waiters = new Map<number, Waiter>();
  private readonly processedWaiters = new Set<{ logId: number; resolve: () => void }>();
  private processedId = 0;
  private closing = false;
  private relaying = false;
  private unsubscribe: (() => void) | null = null;
  private logger: FastifyBaseLogger | null = null;
  /** Alerts accepted here and not yet processed by the thread. */
  private backlog = 0;

  readonly log: AlertLog;

  constructor(private readonly deps: ModuleDeps, maxBacklog = DEFAULT_MAX_BACKLOG) {
    const thread = this;
    this.log = {
      maxBacklog,
      append(integrationId: string, alerts: NormalizedAlert[], receivedAt: number): Promise<number> {
        if (thread.backlog + alerts.length > this.maxBacklog) throw backlogFull(thread.backlog);
        thread.backlog += alerts.length;
        // The log stores the alerts as JSON: made here, it crosses to the thread as one string.
        const appended = thread.request({ op: 'append', integrationId, body: JSON.stringify(alerts), alertCount: alerts.length, receivedAt });
        return appended.then((logId) => logId ?? 0, (error: unknown) => {
          thread.backlog -= alerts.length;
          throw error;
        });
      },
      appendCommand: (command: PipelineCommand) => this.request({ op: 'command', command }).then((logId) => logId ?? 0),
    };
  }

  /** Starts the thread and resolves once its pipeline has loaded its state and replayed the log. */
  async start(logger: FastifyBaseLogger): Promise<void> {
    this.logger = logger;
    this.unsubscribe = this.deps.bus.subscribe((row) => {
      if (!this.relaying) this.worker?.postMessage({ op: 'activity', row } satisfies ToPipelineThread);
    });
    await this.spawn();
  }

  /** Resolves once the log row `logId` (and everything before it) is processed, or after `timeoutMs`; true if processed. */
  async processedThrough(logId: number, timeoutMs: number): Promise<boolean> {
    if (this.processedId >= logId) return true;
    await new Promise<void>((resolve) => {
      const waiter = { logId, resolve: () => resolve() };
      const timer = setTimeout(() => {
        this.processedWaiters.delete(waiter);
        resolve();
      }, timeoutMs);
      waiter.resolve = () => {
        clearTimeout(timer);
        resolve();
      };
      this.processedWaiters.add(waiter);
    });
    return this.processedId >= logId;
  }

  async drained(): Promise<void> {
    if (this.worker) await this.request({ op: 'drain' });
  }

  /** Stops the pipeline after its current run and ends the thread; later appends answer 503. */
  async stop(): Promise<void> {
    this.closing = true;
    this.unsubscribe?.();
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    await this.request({ op: 'close' }).catch(() => undefined);
    await exited;
  }

  private spawn(): Promise<void> {
    // From source under tests (TypeScript loaded through source-hooks.mjs), from dist in production.
    const fromSource = import.meta.url.endsWith('.ts');
    const script = new URL(fromSource ? '../../pipeline-thread.worker.ts' : '../../pipeline-thread.worker.js', import.meta.url);
    const execArgv = fromSource ? ['--experimental-transform-types', '--no-warnings', '--import', new URL('../../platform/threads/source-hooks.mjs', import.meta.url).href] : [];
    const workerData: PipelineThreadData = { config: this.deps.config, database: this.deps.database.options };
    const worker = new Worker(script, { workerData, execArgv, name: 'opsloom-pipeline' });
    this.worker = worker;
    return new Promise<void>((resolve, reject) => {
      let ready = false;
      worker.on('message', (message: FromPipelineThread) => {
        if (message.op === 'ready') {
          ready = true;
          this.progress(message.processedId, 0);
          resolve();
        } else this.receive(message);
      });
      worker.on('error', (error) => this.logger?.error({ err: error }, 'alert pipeline thread failed'));
      worker.on('exit', (code) => {
        this.worker = null;
        for (const waiter of this.waiters.values()) waiter.reject(unavailable());
        this.waiters.clear();
        if (!ready) reject(new Error(`the alert pipeline thread exited while starting (code ${code})`));
        else if (!this.closing) {
          this.logger?.error({ code }, 'alert pipeline thread exited; restarting it');
          setTimeout(() => void this.spawn().catch((error: unknown) => this.logger?.error({ err: error }, 'alert pipeline thread did not restart')), RESTART_AFTER_MS);
        }
      });
    });
  }

  private receive(message: FromPipelineThread): void {
    switch (message.op) {
      case 'done':
      case 'failed': {
        const waiter = this.waiters.get(message.id);
        this.waiters.delete(message.id);
        if (message.op === 'done') waiter?.resolve(message.logId);
        else waiter?.reject(Object.assign(new Error(message.error.message), { code: message.error.code }));
        return;
      }
      case 'progress':
        this.progress(message.processedId, message.alerts);
        return;
      case 'activity':
        // Published here as if committed here; not sent back to the thread it came from.
        this.relaying = true;
        try {
          this.deps.bus.publish(message.row);
        } finally {
          this.relaying = false;
        }
        return;
      case 'ready':
        return;
    }
  }

  private progress(processedId: number, alerts: number): void {
    this.backlog = Math.max(0, this.backlog - alerts);
    this.processedId = Math.max(this.processedId, processedId);
    for (const waiter of this.processedWaiters) {
      if (waiter.logId > this.processedId) continue;
      this.processedWaiters.delete(waiter);
      waiter.resolve();
    }
  }

  private request(message: Request): Promise<number | null> {
    const worker = this.worker;
    if (!worker) return Promise.reject(unavailable());
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiters.set(id, { resolve, reject });
      worker.postMessage({ ...message, id } as ToPipelineThread);
    });
  }
}
