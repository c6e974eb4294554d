import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { CiHistoryTable, CiRelationshipsTable, CisTable, Database } from '../../platform/db/schema.js';
import { insertMany } from './bulk-insert.js';

/** Only this file touches the CMDB tables. */
export type Db = Kysely<Database>;
export type CiRow = Selectable<CisTable>;
export type RelationshipRow = Selectable<CiRelationshipsTable>;
export type HistoryRow = Selectable<CiHistoryTable>;
export type NewHistoryRow = Insertable<CiHistoryTable>;
export interface RelationshipView extends RelationshipRow {
  from_key: string;
  from_name: string;
  from_type: string;
  to_key: string;
  to_name: string;
  to_type: string;
}
export interface CiFilter {
  type?: string;
  teamId?: string;
  status?: string;
  q?: string;
  after?: { name: string; id: string };
  limit: number;
}

const looksLikeUuid = (value: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

const CI_COLUMNS = ['id', 'key', 'type', 'name', 'team_id', 'criticality', 'status', 'attributes', 'tags', 'created_at', 'updated_at'] as const;
const RELATIONSHIP_COLUMNS = ['id', 'from_id', 'to_id', 'type', 'created_at'] as const;
const HISTORY_COLUMNS = [
  'at', 'actor_id', 'actor_name', 'subject_type', 'action', 'ci_id', 'ci_key', 'ci_name', 'ci_type',
  'related_ci_id', 'related_ci_key', 'related_ci_name', 'related_ci_type', 'relationship_id', 'summary', 'changes',
] as const;
/** Values per `IN (…)` list, under both databases' bound-value limits. */
const IN_CHUNK = 5000;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

export const cmdbRepo = {
  // --- CIs
  async findCi(db: Db, idOrKey: string): Promise<CiRow | undefined> {
    if (looksLikeUuid(idOrKey)) {
      const byId = await db.selectFrom('cis').selectAll().where('id', '=', idOrKey.toLowerCase()).executeTakeFirst();
      if (byId) return byId;
    }
    return db.selectFrom('cis').selectAll().where('key', '=', idOrKey).executeTakeFirst();
  },
  async findCisByKeys(db: Db, keys: readonly string[]): Promise<CiRow[]> {
    const rows: CiRow[] = [];
    for (const part of chunks(keys, IN_CHUNK)) rows.push(...(await db.selectFrom('cis').selectAll().where('key', 'in', part).execute()));
    return rows;
  },
  async findCisByIds(db: Db, ids: readonly string[]): Promise<CiRow[]> {
    const rows: CiRow[] = [];
    for (const part of chunks(ids, IN_CHUNK)) rows.push(...(await db.selectFrom('cis').selectAll().where('id', 'in', part).execute()));
    return rows;
  },
  async countCis(db: Db): Promise<number> {
    const row = await db.selectFrom('cis').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  },
  /** A page of CIs by id, with only what the graph index keeps: loading in pages keeps the heap's high-water mark low. */
  async pageCisForGraph(db: Db, afterId: string, limit: number) {
    return db
      .selectFrom('cis')
      .select(['id', 'key', 'type', 'name', 'team_id', 'status', 'criticality', 'attributes'])
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute();
  },
  async pageRelationships(db: Db, afterId: string, limit: number): Promise<Array<Pick<RelationshipRow, 'id' | 'from_id' | 'to_id' | 'type'>>> {
    return db.selectFrom('ci_relationships').select(['id', 'from_id', 'to_id', 'type']).where('id', '>', afterId).orderBy('id').limit(limit).execute();
  },
  async allCis(db: Db): Promise<CiRow[]> {
    return db.selectFrom('cis').selectAll().orderBy('key').execute();
  },
  async listCis(db: Db, filter: CiFilter): Promise<CiRow[]> {
    let query = db.selectFrom('cis').selectAll();
    if (filter.type) query = query.where('type', '=', filter.type);
    if (filter.teamId) query = query.where('team_id', '=', filter.teamId);
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.q) {
      const pattern = `%${filter.q.toLowerCase().replace(/[%_]/g, '')}%`;
      query = query.where((eb) => eb.or([eb(eb.fn('lower', ['name']), 'like', pattern), eb(eb.fn('lower', ['key']), 'like', pattern)]));
    }
    if (filter.after) {
      const { name, id } = filter.after;
      query = query.where((eb) => eb.or([eb('name', '>', name), eb.and([eb('name', '=', name), eb('id', '>', id)])]));
    }
    return query.orderBy('name').orderBy('id').limit(filter.limit).execute();
  },
  async insertCis(db: Db, rows: Insertable<CisTable>[]): Promise<void> {
    await insertMany(db, 'cis', CI_COLUMNS, rows);
  },
  async updateCi(db: Db, id: string, patch: Updateable<CisTable>): Promise<CiRow> {
    return db.updateTable('cis').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  },
  async deleteCi(db: Db, id: string): Promise<void> {
    await db.deleteFrom('cis').where('id', '=', id).execute();
  },

  // --- relationships
  async findRelationship(db: Db, id: string): Promise<RelationshipRow | undefined> {
    return db.selectFrom('ci_relationships').selectAll().where('id', '=', id).executeTakeFirst();
  },
  async findEdge(db: Db, fromId: string, toId: string, type: string): Promise<RelationshipRow | undefined> {
    return db.selectFrom('ci_relationships').selectAll().where('from_id', '=', fromId).where('to_id', '=', toId).where('type', '=', type).executeTakeFirst();
  },
  /** Relationships touching a CI, with both ends' key, name and type. */
  async relationshipsOf(db: Db, ciId: string): Promise<RelationshipView[]> {
    return db
      .selectFrom('ci_relationships as r')
      .innerJoin('cis as f', 'f.id', 'r.from_id')
      .innerJoin('cis as t', 't.id', 'r.to_id')
      .selectAll('r')
      .select(['f.key as from_key', 'f.name as from_name', 'f.type as from_type', 't.key as to_key', 't.name as to_name', 't.type as to_type'])
      .where((eb) => eb.or([eb('r.from_id', '=', ciId), eb('r.to_id', '=', ciId)]))
      .orderBy('r.created_at')
      .execute();
  },
  async relationshipsFrom(db: Db, fromIds: readonly string[]): Promise<RelationshipRow[]> {
    const rows: RelationshipRow[] = [];
    // One row per relationship, however many a CI has: not push(...), whose argument list overflows the stack past about 120,000.
    for (const part of chunks(fromIds, IN_CHUNK)) for (const row of await db.selectFrom('ci_relationships').selectAll().where('from_id', 'in', part).execute()) rows.push(row);
    return rows;
  },
  async relationshipsByIds(db: Db, ids: readonly string[]): Promise<RelationshipRow[]> {
    const rows: RelationshipRow[] = [];
    for (const part of chunks(ids, IN_CHUNK)) rows.push(...(await db.selectFrom('ci_relationships').selectAll().where('id', 'in', part).execute()));
    return rows;
  },
  async relationshipsTouching(db: Db, ciIds: readonly string[]): Promise<RelationshipRow[]> {
    const rows = new Map<string, RelationshipRow>();
    for (const part of chunks(ciIds, IN_CHUNK / 2)) {
      const found = await db.selectFrom('ci_relationships').selectAll().where((eb) => eb.or([eb('from_id', 'in', part), eb('to_id', 'in', part)])).execute();
      for (const row of found) rows.set(row.id, row);
    }
    return [...rows.values()];
  },
  async allRelationships(db: Db): Promise<RelationshipRow[]> {
    return db.selectFrom('ci_relationships').selectAll().execute();
  },
  async insertRelationships(db: Db, rows: Insertable<CiRelationshipsTable>[]): Promise<void> {
    await insertMany(db, 'ci_relationships', RELATIONSHIP_COLUMNS, rows);
  },
  async deleteRelationship(db: Db, id: string): Promise<boolean> {
    const result = await db.deleteFrom('ci_relationships').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  },

  // --- history
  async insertHistory(db: Db, rows: NewHistoryRow[]): Promise<void> {
    await insertMany(db, 'ci_history', HISTORY_COLUMNS, rows);
  },
  /** Changes of one CI or of relationships touching it, newest first. */
  async historyOf(db: Db, ciId: string, options: { beforeId?: number; limit: number }): Promise<HistoryRow[]> {
    let query = db.selectFrom('ci_history').selectAll().where((eb) => eb.or([eb('ci_id', '=', ciId), eb('related_ci_id', '=', ciId)]));
    if (options.beforeId !== undefined) query = query.where('id', '<', options.beforeId);
    return query.orderBy('id', 'desc').limit(options.limit).execute();
  },
  /** Changes of any of these CIs (and of relationships touching them) since a time, newest first. */
  async historyOfMany(db: Db, ciIds: readonly string[], options: { sinceAt?: number; limit: number }): Promise<HistoryRow[]> {
    const rows: HistoryRow[] = [];
    for (const part of chunks(ciIds, IN_CHUNK / 2)) {
      let query = db.selectFrom('ci_history').selectAll().where((eb) => eb.or([eb('ci_id', 'in', part), eb('related_ci_id', 'in', part)]));
      if (options.sinceAt !== undefined) query = query.where('at', '>', options.sinceAt);
      rows.push(...(await query.orderBy('id', 'desc').limit(options.limit).execute()));
    }
    return rows.sort((a, b) => b.id - a.id).slice(0, options.limit);
  },
  async countHistory(db: Db): Promise<number> {
    const row = await db.selectFrom('ci_history').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  },
  async searchCis(db: Db, q: string, limit: number): Promise<CiRow[]> {
    return cmdbRepo.listCis(db, { q, limit });
  },
};
