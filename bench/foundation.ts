/**
 * Foundation benchmarks: prints figures, is not a test and asserts nothing.
 *
 *   make bench                 (builds first, then runs this)
 *   npm run bench:foundation   (needs a build: packages/cli/dist/main.js)
 *
 * Runs directly on Node >= 22.18 / 24 (type stripping; no compiler, no tsx): only
 * erasable TypeScript syntax here. It spawns the built server exactly as users do
 * (`node packages/cli/dist/main.js serve`) on 127.0.0.1 with throwaway data directories,
 * and talks to it over real HTTP from this process, so client time is part of every figure.
 *
 * Settings (environment): BENCH_ACTIVITY_ROWS (100000), BENCH_ACTIVITY_REQUESTS (2000),
 * BENCH_SUBSCRIBERS (1000), BENCH_WRITES (20), BENCH_COLD_STARTS (5).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { envNumber, freePort, sleep } from './support.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const CLI = path.join(ROOT, 'packages/cli/dist/main.js');
const ADMIN_TOKEN = `bench-admin-${randomBytes(12).toString('hex')}`;
const ACTIVITY_ROWS = envNumber('BENCH_ACTIVITY_ROWS', 100_000);
const ACTIVITY_REQUESTS = envNumber('BENCH_ACTIVITY_REQUESTS', 2_000);
const SUBSCRIBERS = envNumber('BENCH_SUBSCRIBERS', 1_000);
const WRITES = envNumber('BENCH_WRITES', 20);
const COLD_STARTS = envNumber('BENCH_COLD_STARTS', 5);
const WRITE_SPACING_MS = 200;

const tmpDirs: string[] = [];
const children = new Set<ChildProcess>();

function tempDir(label: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `opsloom-bench-${label}-`));
  tmpDirs.push(dir);
  return dir;
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return { n: sorted.length, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted[sorted.length - 1] ?? Number.NaN };
}
const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} ms`;
const verdict = (ok: boolean) => (ok ? 'within target' : 'MISSES TARGET');


interface Response {
  status: number;
  body: string;
}
function request(port: number, method: string, pathname: string, options: { body?: unknown; token?: string; agent?: http.Agent | false } = {}): Promise<Response> {
  return new Promise((resolve, reject) => {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    const req = http.request({ host: '127.0.0.1', port, method, path: pathname, headers, agent: options.agent ?? false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

interface RunningServer {
  proc: ChildProcess;
  port: number;
  /** Spawn to first 200 from /healthz. */
  startMs: number;
  stderr: () => string;
}

