import { buildApp, type Config, loadConfig, migrateToLatest, openConfiguredDatabase, type Services } from '@opsloom/server';

export interface StorageFlags {
  dataDir?: string;
  databaseUrl?: string;
}

export function configFrom(flags: StorageFlags & { port?: string; host?: string }): Config {
  return loadConfig(process.env, { dataDir: flags.dataDir, databaseUrl: flags.databaseUrl, port: flags.port, host: flags.host, logLevel: process.env.OPSLOOM_LOG_LEVEL ?? 'warn' });
}

/** Opens and migrates the configured database and runs `task` with the services, then closes everything. */
export async function withServices<T>(flags: StorageFlags, task: (services: Services) => Promise<T>): Promise<T> {
  const config = configFrom(flags);
  const database = openConfiguredDatabase(config);
  try {
    await migrateToLatest(database.db);
    const { app, services } = await buildApp({ config: { ...config, logLevel: 'warn' }, database, logger: false });
    try {
      return await task(services);
    } finally {
      await app.close();
    }
  } finally {
    await database.close();
  }
}
