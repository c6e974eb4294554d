import type { Command } from 'commander';
import { loadConfig, startServer } from '@opsloom/server';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('start the Opsloom server (API, live stream and web app)')
    .option('--demo', 'load the demo organisation when the database is empty')
    .option('-p, --port <port>', 'port to listen on (env PORT, default 8080)')
    .option('--host <host>', 'address to bind (env HOST, default 127.0.0.1)')
    .option('--data-dir <dir>', 'where the embedded SQLite database lives (env OPSLOOM_DATA_DIR, default ./data)')
    .option('--database-url <url>', 'postgres://… to use PostgreSQL (env DATABASE_URL)')
    .action(async (flags: { demo?: boolean; port?: string; host?: string; dataDir?: string; databaseUrl?: string }) => {
      const config = loadConfig(process.env, { port: flags.port, host: flags.host, dataDir: flags.dataDir, databaseUrl: flags.databaseUrl });
      await startServer(config, { demo: flags.demo });
    });
}
