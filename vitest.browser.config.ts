import path from 'node:path';
import { defineConfig } from 'vitest/config';

const root = import.meta.dirname;

/**
 * Browser tests: a real server in-process serving the built web app (apps/web/dist),
 * driven through real Chromium. Run `npm run build -w apps/web` first.
 * One worker, because Chromium and the server share a small machine.
 */
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
    include: ['apps/web/src/**/*.e2e.test.ts'],
    environment: 'node',
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
