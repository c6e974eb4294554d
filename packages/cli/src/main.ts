#!/usr/bin/env node
import module from 'node:module';

// Cache V8's compiled code between runs: most of a cold start is parsing and compiling
// the server's modules, and `opsloom serve` restarts should be fast.
module.enableCompileCache?.();

// Before the server's modules load, so that restarting with the server's node flags costs
// no second load of them (docs/adr/0009).
if (process.argv[2] === 'serve') (await import('./server-flags.js')).relaunchWithServerFlags();

const { buildProgram } = await import('./program.js');
const { reportError } = await import('./errors.js');

buildProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    process.exitCode = reportError(error);
  });
