import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { DatabaseKind } from '../../platform/db/database.js';
import type { Database, IncidentsTable } from '../../platform/db/schema.js';
import { bulkAdd, bulkUpdate } from '../../platform/db/bulk-sql.js';

export type Db = Kysely<Database> | Transaction<Database>;

const updatable = [
  ['title', 'text'], ['severity', 'text'], ['status', 'text'], ['team_id', 'text'], ['root_ci_id', 'text'], ['root_ci_key', 'text'],
  ['root_explanation', 'text'], ['root_alternatives', 'text'], ['ci_keys', 'text'], ['alert_count', 'integer'], ['open_alert_count', 'integer'], ['merged_into', 'text'],
  ['started_at', 'bigint'], ['last_alert_at', 'bigint'], ['resolved_at', 'bigint'], ['updated_at', 'bigint'],
] as const;
export type IncidentRow = Selectable<IncidentsTable>;

/** The only SQL of the incidents module. */
export const incidentsRepo = {
  insert: (db: Db, rows: Array<Insertable<IncidentsTable>>) => db.insertInto('incidents').values(rows).execute(),
  /** Every incident a pipeline run touched, in one statement per 500. */
  async updateMany(db: Db, kind: DatabaseKind, rows: Array<Insertable<IncidentsTable>>): Promise<void> {
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500).map((row) => [row.id, ...updatable.map(([name]) => row[name as keyof typeof row] ?? null)]);
      await bulkUpdate(kind, 'incidents', 'id', updatable, chunk).execute(db);
    }
  },
  /** Counts alerts the alert retention deleted, per incident, in one statement. */
  addPrunedAlerts: (db: Db, kind: DatabaseKind, counts: ReadonlyMap<string, number>) =>
    bulkAdd(kind, 'incidents', 'id', 'pruned_alert_count', [...counts]).execute(db),
  find: (db: Db, id: string) => db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst(),
  findMany: (db: Db, ids: string[]) => (ids.length ? db.selectFrom('incidents').select(['id', 'number']).where('id', 'in', ids).execute() : Promise.resolve([])),
  maxNumber: async (db: Db) => Number((await db.selectFrom('incidents').select((eb) => eb.fn.max('number').as('n')).executeTakeFirst())?.n ?? 0),
  open: (db: Db) => db.selectFrom('incidents').selectAll().where('status', '=', 'open').execute(),
  /** Resolved by hand while some of their alerts still fired, and not all of those resolved since. */
  resolvedWithOpenAlerts: (db: Db) =>
    db.selectFrom('incidents').select(['id', 'alert_count']).where('status', '=', 'resolved').where('open_alert_count', '>', 0).execute(),
  list(db: Db, status: 'open' | 'resolved' | 'all', beforeId: string | undefined, limit: number) {
    let query = db.selectFrom('incidents').selectAll().where('merged_into', 'is', null);
    if (status !== 'all') query = query.where('status', '=', status);
    if (beforeId) query = query.where('id', '<', beforeId);
    return query.orderBy('id', 'desc').limit(limit).execute();
  },
  opened: (db: Db, since: number) =>
    db.selectFrom('incidents').select(['started_at', 'integration_id', 'team_id']).where('started_at', '>=', since).where('merged_into', 'is', null).execute(),
};
