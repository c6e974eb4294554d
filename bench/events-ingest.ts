/**
 * Alert intake benchmark (issue 4): prints figures, asserts nothing.
 *
 *   npm run build && node bench/events-ingest.ts
 *
 * Spawns the built server (SQLite, synchronous=FULL: a 202 is on disk; or with
 * BENCH_DATABASE=postgres a PostgreSQL 15 of its own with production durability, from
 * scripts/pg-test.sh) and a real
 * Prometheus Alertmanager (/usr/bin/prometheus-alertmanager, in memory), both on 127.0.0.1,
 * then with one client (keep-alive, 8 connections, 100-alert batches):
 *  1. throughput: the same distinct alerts (10% of batches re-sent, as Alertmanager does)
 *     into Alertmanager's `/api/v2/alerts` and Opsloom's webhook; Opsloom's figure counts
 *     until every alert is deduplicated, correlated and stored (not only accepted); the CPU
 *     seconds each side and the client spent (Opsloom's per thread);
 *  2. latency at 5,000 alerts/s: event time (`startsAt` = send time) to the commit that
 *     makes the alert visible in incidents, observed on the live stream (`alerts.received`
 *     names the last intake batch it covers); p50/p99;
 *  3. memory: server RSS with 1,000,000 distinct firing alerts held open (those of phases 1
 *     and 2 count), once it is steady; and the V8 heap, from the server's /metrics;
 *  4. restart: the server stopped and started again with those alerts open: time to /healthz
 *     (the pipeline's state is loaded before it listens), to a new alert's visibility, and RSS.
 * Settings: BENCH_ALERTS (200000), BENCH_RATE_SECONDS (10), BENCH_ACTIVE (1000000),
 * BENCH_ROUNDS (1: phase 1 alternated that many times, with the median ratio);
 * BENCH_DATABASE (sqlite | postgres);
 * BENCH_SERVER_NODE_FLAGS (extra node flags for the server), BENCH_STDERR=1 (show its log),
 * BENCH_ALLOCATIONS=1 (phase 1 under V8's sampling heap profiler: bytes allocated per alert
 * and by site; the profiler slows the server, so its rate is not comparable then).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sampleAllocations } from './allocation-sampling.ts';
import { envNumber, freePort, sleep } from './support.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const CLI = path.join(ROOT, 'packages/cli/dist/main.js');
const AM_BIN = process.env.OPSLOOM_ALERTMANAGER_BIN ?? '/usr/bin/prometheus-alertmanager';
const TOKEN = `bench-admin-${randomBytes(12).toString('hex')}`;
const ALERTS = envNumber('BENCH_ALERTS', 200_000);
const RATE_SECONDS = envNumber('BENCH_RATE_SECONDS', 10);
const ACTIVE = envNumber('BENCH_ACTIVE', 1_000_000);
const ROUNDS = envNumber('BENCH_ROUNDS', 1);
const HOSTS = 2000;
const POSTGRES = process.env.BENCH_DATABASE === 'postgres';
const SETTLE_SECONDS = envNumber('BENCH_SETTLE_SECONDS', 5);
const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

function request(port: number, method: string, pathname: string, payload?: string, auth = `Bearer ${TOKEN}`): Promise<{ status: number; body: string; retryAfter: number }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { authorization: auth };
    if (payload !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) });
    const req = http.request({ host: '127.0.0.1', port, method, path: pathname, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), retryAfter: Number(res.headers['retry-after'] ?? 1) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** Sends, retrying overload refusals (429, and 503 from the Alertmanager webhook) after Retry-After as a well-behaved sender does. */
async function send(port: number, pathname: string, payload: string, auth?: string): Promise<string> {
  for (;;) {
    const answer = await request(port, 'POST', pathname, payload, auth);
    if (answer.status === 429 || answer.status === 503) {
      await sleep(answer.retryAfter * 1000);
      continue;
    }
    if (answer.status < 200 || answer.status > 202) throw new Error(`${pathname}: ${answer.status} ${answer.body.slice(0, 300)}`);
    return answer.body;
  }
}

