import { sql } from 'kysely';
import type { MigrationDb } from './helpers.js';

/**
 * The noise figure (alerts received against incidents opened, per day, integration and team)
 * kept as running totals: one row per event day, integration and team, which the pipeline
 * adds to in the transaction that stores the alerts. The Noise page used to group the whole
 * `alerts` table: about a second at a million alerts on SQLite, the event loop and intake held
 * meanwhile (docs/adr/0005). `alerts` counts distinct alerts by the day they started,
 * `deliveries` every delivery folded into them (the sum of their `count`); `team_key` is the
 * alert's team, '' for none (a primary-key column cannot be null on PostgreSQL). Filled from
 * the alerts already stored.
 */
export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('alert_noise_daily')
    .addColumn('day', 'integer', (col) => col.notNull())
    .addColumn('integration_id', 'varchar(36)', (col) => col.notNull())
    .addColumn('team_key', 'varchar(36)', (col) => col.notNull())
    .addColumn('alerts', 'bigint', (col) => col.notNull())
    .addColumn('deliveries', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('alert_noise_daily_pk', ['day', 'integration_id', 'team_key'])
    .execute();
  // Integer division on both databases: starts_at is a bigint of milliseconds.
  await sql`insert into alert_noise_daily (day, integration_id, team_key, alerts, deliveries)
    select starts_at / 86400000, integration_id, coalesce(team_id, ''), count(*), sum(count)
    from alerts group by starts_at / 86400000, integration_id, coalesce(team_id, '')`.execute(db);
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.dropTable('alert_noise_daily').execute();
}
