#!/usr/bin/env node
import module from 'node:module';

// Cache V8's compiled code between runs: most of a cold start is parsing and compiling
// the server's modules, and `opsloom serve` restarts should be fast.
module.enableCompileCache?.();

const { buildProgram } = await import('./program.js');
const { reportError } = await import('./errors.js');

buildProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    process.exitCode = reportError(error);
  });
