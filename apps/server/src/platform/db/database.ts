import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { createRequire } from 'node:module';
import { Kysely, PostgresDialect } from 'kysely';
import type pgModule from 'pg';
import type { Database } from './schema.js';
import { SqliteWriterDialect } from './sqlite-writer.js';

export type DatabaseKind = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: DatabaseKind;
  /** The PostgreSQL connection string, for LISTEN/NOTIFY and the job engine; null on SQLite. */
  postgresUrl: string | null;
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
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return {
      db, kind: 'postgres', postgresUrl: options.databaseUrl,
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
  // This connection only reads; writes and transactions run on the writer thread's
  // connection (docs/adr/0009), which also checkpoints the WAL between its transactions.
  const db = new Kysely<Database>({ dialect: new SqliteWriterDialect(sqlite, file, synchronous) });
  return { db, kind: 'sqlite', postgresUrl: null, close: () => db.destroy() };
}