async function spawnAndWait(command: string, args: string[], env: NodeJS.ProcessEnv, port: number, readyPath: string): Promise<ChildProcess> {
  let stderr = '';
  const proc = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', process.env.BENCH_STDERR ? 'inherit' : 'pipe'] });
  proc.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const t0 = performance.now();
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`${command} exited:\n${stderr}`);
    if (performance.now() - t0 > 60_000) throw new Error(`${command} did not start:\n${stderr}`);
    if ((await request(port, 'GET', readyPath).catch(() => ({ status: 0 }))).status === 200) return proc;
    await sleep(50);
  }
}

async function stop(proc: ChildProcess | null): Promise<void> {
  if (!proc || proc.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  proc.kill('SIGTERM');
  await exited;
}

/** CPU seconds per thread name of a process (utime + stime from /proc), to show where phase 1 spends. */
function threadCpu(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const name = fs.readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      out.set(name, (out.get(name) ?? 0) + (Number(fields[11]) + Number(fields[12])) / 100);
    } catch { /* the thread ended */ }
  }
  return out;
}
const cpuSince = (before: Map<string, number>, after: Map<string, number>) =>
  [...after].map(([name, s]) => [name, s - (before.get(name) ?? 0)] as const).filter(([, s]) => s >= 0.05).sort((a, b) => b[1] - a[1]).map(([name, s]) => `${name} ${s.toFixed(1)} s`).join(', ');
const cpuSeconds = (usage: NodeJS.CpuUsage) => ((usage.user + usage.system) / 1e6).toFixed(1);
const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const pct = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
const verdict = (ok: boolean) => (ok ? 'within target' : 'MISSES TARGET');

interface BenchAlert { labels: Record<string, string>; annotations: Record<string, string>; startsAt: string }
const alertOf = (i: number, run: string, at = new Date()): BenchAlert => ({
  labels: { alertname: `BenchAlert${i % 40}`, instance: `host-${i % HOSTS}:9100`, job: 'node', severity: i % 7 === 0 ? 'critical' : 'warning', run, id: String(i) },
  annotations: { summary: `bench alert ${i}` },
  startsAt: at.toISOString(),
});
/** The same alert as Alertmanager's webhook would carry it (status and fingerprint added). */
const webhookBody = (alerts: BenchAlert[]) =>
  JSON.stringify({ version: '4', status: 'firing', receiver: 'opsloom', alerts: alerts.map((a) => ({ ...a, status: 'firing', endsAt: '0001-01-01T00:00:00Z', fingerprint: `${a.labels.run}-${a.labels.id}` })) });

function batches(count: number, run: string): BenchAlert[][] {
  const out: BenchAlert[][] = [];
  for (let i = 0; i < count; i += 100) out.push(Array.from({ length: Math.min(100, count - i) }, (_, k) => alertOf(i + k, run)));
  // Alertmanager re-sends groups: one batch in ten arrives twice.
  for (let i = 0; i < out.length; i += 10) out.push(out[i]);
  return out;
}

async function pool<T>(items: T[], work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

/** `_sum`, `_count` and `_bucket` values of every histogram on the server's /metrics, by name and labels, and the event loop's longest delay. */
async function histograms(port: number): Promise<Map<string, number>> {
  const values = new Map<string, number>();
  for (const line of (await request(port, 'GET', '/metrics')).body.split('\n')) {
    const m = /^(\w+)_(sum|count)(\{[^}]*\})? (\S+)$/.exec(line);
    if (m) values.set(`${m[1]}${m[3] ?? ''}:${m[2]}`, Number(m[4]));
    const bucket = /^(\w+)_bucket\{le="([^"]+)"\} (\S+)$/.exec(line);
    if (bucket) values.set(`${bucket[1]}:le=${bucket[2]}`, Number(bucket[3]));
    // prom-client resets its event-loop delay figures at each scrape: this one covers the time since the last.
    const lag = /^(opsloom_nodejs_eventloop_lag_max_seconds) (\S+)$/.exec(line);
    if (lag) values.set(lag[1], Number(lag[2]));
  }
  return values;
}

