import type { MigrationDb } from './helpers.js';

/**
 * Incidents keep the runner-up root causes next to the named one (JSON, at most three), so
 * an ambiguous root shows as such. Incidents from before start with none; correlation fills
 * them in as their next alerts arrive.
 */
export async function up(db: MigrationDb): Promise<void> {
  await db.schema.alterTable('incidents').addColumn('root_alternatives', 'text', (col) => col.notNull().defaultTo('[]')).execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.alterTable('incidents').dropColumn('root_alternatives').execute();
}
