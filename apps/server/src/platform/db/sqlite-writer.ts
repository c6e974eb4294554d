import { AsyncLocalStorage } from 'node:async_hooks';
import { Worker } from 'node:worker_threads';
import type SqliteDatabase from 'better-sqlite3';
import {
  CompiledQuery, type DatabaseConnection, type Dialect, type Driver, type QueryResult, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler,
} from 'kysely';
import type { BatchStatement, WriterReply, WriterRequest } from './sqlite-writer-protocol.js';

export type { BatchStatement };

type Pending = { resolve: (reply: WriterReply) => void; reject: (error: unknown) => void };
type Synchronous = 'FULL' | 'EXTRA' | 'NORMAL';

/** An error raised by SQLite on the writer thread, with SQLite's code as better-sqlite3 gives it. */
export class WriterSqliteError extends Error {
  constructor(message: string, readonly code: string | null) {
    super(message);
    this.name = 'SqliteError';
  }
}

const BATCH = '/* opsloom:batch */';

/**
 * Several write statements as one query for Kysely (`db.executeQuery(sqliteBatch(...))`): the
 * writer thread runs them in order in one round trip. SQLite only; values must be
 * strings, finite numbers or null.
 */
export function sqliteBatch(statements: BatchStatement[]): CompiledQuery {
  return CompiledQuery.raw(BATCH, statements);
}

const encoder = new TextEncoder();

/** How transactions started in this async context commit (`runWith`). */
export interface CommitMode {
  /** Commit without waiting for the disk (SQLite `synchronous = NORMAL` for the transaction). */
  relaxed: boolean;
  /**
   * Statements that return no rows are queued and sent with the next statement that does,
   * or with the commit: a transaction of many writes costs a few round trips to the writer
   * thread instead of one per statement. Their errors surface at that later statement, so
   * only for transactions whose code does not look at a write's own result.
   */
  writeBehind: boolean;
}

const commitModes = new AsyncLocalStorage<CommitMode>();

/** Runs `work` so that the SQLite transactions it starts use `mode` (no effect on PostgreSQL). */
export function runWithCommitMode<T>(mode: CommitMode, work: () => Promise<T>): Promise<T> {
  return commitModes.run(mode, work);
}

/**
 * The main thread's end of the writer thread: numbered requests, answered in order. The
 * worker is referenced only while a request is outstanding, so an idle writer never keeps
 * the process alive and a waiting one always does.
 */
class WriterChannel {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private failure: Error | null = null;
  private closing = false;

  constructor(private readonly workerData: { file: string; synchronous: Synchronous }) {}

  request(message: WriterRequest extends infer R ? (R extends WriterRequest ? Omit<R, 'id'> : never) : never): Promise<WriterReply> {
    if (this.failure) return Promise.reject(this.failure);
    const worker = (this.worker ??= this.start());
    const id = this.nextId++;
    return new Promise<WriterReply>((resolve, reject) => {
      if (this.pending.size === 0) worker.ref();
      this.pending.set(id, { resolve, reject });
      const payload = message.op === 'batch' ? message.statements : message.op === 'query' ? message.parameters : null;
      // Encoded payloads are handed over, not copied.
      const whole = payload instanceof Uint8Array && payload.byteOffset === 0 && payload.byteLength === payload.buffer.byteLength;
      worker.postMessage({ ...message, id }, whole ? [payload.buffer as ArrayBuffer] : []);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker || this.failure) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    // Referenced until it has exited, or the process could end mid-close.
    this.closing = true;
    worker.ref();
    await this.request({ op: 'close' });
    await exited;
  }

  private start(): Worker {
    // From source under tests (Node strips the types), from dist in production.
    const script = new URL(import.meta.url.endsWith('.ts') ? './sqlite-writer.worker.ts' : './sqlite-writer.worker.js', import.meta.url);
    const worker = new Worker(script, { workerData: this.workerData });
    worker.unref();
    worker.on('message', (reply: WriterReply) => this.settle(reply));
    worker.on('error', (error: Error) => this.fail(error));
    worker.on('exit', (code) => this.fail(new Error(`the SQLite writer thread exited (code ${code})`)));
    return worker;
  }

  private settle(reply: WriterReply): void {
    const waiter = this.pending.get(reply.id);
    if (!waiter) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0 && !this.closing) this.worker?.unref();
    if (reply.error) waiter.reject(new WriterSqliteError(reply.error.message, reply.error.code));
    else waiter.resolve(reply);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}

/** First come, first served; the writer connection runs one transaction (or one autocommit write) at a time. */
class WriterLock {
  private tail: Promise<void> = Promise.resolve();

  acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => (release = resolve));
    const granted = this.tail.then(() => release);
    this.tail = next;
    return granted;
  }
}

/**
 * One logical connection. Outside a transaction, read-only statements run on the main
 * thread's connection (readers never wait for the writer in WAL mode) and every other
 * statement on the writer, holding the writer lock for that statement. Inside a
 * transaction everything runs on the writer, so a transaction reads its own writes.
 */
class RoutingConnection implements DatabaseConnection {
  private release: (() => void) | null = null;
  private relaxed = false;
  private writeBehind = false;
  private queued: BatchStatement[] = [];

  constructor(private readonly shared: Shared) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    if (compiled.sql === BATCH) return this.batch<R>(compiled.parameters as BatchStatement[]);
    if (!this.release) {
      const statement = this.shared.reader(compiled.sql);
      if (statement.readonly) return { rows: (statement.reader ? statement.all(compiled.parameters) : []) as R[] };
      const release = await this.shared.lock.acquire();
      try {
        return await this.onWriter<R>(compiled.sql, compiled.parameters);
      } finally {
        release();
      }
    }
    if (this.writeBehind && jsonSafe(compiled.parameters) && !this.shared.reader(compiled.sql).reader) {
      this.queued.push({ sql: compiled.sql, parameters: compiled.parameters as unknown[] });
      return { rows: [] };
    }
    return this.onWriter<R>(compiled.sql, compiled.parameters);
  }

  async begin(): Promise<void> {
    this.release = await this.shared.lock.acquire();
    const mode = commitModes.getStore();
    this.relaxed = this.shared.synchronous !== 'NORMAL' && mode?.relaxed === true;
    this.writeBehind = mode?.writeBehind === true;
    if (this.relaxed) this.queued.push({ sql: 'pragma synchronous = NORMAL', parameters: [] });
    this.queued.push({ sql: 'begin immediate', parameters: [] });
    if (this.writeBehind) return;
    try {
      await this.flush();
    } catch (error) {
      await this.end();
      throw error;
    }
  }

  async finish(command: 'commit' | 'rollback'): Promise<void> {
    // Kysely rolls back after a failed commit; that commit already rolled back and ended.
    if (!this.release) return;
    try {
      if (command === 'rollback') this.queued = [];
      this.queued.push({ sql: command, parameters: [] });
      if (this.relaxed) this.queued.push({ sql: `pragma synchronous = ${this.shared.synchronous}`, parameters: [] });
      await this.flush();
      this.relaxed = false;
    } catch (error) {
      // A failed commit (or a queued write failing with it) leaves the transaction open.
      if (command === 'commit') await this.shared.channel.request({ op: 'query', sql: 'rollback', parameters: [] }).catch(() => undefined);
      throw error;
    } finally {
      await this.end();
    }
  }

  // eslint-disable-next-line require-yield -- part of the interface; nothing streams here
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming queries are not supported on SQLite');
  }

  private async end(): Promise<void> {
    this.queued = [];
    try {
      if (this.relaxed) await this.onWriter(`pragma synchronous = ${this.shared.synchronous}`, []);
    } finally {
      this.relaxed = false;
      this.writeBehind = false;
      this.release?.();
      this.release = null;
    }
  }

  private async batch<R>(statements: BatchStatement[]): Promise<QueryResult<R>> {
    if (this.release && this.writeBehind) {
      for (const statement of statements) this.queued.push(statement);
      return { rows: [] };
    }
    const release = this.release ? null : await this.shared.lock.acquire();
    try {
      const all = this.queued.length > 0 ? [...this.queued, ...statements] : statements;
      this.queued = [];
      return this.result<R>(await this.shared.channel.request({ op: 'batch', statements: encoder.encode(JSON.stringify(all)) }));
    } finally {
      release?.();
    }
  }

  private async flush(): Promise<void> {
    if (this.queued.length === 0) return;
    const statements = this.queued;
    this.queued = [];
    await this.shared.channel.request({ op: 'batch', statements: encoder.encode(JSON.stringify(statements)) });
  }

  /** Runs one statement on the writer, after (and in the same message as) whatever is queued. */
  private async onWriter<R>(sql: string, parameters: readonly unknown[]): Promise<QueryResult<R>> {
    if (this.queued.length > 0 && jsonSafe(parameters)) {
      const statements = this.queued;
      this.queued = [];
      statements.push({ sql, parameters: parameters as unknown[] });
      return this.result<R>(await this.shared.channel.request({ op: 'batch', statements: encoder.encode(JSON.stringify(statements)) }));
    }
    await this.flush();
    return this.result<R>(await this.shared.channel.request({ op: 'query', sql, parameters: jsonSafe(parameters) ? encoder.encode(JSON.stringify(parameters)) : parameters }));
  }

  private result<R>(reply: WriterReply): QueryResult<R> {
    return {
      rows: reply.rows as R[],
      ...(reply.changes === undefined ? {} : { numAffectedRows: BigInt(reply.changes) }),
      ...(reply.lastInsertRowid === undefined ? {} : { insertId: BigInt(reply.lastInsertRowid) }),
    };
  }
}