/** Spawns `opsloom serve` and polls /healthz every 5 ms until it answers 200. */
async function startServer(dataDir: string, env: Record<string, string> = {}): Promise<RunningServer> {
  const port = await freePort();
  let stderr = '';
  let exited = null as string | null;
  const t0 = performance.now();
  const proc = spawn(process.execPath, [CLI, 'serve'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', OPSLOOM_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.add(proc);
  proc.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  proc.on('exit', (code, signal) => {
    exited = `exited with ${code ?? signal}`;
    children.delete(proc);
  });
  for (;;) {
    if (exited) throw new Error(`server ${exited} before answering /healthz:\n${stderr}`);
    if (performance.now() - t0 > 30_000) throw new Error(`server did not answer /healthz within 30 s:\n${stderr}`);
    const status = await request(port, 'GET', '/healthz').then((r) => r.status, () => 0);
    if (status === 200) break;
    await sleep(5);
  }
  return { proc, port, startMs: performance.now() - t0, stderr: () => stderr };
}

async function stopServer(server: RunningServer): Promise<void> {
  if (server.proc.exitCode !== null || server.proc.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => server.proc.once('exit', () => resolve()));
  server.proc.kill('SIGTERM');
  const timeout = sleep(15_000).then(() => server.proc.kill('SIGKILL'));
  await Promise.race([exited, timeout]);
  await exited;
}

function rssMiB(pid: number): { rss: number; hwm: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

function openFileLimit(): number {
  const limits = fs.readFileSync('/proc/self/limits', 'utf8');
  const match = /^Max open files\s+(\d+|unlimited)/m.exec(limits);
  return !match || match[1] === 'unlimited' ? Number.POSITIVE_INFINITY : Number(match[1]);
}

function header(title: string) {
  console.log(`\n== ${title}`);
}

// --- 1. cold start --------------------------------------------------------------------
async function benchColdStart(): Promise<void> {
  header('Cold start to first 200 from /healthz (SQLite)');
  console.log(`   how: spawn \`node packages/cli/dist/main.js serve\` with a new empty OPSLOOM_DATA_DIR (so it creates`);
  console.log(`        the database and runs every migration) on a free port; poll GET /healthz every 5 ms; time from`);
  console.log(`        spawn() to the first 200. ${COLD_STARTS} runs, each a new process and a new data directory.`);
  const times: number[] = [];
  for (let i = 0; i < COLD_STARTS; i++) {
    const server = await startServer(tempDir('cold'));
    times.push(server.startMs);
    await stopServer(server);
  }
  const s = stats(times);
  console.log(`   runs: ${times.map((t) => t.toFixed(0)).join(', ')} ms`);
  console.log(`   median ${ms(s.p50)}, max ${ms(s.max)}   (target < 1000 ms: ${verdict(s.max < 1000)})`);
}

// --- 2. memory + 3. activity + 4. fan-out share one data directory ----------------------
async function seedOrganisation(port: number) {
  const teams = ['network', 'storage', 'servers', 'database', 'messaging', 'service-desk'];
  for (const slug of teams) {
    const res = await request(port, 'POST', '/api/v1/teams', { token: ADMIN_TOKEN, body: { slug: `bench-${slug}`, name: `Bench ${slug}` } });
    if (res.status !== 201) throw new Error(`POST /api/v1/teams → ${res.status} ${res.body}`);
  }
  for (let i = 0; i < 12; i++) {
    const res = await request(port, 'POST', '/api/v1/users', {
      token: ADMIN_TOKEN,
      body: { email: `bench${i}@example.test`, name: `Bench Person ${i}`, role: i % 3 === 0 ? 'operator' : 'viewer', teams: [`bench-${teams[i % teams.length]}`] },
    });
    if (res.status !== 201) throw new Error(`POST /api/v1/users → ${res.status} ${res.body}`);
  }
}

async function benchIdleMemory(server: RunningServer): Promise<void> {
  header('Idle resident memory');
  console.log('   how: the server above (fresh SQLite, admin token) after start, 6 team and 12 user creations,');
  console.log('        ~20 reads (teams, users, activity, openapi.json, metrics, healthz) and one SSE stream opened');
  console.log('        and closed; then 2 s idle; VmRSS (and peak VmHWM) from /proc/<pid>/status.');
  const reads = ['/api/v1/teams', '/api/v1/users', '/api/v1/activity', '/api/v1/activity?team=bench-network', '/api/openapi.json', '/metrics', '/healthz'];
  for (let round = 0; round < 3; round++) for (const p of reads) await request(server.port, 'GET', p, { token: ADMIN_TOKEN });
  await new Promise<void>((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: server.port, path: '/api/v1/stream', headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, agent: false }, (res) => {
      res.once('data', () => {
        req.destroy();
        resolve();
      });
    });
    req.on('error', reject);
  });
  await sleep(2000);
  const { rss, hwm } = rssMiB(server.proc.pid as number);
  console.log(`   VmRSS ${rss.toFixed(1)} MiB (peak VmHWM ${hwm.toFixed(1)} MiB)   (target < 150 MB: ${verdict(rss * 1.048576 < 150)})`);
}

interface Org {
  teams: { id: string; slug: string; name: string }[];
  users: { id: string; name: string; handle: string }[];
}

/** Fills the activity table straight through SQLite, in one transaction, while the server is stopped. */
function insertActivity(dataDir: string, rows: number): { org: Org; ms: number; total: number } {
  const t0 = performance.now();
  const db = new Database(path.join(dataDir, 'opsloom.sqlite'));
  db.pragma('journal_mode = WAL');
  const org: Org = {
    teams: db.prepare('select id, slug, name from teams').all() as Org['teams'],
    users: db.prepare('select id, name, handle from users').all() as Org['users'],
  };
  const columns = (db.prepare('pragma table_info(activity)').all() as { name: string; notnull: number; dflt_value: unknown; pk: number }[]).filter((c) => !c.pk);
  const verbs = ['team.updated', 'membership.created', 'user.updated', 'token.created', 'follow.created'];
  const start = Date.now() - rows * 1000;
  const value = (name: string, i: number): unknown => {
    const team = org.teams[i % org.teams.length];
    const actor = org.users[(i * 7) % org.users.length];
    const verb = verbs[i % verbs.length];
    switch (name) {
      case 'occurred_at': return start + i * 1000;
      case 'actor_id': return actor.id;
      case 'actor_name': return actor.name;
      case 'actor_handle': return actor.handle;
      case 'via': return 'token';
      case 'verb': return verb;
      case 'subject_type': return 'team';
      case 'subject_id': return team.id;
      case 'subject_label': return team.name;
      case 'team_id': return team.id;
      case 'team_slug': return team.slug;
      case 'team_name': return team.name;
      case 'summary': return `${actor.name} did ${verb} on ${team.name} (#${i})`;
      case 'data': return JSON.stringify({ bench: i, note: 'synthetic record for bench/foundation.ts' });
      case 'ip': return '127.0.0.1';
      case 'user_agent': return 'opsloom-bench';
      default: return undefined;
    }
  };
  const unknown = columns.filter((c) => value(c.name, 0) === undefined);
  const required = unknown.filter((c) => c.notnull && c.dflt_value === null);
  if (required.length > 0) throw new Error(`activity has required columns this bench does not know: ${required.map((c) => c.name).join(', ')}`);
  const used = columns.filter((c) => !unknown.includes(c));
  const insert = db.prepare(`insert into activity (${used.map((c) => c.name).join(', ')}) values (${used.map(() => '?').join(', ')})`);
  db.transaction(() => {
    for (let i = 0; i < rows; i++) insert.run(...used.map((c) => value(c.name, i)));
  })();
  const total = (db.prepare('select count(*) as n from activity').get() as { n: number }).n;
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { org, ms: performance.now() - t0, total };
}

async function benchActivityList(server: RunningServer, org: Org, total: number, maxId: number): Promise<void> {
  header(`GET /api/v1/activity with ${total.toLocaleString('en')} records stored (SQLite)`);
  console.log(`   how: ${ACTIVITY_REQUESTS.toLocaleString('en')} sequential requests over one keep-alive connection, bearer admin token, default`);
  console.log('        page size (50), after 200 warm-up requests; rotating: no filter / ?team=<slug> / ?actor=<handle> /');
  console.log('        ?cursor=<random id> / ?team=<slug>&cursor=<random id>. Time from request to the last body byte.');
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const kinds = ['no filter', 'team', 'actor', 'cursor', 'team+cursor'] as const;
  const pathFor = (i: number): [string, string] => {
    const kind = kinds[i % kinds.length];
    const team = org.teams[i % org.teams.length].slug;
    const actor = org.users[i % org.users.length].handle;
    const cursor = 1 + Math.floor(Math.random() * maxId);
    switch (kind) {
      case 'no filter': return [kind, '/api/v1/activity'];
      case 'team': return [kind, `/api/v1/activity?team=${team}`];
      case 'actor': return [kind, `/api/v1/activity?actor=${actor}`];
      case 'cursor': return [kind, `/api/v1/activity?cursor=${cursor}`];
      default: return [kind, `/api/v1/activity?team=${team}&cursor=${cursor}`];
    }
  };
  for (let i = 0; i < 200; i++) await request(server.port, 'GET', pathFor(i)[1], { token: ADMIN_TOKEN, agent });
  const all: number[] = [];
  const byKind = new Map<string, number[]>();
  let empty = 0;
  const t0 = performance.now();
  for (let i = 0; i < ACTIVITY_REQUESTS; i++) {
    const [kind, p] = pathFor(i);
    const start = performance.now();
    const res = await request(server.port, 'GET', p, { token: ADMIN_TOKEN, agent });
    const took = performance.now() - start;
    if (res.status !== 200) throw new Error(`GET ${p} → ${res.status} ${res.body.slice(0, 300)}`);
    if ((JSON.parse(res.body) as { items: unknown[] }).items.length === 0) empty++;
    all.push(took);
    const samples = byKind.get(kind) ?? [];
    byKind.set(kind, samples);
    samples.push(took);
  }
  const elapsed = performance.now() - t0;
  agent.destroy();
  const s = stats(all);
  for (const [kind, values] of byKind) {
    const k = stats(values);
    console.log(`   ${kind.padEnd(12)} n=${String(k.n).padEnd(4)} p50 ${ms(k.p50)}, p99 ${ms(k.p99)}, max ${ms(k.max)}`);
  }
  console.log(`   all          n=${s.n} p50 ${ms(s.p50)}, p99 ${ms(s.p99)}, max ${ms(s.max)}; ${(ACTIVITY_REQUESTS / (elapsed / 1000)).toFixed(0)} req/s sequential${empty ? `; ${empty} empty pages` : ''}`);
  console.log(`   (target p99 < 20 ms: ${verdict(s.p99 < 20)})`);
}

async function benchFanOut(server: RunningServer): Promise<void> {
  header(`Live fan-out to ${SUBSCRIBERS.toLocaleString('en')} SSE subscribers`);
  const limit = openFileLimit();
  if (limit < SUBSCRIBERS + 200) console.log(`   WARNING: open-file limit ${limit} is low for ${SUBSCRIBERS} sockets; run \`ulimit -n 8192\` first`);
  console.log(`   how: ${SUBSCRIBERS} GET /api/v1/stream connections (one socket each, bearer admin token) from this process;`);
  console.log(`        then ${WRITES} POST /api/v1/teams, ${WRITE_SPACING_MS} ms apart. Per subscriber per write: time from sending the POST`);
  console.log('        to that subscriber\'s socket delivering the `team.created` frame (also shown: from the POST\'s response).');
  const marker = `bfo-${randomBytes(3).toString('hex')}`;
  const pattern = new RegExp(`${marker}-(\\d+)`);
  const received: number[][] = Array.from({ length: WRITES }, () => []);
  const sentAt: number[] = [];
  const answeredAt: number[] = [];
  const requests: http.ClientRequest[] = [];
  let connected = 0;
  let failed = 0;
  const tOpen = performance.now();
  const openOne = () =>
    new Promise<void>((resolve) => {
      const seen = new Set<number>();
      let buffer = '';
      const req = http.get(
        { host: '127.0.0.1', port: server.port, path: '/api/v1/stream', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, accept: 'text/event-stream' }, agent: false },
        (res) => {
          if (res.statusCode !== 200) {
            failed++;
            res.resume();
            resolve();
            return;
          }
          res.setEncoding('utf8');
          let first = true;
          res.on('data', (chunk: string) => {
            const at = performance.now();
            if (first) {
              first = false;
              connected++;
              resolve();
            }
            buffer += chunk;
            let end = buffer.indexOf('\n\n');
            while (end !== -1) {
              const frame = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              const match = pattern.exec(frame);
              if (match) {
                const write = Number(match[1]);
                if (!seen.has(write)) {
                  seen.add(write);
                  received[write].push(at);
                }
              }
              end = buffer.indexOf('\n\n');
            }
          });
          res.on('error', () => undefined);
        },
      );
      req.on('error', () => {
        failed++;
        resolve();
      });
      requests.push(req);
    });
  for (let i = 0; i < SUBSCRIBERS; i += 100) await Promise.all(Array.from({ length: Math.min(100, SUBSCRIBERS - i) }, openOne));
  console.log(`   subscribers connected: ${connected} (${failed} failed) in ${ms(performance.now() - tOpen)}`);
  await sleep(500);
  for (let i = 0; i < WRITES; i++) {
    sentAt[i] = performance.now();
    const res = await request(server.port, 'POST', '/api/v1/teams', { token: ADMIN_TOKEN, body: { slug: `${marker}-${i}`, name: `Fan-out ${marker}-${i}` } });
    answeredAt[i] = performance.now();
    if (res.status !== 201) throw new Error(`POST /api/v1/teams → ${res.status} ${res.body}`);
    await sleep(WRITE_SPACING_MS);
  }
  await sleep(2000);
  const fromSend: number[] = [];
  const fromResponse: number[] = [];
  const writeMs: number[] = [];
  let missing = 0;
  for (let i = 0; i < WRITES; i++) {
    writeMs.push(answeredAt[i] - sentAt[i]);
    missing += connected - received[i].length;
    for (const at of received[i]) {
      fromSend.push(at - sentAt[i]);
      fromResponse.push(at - answeredAt[i]);
    }
  }
  for (const req of requests) req.destroy();
  const s = stats(fromSend);
  const r = stats(fromResponse);
  const w = stats(writeMs);
  console.log(`   deliveries: ${fromSend.length.toLocaleString('en')} of ${(connected * WRITES).toLocaleString('en')} expected (${missing} missing)`);
  console.log(`   POST /api/v1/teams itself:  p50 ${ms(w.p50)}, max ${ms(w.max)}`);
  console.log(`   from sending the write:     p50 ${ms(s.p50)}, p99 ${ms(s.p99)}, max ${ms(s.max)}`);
  console.log(`   from the write's response:  p50 ${ms(r.p50)}, p99 ${ms(r.p99)}, max ${ms(r.max)}  (negative: the event arrived before the response)`);
  console.log(`   (target p99 < 250 ms: ${verdict(s.p99 < 250 && missing === 0)})`);
}

