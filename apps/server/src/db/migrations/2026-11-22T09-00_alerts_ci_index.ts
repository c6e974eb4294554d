import { isPostgres, type MigrationDb } from './helpers.js';

/**
 * SQLite: drops the `alerts (ci_key, id)` index. Alerts arrive for thousands of CIs at once,
 * so each insert landed on a different page of that index: it cost more than the rest of
 * the row together (one 4 KiB page written per alert at 2,000 CIs; docs/adr/0005). The
 * console's CI filter now scans alerts newest first (documented in the README's limits).
 * PostgreSQL keeps the index: its cost is the database server's, not the pipeline thread's.
 */
export async function up(db: MigrationDb): Promise<void> {
  if (!isPostgres(db)) await db.schema.dropIndex('alerts_ci').execute();
}

export async function down(db: MigrationDb): Promise<void> {
  if (!isPostgres(db)) await db.schema.createIndex('alerts_ci').on('alerts').columns(['ci_key', 'id']).execute();
}
