import path from 'node:path';

const root = import.meta.dirname;

/** Workspace packages resolved to their sources, so tests need no build of them. */
export const workspaceAliases = [
  // Import-file parsers are a separate entry so the server and web app load them only where used.
  { find: /^@opsloom\/api\/formats$/, replacement: path.join(root, 'packages/api/src/cmdb/formats/index.ts') },
  { find: /^@opsloom\/api$/, replacement: path.join(root, 'packages/api/src/index.ts') },
  { find: /^@opsloom\/server$/, replacement: path.join(root, 'apps/server/src/index.ts') },
];
