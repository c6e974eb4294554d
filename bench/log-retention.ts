/**
 * What pruning the intake log costs (ADR 0005, "Intake log retention"). Prints figures,
 * asserts nothing.
 *
 *   npm run build && npm run bench:log-retention
 *
 * Fills a throwaway SQLite database (synchronous=FULL, as `opsloom serve` runs it) with
 * BENCH_BATCHES (10,000) processed intake batches of 100 alerts shaped like the webhook's
 * (about 1,000,000 alerts), all past the retention, then runs the pipeline's retention pass
 * (`LogRetention`, the built server's) until the log is empty: the time each chunk of 500
 * batches holds the one connection (the event loop waits that long), and the file before
 * and after (SQLite keeps freed pages for the next rows; the file does not shrink). WAL
 * checkpoints run on their worker thread, as in the server.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ActivityBus } from '../apps/server/dist/platform/activity/activity-bus.js';
import { ActivitySpine } from '../apps/server/dist/platform/activity/activity-spine.js';
import { openDatabase } from '../apps/server/dist/platform/db/database.js';
import { migrateToLatest } from '../apps/server/dist/platform/db/migrator.js';
import { eventsRepo } from '../apps/server/dist/modules/events/events.repo.js';
import { LogRetention } from '../apps/server/dist/modules/events/log-retention.js';
import { envNumber } from './support.ts';

const BATCHES = envNumber('BENCH_BATCHES', 10_000);
const DAY_MS = 24 * 3600_000;

function normalisedBatch(batch: number): string {
  return JSON.stringify(Array.from({ length: 100 }, (_, i) => ({
    dedupKey: `${(batch * 100 + i).toString(16).padStart(16, '0')}`, status: 'firing', severity: 'critical',
    summary: `BenchAlert${i} on host-${i}`, source: 'node', startsAt: Date.now(), endsAt: null, acknowledge: false,
    labels: { alertname: `BenchAlert${i}`, instance: `host-${i}:9100`, job: 'node', severity: 'critical', run: 'retention', id: String(batch * 100 + i) },
    hints: [['instance', `host-${i}`]],
  })));
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsloom-bench-retention-'));
try {
  const database = openDatabase({ dataDir: dir, sqliteSynchronous: 'FULL' });
  await migrateToLatest(database.db);
  // As the server runs once alerts arrive: WAL checkpoints on a worker thread (ADR 0005).
  database.enableBackgroundCheckpoints();
  const old = Date.now() - 30 * DAY_MS;
  const filled = performance.now();
  for (let first = 0; first < BATCHES; first += 500) {
    await database.db.transaction().execute((trx) => eventsRepo.appendLog(trx, Array.from({ length: Math.min(500, BATCHES - first) }, (_, i) => ({
      integration_id: 'bench', received_at: old, alert_count: 100, sample: 'BenchAlert0 on host-0', body: normalisedBatch(first + i),
    })), database.sqlite));
  }
  const last = await eventsRepo.lastLogId(database.db);
  await database.db.transaction().execute((trx) => eventsRepo.setWatermark(trx, 'alerts', last, Date.now()));
  const file = path.join(dir, 'opsloom.sqlite');
  const mib = () => fs.statSync(file).size / 2 ** 20;
  const freePages = () => Number(database.sqlite?.pragma('freelist_count', { simple: true }));
  database.sqlite?.pragma('wal_checkpoint(TRUNCATE)');
  console.log(`intake log retention bench: Node ${process.version}, SQLite synchronous=FULL`);
  console.log(`  ${BATCHES.toLocaleString('en')} batches (${(BATCHES * 100).toLocaleString('en')} alerts) written in ${((performance.now() - filled) / 1000).toFixed(1)} s; file ${mib().toFixed(0)} MiB`);

  const retention = new LogRetention({ database, spine: new ActivitySpine(new ActivityBus()) }, 7);
  const chunks: number[] = [];
  let now = Date.now();
  for (;;) {
    const started = performance.now();
    const deleted = await retention.step(last, now);
    if (deleted === 0) break;
    chunks.push(performance.now() - started);
    now += 1; // the pass goes on while chunks come back full
  }
  chunks.sort((a, b) => a - b);
  const mean = chunks.reduce((sum, ms) => sum + ms, 0) / chunks.length;
  console.log(`  pruned in ${chunks.length} chunks of up to 500 batches: mean ${mean.toFixed(1)} ms, p50 ${chunks[Math.floor(chunks.length / 2)].toFixed(1)} ms, max ${chunks.at(-1)?.toFixed(1)} ms per chunk; ${(chunks.reduce((sum, ms) => sum + ms, 0) / 1000).toFixed(2)} s in all`);
  database.sqlite?.pragma('wal_checkpoint(TRUNCATE)');
  console.log(`  log rows left: ${(await eventsRepo.oldestLogHeads(database.db, last, 10)).length}; file ${mib().toFixed(0)} MiB, of it ${(freePages() * 4096 / 2 ** 20).toFixed(0)} MiB free pages for new rows`);
  await database.close();
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
