import { Command } from 'commander';
import { OPSLOOM_VERSION } from '@opsloom/server';
import { registerAdminCommands } from './commands/admin.js';
import { registerGraphCommands } from './commands/graph.js';
import { registerImportCommand } from './commands/import.js';
import { registerMigrateCommand } from './commands/migrate.js';
import { registerSendEventCommand } from './commands/send-event.js';
import { registerServeCommand } from './commands/serve.js';

export function buildProgram(): Command {
  const program = new Command('opsloom')
    .description('Opsloom: collaborative IT operations management')
    .version(OPSLOOM_VERSION, '-V, --version-flag', 'print the version')
    .showHelpAfterError()
    .exitOverride((error) => {
      // commander exits 0 for --help and --version and 1 for usage errors; usage errors are bad input: 2.
      if (error.exitCode === 0) process.exit(0);
      process.exit(2);
    });
  registerServeCommand(program);
  registerMigrateCommand(program);
  registerAdminCommands(program);
  registerImportCommand(program);
  registerGraphCommands(program);
  registerSendEventCommand(program);
  program.command('version').description('print the version').action(() => {
    process.stdout.write(`opsloom ${OPSLOOM_VERSION}\n`);
  });
  return program;
}
