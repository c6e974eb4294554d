import type { MigrationDb } from './helpers.js';

/**
 * Resolved alerts older than OPSLOOM_ALERT_RETENTION_DAYS are deleted (alert-retention.ts);
 * each incident counts how many of its alerts went, so its page can say some are gone rather
 * than show fewer alerts than it had. Incidents from before have lost none.
 */
export async function up(db: MigrationDb): Promise<void> {
  await db.schema.alterTable('incidents').addColumn('pruned_alert_count', 'integer', (col) => col.notNull().defaultTo(0)).execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.alterTable('incidents').dropColumn('pruned_alert_count').execute();
}