/**
 * For one histogram between two scrapes: "mean 3.1 ms over 2,200", or with `slowerThan`
 * (a bucket bound, in seconds) "4 over 100 ms".
 */
function histogramDeltas(before: Map<string, number>, after: Map<string, number>) {
  return (name: string, slowerThan?: number) => {
    const delta = (part: string) => (after.get(`${name}:${part}`) ?? 0) - (before.get(`${name}:${part}`) ?? 0);
    const count = delta('count');
    if (slowerThan !== undefined) return `${count - delta(`le=${slowerThan}`)} over ${slowerThan * 1000} ms`;
    return count > 0 ? `mean ${((delta('sum') / count) * 1000).toFixed(1)} ms over ${count.toLocaleString('en')}` : 'none';
  };
}

async function eventCount(port: number, id: string): Promise<number> {
  return (JSON.parse((await request(port, 'GET', `/api/v1/integrations/${id}`)).body) as { eventCount: number }).eventCount;
}

/** A PostgreSQL of the bench's own, durable as in production (scripts/pg-test.sh); returns its URL and how to stop it. */
async function startPostgres(): Promise<{ url: string; stop: () => void }> {
  // Not under the bench's own directory: as root, the script runs PostgreSQL as `postgres`, who may not enter a 0700 temporary directory.
  const env = { ...process.env, OPSLOOM_TEST_PG_PORT: String(await freePort()), OPSLOOM_TEST_PG_DIR: path.join(os.tmpdir(), `opsloom-bench-pg-${randomBytes(6).toString('hex')}`), OPSLOOM_TEST_PG_DURABLE: '1' };
  const script = path.join(ROOT, 'scripts/pg-test.sh');
  const url = execFileSync('bash', [script, 'start'], { env, encoding: 'utf8' }).trim();
  const stop = () => execFileSync('bash', [script, 'stop'], { env });
  // An interrupted bench leaves no PostgreSQL running.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stop();
      process.exit(130);
    });
  }
  return { url, stop };
}

