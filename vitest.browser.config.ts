import { defineConfig } from 'vitest/config';
import { workspaceAliases } from './vitest.aliases.js';

/**
 * Browser tests: a real server in-process serving the built web app (apps/web/dist),
 * driven through real Chromium. Run `npm run build -w apps/web` first.
 * One worker, because Chromium and the server share a small machine.
 */
export default defineConfig({
  resolve: {
    alias: workspaceAliases,
  },
  test: {
    include: ['apps/web/src/**/*.e2e.test.ts'],
    environment: 'node',
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
