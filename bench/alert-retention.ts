/**
 * What deleting alerts past their retention costs, and what it saves a restart (ADR 0005,
 * "Alert retention"). Prints figures, asserts nothing.
 *
 *   npm run build && npm run bench:alert-retention
 *
 * Fills a throwaway SQLite database (synchronous=FULL, as `opsloom serve` runs it) with
 * BENCH_ALERTS (1,000,000) resolved alerts minted 100 days ago, in 1,000 resolved incidents
 * (consecutive alerts in one incident, as a storm's are), and 10,000 alerts from the last hour
 * still firing in 10 open incidents. It times a restart's read of the firing alerts, as it is
 * (through their incidents) and as it was (a scan of `alerts` by status); runs the pipeline's
 * retention (`AlertRetention` with 90 days, the built server's) until the pass is over: the
 * time each chunk holds the one connection (the event loop waits that long); and times the
 * reads again.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ActivityBus } from '../apps/server/dist/platform/activity/activity-bus.js';
import { ActivitySpine } from '../apps/server/dist/platform/activity/activity-spine.js';
import { openDatabase } from '../apps/server/dist/platform/db/database.js';
import { migrateToLatest } from '../apps/server/dist/platform/db/migrator.js';
import { newAlertId } from '../apps/server/dist/modules/events/alert-ids.js';
import { AlertRetention, PRUNE_SCAN } from '../apps/server/dist/modules/events/alert-retention.js';
import { eventsRepo } from '../apps/server/dist/modules/events/events.repo.js';
import { incidentsRepo } from '../apps/server/dist/modules/incidents/incidents.repo.js';
import { envNumber } from './support.ts';

const ALERTS = envNumber('BENCH_ALERTS', 1_000_000);
const INCIDENTS = 1_000;
const RECENT = 10_000;
/** BENCH_SCATTER=1: consecutive alerts in different incidents, the worst case for the incidents' counts. */
const SCATTER = process.env.BENCH_SCATTER === '1';
/** Alerts looked at per chunk (the server's default unless set). */
const CHUNK = process.env.BENCH_CHUNK ? envNumber('BENCH_CHUNK', 500) : undefined;
const DAY_MS = 24 * 3600_000;

/** An alert id as if minted at `ms`: ids sort by the time they were minted. */
function idMintedAt(ms: number): string {
  const time = Math.floor(ms).toString(16).padStart(12, '0');
  return `${time.slice(0, 8)}-${time.slice(8, 12)}${newAlertId().slice(13)}`;
}

