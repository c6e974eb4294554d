/**
 * A flood of large batches at once (ADR 0005, "bodies being received at once"): the server
 * must refuse what does not fit (503 with Retry-After on the Alertmanager webhook, which
 * Alertmanager retries; 429 elsewhere) rather than hold it all in memory. Prints figures,
 * asserts nothing.
 *
 *   node bench/intake-flood.ts
 *
 * Starts the built server (packages/cli/dist/main.js) on a throwaway SQLite directory,
 * posts BENCH_FLOOD_REQUESTS (100) Alertmanager webhooks of 1,000 alerts with 4 KB of labels
 * each (about 4 MiB, under the 5 MiB body limit) all at once, and prints the answers by
 * status, the server's peak RSS (sampled every 50 ms) and whether /healthz still answers.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { envNumber, freePort, sleep } from './support.ts';

const REQUESTS = envNumber('BENCH_FLOOD_REQUESTS', 100);
const ROOT = path.resolve(import.meta.dirname, '..');
const TOKEN = 'olt_bench_flood_admin_0123456789abcdef';

function batch(k: number, startsAt: string): string {
  const alerts = Array.from({ length: 1000 }, (_, i) => {
    const labels: Record<string, string> = { alertname: `Flood${k}`, instance: `flood-${k}-${i}` };
    for (let j = 0; j < 4; j++) labels[`detail${j}`] = 'x'.repeat(1000);
    return { status: 'firing', labels, annotations: { summary: `flood ${k}/${i}` }, startsAt, fingerprint: `flood-${k}-${i}` };
  });
  return JSON.stringify({ version: '4', status: 'firing', alerts });
}

const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsloom-bench-flood-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, [path.join(ROOT, 'packages/cli/dist/main.js'), 'serve'], {
    cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', OPSLOOM_DATA_DIR: dir, OPSLOOM_ADMIN_TOKEN: TOKEN, OPSLOOM_LOG_LEVEL: 'warn' },
  });
  try {
    for (;;) {
      try {
        if ((await fetch(`${base}/healthz`)).ok) break;
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    const created = await fetch(`${base}/api/v1/integrations`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'alertmanager', name: 'flood' }) });
    const { routingKey } = (await created.json()) as { routingKey: string };
    const startsAt = new Date().toISOString();
    const bodies = Array.from({ length: REQUESTS }, (_, k) => batch(k, startsAt));
    console.log(`intake flood: ${REQUESTS} Alertmanager batches of 1,000 alerts, ${(bodies[0].length / 2 ** 20).toFixed(1)} MiB each, all at once`);
    const pid = server.pid ?? 0;
    let peak = rssMiB(pid);
    const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(pid))), 50);
    const started = performance.now();
    const statuses = await Promise.all(bodies.map((body) =>
      fetch(`${base}/api/v1/integrations/alertmanager`, { method: 'POST', headers: { authorization: `Bearer ${routingKey}`, 'content-type': 'application/json' }, body })
        .then((res) => String(res.status), (error: unknown) => `error (${(error as Error).message})`)));
    clearInterval(sampler);
    const counts = new Map<string, number>();
    for (const status of statuses) counts.set(status, (counts.get(status) ?? 0) + 1);
    console.log(`  answers: ${[...counts].map(([status, n]) => `${n} × ${status}`).join(', ')} in ${Math.round(performance.now() - started)} ms`);
    console.log(`  server peak RSS ${Math.round(peak)} MiB; /healthz afterwards: ${(await fetch(`${base}/healthz`)).status}`);
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
