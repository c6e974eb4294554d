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
  const { result, durable } = await committedTransaction(database, work);
  await durable;
  return result;
}

/**
 * The same transaction, resolving once it is committed (visible to every reader) with
 * `durable`, which resolves once it is on disk. For a caller that may act on its own commit
 * before the flush (the intake log lets the alert pipeline read a batch while the WAL is
 * being flushed: docs/adr/0005) but answers nobody before `durable`. Whatever is committed
 * after this on the same database lands later in the WAL, so a crash before the flush loses
 * this transaction and everything derived from it together.
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
