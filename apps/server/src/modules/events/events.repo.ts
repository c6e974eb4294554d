import type SqliteDatabase from 'better-sqlite3';
import { type Insertable, type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { DatabaseKind } from '../../platform/db/database.js';
import type { AlertsTable, Database, EventLogTable, IntegrationsTable } from '../../platform/db/schema.js';
import { bulkInsert, bulkUpdate } from '../../platform/db/bulk-sql.js';
import type { NewCorrelationRows, StoredCorrelation } from './pipeline-state.js';

export type Db = Kysely<Database> | Transaction<Database>;
export type IntegrationRow = Selectable<IntegrationsTable>;
export type AlertRow = Selectable<AlertsTable>;
export type LogRow = Selectable<EventLogTable>;
/** A dedup or resolve update of one alert: id, status, ends_at, last_seen_at, count. */
export type AlertUpdateRow = [string, string, number | null, number, number];

/** Alerts a console page on SQLite looks at before the cursor, widening once (listAlertsPage). */
const SQLITE_SCAN_WINDOWS = [10_000, 100_000] as const;
// Rows per bulk statement (one JSON parameter each): big enough to amortise, small enough to stay quick.
const INSERT_CHUNK = 2000;
const alertColumns = [
  ['id', 'text'], ['integration_id', 'text'], ['dedup_key', 'text'], ['status', 'text'], ['severity', 'text'], ['summary', 'text'],
  ['source', 'text'], ['ci_id', 'text'], ['ci_key', 'text'], ['team_id', 'text'], ['labels', 'text'], ['incident_id', 'text'],
  ['reason', 'text'], ['count', 'integer'], ['starts_at', 'bigint'], ['ends_at', 'bigint'], ['first_seen_at', 'bigint'], ['last_seen_at', 'bigint'],
] as const;
const updateColumns = [['status', 'text'], ['ends_at', 'bigint'], ['last_seen_at', 'bigint'], ['count', 'integer']] as const;
const incidentCiColumns = [['incident_id', 'text'], ['position', 'integer'], ['ci_id', 'text'], ['first_alert_at', 'bigint']] as const;
const incidentLabelColumns = [['incident_id', 'text'], ['position', 'integer'], ['label', 'text']] as const;

/**
 * SQLite: the intake log append and the pipeline's alert inserts and updates as prepared
 * statements run once per row,
 * compiled once per connection. Extracting 18 columns from a JSON parameter with `->>`
 * re-parses each row 18 times; binding them directly halves the cost of a run's inserts.
 */
type RawSqlite = SqliteDatabase.Database;
const prepared = new WeakMap<RawSqlite, { insert: SqliteDatabase.Statement; update: SqliteDatabase.Statement; appendLog: SqliteDatabase.Statement }>();
function statementsOf(sqlite: RawSqlite) {
  let statements = prepared.get(sqlite);
  if (!statements) {
    statements = {
      insert: sqlite.prepare(`insert into alerts (${alertColumns.map(([name]) => `"${name}"`).join(', ')}) values (${alertColumns.map(() => '?').join(', ')})`),
      update: sqlite.prepare(`update alerts set ${updateColumns.map(([name]) => `"${name}" = ?`).join(', ')} where id = ?`),
      appendLog: sqlite.prepare('insert into event_log (integration_id, received_at, alert_count, sample, body) values (?, ?, ?, ?, ?)'),
    };
    prepared.set(sqlite, statements);
  }
  return statements;
}

export interface AlertFilter {
  status?: 'firing' | 'resolved';
  severity?: string;
  integrationId?: string;
  teamId?: string;
  ciKey?: string;
  incidentId?: string;
  unmapped?: boolean;
  beforeId?: string;
}

/** The only SQL of the events module. */
/** What a restart needs of each firing alert. */
const restoredAlertColumns = ['id', 'integration_id', 'dedup_key', 'incident_id', 'ci_id', 'team_id', 'starts_at', 'count'] as const;

export const eventsRepo = {
  insertIntegration: (db: Db, row: Insertable<IntegrationsTable>) => db.insertInto('integrations').values(row).returningAll().executeTakeFirstOrThrow(),
  listIntegrations: (db: Db) => db.selectFrom('integrations').selectAll().where('disabled_at', 'is', null).orderBy('created_at').execute(),
  listAllIntegrations: (db: Db) => db.selectFrom('integrations').select(['id', 'name', 'kind']).execute(),
  findIntegration: (db: Db, id: string) => db.selectFrom('integrations').selectAll().where('id', '=', id).executeTakeFirst(),
  findIntegrationByKey: (db: Db, key: string) =>
    db.selectFrom('integrations').selectAll().where('routing_key', '=', key).where('disabled_at', 'is', null).executeTakeFirst(),
  disableIntegration: (db: Db, id: string, at: number) => db.updateTable('integrations').set({ disabled_at: at, updated_at: at }).where('id', '=', id).execute(),
  /**
   * A rejected request: counted, and remembered as the integration's last error unless a
   * later one is already (instances record concurrently; every SET reads the row as it was).
   */
  recordError: (db: Db, id: string, message: string, at: number) =>
    db.updateTable('integrations').set((eb) => {
      const newer = eb.or([eb('last_error_at', 'is', null), eb('last_error_at', '<=', at)]);
      return {
        error_count: eb('error_count', '+', 1),
        last_error_at: eb.case().when(newer).then(at).else(eb.ref('last_error_at')).end(),
        last_error: eb.case().when(newer).then(message).else(eb.ref('last_error')).end(),
      };
    }).where('id', '=', id).execute(),
  countEvents: (db: Db, id: string, alerts: number, at: number) =>
    db.updateTable('integrations').set((eb) => ({ event_count: eb('event_count', '+', alerts), last_event_at: at })).where('id', '=', id).execute(),

  /** `sqlite`: the raw connection when on SQLite; the caller holds it in a transaction. */
  async appendLog(db: Db, rows: Array<Insertable<EventLogTable>>, sqlite: RawSqlite | null = null): Promise<number[]> {
    if (sqlite) {
      const { appendLog } = statementsOf(sqlite);
      return rows.map((row) => Number(appendLog.run(row.integration_id, row.received_at, row.alert_count, row.sample ?? '', row.body).lastInsertRowid));
    }
    const stored = await db.insertInto('event_log').values(rows).returning('id').execute();
    return stored.map((row) => Number(row.id));
  },
  readLogAfter: (db: Db, afterId: number, limit: number) =>
    db.selectFrom('event_log').selectAll().where('id', '>', afterId).orderBy('id').limit(limit).execute(),
  /** The log after `afterId` without the bodies (the pipeline has most of them in memory). */
  readLogHeadsAfter: (db: Db, afterId: number, limit: number) =>
    db.selectFrom('event_log').select(['id', 'integration_id', 'received_at', 'alert_count']).where('id', '>', afterId).orderBy('id').limit(limit).execute(),
  readLogBodies: async (db: Db, ids: number[]) =>
    new Map((await db.selectFrom('event_log').select(['id', 'body']).where('id', 'in', ids).execute()).map((row) => [Number(row.id), row.body])),
  lastLogId: async (db: Db) => Number((await db.selectFrom('event_log').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst())?.id ?? 0),
  /** The oldest log rows up to `throughId` (processed ones), oldest first, without their bodies. */
  oldestLogHeads: (db: Db, throughId: number, limit: number) =>
    db.selectFrom('event_log').select(['id', 'received_at', 'alert_count']).where('id', '<=', throughId).orderBy('id').limit(limit).execute(),
  /** Deletes the log up to `throughId` (ids are never reused: AUTOINCREMENT, identity). */
  deleteLogThrough: (db: Db, throughId: number) => db.deleteFrom('event_log').where('id', '<=', throughId).execute(),
  /** Up to `limit` alerts minted after `afterId` and before `beforeId` (ids sort by minting time), oldest first: what retention looks at. */
  alertsForRetention: (db: Db, afterId: string, beforeId: string, limit: number) =>
    db.selectFrom('alerts').select(['id', 'status', 'last_seen_at', 'incident_id'])
      .where('id', '>', afterId).where('id', '<', beforeId).orderBy('id').limit(limit).execute(),
  /** Deletes the resolved alerts last seen before `lastSeenBefore` among ids in (afterId, throughId]; never a firing one. */
  deleteResolvedAlerts: (db: Db, afterId: string, throughId: string, lastSeenBefore: number) =>
    db.deleteFrom('alerts').where('id', '>', afterId).where('id', '<=', throughId)
      .where('status', '=', 'resolved').where('last_seen_at', '<', lastSeenBefore).execute(),
  lastEvents: (db: Db, integrationId: string, limit: number) =>
    db.selectFrom('event_log').select(['received_at', 'alert_count', 'sample']).where('integration_id', '=', integrationId).orderBy('id', 'desc').limit(limit).execute(),

  watermark: async (db: Db, name: string) => Number((await db.selectFrom('event_pipeline').select('processed_id').where('name', '=', name).executeTakeFirst())?.processed_id ?? 0),
  setWatermark: (db: Db, name: string, processedId: number, at: number) =>
    db.insertInto('event_pipeline').values({ name, processed_id: processedId, updated_at: at })
      .onConflict((oc) => oc.column('name').doUpdateSet({ processed_id: processedId, updated_at: at })).execute(),

  /** `sqlite`: the raw connection when on SQLite; the caller holds it in a transaction. */
  async insertAlerts(db: Db, kind: DatabaseKind, rows: Array<Insertable<AlertsTable>>, sqlite: RawSqlite | null = null): Promise<void> {
    if (sqlite) {
      const { insert } = statementsOf(sqlite);
      const values: unknown[] = new Array(alertColumns.length);
      for (const row of rows) {
        for (let c = 0; c < alertColumns.length; c++) values[c] = row[alertColumns[c][0]] ?? null;
        insert.run(values);
      }
      return;
    }
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const chunk = rows.slice(i, i + INSERT_CHUNK).map((row) => alertColumns.map(([name]) => row[name] ?? null));
      await bulkInsert(kind, 'alerts', alertColumns, chunk).execute(db);
    }
  },
  /** Dedup and resolve updates of one pipeline run: [id, status, ends_at, last_seen_at, count] rows. */
  async updateAlerts(db: Db, kind: DatabaseKind, rows: AlertUpdateRow[], sqlite: RawSqlite | null = null): Promise<void> {
    if (sqlite) {
      const { update } = statementsOf(sqlite);
      for (const [id, status, endsAt, lastSeenAt, count] of rows) update.run(status, endsAt, lastSeenAt, count, id);
      return;
    }
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) await bulkUpdate(kind, 'alerts', 'id', updateColumns, rows.slice(i, i + INSERT_CHUNK)).execute(db);
  },
  /** A merge: the alerts of `fromIncident` move to `toIncident`, with `reason` (JSON) saying so. */
  moveAlerts: (db: Db, fromIncident: string, toIncident: string, reason: string) =>
    db.updateTable('alerts').set({ incident_id: toIncident, reason }).where('incident_id', '=', fromIncident).execute(),
  /** What open incidents gained since last stored, and the rows of those that closed (pipeline-state.ts `newCorrelationRows`). */
  async storeCorrelationRows(db: Db, kind: DatabaseKind, rows: NewCorrelationRows): Promise<void> {
    for (let i = 0; i < rows.cis.length; i += INSERT_CHUNK) await bulkInsert(kind, 'incident_cis', incidentCiColumns, rows.cis.slice(i, i + INSERT_CHUNK)).execute(db);
    for (let i = 0; i < rows.labels.length; i += INSERT_CHUNK) await bulkInsert(kind, 'incident_labels', incidentLabelColumns, rows.labels.slice(i, i + INSERT_CHUNK)).execute(db);
    for (let i = 0; i < rows.closed.length; i += 500) {
      const ids = rows.closed.slice(i, i + 500);
      await db.deleteFrom('incident_cis').where('incident_id', 'in', ids).execute();
      await db.deleteFrom('incident_labels').where('incident_id', 'in', ids).execute();
    }
  },
  /** The stored alerting CIs and label keys of these incidents, in order. */
  async correlationRows(db: Db, incidentIds: string[]): Promise<Map<string, StoredCorrelation>> {
    const out = new Map<string, StoredCorrelation>();
    const of = (id: string, position: number) => {
      let stored = out.get(id);
      if (!stored) out.set(id, (stored = { cis: [], labels: [], nextPosition: 0 }));
      stored.nextPosition = Math.max(stored.nextPosition, position + 1);
      return stored;
    };
    for (let i = 0; i < incidentIds.length; i += 500) {
      const ids = incidentIds.slice(i, i + 500);
      for (const row of await db.selectFrom('incident_cis').selectAll().where('incident_id', 'in', ids).orderBy('incident_id').orderBy('position').execute()) {
        of(row.incident_id, row.position).cis.push({ ciId: row.ci_id, firstAlertAt: Number(row.first_alert_at) });
      }
      for (const row of await db.selectFrom('incident_labels').selectAll().where('incident_id', 'in', ids).orderBy('incident_id').orderBy('position').execute()) {
        of(row.incident_id, row.position).labels.push(row.label);
      }
    }
    return out;
  },
  /** The newest `limit` resolved alerts created at or after `sinceId` (ids are time-ordered), oldest first. */
  recentlyResolvedAlerts: async (db: Db, sinceId: string, limit: number) =>
    (await db.selectFrom('alerts').select(['id', 'integration_id', 'dedup_key', 'team_id', 'starts_at', 'count'])
      .where('id', '>=', sinceId).where('status', '=', 'resolved').orderBy('id', 'desc').limit(limit).execute()).reverse(),
  /** Every firing alert, by a scan of the whole table (no index on `status`: it would cost every insert). */
  firingAlerts: (db: Db) =>
    db.selectFrom('alerts').select(restoredAlertColumns).where('status', '=', 'firing').execute(),
  /** The firing alerts of these incidents, through the `(incident_id, starts_at)` index: every alert of theirs is read. */
  async firingAlertsOf(db: Db, incidentIds: readonly string[]) {
    const chunks = [];
    for (let i = 0; i < incidentIds.length; i += 500) {
      chunks.push(await db.selectFrom('alerts').select(restoredAlertColumns)
        .where('incident_id', 'in', incidentIds.slice(i, i + 500)).where('status', '=', 'firing').execute());
    }
    // Not push(...rows): a storm's incidents may hold a million firing alerts, past any call's argument limit.
    return chunks.flat();
  },
  /**
   * About how many alert rows there are, without counting them: SQLite's largest rowid (rows are
   * never re-numbered, so at least the count), PostgreSQL's planner estimate (0 before the first
   * ANALYZE). Only to choose how to read, never for a figure.
   */
  async alertRowsEstimate(db: Db, kind: DatabaseKind): Promise<number> {
    const result = kind === 'postgres'
      ? await sql<{ n: string | number | null }>`select reltuples as n from pg_class where oid = 'alerts'::regclass`.execute(db)
      : await sql<{ n: string | number | null }>`select max(rowid) as n from alerts`.execute(db);
    return Math.max(0, Number(result.rows[0]?.n ?? 0));
  },

  /**
   * A page of the console, newest first. SQLite has no index for the console's filters (every
   * index costs the pipeline's writes, docs/adr/0005), so a filter few alerts match used to scan
   * the whole table, holding the one connection and the event loop (710 ms at a million alerts
   * for a CI with none). There a page looks at the newest 10,000 alerts before the cursor, then
   * 100,000, and stops: `continueBelow` is where the next page goes on when that ran out before
   * the page filled. PostgreSQL searches on its own connections and indexes the CI: unbounded.
   */
  async listAlertsPage(db: Db, kind: DatabaseKind, filter: AlertFilter, limit: number): Promise<{ rows: AlertRow[]; continueBelow: string | null }> {
    if (kind === 'postgres' || filter.incidentId) return { rows: await eventsRepo.listAlerts(db, filter, limit), continueBelow: null };
    let rows: AlertRow[] = [];
    let fromId: string | undefined;
    for (const window of SQLITE_SCAN_WINDOWS) {
      let floor = db.selectFrom('alerts').select('id').orderBy('id', 'desc').offset(window).limit(1);
      if (filter.beforeId) floor = floor.where('id', '<', filter.beforeId);
      fromId = (await floor.executeTakeFirst())?.id;
      rows = await eventsRepo.listAlerts(db, { ...filter, fromId }, limit);
      // A full page, or every alert before the cursor searched.
      if (rows.length >= limit || !fromId) return { rows, continueBelow: null };
    }
    return { rows, continueBelow: fromId ?? null };
  },
  listAlerts(db: Db, filter: AlertFilter & { fromId?: string }, limit: number) {
    let query = db.selectFrom('alerts').selectAll();
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.severity) query = query.where('severity', '=', filter.severity);
    if (filter.integrationId) query = query.where('integration_id', '=', filter.integrationId);
    if (filter.teamId) query = query.where('team_id', '=', filter.teamId);
    if (filter.ciKey) query = query.where('ci_key', '=', filter.ciKey);
    if (filter.incidentId) query = query.where('incident_id', '=', filter.incidentId);
    if (filter.unmapped === true) query = query.where('ci_id', 'is', null);
    if (filter.unmapped === false) query = query.where('ci_id', 'is not', null);
    if (filter.beforeId) query = query.where('id', '<', filter.beforeId);
    if (filter.fromId) query = query.where('id', '>=', filter.fromId);
    return query.orderBy('id', 'desc').limit(limit).execute();
  },
  alertsOfIncident: (db: Db, incidentId: string, limit: number) =>
    db.selectFrom('alerts').selectAll().where('incident_id', '=', incidentId).orderBy('starts_at').orderBy('id').limit(limit).execute(),

  /** Distinct alerts and deliveries by event day (days since 1970), integration and team ('' for none) from day `sinceDay` on. */
  alertNoise: (db: Db, sinceDay: number) =>
    db.selectFrom('alert_noise_daily').select(['day', 'integration_id', 'team_key', 'alerts', 'deliveries']).where('day', '>=', sinceDay).execute(),
  /** Adds a run's deliveries and new alerts to the noise figure's running totals. */
  async addNoise(db: Db, deltas: ReadonlyArray<{ day: number; integrationId: string; teamKey: string; alerts: number; deliveries: number }>): Promise<void> {
    if (deltas.length === 0) return;
    await db.insertInto('alert_noise_daily')
      .values(deltas.map((d) => ({ day: d.day, integration_id: d.integrationId, team_key: d.teamKey, alerts: d.alerts, deliveries: d.deliveries })))
      .onConflict((oc) => oc.columns(['day', 'integration_id', 'team_key']).doUpdateSet((eb) => ({
        alerts: eb('alert_noise_daily.alerts', '+', eb.ref('excluded.alerts')),
        deliveries: eb('alert_noise_daily.deliveries', '+', eb.ref('excluded.deliveries')),
      })))
      .execute();
  },
};
