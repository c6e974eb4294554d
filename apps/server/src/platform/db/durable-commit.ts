import type { Transaction } from 'kysely';
import type { DatabaseHandle } from './database.js';
import type { Database } from './schema.js';

/**
 * A transaction that is durable when the returned promise resolves, with the fsync kept off
 * the event loop (the intake log's group commit: docs/adr/0005).
 *
 * SQLite at synchronous FULL/EXTRA: the transaction commits at `synchronous = NORMAL` (WAL
 * frames written, no in-line fsync, which would block the one JavaScript thread), then
 * `syncWal` fdatasyncs the WAL on the thread pool before this resolves. The commit is as
 * durable as with FULL once that returns; until then nobody has been told it happened.
 * In WAL mode NORMAL never corrupts the database (SQLite syncs the WAL before every
 * checkpoint), so a crash before the sync only loses this unacknowledged commit.
 * PostgreSQL, or SQLite configured NORMAL: a plain transaction at the configured level.
 */
export async function durableTransaction<T>(database: DatabaseHandle, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  const { db, syncWal, sqlite } = database;
  database.enableBackgroundCheckpoints();
  if (!sqlite || !syncWal) return db.transaction().execute(work);
  // Holding Kysely's one connection, so nothing else runs between the pragmas.
  const result = await db.connection().execute(async (connection) => {
    const level = Number(sqlite.pragma('synchronous', { simple: true }));
    sqlite.pragma('synchronous = NORMAL');
    try {
      return await connection.transaction().execute(work);
    } finally {
      sqlite.pragma(`synchronous = ${level}`);
    }
  });
  await syncWal();
  return result;
}
