import { sql, type Transaction } from 'kysely';
import type { Database } from './schema.js';
import type { DatabaseHandle } from './database.js';
import { runWithCommitMode } from './sqlite-writer.js';
import { inTransaction, type UnitOfWork } from './unit-of-work.js';

/**
 * A transaction that does not wait for its own flush to disk. Only for writes derived from
 * something already durable: the alert pipeline writes alerts, incidents, activity and its
 * watermark from the intake log, committed durably before any 202. If a crash loses the
 * last relaxed commits, the watermark goes back with them and the log is replayed;
 * atomicity is unchanged. SQLite: `synchronous = NORMAL` for this transaction on the writer
 * thread (WAL frames written, no fsync; the next durable commit's fsync covers them).
 * PostgreSQL: `SET LOCAL synchronous_commit = off`. On SQLite its writes are also sent to
 * the writer thread in a few batches (write-behind): the pipeline never reads a write's own
 * result, and a failed write still fails the transaction, at its commit at the latest.
 */
export function relaxedTransaction<T>(database: DatabaseHandle, work: (uow: UnitOfWork) => Promise<T>): Promise<T> {
  const { db, kind } = database;
  if (kind === 'postgres') {
    return inTransaction(db, kind, async (uow) => {
      await sql`set local synchronous_commit = off`.execute(uow.trx);
      return work(uow);
    });
  }
  return relaxedSqlite(database, work);
}

async function relaxedSqlite<T>(database: DatabaseHandle, work: (uow: UnitOfWork) => Promise<T>): Promise<T> {
  const tasks: Array<() => void> = [];
  // Only the transaction runs in the relaxed context: what its after-commit tasks start is not relaxed.
  const result = await runWithCommitMode({ relaxed: true, writeBehind: true }, () =>
    database.db.transaction().execute((trx) => work({ trx, kind: database.kind, afterCommit: (task) => tasks.push(task) })));
  for (const task of tasks) task();
  return result;
}

/**
 * A durable transaction whose writes are sent to the SQLite writer thread in as few
 * messages as possible (write-behind; see `CommitMode`): for the intake log's group commit,
 * whose latency every waiting sender pays. A plain transaction on PostgreSQL.
 */
export function writeBehindTransaction<T>(database: DatabaseHandle, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  if (database.kind === 'postgres') return database.db.transaction().execute(work);
  return runWithCommitMode({ relaxed: false, writeBehind: true }, () => database.db.transaction().execute(work));
}
