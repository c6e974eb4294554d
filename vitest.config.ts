import path from 'node:path';
import { defineConfig } from 'vitest/config';

const root = import.meta.dirname;

/** Server, API and CLI tests (Node). Browser tests have their own config: vitest.browser.config.ts. */
export default defineConfig({
  resolve: {
    alias: {
      '@opsloom/api': path.join(root, 'packages/api/src/index.ts'),
      '@opsloom/server': path.join(root, 'apps/server/src/index.ts'),
    },
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