async function main(): Promise<void> {
  if (!fs.existsSync(CLI)) throw new Error('build first: npm run build');
  if (!fs.existsSync(AM_BIN)) throw new Error(`${AM_BIN} missing: apt-get install prometheus-alertmanager`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsloom-bench-events-'));
  let server: ChildProcess | null = null;
  let am: ChildProcess | null = null;
  let postgres: Awaited<ReturnType<typeof startPostgres>> | null = null;
  try {
    postgres = POSTGRES ? await startPostgres() : null;
    const storage = postgres ? 'PostgreSQL 15 (fsync and synchronous commit on)' : 'SQLite synchronous=FULL';
    console.log(`alert intake bench: Node ${process.version}, ${os.cpus().length} CPUs, ${storage}, 100-alert batches on 8 connections`);
    const port = await freePort();
    const inspectPort = process.env.BENCH_ALLOCATIONS ? await freePort() : null;
    const nodeOptions = [
      ...(process.env.BENCH_PROFILE_DIR ? [`--cpu-prof --cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : []),
      ...(inspectPort ? [`--inspect=127.0.0.1:${inspectPort}`] : []),
    ].join(' ');
    const startServer = () => spawnAndWait(process.execPath, [...(process.env.BENCH_SERVER_NODE_FLAGS ?? '').split(' ').filter(Boolean), CLI, 'serve'], { ...process.env, PORT: String(port), HOST: '127.0.0.1', OPSLOOM_DATA_DIR: path.join(dir, 'opsloom'), OPSLOOM_ADMIN_TOKEN: TOKEN, OPSLOOM_LOG_LEVEL: 'warn', DATABASE_URL: postgres?.url ?? '', ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}) }, port, '/healthz');
    server = await startServer();
    const amPort = await freePort();
    fs.writeFileSync(path.join(dir, 'am.yml'), 'route:\n  receiver: blackhole\nreceivers:\n  - name: blackhole\n');
    am = await spawnAndWait(AM_BIN, [`--config.file=${path.join(dir, 'am.yml')}`, `--storage.path=${path.join(dir, 'am')}`, `--web.listen-address=127.0.0.1:${amPort}`, '--cluster.listen-address=', '--log.level=warn'], process.env, amPort, '/-/ready');

    // A CMDB of switches and hosts, so alerts map to CIs and correlate through topology.
    const cis = [...Array.from({ length: 40 }, (_, s) => ({ key: `switch-${s}`, type: 'network_device', name: `switch-${s}` })), ...Array.from({ length: HOSTS }, (_, h) => ({ key: `host-${h}`, type: 'host', name: `host-${h}` }))];
    const relationships = Array.from({ length: HOSTS }, (_, h) => ({ from: `host-${h}`, to: `switch-${h % 40}`, type: 'depends_on' }));
    await send(port, '/api/v1/cmdb/import', JSON.stringify({ cis, relationships }));
    const integration = JSON.parse(await send(port, '/api/v1/integrations', JSON.stringify({ kind: 'alertmanager', name: 'bench' }))) as { id: string; routingKey: string };
    const auth = `Bearer ${integration.routingKey}`;

    console.log(`\n1. throughput: ${ALERTS.toLocaleString('en')} distinct alerts per side (+10% re-sent batches)${ROUNDS > 1 ? `, ${ROUNDS} rounds alternated` : ''}`);
    // Each round sends new distinct alerts to both, Alertmanager first; alternating rounds in
    // one run shows how much of a difference is this VM's noise.
    const ratios: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      if (ROUNDS > 1) console.log(`  round ${round}`);
      const amBatches = batches(ALERTS, `am${round}`).map((b) => JSON.stringify(b));
      const amCpuBefore = threadCpu(am.pid ?? 0);
      let clientCpu = process.cpuUsage();
      let t0 = performance.now();
      await pool(amBatches, (body) => send(amPort, '/api/v2/alerts', body));
      const amRate = (amBatches.length * 100) / ((performance.now() - t0) / 1000);
      const amCpu = [...threadCpu(am.pid ?? 0)].reduce((sum, [name, s]) => sum + s - (amCpuBefore.get(name) ?? 0), 0);
      console.log(`  Alertmanager /api/v2/alerts (in memory): ${Math.round(amRate).toLocaleString('en')} alerts/s (its CPU ${amCpu.toFixed(1)} s, the client's ${cpuSeconds(process.cpuUsage(clientCpu))} s)`);
      const opsBatches = batches(ALERTS, `tp${round}`).map(webhookBody);
      const metricsBefore = await histograms(port);
      const before = await eventCount(port, integration.id);
      const cpuBefore = threadCpu(server.pid ?? 0);
      const sampling = inspectPort && round === 1 ? await sampleAllocations(inspectPort) : null;
      clientCpu = process.cpuUsage();
      t0 = performance.now();
      await pool(opsBatches, (body) => send(port, '/api/v1/integrations/alertmanager', body, auth));
      const acceptedSeconds = (performance.now() - t0) / 1000;
      const clientSeconds = cpuSeconds(process.cpuUsage(clientCpu));
      const accepted = (opsBatches.length * 100) / acceptedSeconds;
      console.log(`  Opsloom webhook, accepted durably (202): ${Math.round(accepted).toLocaleString('en')} alerts/s`);
      while ((await eventCount(port, integration.id)) - before < opsBatches.length * 100) await sleep(50);
      const processedSeconds = (performance.now() - t0) / 1000;
      const cpuUse = cpuSince(cpuBefore, threadCpu(server.pid ?? 0));
      const processed = (opsBatches.length * 100) / processedSeconds;
      console.log(`  Opsloom, deduplicated + correlated + stored: ${Math.round(processed).toLocaleString('en')} alerts/s`);
      console.log(`  server CPU in ${processedSeconds.toFixed(1)} s by thread: ${cpuUse} (the client's ${clientSeconds} s)`);
      ratios.push(processed / amRate);
      console.log(`  ratio Opsloom/Alertmanager: ${(processed / amRate).toFixed(2)} end to end, ${(accepted / amRate).toFixed(2)} accepted (target ≥ 1: ${verdict(processed >= amRate)})${sampling ? ' (under the heap profiler: not comparable)' : ''}`);
      if (sampling) {
        const sampled = await sampling.stop();
        const perAlert = (bytes: number) => Math.round(bytes / (opsBatches.length * 100)).toLocaleString('en');
        console.log(`  allocated by the server: ${perAlert(sampled.bytes)} bytes per alert delivered (V8 sampling heap profiler, garbage included); largest sites, bytes per alert:`);
        for (const { site, bytes } of sampled.sites.slice(0, 15)) console.log(`    ${perAlert(bytes).padStart(6)}  ${site}`);
      }
      const stages = histogramDeltas(metricsBefore, await histograms(port));
      console.log(`  where the time went (server's /metrics): webhook request ${stages('opsloom_http_request_duration_seconds{route="/api/v1/integrations/alertmanager",method="POST"}')}, ` +
        `of it intake log commit ${stages('opsloom_intake_commit_duration_seconds')}, held for the pipeline ${stages('opsloom_intake_held_seconds')}; pipeline run ${stages('opsloom_pipeline_run_duration_seconds')}, ` +
        `received → processed ${stages('opsloom_pipeline_delay_seconds')}`);
      console.log(`  accepted (202) → visible in incidents: ${stages('opsloom_intake_visible_delay_seconds')}, ${stages('opsloom_intake_visible_delay_seconds', 1)} (the promise: within 1 s)`);
    }
    if (ROUNDS > 1) {
      const sorted = [...ratios].sort((a, b) => a - b);
      const median = sorted[Math.floor((sorted.length - 1) / 2)] / 2 + sorted[Math.ceil((sorted.length - 1) / 2)] / 2;
      console.log(`  median ratio over ${ROUNDS} rounds: ${median.toFixed(2)} (rounds: ${ratios.map((r) => r.toFixed(2)).join(', ')}; target ≥ 1: ${verdict(median >= 1)})`);
    }

    console.log(`\n2. latency at 5,000 alerts/s for ${RATE_SECONDS} s (event time → visible in incidents)`);
    const latencyMetricsBefore = await histograms(port);
    const sentAt = new Map<number, number>();
    const latencies: number[] = [];
    const answered: number[] = [];
    const stream = http.get({ host: '127.0.0.1', port, path: '/api/v1/stream', headers: { authorization: `Bearer ${TOKEN}`, accept: 'text/event-stream' } });
    const seen = new Set<number>();
    // Each `alerts.received` on the stream as it arrived: a batch was visible from the first one
    // covering it, which may come before its own 202 (the pipeline reads a batch while its
    // flush is still running), so the bench looks it up when the 202 names the batch.
    const visibleAt: Array<{ through: number; at: number }> = [];
    stream.on('response', (res) => {
      let buffer = '';
      res.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (!data || !data.includes('alerts.received')) continue;
          const through = (JSON.parse(data) as { data: { throughBatch?: number } }).data.throughBatch ?? 0;
          const now = Date.now();
          if (through > (visibleAt.at(-1)?.through ?? 0)) visibleAt.push({ through, at: now });
          for (const [batch, at] of sentAt) if (batch <= through && !seen.has(batch)) { seen.add(batch); latencies.push(now - at); }
        }
      });
    });
    await sleep(300);
    let i = 0;
    const started = Date.now();
    const inflight: Array<Promise<unknown>> = [];
    for (let tick = 0; tick < RATE_SECONDS * 50; tick++) {
      const due = started + tick * 20;
      if (due > Date.now()) await sleep(due - Date.now());
      const at = Date.now();
      const alerts = Array.from({ length: 100 }, () => alertOf(i++, 'lat', new Date(at)));
      inflight.push(send(port, '/api/v1/integrations/alertmanager', webhookBody(alerts), auth).then((body) => {
        const batch = (JSON.parse(body) as { batch: number }).batch;
        sentAt.set(batch, at);
        answered.push(Date.now() - at);
        // Processed before its own 202 came back: visible since the first record covering it.
        const first = visibleAt.find((visible) => visible.through >= batch);
        if (first) { seen.add(batch); latencies.push(first.at - at); }
      }));
    }
    await Promise.all(inflight);
    const deadline = Date.now() + 10_000;
    while (seen.size < sentAt.size && Date.now() < deadline) await sleep(50);
    stream.destroy();
    latencies.sort((a, b) => a - b);
    console.log(`  ${latencies.length}/${sentAt.size} batches seen: p50 ${pct(latencies, 0.5)} ms, p99 ${pct(latencies, 0.99)} ms, max ${latencies.at(-1)} ms (target p99 < 250 ms: ${verdict(pct(latencies, 0.99) < 250)})`);
    answered.sort((a, b) => a - b);
    console.log(`  sent → answered 202 (durable): p50 ${pct(answered, 0.5)} ms, p99 ${pct(answered, 0.99)} ms, max ${answered.at(-1)} ms`);
    const latencyMetricsAfter = await histograms(port);
    const latencyStages = histogramDeltas(latencyMetricsBefore, latencyMetricsAfter);
    console.log(`  where the time went (server's /metrics): intake log commit ${latencyStages('opsloom_intake_commit_duration_seconds')}, ${latencyStages('opsloom_intake_commit_duration_seconds', 0.1)}; ` +
      `held for the pipeline ${latencyStages('opsloom_intake_held_seconds')}; pipeline run ${latencyStages('opsloom_pipeline_run_duration_seconds')}, ${latencyStages('opsloom_pipeline_run_duration_seconds', 0.1)}; ` +
      `garbage collection ${['major', 'minor'].map((kind) => `${kind} ${latencyStages(`opsloom_nodejs_gc_duration_seconds{kind="${kind}"}`)}`).join(', ')}; ` +
      `event loop delay max ${Math.round((latencyMetricsAfter.get('opsloom_nodejs_eventloop_lag_max_seconds') ?? Number.NaN) * 1000)} ms`);

    // Phases 1 and 2 left their alerts firing: top up to exactly ACTIVE distinct open alerts.
    const topUp = Math.max(0, ACTIVE - ALERTS * ROUNDS - i);
    console.log(`\n3. memory with ${ACTIVE.toLocaleString('en')} distinct active alerts (${topUp.toLocaleString('en')} more sent)`);
    const base = await eventCount(port, integration.id);
    const memBatches: string[] = [];
    for (let k = 0; k < topUp; k += 100) memBatches.push(webhookBody(Array.from({ length: Math.min(100, topUp - k) }, (_, j) => alertOf(k + j, 'mem'))));
    await pool(memBatches, (body) => send(port, '/api/v1/integrations/alertmanager', body, auth));
    while ((await eventCount(port, integration.id)) - base < topUp) await sleep(100);
    const open = (await request(port, 'GET', '/api/v1/alerts?status=firing&limit=1')).status;
    const pid = server.pid ?? 0;
    // Steady state, not the burst: RSS once it has stopped falling for 5 s (at most 60 s).
    const rssAtEnd = rssMiB(pid);
    let rss = rssAtEnd;
    for (let settled = 0, waited = 0; settled < SETTLE_SECONDS && waited < 60; waited++) {
      await sleep(1000);
      const now = rssMiB(pid);
      if (process.env.BENCH_TRACE_RSS) console.log(`    rss ${Math.round(now)} MiB`);
      settled = now < rss - 1 ? 0 : settled + 1;
      rss = Math.min(rss, now);
    }
    // Where the memory is, from the server's own Prometheus metrics.
    const metrics = (await request(port, 'GET', '/metrics')).body;
    const metric = (name: string) => Number(new RegExp(`^opsloom_${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(metrics)?.[1] ?? Number.NaN) / 2 ** 20;
    // SQLite has no CI index on alerts (ADR 0005): the console's CI filter scans, newest first.
    for (const ci of ['host-7', 'no-such-ci']) {
      const started = performance.now();
      const found = (JSON.parse((await request(port, 'GET', `/api/v1/alerts?ci=${ci}&limit=50`)).body) as { items: unknown[] }).items.length;
      console.log(`  alerts?ci=${ci} (${found} found) over ${Math.max(ACTIVE, ALERTS * ROUNDS + i).toLocaleString('en')} alerts: ${Math.round(performance.now() - started)} ms`);
    }
    for (const days of [1, 30]) {
      const started = performance.now();
      const noise = await request(port, 'GET', `/api/v1/events/noise?days=${days}`);
      console.log(`  events/noise?days=${days} (alerts vs incidents, the Noise page) over ${Math.max(ACTIVE, ALERTS * ROUNDS + i).toLocaleString('en')} alerts: ${Math.round(performance.now() - started)} ms (${noise.status})`);
    }
    console.log(`  server RSS when the last alert was processed: ${Math.round(rssAtEnd)} MiB`);
    console.log(`  V8 heap used ${Math.round(metric('nodejs_heap_size_used_bytes'))} MiB of ${Math.round(metric('nodejs_heap_size_total_bytes'))} MiB, external ${Math.round(metric('nodejs_external_memory_bytes'))} MiB`);
    // The full collections after phase 1's storm and this one, timed alone (ADR 0009).
    const collections = histogramDeltas(new Map(), await histograms(port));
    const pause = 'opsloom_burst_collection_pause_seconds';
    console.log(`  full collections after the storms (event loop paused): ${collections(pause)}, ${collections(pause, 0.25)}, ${collections(pause, 1)}`);
    console.log(`  server RSS ${Math.round(rss)} MiB with ${Math.max(ACTIVE, ALERTS * ROUNDS + i).toLocaleString('en')} firing alerts open (alerts API ${open}) (target < 1 GB: ${verdict(rss * 1.048576 < 1000)})`);

    // A deploy with every alert still open: the pipeline loads open incidents, open alerts and
    // the last day's resolved alerts before the server listens (docs/adr/0005, "Restarts").
    console.log('\n4. restart with those alerts open');
    await stop(server);
    const restartedAt = performance.now();
    server = await startServer();
    const startedIn = performance.now() - restartedAt;
    const probe = alertOf(0, 'after-restart');
    const probeSentAt = performance.now();
    await send(port, '/api/v1/integrations/alertmanager', webhookBody([probe]), auth);
    const probeVisible = async () => (JSON.parse((await request(port, 'GET', `/api/v1/alerts?status=firing&ci=${probe.labels.instance.split(':')[0]}&limit=100`)).body) as { items: Array<{ fingerprint: string }> })
      .items.some((a) => a.fingerprint === `${probe.labels.run}-${probe.labels.id}`);
    while (!(await probeVisible())) await sleep(20);
    console.log(`  stopped (SIGTERM) and started again: /healthz after ${Math.round(startedIn)} ms; a new alert visible ${Math.round(performance.now() - probeSentAt)} ms after it was sent`);
    console.log(`  server RSS right after the restart: ${Math.round(rssMiB(server.pid ?? 0))} MiB`);
  } finally {
    await stop(am);
    await stop(server);
    postgres?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
