import type { Command } from 'commander';
import { migrateToLatest, openConfiguredDatabase } from '@opsloom/server';
import { configFrom, type StorageFlags } from './shared.js';

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations (serve does this on start too)')
    .option('--data-dir <dir>', 'SQLite data directory (env OPSLOOM_DATA_DIR)')
    .option('--database-url <url>', 'postgres://… (env DATABASE_URL)')
    .action(async (flags: StorageFlags) => {
      const database = openConfiguredDatabase(configFrom(flags));
      try {
        const { applied } = await migrateToLatest(database.db);
        process.stdout.write(applied.length ? `applied ${applied.length} migration(s):\n${applied.map((name) => `  ${name}\n`).join('')}` : 'database is up to date\n');
      } finally {
        await database.close();
      }
    });
}
