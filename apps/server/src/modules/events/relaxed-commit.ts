import { sql } from 'kysely';
import { inTransaction, type UnitOfWork } from '../../platform/db/unit-of-work.js';
import type { ModuleDeps } from '../../platform/module-deps.js';

/**
 * A pipeline transaction without waiting for its own flush to disk. Safe because everything
 * it writes (alerts, incidents, activity, the watermark) is derived from the intake log,
 * which is committed durably before any 202: if a crash loses the last pipeline commits,
 * the watermark goes back with them and the log is replayed. Atomicity is unchanged.
 * SQLite (WAL): `synchronous = NORMAL` for this transaction on the one connection, the
 * configured level restored before anyone else commits; the next durable commit's fsync
 * covers these frames too. PostgreSQL: `SET LOCAL synchronous_commit = off`.
 * Halves the fsyncs per alert, and an fsync blocks the SQLite thread.
 */
export async function relaxedTransaction<T>(deps: Pick<ModuleDeps, 'database'>, work: (uow: UnitOfWork) => Promise<T>): Promise<T> {
  const { db, kind } = deps.database;
  if (kind === 'postgres') {
    return inTransaction(db, kind, async (uow) => {
      await sql`set local synchronous_commit = off`.execute(uow.trx);
      return work(uow);
    });
  }
  return db.connection().execute(async (connection) => {
    const level = (await sql<{ synchronous: number }>`pragma synchronous`.execute(connection)).rows[0]?.synchronous ?? 2;
    await sql`pragma synchronous = NORMAL`.execute(connection);
    try {
      return await inTransaction(connection, kind, work);
    } finally {
      await sql.raw(`pragma synchronous = ${Number(level)}`).execute(connection);
    }
  });
}
