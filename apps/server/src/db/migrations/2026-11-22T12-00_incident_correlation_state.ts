import type { MigrationDb } from './helpers.js';

/**
 * What correlation knows of an open incident beyond its columns, so a restart correlates the
 * next alerts as if the server had run throughout (docs/adr/0005, "Restarts"):
 * - `incident_cis`: each alerting CI with its first alert's event time, in the order they joined;
 * - `incident_labels`: the label keys (`job=billing`) unmapped alerts joined it by;
 * - on `incidents`, the first alert's summary (it titles the incident) and the integration's team
 *   (the owner when the root CI has none).
 * While an incident is open, rows are only added, one per CI or label new to it, in the
 * pipeline's transaction (an incident row is rewritten on every run of a storm, so a growing
 * list in it would be rewritten as often); they are deleted when it closes. Incidents from
 * before have none and are restored as before.
 */
export async function up(db: MigrationDb): Promise<void> {
  await db.schema.alterTable('incidents').addColumn('first_summary', 'text').execute();
  await db.schema.alterTable('incidents').addColumn('fallback_team_id', 'varchar(36)').execute();
  await db.schema
    .createTable('incident_cis')
    .addColumn('incident_id', 'varchar(36)', (col) => col.notNull())
    .addColumn('position', 'integer', (col) => col.notNull())
    .addColumn('ci_id', 'varchar(64)', (col) => col.notNull())
    .addColumn('first_alert_at', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('incident_cis_pk', ['incident_id', 'position'])
    .execute();
  // A label key is up to 1,153 characters: too long for a PostgreSQL index entry, so the key is the position.
  await db.schema
    .createTable('incident_labels')
    .addColumn('incident_id', 'varchar(36)', (col) => col.notNull())
    .addColumn('position', 'integer', (col) => col.notNull())
    .addColumn('label', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('incident_labels_pk', ['incident_id', 'position'])
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.dropTable('incident_labels').execute();
  await db.schema.dropTable('incident_cis').execute();
  await db.schema.alterTable('incidents').dropColumn('fallback_team_id').execute();
  await db.schema.alterTable('incidents').dropColumn('first_summary').execute();
}
