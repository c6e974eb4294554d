import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, testDatabaseKinds } from '../../../apps/server/src/testing/databases.js';
import { type ServeProcess, startServeProcess } from '../../../apps/server/src/testing/serve-process.js';
import { SERVER_NODE_FLAGS } from './server-flags.js';

/**
 * The built CLI (`tsc -b` first: `npm run build` or scripts/test.sh), spawned as a user
 * would run it, against a temporary OPSLOOM_DATA_DIR.
 */
const main = path.resolve(import.meta.dirname, '../dist/main.js');

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

let dataDir: string;
/** DATABASE_URL for the PostgreSQL run; unset for SQLite. */
let databaseUrl: string | undefined;

function baseEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const inherited of ['DATABASE_URL', 'OPSLOOM_ADMIN_TOKEN', 'PORT', 'HOST']) delete env[inherited];
  return { ...env, OPSLOOM_DATA_DIR: dataDir, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}), OPSLOOM_LOG_LEVEL: 'warn', ...extra };
}

function run(args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [main, ...args], { env: baseEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts `serve` and resolves with its URL once it logs that it listens. */
function serve(args: string[], env: Record<string, string>): Promise<ServeProcess> {
  return startServeProcess(main, args, baseEnv({ HOST: '127.0.0.1', PORT: '0', OPSLOOM_LOG_LEVEL: 'info', ...env }));
}

describe('opsloom CLI without storage', () => {
  beforeAll(() => {
    if (!fs.existsSync(main)) throw new Error(`${main} is missing: build first (npx tsc -b packages/api apps/server packages/cli)`);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsloom-cli-'));
    databaseUrl = undefined;
  });
  afterAll(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('version prints the version', async () => {
    const result = await run(['version']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^opsloom \d+\.\d+\.\d+/);
  });

  it.each([['serve'], ['migrate'], ['admin'], ['admin', 'create-user'], ['admin', 'create-token'], ['version']].map((command) => ({ name: command.join(' '), command })))('$name --help explains itself', async ({ command }) => {
    const result = await run([...command, '--help']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Usage: opsloom ${command.join(' ')}`));
  });

  it('an unknown command or option is bad input: exit 2 with a message', async () => {
    const unknown = await run(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command 'frobnicate'/);
    const option = await run(['migrate', '--nope']);
    expect(option.code).toBe(2);
    expect(option.stderr).toMatch(/unknown option '--nope'/);
  });

  it('a bad configuration exits 2 naming the variable', async () => {
    const result = await run(['serve'], { DATABASE_URL: 'mysql://nope' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^opsloom: DATABASE_URL: must start with postgres:\/\//);
    const port = await run(['serve'], { PORT: 'eighty' });
    expect(port.code).toBe(2);
    expect(port.stderr).toMatch(/PORT: /);
  });
});

describe.each(testDatabaseKinds())('opsloom CLI on %s', (kind) => {
  const servers: ChildProcess[] = [];
  let pgDatabase: TestDatabase | null = null;

  beforeAll(async () => {
    if (!fs.existsSync(main)) throw new Error(`${main} is missing: build first (npx tsc -b packages/api apps/server packages/cli)`);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsloom-cli-'));
    databaseUrl = undefined;
    if (kind === 'postgres') {
      pgDatabase = await createTestDatabase('postgres', { migrate: false });
      await pgDatabase.handle.close();
      databaseUrl = pgDatabase.location.databaseUrl;
    }
  });
  afterEach(() => {
    for (const child of servers.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  });
  afterAll(async () => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    await pgDatabase?.drop().catch(() => undefined);
    databaseUrl = undefined;
  });

  it('migrate applies, then reports up to date', async () => {
    const first = await run(['migrate']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^applied \d+ migration\(s\):\n {2}\d{4}-/);
    expect(fs.existsSync(path.join(dataDir, 'opsloom.sqlite'))).toBe(kind === 'sqlite');
    const second = await run(['migrate']);
    expect(second.code).toBe(0);
    expect(second.stdout).toBe('database is up to date\n');
  });

  it('admin create-user creates; bad input exits 2 with a clear message', async () => {
    const created = await run(['admin', 'create-user', '--email', 'Ops.Admin@Example.com', '--name', 'Ops Admin', '--role', 'admin', '--password', 'a-long-password']);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^created user ops\.admin@example\.com \(@ops\.admin, admin\) id [0-9a-f-]{36}\n$/);

    const duplicate = await run(['admin', 'create-user', '--email', 'ops.admin@example.com', '--name', 'Again']);
    expect(duplicate.code).toBe(2);
    expect(duplicate.stderr).toMatch(/^opsloom: email: a user with e-mail ops\.admin@example\.com already exists\n$/);

    const badEmail = await run(['admin', 'create-user', '--email', 'not-an-email', '--name', 'X']);
    expect(badEmail.code).toBe(2);
    expect(badEmail.stderr).toMatch(/^opsloom: email: /);

    const shortPassword = await run(['admin', 'create-user', '--email', 'x@example.com', '--name', 'X', '--password', 'short']);
    expect(shortPassword.code).toBe(2);
    expect(shortPassword.stderr).toMatch(/^opsloom: password: must be at least 10 characters/);

    const badRole = await run(['admin', 'create-user', '--email', 'y@example.com', '--name', 'Y', '--role', 'overlord']);
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toMatch(/--role.*overlord.*(invalid|Allowed choices)/is);

    const unknownTeam = await run(['admin', 'create-user', '--email', 'z@example.com', '--name', 'Z', '--team', 'no-such-team']);
    expect(unknownTeam.code).toBe(2);
    expect(unknownTeam.stderr).toMatch(/^opsloom: teams: unknown team "no-such-team"/);

    const missing = await run(['admin', 'create-user', '--name', 'No Email']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/required option '--email <email>' not specified/);
  });

  it('admin create-token prints a token that works against a started serve', async () => {
    const token = await run(['admin', 'create-token', '--user', 'ops.admin@example.com', '--name', 'cli-test']);
    expect(token.code, token.stderr).toBe(0);
    const secret = token.stdout.trim();
    expect(secret).toMatch(/^olt_[A-Za-z0-9_-]{40,}$/);
    expect(token.stderr).toMatch(/store it now/);

    const unknownUser = await run(['admin', 'create-token', '--user', 'nobody@example.com', '--name', 'x']);
    expect(unknownUser.code).toBe(2);
    expect(unknownUser.stderr).toMatch(/^opsloom: user not found: nobody@example\.com/);
    const badDays = await run(['admin', 'create-token', '--user', 'ops.admin', '--name', 'x', '--expires-in-days', '0']);
    expect(badDays.code).toBe(2);
    expect(badDays.stderr).toMatch(/must be a positive whole number/);

    const server = await serve([], {});
    servers.push(server.child);
    const session = await fetch(`${server.url}/api/v1/auth/session`, { headers: { authorization: `Bearer ${secret}` } });
    expect(session.status).toBe(200);
    expect(((await session.json()) as { user: { email: string; role: string } }).user).toMatchObject({ email: 'ops.admin@example.com', role: 'admin' });
    expect((await fetch(`${server.url}/api/v1/auth/session`, { headers: { authorization: 'Bearer olt_wrong' } })).status).toBe(401);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it('serve without --demo starts with no teams; OPSLOOM_ADMIN_TOKEN works', async () => {
    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'opsloom-cli-fresh-'));
    try {
      const adminToken = 'cli-test-admin-token-0123456789';
      const server = await serve(['--data-dir', fresh], { OPSLOOM_ADMIN_TOKEN: adminToken });
      servers.push(server.child);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      const teams = await fetch(`${server.url}/api/v1/teams`, { headers: { authorization: `Bearer ${adminToken}` } });
      expect(teams.status).toBe(200);
      expect(await teams.json()).toEqual({ items: [] });
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    } finally {
      fs.rmSync(fresh, { recursive: true, force: true });
    }
  });

  // /proc shows the arguments a process runs with now, after an in-place restart.
  it.skipIf(process.platform !== 'linux')('serve restarts in place with the server node flags, keeping the ones the operator chose', async () => {
    const commandLine = (pid: number | undefined) => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const server = await serve([], {});
    servers.push(server.child);
    expect(commandLine(server.child.pid)).toEqual(expect.arrayContaining(SERVER_NODE_FLAGS));
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);

    const own = await serve([], { NODE_OPTIONS: '--max-semi-space-size=4' });
    servers.push(own.child);
    expect(commandLine(own.child.pid).filter((arg) => arg.includes('semi-space'))).toEqual([]);
    expect(commandLine(own.child.pid)).toContain('--expose-gc');
    expect((await fetch(`${own.url}/healthz`)).status).toBe(200);
    own.child.kill('SIGTERM');
    expect(await own.exited).toBe(0);

    // Both chosen, one of them "off": no restart at all.
    const neither = await serve([], { NODE_OPTIONS: '--max_semi_space_size=4 --no-expose-gc' });
    servers.push(neither.child);
    expect(commandLine(neither.child.pid).filter((arg) => arg.startsWith('--'))).toEqual([]);
    expect((await fetch(`${neither.url}/healthz`)).status).toBe(200);
  });
});
