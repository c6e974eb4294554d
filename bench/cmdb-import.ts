/**
 * CMDB benchmark (issue 3): prints figures, asserts nothing.
 *
 *   npm run build && node bench/cmdb-import.ts
 *
 * Runs on Node >= 22.18 / 24 (type stripping). Spawns the built server
 * (`node packages/cli/dist/main.js serve`) on SQLite in a throwaway data directory and,
 * over real HTTP: imports a generated CMDB of 100,000 CIs and 300,000 relationships
 * (bench/cmdb-generate.ts) through `POST /api/v1/cmdb/import`; asks impact and
 * dependencies of many CIs and reports p50/p99 for answers of up to 1,000 CIs; reads the
 * server's RSS with the graph loaded, after the import and after a restart (graph loaded
 * from the database). Settings: BENCH_CIS (100000), BENCH_RELATIONSHIPS (300000),
 * BENCH_QUERIES (2000 CIs, each asked both ways).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { BENCH_TEAMS, generateCmdb } from './cmdb-generate.ts';
import { envNumber, freePort, sleep } from './support.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const CLI = path.join(ROOT, 'packages/cli/dist/main.js');
const TOKEN = `bench-admin-${randomBytes(12).toString('hex')}`;
const CIS = envNumber('BENCH_CIS', 100_000);
const RELATIONSHIPS = envNumber('BENCH_RELATIONSHIPS', 300_000);
const QUERIES = envNumber('BENCH_QUERIES', 2_000);

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });


function request(port: number, method: string, pathname: string, payload?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` };
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    const req = http.request({ host: '127.0.0.1', port, method, path: pathname, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

async function startServer(dataDir: string): Promise<{ proc: ChildProcess; port: number; startMs: number }> {
  const port = await freePort();
  const t0 = performance.now();
  let stderr = '';
  const proc = spawn(process.execPath, [CLI, 'serve'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', OPSLOOM_DATA_DIR: dataDir, OPSLOOM_ADMIN_TOKEN: TOKEN, OPSLOOM_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  proc.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited:\n${stderr}`);
    if (performance.now() - t0 > 120_000) throw new Error(`server did not start:\n${stderr}`);
    if ((await request(port, 'GET', '/healthz').catch(() => ({ status: 0 }))).status === 200) break;
    await sleep(20);
  }
  return { proc, port, startMs: performance.now() - t0 };
}

async function stop(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  proc.kill('SIGTERM');
  await exited;
}

const rssMiB = (pid: number) => {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
};
const pct = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
const fmt = (value: number) => `${value.toFixed(2)} ms`;
const verdict = (ok: boolean) => (ok ? 'within target' : 'MISSES TARGET');

async function queries(port: number, keys: string[]): Promise<void> {
  const small: number[] = [];
  const large: number[] = [];
  let biggest = 0;
  for (const key of keys) {
    for (const kind of ['impact', 'dependencies']) {
      const t0 = performance.now();
      const answer = await request(port, 'GET', `/api/v1/cis/${encodeURIComponent(key)}/${kind}`);
      const elapsed = performance.now() - t0;
      if (answer.status !== 200) throw new Error(`${kind} ${key}: ${answer.status} ${answer.body.slice(0, 200)}`);
      const size = (JSON.parse(answer.body) as { impacted: unknown[] }).impacted.length;
      biggest = Math.max(biggest, size);
      (size <= 1000 ? small : large).push(elapsed);
    }
  }
  small.sort((a, b) => a - b);
  large.sort((a, b) => a - b);
  console.log(`  answers of up to 1,000 CIs: n=${small.length}  p50 ${fmt(pct(small, 0.5))}  p99 ${fmt(pct(small, 0.99))}  (target p99 < 10 ms: ${verdict(pct(small, 0.99) < 10)})`);
  if (large.length > 0) console.log(`  larger answers (up to ${biggest} CIs): n=${large.length}  p50 ${fmt(pct(large, 0.5))}  p99 ${fmt(pct(large, 0.99))}  (informational)`);
}

async function main(): Promise<void> {
  if (!fs.existsSync(CLI)) throw new Error('build first: npm run build');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsloom-bench-cmdb-'));
  try {
    console.log(`CMDB bench: ${CIS.toLocaleString('en')} CIs, ${RELATIONSHIPS.toLocaleString('en')} relationships, SQLite, Node ${process.version}, ${os.cpus().length} CPUs`);
    let t0 = performance.now();
    const body = generateCmdb(CIS, RELATIONSHIPS);
    const payload = JSON.stringify(body);
    console.log(`generated in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${body.cis.length} CIs, ${body.relationships.length} relationships, ${(payload.length / 1048576).toFixed(1)} MiB of JSON`);

    let server = await startServer(dataDir);
    for (const slug of BENCH_TEAMS) await request(server.port, 'POST', '/api/v1/teams', JSON.stringify({ slug, name: slug }));
    t0 = performance.now();
    const imported = await request(server.port, 'POST', '/api/v1/cmdb/import', payload);
    const importSeconds = (performance.now() - t0) / 1000;
    if (imported.status !== 200) throw new Error(`import failed: ${imported.status} ${imported.body.slice(0, 500)}`);
    console.log(`import through the API: ${importSeconds.toFixed(1)} s (target < 30 s: ${verdict(importSeconds < 30)}) → ${imported.body}`);
    const again = performance.now();
    const second = await request(server.port, 'POST', '/api/v1/cmdb/import', payload);
    console.log(`same import again (idempotent, nothing written): ${((performance.now() - again) / 1000).toFixed(1)} s → ${second.body}`);
    const afterImport = rssMiB(server.proc.pid ?? 0);
    console.log(`server memory after the imports: RSS ${afterImport.rss.toFixed(0)} MiB (peak ${afterImport.peak.toFixed(0)} MiB during the 2 imports)`);

    const stride = Math.max(1, Math.floor(body.cis.length / QUERIES));
    const keys = body.cis.filter((_, i) => i % stride === 0).slice(0, QUERIES).map((ci) => ci.key);
    for (const key of keys.slice(0, 50)) await request(server.port, 'GET', `/api/v1/cis/${encodeURIComponent(key)}/impact`);
    console.log(`impact and dependencies of ${keys.length} CIs spread over every layer, one request at a time over HTTP:`);
    await queries(server.port, keys);
    // The server collects an import's garbage once imports have stopped for 2 s (docs/adr/0009).
    console.log(`server memory once the imports are over (after those queries): RSS ${rssMiB(server.proc.pid ?? 0).rss.toFixed(0)} MiB`);

    await stop(server.proc);
    server = await startServer(dataDir);
    const loaded = rssMiB(server.proc.pid ?? 0);
    for (const key of keys.slice(0, 50)) await request(server.port, 'GET', `/api/v1/cis/${encodeURIComponent(key)}/impact`);
    console.log(`restart with the graph loaded from the database: ready in ${(server.startMs / 1000).toFixed(1)} s, RSS ${loaded.rss.toFixed(0)} MiB (target < 400 MB: ${verdict(loaded.rss * 1.048576 < 400)})`);
    await queries(server.port, keys.slice(0, 500));
    const afterQueries = rssMiB(server.proc.pid ?? 0);
    console.log(`RSS after 1,000 more queries: ${afterQueries.rss.toFixed(0)} MiB`);
    await stop(server.proc);
  } finally {
    agent.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
