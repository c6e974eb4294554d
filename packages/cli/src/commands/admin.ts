import { type Command, Option } from 'commander';
import { roles } from '@opsloom/api';
import { createAdminTasks } from '@opsloom/server';
import { wholeNumber } from '../options.js';
import { type StorageFlags, withServices } from './shared.js';

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerAdminCommands(program: Command): void {
  const admin = program
    .command('admin')
    .description('administer users and tokens directly in the database (no running server needed)')
    .option('--data-dir <dir>', 'SQLite data directory (env OPSLOOM_DATA_DIR)')
    .option('--database-url <url>', 'postgres://… (env DATABASE_URL)');

  admin
    .command('create-user')
    .description('create a user')
    .requiredOption('--email <email>', 'sign-in e-mail')
    .requiredOption('--name <name>', 'display name')
    .option('--password <password>', 'password, at least 10 characters (or env OPSLOOM_PASSWORD)')
    .addOption(new Option('--role <role>', 'role').choices([...roles]).default('viewer'))
    .option('--team <slug>', 'join this team (repeatable)', collect, [])
    .action(async (flags: { email: string; name: string; password?: string; role: (typeof roles)[number]; team: string[] }) => {
      const user = await withServices(admin.opts<StorageFlags>(), (services) =>
        createAdminTasks(services).createUser({
          email: flags.email, name: flags.name, password: flags.password ?? process.env.OPSLOOM_PASSWORD, role: flags.role, teams: flags.team,
        }),
      );
      process.stdout.write(`created user ${user.email} (@${user.handle}, ${user.role}) id ${user.id}\n`);
    });

  admin
    .command('create-token')
    .description('create an API token for a user and print its secret (shown once)')
    .requiredOption('--user <user>', 'e-mail, handle or id of the owner')
    .requiredOption('--name <name>', 'what the token is for')
    .option('--expires-in-days <days>', 'expire after this many days', wholeNumber(1))
    .action(async (flags: { user: string; name: string; expiresInDays?: number }) => {
      const token = await withServices(admin.opts<StorageFlags>(), (services) => createAdminTasks(services).createToken(flags));
      process.stdout.write(`${token.token}\n`);
      process.stderr.write(`token "${token.name}" for @${token.owner.handle} (id ${token.id}); store it now, it is not shown again\n`);
    });
}