async function main(): Promise<void> {
  if (!fs.existsSync(CLI)) throw new Error(`${path.relative(ROOT, CLI)} is missing: run \`npm run build\` (or \`make bench\`) first`);
  console.log(`Opsloom foundation benchmarks — node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${os.platform()} ${os.release()}`);
  console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} at start (other processes on the 2 cores move every figure)`);
  console.log(`started ${new Date().toISOString()}; server: node ${path.relative(ROOT, CLI)} serve on 127.0.0.1, default settings (SQLite synchronous=FULL, log level info to /dev/null)`);

  await benchColdStart();

  const dataDir = tempDir('data');
  let server = await startServer(dataDir, { OPSLOOM_ADMIN_TOKEN: ADMIN_TOKEN });
  await seedOrganisation(server.port);
  await benchIdleMemory(server);
  await stopServer(server);

  const filled = insertActivity(dataDir, ACTIVITY_ROWS);
  console.log(`\n   (setup: inserted ${ACTIVITY_ROWS.toLocaleString('en')} activity rows directly with better-sqlite3 in one transaction in ${ms(filled.ms)}; table now holds ${filled.total.toLocaleString('en')})`);
  server = await startServer(dataDir, { OPSLOOM_ADMIN_TOKEN: ADMIN_TOKEN });
  console.log(`   (restart with ${filled.total.toLocaleString('en')} records: first 200 from /healthz after ${ms(server.startMs)})`);
  await benchActivityList(server, filled.org, filled.total, filled.total);

  await benchFanOut(server);
  const after = rssMiB(server.proc.pid as number);
  console.log(`   server VmRSS after the fan-out: ${after.rss.toFixed(1)} MiB (peak ${after.hwm.toFixed(1)} MiB)`);
  await stopServer(server);
  console.log(`\nload average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} at the end`);
}

function cleanup(): void {
  for (const child of children) child.kill('SIGKILL');
  for (const dir of tmpDirs) fs.rmSync(dir, { recursive: true, force: true });
}
process.on('SIGINT', () => {
  cleanup();
  process.exit(130);
});

try {
  await main();
  console.log('\ndone.');
} catch (error) {
  console.error(`\nbench failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  cleanup();
}
