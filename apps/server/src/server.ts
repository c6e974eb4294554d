import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import { seedDemo } from './demo/seed-demo.js';
import { type DatabaseHandle, openDatabase } from './platform/db/database.js';
import { migrateToLatest } from './platform/db/migrator.js';
import { collectAllGarbage } from './platform/garbage-collection.js';

export interface StartOptions {
  demo?: boolean;
}

export function openConfiguredDatabase(config: Config): DatabaseHandle {
  return openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, sqliteSynchronous: config.sqliteSynchronous });
}

/** `opsloom serve`: open storage, migrate, bootstrap, listen; stop cleanly on SIGTERM/SIGINT. */
export async function startServer(config: Config, options: StartOptions = {}): Promise<FastifyInstance> {
  const database = openConfiguredDatabase(config);
  await migrateToLatest(database.db);
  const { app, services } = await buildApp({ config, database });
  if (config.adminToken) await services.identity.tokens.ensureBootstrapToken(config.adminToken);
  if (options.demo) {
    const seeded = await seedDemo(services, { baseUrl: config.publicUrl ?? `http://localhost:${config.port}` });
    app.log.info(seeded ? 'demo data loaded' : 'demo data already present');
  }
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    app
      .close()
      .then(() => database.close())
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        app.log.error({ err: error }, 'error during shutdown');
        process.exit(1);
      });
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  // The start-up loads (the CMDB graph, page by page) leave their garbage in the old generation,
  // and V8 keeps those pages until a full collection it may not run for hours: one now returns
  // them (docs/adr/0009).
  collectAllGarbage();
  await app.listen({ port: config.port, host: config.host });
  return app;
}
