import { type MigrationDb, withSerialId } from './helpers.js';

/**
 * Events and incidents: integrations, the durable intake log and its watermark, alerts
 * (deduplicated) and the incidents correlation opens. See docs/adr/0005-alert-pipeline.md.
 */
export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('integrations')
    .addColumn('id', 'varchar(36)', (col) => col.primaryKey())
    .addColumn('kind', 'varchar(20)', (col) => col.notNull())
    .addColumn('name', 'varchar(100)', (col) => col.notNull())
    .addColumn('team_id', 'varchar(36)', (col) => col.references('teams.id').onDelete('set null'))
    .addColumn('routing_key', 'varchar(64)', (col) => col.notNull().unique())
    .addColumn('event_count', 'bigint', (col) => col.notNull().defaultTo(0))
    .addColumn('error_count', 'bigint', (col) => col.notNull().defaultTo(0))
    .addColumn('last_event_at', 'bigint')
    .addColumn('disabled_at', 'bigint')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();

  // The intake log: one row per accepted batch, the normalised alerts as JSON text (text on
  // both databases: it is written and read whole, never queried inside).
  await withSerialId(db, db.schema.createTable('event_log'), 'id')
    .addColumn('integration_id', 'varchar(36)', (col) => col.notNull())
    .addColumn('received_at', 'bigint', (col) => col.notNull())
    .addColumn('alert_count', 'integer', (col) => col.notNull())
    .addColumn('sample', 'varchar(200)', (col) => col.notNull().defaultTo(''))
    .addColumn('body', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('event_log_integration').on('event_log').columns(['integration_id', 'id']).execute();

  await db.schema
    .createTable('event_pipeline')
    .addColumn('name', 'varchar(40)', (col) => col.primaryKey())
    .addColumn('processed_id', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('incidents')
    .addColumn('id', 'varchar(36)', (col) => col.primaryKey())
    .addColumn('number', 'integer', (col) => col.notNull().unique())
    .addColumn('title', 'varchar(300)', (col) => col.notNull())
    .addColumn('severity', 'varchar(20)', (col) => col.notNull())
    .addColumn('status', 'varchar(20)', (col) => col.notNull())
    .addColumn('team_id', 'varchar(36)')
    .addColumn('integration_id', 'varchar(36)')
    .addColumn('root_ci_id', 'varchar(64)')
    .addColumn('root_ci_key', 'varchar(255)')
    .addColumn('root_explanation', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('ci_keys', 'text', (col) => col.notNull().defaultTo('[]'))
    .addColumn('alert_count', 'integer', (col) => col.notNull())
    .addColumn('open_alert_count', 'integer', (col) => col.notNull())
    .addColumn('merged_into', 'varchar(36)')
    .addColumn('started_at', 'bigint', (col) => col.notNull())
    .addColumn('last_alert_at', 'bigint', (col) => col.notNull())
    .addColumn('resolved_at', 'bigint')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('incidents_status').on('incidents').columns(['status', 'id']).execute();
  await db.schema.createIndex('incidents_started').on('incidents').column('started_at').execute();

  await db.schema
    .createTable('alerts')
    .addColumn('id', 'varchar(36)', (col) => col.primaryKey())
    .addColumn('integration_id', 'varchar(36)', (col) => col.notNull())
    .addColumn('dedup_key', 'varchar(255)', (col) => col.notNull())
    .addColumn('status', 'varchar(20)', (col) => col.notNull())
    .addColumn('severity', 'varchar(20)', (col) => col.notNull())
    .addColumn('summary', 'text', (col) => col.notNull())
    .addColumn('source', 'varchar(255)', (col) => col.notNull())
    .addColumn('ci_id', 'varchar(64)')
    .addColumn('ci_key', 'varchar(255)')
    .addColumn('team_id', 'varchar(36)')
    .addColumn('labels', 'text', (col) => col.notNull())
    .addColumn('incident_id', 'varchar(36)')
    .addColumn('reason', 'text')
    .addColumn('count', 'integer', (col) => col.notNull())
    .addColumn('starts_at', 'bigint', (col) => col.notNull())
    .addColumn('ends_at', 'bigint')
    .addColumn('first_seen_at', 'bigint', (col) => col.notNull())
    .addColumn('last_seen_at', 'bigint', (col) => col.notNull())
    .execute();
  // Few indexes on purpose: alerts are written tens of thousands a second and dedup is in
  // memory. These serve an incident's alerts and the console's CI filter.
  await db.schema.createIndex('alerts_incident').on('alerts').columns(['incident_id', 'starts_at']).execute();
  await db.schema.createIndex('alerts_ci').on('alerts').columns(['ci_key', 'id']).execute();
}

export async function down(db: MigrationDb): Promise<void> {
  for (const table of ['alerts', 'incidents', 'event_pipeline', 'event_log', 'integrations']) await db.schema.dropTable(table).execute();
}
