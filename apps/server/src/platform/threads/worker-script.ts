/**
 * How to start a worker thread from a module beside the caller: from dist in production;
 * from TypeScript source under tests, where Node strips the types and `source-hooks.mjs`
 * resolves what the compiler would have (`./x.js` → `./x.ts`, workspace packages).
 */
export function workerScript(callerUrl: string, name: string): { url: URL; execArgv: string[] } {
  const fromSource = callerUrl.endsWith('.ts');
  return {
    url: new URL(`./${name}.${fromSource ? 'ts' : 'js'}`, callerUrl),
    execArgv: fromSource ? ['--experimental-transform-types', '--no-warnings', '--import', new URL('./source-hooks.mjs', import.meta.url).href] : [],
  };
}
