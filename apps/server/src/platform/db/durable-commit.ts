import type { Transaction } from 'kysely';
import type { DatabaseHandle } from './database.js';
import type { Database } from './schema.js';

/**
 * A transaction committed now and made durable off the event loop (the intake log's group
 * commit: docs/adr/0005). Resolves once committed (visible to every reader) with `durable`,
 * which resolves once it is on disk. The caller may act on its own commit before the flush
 * (the intake log lets the alert pipeline read a batch while the WAL is being flushed) but
 * answers nobody before `durable`: whatever is committed after it on the same database lands
 * later in the WAL, so a crash before the flush loses this transaction and everything derived
 * from it together.
 *
 * SQLite at synchronous FULL/EXTRA: the transaction commits at `synchronous = NORMAL` (WAL
 * frames written, no in-line fsync, which would block the one JavaScript thread), then
 * `syncWal` fdatasyncs the WAL on the thread pool. The commit is as durable as with FULL once
 * that returns. In WAL mode NORMAL never corrupts the database (SQLite syncs the WAL before
 * every checkpoint), so a crash before the sync only loses this unacknowledged commit.
 * PostgreSQL, or SQLite configured NORMAL: a plain transaction at the configured level,
 * durable once committed.
 */
export async function committedTransaction<T>(database: DatabaseHandle, work: (trx: Transaction<Database>) => Promise<T>): Promise<{ result: T; durable: Promise<void> }> {
  const { db, syncWal, sqlite } = database;
  database.enableBackgroundCheckpoints();
  if (!sqlite || !syncWal) return { result: await db.transaction().execute(work), durable: Promise.resolve() };
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
  return { result, durable: syncWal() };
}