function jsonSafe(parameters: readonly unknown[]): boolean {
  for (const value of parameters) {
    const type = typeof value;
    if (value !== null && type !== 'string' && !(type === 'number' && Number.isFinite(value))) return false;
  }
  return true;
}

interface Shared {
  channel: WriterChannel;
  lock: WriterLock;
  synchronous: Synchronous;
  reader(sql: string): SqliteDatabase.Statement;
}

class RoutingDriver implements Driver {
  constructor(private readonly shared: Shared, private readonly main: SqliteDatabase.Database) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new RoutingConnection(this.shared);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as RoutingConnection).begin();
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as RoutingConnection).finish('commit');
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as RoutingConnection).finish('rollback');
  }

  async releaseConnection(): Promise<void> {}

  async destroy(): Promise<void> {
    await this.shared.channel.close();
    this.main.close();
  }
}

/**
 * SQLite with one writer thread (docs/adr/0009): the main thread's connection only reads;
 * every write and every transaction runs on a second connection on a worker thread, one at
 * a time. Statements, commits and fsyncs of the alert pipeline's tens of thousands of rows a
 * second run on the other core, and the event loop never waits for SQLite's write lock.
 */
export class SqliteWriterDialect implements Dialect {
  private readonly shared: Shared;

  constructor(private readonly main: SqliteDatabase.Database, file: string, synchronous: Synchronous) {
    const statements = new Map<string, SqliteDatabase.Statement>();
    this.shared = {
      channel: new WriterChannel({ file, synchronous }),
      lock: new WriterLock(),
      synchronous,
      reader: (sql) => {
        let statement = statements.get(sql);
        if (!statement) {
          statement = main.prepare(sql);
          // Bulk statements differ by shape only; a bounded cache keeps memory flat.
          if (statements.size > 1000) statements.clear();
          statements.set(sql, statement);
        }
        return statement;
      },
    };
  }

  createAdapter() {
    return new SqliteAdapterWithConnections();
  }

  createDriver(): Driver {
    return new RoutingDriver(this.shared, this.main);
  }

  createIntrospector(db: Parameters<Dialect['createIntrospector']>[0]) {
    return new SqliteIntrospector(db);
  }

  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }
}

/** Reads run side by side on the main connection; writes queue on the writer lock, not Kysely's one-connection mutex. */
class SqliteAdapterWithConnections extends SqliteAdapter {
  override get supportsMultipleConnections(): boolean {
    return true;
  }
}
