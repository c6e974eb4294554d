import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import type pgModule from 'pg';
import type { Database } from './schema.js';

export type DatabaseKind = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: DatabaseKind;
  /** The PostgreSQL connection string, for LISTEN/NOTIFY and the job engine; null on SQLite. */
  postgresUrl: string | null;
  /**
   * The raw better-sqlite3 connection (the one Kysely uses), null on PostgreSQL. Only for
   * repositories' hot bulk writes that reuse prepared statements (the alert pipeline inserts
   * tens of thousands of rows a second), always inside a Kysely transaction holding the
   * connection. Everything else goes through `db`.
   */
  sqlite: SqliteDatabase.Database | null;
  /**
   * SQLite at synchronous FULL/EXTRA: fsyncs the WAL (fdatasync on the libuv thread pool, not
   * the event loop), making every commit written so far durable. Lets `committedTransaction`
   * commit without the in-line fsync and share one sync among concurrent commits. Null on
   * PostgreSQL and at synchronous NORMAL (nothing to wait for).
   */
  syncWal: (() => Promise<void>) | null;
  /**
   * Starts background WAL checkpoints (SQLite; a no-op elsewhere and when already started).
   * Called by write-heavy paths (alert intake) on first use, so a quiet server does not pay
   * for the worker thread's memory.
   */
  enableBackgroundCheckpoints(): void;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string;
  dataDir: string;
  sqliteSynchronous?: 'FULL' | 'EXTRA' | 'NORMAL';
  /** Explicit SQLite file, for tests; defaults to `<dataDir>/opsloom.sqlite`. */
  sqliteFile?: string;
  poolSize?: number;
}

let pgLoaded: typeof pgModule | null = null;

/** node-postgres, loaded only in PostgreSQL mode: SQLite installations start faster without it. */
export function loadPg(): typeof pgModule {
  if (!pgLoaded) {
    pgLoaded = createRequire(import.meta.url)('pg') as typeof pgModule;
    // int8 (COUNT, bigint epoch milliseconds) arrives as a string by default; every such value
    // Opsloom stores fits in a double, and SQLite returns numbers, so both dialects agree.
    pgLoaded.types.setTypeParser(20, (value) => Number(value));
  }
  return pgLoaded;
}

export function openDatabase(options: DatabaseOptions): DatabaseHandle {
  if (options.databaseUrl) {
    const pool = new (loadPg().Pool)({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
    // A backend that goes away (a restart, a failover, pg_terminate_backend) fails the queries
    // running on it, and their callers see that error. pg also emits it as an 'error' event,
    // on the pool for an idle connection and on the client for one in use; unheard, that event
    // would crash the process. The pool drops the broken connection either way.
    pool.on('error', () => undefined);
    pool.on('connect', (client) => client.on('error', () => undefined));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return {
      db, kind: 'postgres', postgresUrl: options.databaseUrl, sqlite: null, syncWal: null, enableBackgroundCheckpoints: () => undefined,
      close: () => db.destroy(),
    };
  }
  const file = options.sqliteFile ?? path.join(options.dataDir, 'opsloom.sqlite');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  // FULL: a commit is on disk before it is acknowledged (fsync of the WAL), so a 201/202
  // means durable even across power loss. NORMAL is faster but may lose the last commits.
  const synchronous = options.sqliteSynchronous ?? 'FULL';
  sqlite.pragma(`synchronous = ${synchronous}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  let checkpointer: { terminate(): Promise<void> } | null = null;
  // Checkpoints copy the WAL into the database file and fsync it. Done by the commit that
  // crosses 1,000 pages (SQLite's default), they blocked the event loop for tens of
  // milliseconds every pipeline run. A worker thread now checkpoints in the background
  // (PASSIVE: never blocks or waits for this connection); this connection checkpoints only
  // as a backstop when the WAL passes ~64 MiB. Commit durability is unchanged: a commit
  // is durable once in the (fsynced, synchronous=FULL) WAL, whenever it is checkpointed.
  const enableBackgroundCheckpoints = () => {
    if (checkpointer) return;
    checkpointer = startCheckpointer(file);
    sqlite.pragma('wal_autocheckpoint = 16384');
  };
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  const wal = synchronous === 'NORMAL' ? null : walSyncer(`${file}-wal`);
  return {
    db, kind: 'sqlite', postgresUrl: null, sqlite, syncWal: wal?.sync ?? null, enableBackgroundCheckpoints,
    close: async () => {
      await checkpointer?.terminate();
      await db.destroy();
      await wal?.close();
    },
  };
}

/** Prepared statements kept per SQL text; Kysely's SQLite driver would prepare every query anew. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * The connection as Kysely sees it, with prepared statements reused by SQL text (bounded,
 * least recently used out first). Queries repeat with their parameters bound, so the alert
 * pipeline's dozen statements per run, and every API query, are parsed once. Safe because
 * Kysely runs one statement at a time on this connection and never streams from it.
 */
function withStatementCache(sqlite: SqliteDatabase.Database): { prepare(sql: string): SqliteDatabase.Statement; close(): void } {
  const statements = new Map<string, SqliteDatabase.Statement>();
  return {
    prepare(sql) {
      let statement = statements.get(sql);
      if (statement) statements.delete(sql);
      else {
        statement = sqlite.prepare(sql);
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value as string);
      }
      statements.set(sql, statement);
      return statement;
    },
    close: () => sqlite.close(),
  };
}

/**
 * fdatasync of the WAL file through its own descriptor (same inode as SQLite's while the
 * database is open: SQLite reuses the WAL file, it does not recreate it). Each call resolves
 * after an fdatasync that started after the call. Calls made while one is running share the
 * next one: an fdatasync covers every frame written before it starts, and on this disk one
 * can take hundreds of milliseconds while a checkpoint's writes are flushed, during which
 * the intake log keeps committing.
 */
function walSyncer(walFile: string): { sync: () => Promise<void>; close: () => Promise<void> } {
  let handle: fs.promises.FileHandle | null = null;
  let running: Promise<void> | null = null;
  let next: Promise<void> | null = null;
  const fdatasync = async () => {
    handle ??= await fs.promises.open(walFile, 'r+');
    await handle.datasync();
  };
  const start = (): Promise<void> => {
    const current = fdatasync();
    running = current;
    void current.catch(() => undefined).finally(() => {
      if (running === current) running = null;
    });
    return current;
  };
  return {
    sync: () => {
      if (!running) return start();
      next ??= running.catch(() => undefined).then(() => {
        next = null;
        return start();
      });
      return next;
    },
    close: async () => {
      await Promise.allSettled([running, next]);
      await handle?.close();
      handle = null;
    },
  };
}

const CHECKPOINTER = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 0');
let stopped = false;
parentPort.on('message', () => { stopped = true; db.close(); process.exit(0); });
const tick = () => {
  if (stopped) return;
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
  setTimeout(tick, workerData.everyMs);
};
setTimeout(tick, workerData.everyMs);
`;

/** Background PASSIVE checkpoints of a WAL database from a second connection on a worker thread. */
function startCheckpointer(file: string): { terminate(): Promise<void> } {
  const worker = new Worker(CHECKPOINTER, { eval: true, workerData: { file, driver: createRequire(import.meta.url).resolve('better-sqlite3'), everyMs: 100 } });
  worker.unref();
  worker.on('error', () => undefined);
  return {
    async terminate() {
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage('stop');
      // The timer stays referenced: with the worker unref'd, an unref'd wait would let the
      // event loop empty and the process end mid-close (a CLI command would exit silently).
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, 1000)))]);
      clearTimeout(timer);
      await worker.terminate();
    },
  };
}
