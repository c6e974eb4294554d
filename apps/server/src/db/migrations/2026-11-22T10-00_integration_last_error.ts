import type { MigrationDb } from './helpers.js';

/**
 * Integrations remember their last rejected request (when, and the answer's message), so
 * the integration page says why a sender's alerts are missing, not only how often.
 */
export async function up(db: MigrationDb): Promise<void> {
  await db.schema.alterTable('integrations').addColumn('last_error_at', 'bigint').execute();
  await db.schema.alterTable('integrations').addColumn('last_error', 'varchar(500)').execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.alterTable('integrations').dropColumn('last_error').execute();
  await db.schema.alterTable('integrations').dropColumn('last_error_at').execute();
}
