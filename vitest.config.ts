import path from 'node:path';
import { defineConfig } from 'vitest/config';

const root = import.meta.dirname;

/** Server, API and CLI tests (Node). Browser tests have their own config: vitest.browser.config.ts. */
export default defineConfig({
  resolve: {
    alias: [
      // Import-file parsers are a separate entry so the server and web app load them only where used.
      { find: /^@opsloom\/api\/formats$/, replacement: path.join(root, 'packages/api/src/cmdb/formats/index.ts') },
      { find: /^@opsloom\/api$/, replacement: path.join(root, 'packages/api/src/index.ts') },
      { find: /^@opsloom\/server$/, replacement: path.join(root, 'apps/server/src/index.ts') },
    ],
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
