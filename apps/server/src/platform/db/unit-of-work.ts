import type { Kysely, Transaction } from 'kysely';
import type { DatabaseKind } from './database.js';
import type { Database } from './schema.js';

/**
 * A transaction plus the work to do once it has committed (publishing to the live
 * stream). Services take a UnitOfWork so that a write and its activity record commit
 * together, and nothing is announced that could still roll back.
 */
export interface UnitOfWork {
  trx: Transaction<Database>;
  kind: DatabaseKind;
  afterCommit(task: () => void): void;
}

export async function inTransaction<T>(db: Kysely<Database>, kind: DatabaseKind, work: (uow: UnitOfWork) => Promise<T>): Promise<T> {
  const tasks: Array<() => void> = [];
  const result = await db.transaction().execute((trx) => work({ trx, kind, afterCommit: (task) => tasks.push(task) }));
  for (const task of tasks) task();
  return result;
}
