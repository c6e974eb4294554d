import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type DatabaseHandle, type DatabaseKind, openDatabase } from '../platform/db/database.js';
import { migrateToLatest } from '../platform/db/migrator.js';

/**
 * The databases every storage test runs on: SQLite always, PostgreSQL when
 * OPSLOOM_TEST_DATABASE_URL points at a server (scripts/test.sh starts a throwaway one).
 * With OPSLOOM_TEST_REQUIRE_POSTGRES=1 (CI) a missing PostgreSQL is an error, not a skip.
 */
export function testDatabaseKinds(): DatabaseKind[] {
  if (process.env.OPSLOOM_TEST_DATABASE_URL) return ['sqlite', 'postgres'];
  if (process.env.OPSLOOM_TEST_REQUIRE_POSTGRES === '1') throw new Error('OPSLOOM_TEST_DATABASE_URL is not set but PostgreSQL is required');
  return ['sqlite'];
}

export interface TestDatabase {
  handle: DatabaseHandle;
  /** Connection string (PostgreSQL) or file (SQLite), to open a second connection, e.g. another server process. */
  location: { databaseUrl?: string; sqliteFile?: string; dataDir: string };
  drop(): Promise<void>;
}

/** A fresh, migrated database of the given kind, private to the caller. */
export async function createTestDatabase(kind: DatabaseKind, options: { migrate?: boolean; sqliteSynchronous?: 'FULL' | 'NORMAL' } = {}): Promise<TestDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsloom-test-'));
  if (kind === 'sqlite') {
    const sqliteFile = path.join(dataDir, 'opsloom.sqlite');
    // NORMAL unless a test is about flushes: tests do not need power-loss durability and run
    // faster without an fsync per commit.
    const handle = openDatabase({ dataDir, sqliteFile, sqliteSynchronous: options.sqliteSynchronous ?? 'NORMAL' });
    if (options.migrate !== false) await migrateToLatest(handle.db);
    return {
      handle,
      location: { sqliteFile, dataDir },
      drop: async () => {
        await handle.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const adminUrl = process.env.OPSLOOM_TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('OPSLOOM_TEST_DATABASE_URL is not set');
  const name = `opsloom_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const handle = openDatabase({ databaseUrl, dataDir, poolSize: 5 });
  if (options.migrate !== false) await migrateToLatest(handle.db);
  return {
    handle,
    location: { databaseUrl, dataDir },
    drop: async () => {
      await handle.close();
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      // pg's pool ends its clients without waiting for their sockets to close: a forced drop
      // right away terminates them and they emit an unhandled FATAL 57P01. Let them go first.
      for (let attempt = 0; attempt < 50; attempt++) {
        const open = await cleanup.query<{ n: string }>('select count(*) as n from pg_stat_activity where datname = $1', [name]);
        if (Number(open.rows[0]?.n ?? 0) === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Holds back every WAL flush of a SQLite database at synchronous FULL until the returned
 * function is called: commits go on, nothing becomes durable (and nobody is answered) meanwhile.
 */
export function holdWalFlushes(handle: DatabaseHandle): () => void {
  const flush = handle.syncWal;
  if (!flush) throw new Error('no WAL flushes to hold: SQLite at synchronous FULL only');
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  handle.syncWal = async () => {
    await held;
    await flush();
  };
  return release;
}
