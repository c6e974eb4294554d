import { defineConfig } from 'vitest/config';
import { workspaceAliases } from './vitest.aliases.js';

/** Server, API and CLI tests (Node). Browser tests have their own config: vitest.browser.config.ts. */
export default defineConfig({
  resolve: {
    alias: workspaceAliases,
  },
  test: {
    include: ['apps/server/src/**/*.test.ts', 'packages/*/src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