const incidentId = (n: number) => `01900000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsloom-bench-alert-retention-'));
try {
  const database = openDatabase({ dataDir: dir, sqliteSynchronous: 'FULL' });
  await migrateToLatest(database.db);
  // As the server runs once alerts arrive: WAL checkpoints on a worker thread (ADR 0005).
  database.enableBackgroundCheckpoints();
  const now = Date.now();
  const old = now - 100 * DAY_MS;
  const filled = performance.now();
  const incident = (n: number, open: boolean) => {
    const at = open ? now - 3600_000 : old;
    return {
      id: incidentId(n), number: n + 1, title: `incident ${n}`, severity: 'major', status: open ? 'open' : 'resolved', team_id: null, integration_id: 'bench',
      root_ci_id: null, root_ci_key: null, root_explanation: '', ci_keys: '[]', alert_count: 1_000, open_alert_count: open ? 1_000 : 0, merged_into: null,
      started_at: at, last_alert_at: at, resolved_at: open ? null : at, created_at: at, updated_at: at, first_summary: 'x', fallback_team_id: null,
    };
  };
  await database.db.transaction().execute(async (trx) => {
    for (let first = 0; first < INCIDENTS; first += 500) await incidentsRepo.insert(trx, Array.from({ length: 500 }, (_, i) => incident(first + i, false)));
    await incidentsRepo.insert(trx, Array.from({ length: RECENT / 1_000 }, (_, i) => incident(INCIDENTS + i, true)));
  });
  const row = (i: number, mintedAt: number, firing: boolean, incidentNumber: number) => ({
    id: idMintedAt(mintedAt), integration_id: 'bench', dedup_key: `k${i}`, status: firing ? 'firing' : 'resolved', severity: 'warning',
    summary: `BenchAlert${i % 100} on host-${i % 5000}`, source: 'node', ci_id: null, ci_key: `host-${i % 5000}`, team_id: null,
    labels: JSON.stringify({ alertname: `BenchAlert${i % 100}`, instance: `host-${i % 5000}:9100`, job: 'node' }),
    incident_id: incidentId(incidentNumber), reason: '{"rule":"same_ci","path":[],"relatedCi":null,"gapSeconds":0,"ci":null}', count: 1,
    starts_at: mintedAt, ends_at: firing ? null : mintedAt + 60_000, first_seen_at: mintedAt, last_seen_at: mintedAt + 60_000,
  });
  for (let first = 0; first < ALERTS + RECENT; first += 20_000) {
    const rows: Array<ReturnType<typeof row>> = [];
    for (let i = first; i < Math.min(first + 20_000, ALERTS + RECENT); i++) {
      const oldIncident = SCATTER ? i % INCIDENTS : Math.floor(i / (ALERTS / INCIDENTS));
      rows.push(i < ALERTS ? row(i, old + i, false, oldIncident) : row(i, now - 3600_000 + (i - ALERTS), true, INCIDENTS + Math.floor((i - ALERTS) / 1_000)));
    }
    await database.db.transaction().execute((trx) => eventsRepo.insertAlerts(trx, 'sqlite', rows, database.sqlite));
  }
  database.sqlite?.pragma('wal_checkpoint(TRUNCATE)');
  const file = path.join(dir, 'opsloom.sqlite');
  const mib = () => fs.statSync(file).size / 2 ** 20;
  const freePages = () => Number(database.sqlite?.pragma('freelist_count', { simple: true }));
  const timed = async (read: () => Promise<unknown[]>) => {
    const started = performance.now();
    const firing = (await read()).length;
    return `${firing.toLocaleString('en')} in ${Math.round(performance.now() - started)} ms`;
  };
  const openIncidents = async () => [...(await incidentsRepo.open(database.db)).map((r) => r.id), ...(await incidentsRepo.resolvedWithOpenAlerts(database.db)).map((r) => r.id)];
  const timeRestartReads = async () =>
    `through their incidents ${await timed(async () => eventsRepo.firingAlertsOf(database.db, await openIncidents()))}, ` +
    `by a scan of every alert ${await timed(() => database.db.selectFrom('alerts').select(['id', 'incident_id']).where('status', '=', 'firing').execute())}`;
  console.log(`alert retention bench: Node ${process.version}, SQLite synchronous=FULL`);
  console.log(`  ${ALERTS.toLocaleString('en')} resolved alerts 100 days old + ${RECENT.toLocaleString('en')} firing from the last hour, written in ${((performance.now() - filled) / 1000).toFixed(1)} s; file ${mib().toFixed(0)} MiB`);
  console.log(`  a restart reads the firing alerts: ${await timeRestartReads()}`);

  const retention = new AlertRetention(
    { database, spine: new ActivitySpine(new ActivityBus()) },
    { countPrunedAlerts: async (uow, counts) => void (counts.size > 0 && (await incidentsRepo.addPrunedAlerts(uow.trx, uow.kind, counts))) },
    90,
    CHUNK,
  );
  const chunks: number[] = [];
  let deleted = 0;
  for (;;) {
    const started = performance.now();
    const step = await retention.step(now);
    if (step === null) break;
    chunks.push(performance.now() - started);
    deleted += step;
  }
  chunks.sort((a, b) => a - b);
  const total = chunks.reduce((sum, ms) => sum + ms, 0);
  console.log(`  deleted ${deleted.toLocaleString('en')} resolved alerts in ${chunks.length} chunks of ${(CHUNK ?? PRUNE_SCAN).toLocaleString('en')} looked at: mean ${(total / chunks.length).toFixed(1)} ms, p50 ${chunks[Math.floor(chunks.length / 2)].toFixed(1)} ms, p99 ${chunks[Math.floor(chunks.length * 0.99)].toFixed(1)} ms, max ${chunks.at(-1)?.toFixed(1)} ms per chunk; ${(total / 1000).toFixed(2)} s in all`);
  const pruned = await database.db.selectFrom('incidents').select((eb) => eb.fn.sum<number>('pruned_alert_count').as('n')).executeTakeFirst();
  console.log(`  incidents count ${Number(pruned?.n ?? 0).toLocaleString('en')} pruned alerts; alerts left ${Number((await database.db.selectFrom('alerts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n).toLocaleString('en')}`);
  database.sqlite?.pragma('wal_checkpoint(TRUNCATE)');
  console.log(`  file ${mib().toFixed(0)} MiB, of it ${(freePages() * 4096 / 2 ** 20).toFixed(0)} MiB free pages for new rows`);
  console.log(`  after the retention, a restart reads the firing alerts: ${await timeRestartReads()}`);
  await database.close();
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
