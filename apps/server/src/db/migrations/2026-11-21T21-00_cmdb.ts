import { sql } from 'kysely';
import { jsonType, makeAppendOnly, type MigrationDb, withSerialId } from './helpers.js';

/** CMDB: configuration items, typed relationships between them and the history of both. */
export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('cis')
    .addColumn('id', 'varchar(36)', (col) => col.primaryKey())
    .addColumn('key', 'varchar(200)', (col) => col.notNull().unique())
    .addColumn('type', 'varchar(60)', (col) => col.notNull())
    .addColumn('name', 'varchar(200)', (col) => col.notNull())
    // A deleted team leaves its CIs without an owner rather than deleting infrastructure records.
    .addColumn('team_id', 'varchar(36)', (col) => col.references('teams.id').onDelete('set null'))
    .addColumn('criticality', 'integer', (col) => col.notNull())
    .addColumn('status', 'varchar(20)', (col) => col.notNull())
    .addColumn('attributes', jsonType(db), (col) => col.notNull())
    .addColumn('tags', jsonType(db), (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('cis_name').on('cis').columns(['name', 'id']).execute();
  await db.schema.createIndex('cis_type').on('cis').columns(['type', 'name']).execute();
  await db.schema.createIndex('cis_team').on('cis').columns(['team_id', 'name']).execute();

  await db.schema
    .createTable('ci_relationships')
    .addColumn('id', 'varchar(36)', (col) => col.primaryKey())
    .addColumn('from_id', 'varchar(36)', (col) => col.notNull().references('cis.id').onDelete('cascade'))
    .addColumn('to_id', 'varchar(36)', (col) => col.notNull().references('cis.id').onDelete('cascade'))
    .addColumn('type', 'varchar(20)', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .execute();
  await sql`create unique index ci_relationships_edge on ci_relationships (from_id, to_id, type)`.execute(db);
  await db.schema.createIndex('ci_relationships_to').on('ci_relationships').column('to_id').execute();

  // One row per create/update/delete of a CI or relationship. CI key, name and type are
  // copied so that the history of a deleted CI still reads; rows are never changed.
  await withSerialId(db, db.schema.createTable('ci_history'), 'id')
    .addColumn('at', 'bigint', (col) => col.notNull())
    .addColumn('actor_id', 'varchar(36)')
    .addColumn('actor_name', 'varchar(100)', (col) => col.notNull())
    .addColumn('subject_type', 'varchar(20)', (col) => col.notNull())
    .addColumn('action', 'varchar(10)', (col) => col.notNull())
    .addColumn('ci_id', 'varchar(36)', (col) => col.notNull())
    .addColumn('ci_key', 'varchar(200)', (col) => col.notNull())
    .addColumn('ci_name', 'varchar(200)', (col) => col.notNull())
    .addColumn('ci_type', 'varchar(60)', (col) => col.notNull())
    .addColumn('related_ci_id', 'varchar(36)')
    .addColumn('related_ci_key', 'varchar(200)')
    .addColumn('related_ci_name', 'varchar(200)')
    .addColumn('related_ci_type', 'varchar(60)')
    .addColumn('relationship_id', 'varchar(36)')
    .addColumn('summary', 'varchar(500)', (col) => col.notNull())
    .addColumn('changes', jsonType(db), (col) => col.notNull())
    .execute();
  await db.schema.createIndex('ci_history_ci').on('ci_history').columns(['ci_id', 'id']).execute();
  await db.schema.createIndex('ci_history_related').on('ci_history').columns(['related_ci_id', 'id']).execute();
  await makeAppendOnly(db, 'ci_history');
}
