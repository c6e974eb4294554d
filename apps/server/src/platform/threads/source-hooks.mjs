/**
 * Module resolution for a worker thread started from TypeScript sources (tests run the
 * server from source; production runs dist and never loads this). Node strips the types
 * itself (--experimental-transform-types); this maps what the compiler would: `./x.js`
 * to `./x.ts` when only the source exists, and the workspace packages to their sources
 * (the same aliases as vitest.aliases.ts).
 */
import fs from 'node:fs';
import { registerHooks } from 'node:module';
import { fileURLToPath, pathToFileURL, URL } from 'node:url';

const root = fileURLToPath(new URL('../../../../../', import.meta.url));
const { workspaceAliases } = await import(pathToFileURL(`${root}vitest.aliases.ts`).href);

registerHooks({
  resolve(specifier, context, nextResolve) {
    for (const { find, replacement } of workspaceAliases) {
      if (find.test(specifier)) return { url: pathToFileURL(replacement).href, shortCircuit: true };
    }
    if (specifier.startsWith('.') && specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
      const source = new URL(`${specifier.slice(0, -3)}.ts`, context.parentURL);
      if (fs.existsSync(fileURLToPath(source))) return { url: source.href, shortCircuit: true };
    }
    return nextResolve(specifier, context);
  },
});
