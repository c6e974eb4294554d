/**
 * What one stored alert costs SQLite (ADR 0005: the pipeline's per-alert storage is what
 * keeps intake below Alertmanager's rate). Prints figures, asserts nothing.
 *
 *   node bench/alert-row-storage.ts
 *
 * Inserts BENCH_ROWS (220,000) alert rows shaped like the pipeline's (UUIDv7-ordered ids,
 * labels and reason JSON, 40 open incidents) in 2,000-row transactions, WAL with
 * synchronous=NORMAL as the pipeline commits, into a throwaway file, for each table layout:
 * the current one (rowid table, text primary key, `(incident_id, starts_at)` index), without
 * the incident index, WITHOUT ROWID, and with integer keys (the alert id as the rowid, the
 * incident as an integer) with and without the incident index. Layouts alternate over BENCH_ROUNDS (3) rounds;
 * prints the mean per-alert insert and commit time, and the file sizes. BENCH_ROWS_PER_INSERT
 * (1, as the pipeline does) puts that many rows in each INSERT statement.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { envNumber } from './support.ts';

const ROWS = envNumber('BENCH_ROWS', 220_000);
const ROUNDS = envNumber('BENCH_ROUNDS', 3);
const PER_TRANSACTION = 2000;
const PER_INSERT = envNumber('BENCH_ROWS_PER_INSERT', 1);

interface Layout {
  withoutRowid: boolean;
  incidentIndex: boolean;
  /** Integer alert id (the rowid itself) and integer incident reference instead of UUID text. */
  integerKeys: boolean;
}
const layouts: Record<string, Layout> = {
  'current (rowid, text key, incident index)': { withoutRowid: false, incidentIndex: true, integerKeys: false },
  'without the incident index': { withoutRowid: false, incidentIndex: false, integerKeys: false },
  'WITHOUT ROWID, incident index': { withoutRowid: true, incidentIndex: true, integerKeys: false },
  'integer keys, incident index': { withoutRowid: false, incidentIndex: true, integerKeys: true },
  'integer keys, no incident index': { withoutRowid: false, incidentIndex: false, integerKeys: true },
};

const columns = ['id', 'integration_id', 'dedup_key', 'status', 'severity', 'summary', 'source', 'ci_id', 'ci_key', 'team_id', 'labels', 'incident_id', 'reason', 'count', 'starts_at', 'ends_at', 'first_seen_at', 'last_seen_at'];
const labels = JSON.stringify({ alertname: 'BenchAlert1', instance: 'host-1:9100', job: 'node', severity: 'warning', run: 'tp', id: '1' });
const reason = JSON.stringify({ rule: 'explained_by_root', path: ['switch-1', 'host-1'], relatedCi: 'switch-1', gapSeconds: 10, ci: 'host-1', via: null });
const incidents = Array.from({ length: 40 }, (_, i) => `0193a${String(i).padStart(3, '0')}-aaaa-7bbb-8ccc-dddddddddddd`);

function run(layout: Layout, file: string): { insertUs: number; commitUs: number; fileMiB: number } {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`create table alerts (${layout.integerKeys ? 'id integer primary key' : 'id varchar(36) primary key'}, integration_id varchar(36) not null, dedup_key varchar(255) not null, status varchar(20) not null,
    severity varchar(20) not null, summary text not null, source varchar(255) not null, ci_id varchar(64), ci_key varchar(255), team_id varchar(36), labels text not null,
    incident_id ${layout.integerKeys ? 'integer' : 'varchar(36)'}, reason text, count integer not null, starts_at bigint not null, ends_at bigint, first_seen_at bigint not null, last_seen_at bigint not null)
    ${layout.withoutRowid ? 'without rowid' : ''}`);
  if (layout.incidentIndex) db.exec('create index alerts_incident on alerts (incident_id, starts_at)');
  const placeholders = `(${columns.map(() => '?').join(', ')})`;
  const insert = db.prepare(`insert into alerts (${columns.join(', ')}) values ${Array.from({ length: PER_INSERT }, () => placeholders).join(', ')}`);
  const begin = db.prepare('begin');
  const commit = db.prepare('commit');
  let insertMs = 0;
  let commitMs = 0;
  let inserted = 0;
  for (let n = 0; n < ROWS;) {
    const now = Date.now();
    const rows: unknown[][] = [];
    // Whole statements only: a transaction's rows are a multiple of PER_INSERT.
    for (let k = 0; k < PER_TRANSACTION - (PER_TRANSACTION % PER_INSERT) && n < ROWS; k++, n++) {
      const id = `${now.toString(16).padStart(12, '0').slice(0, 8)}-${now.toString(16).padStart(12, '0').slice(8)}-7${String(n % 1000).padStart(3, '0')}-8${String(n).padStart(15, '0').slice(0, 3)}-${String(n).padStart(12, '0')}`;
      rows.push([layout.integerKeys ? n + 1 : id, '0193aaaa-aaaa-7bbb-8ccc-dddddddddddd', `tp-${n}`, 'firing', 'warning', `bench alert ${n}`, 'node', `ci-${n % 2000}`, `host-${n % 2000}`, null, labels, layout.integerKeys ? n % 40 : incidents[n % 40], reason, 1, now, null, now, now]);
    }
    const t0 = performance.now();
    begin.run();
    for (let i = 0; i + PER_INSERT <= rows.length; i += PER_INSERT, inserted += PER_INSERT) insert.run(PER_INSERT === 1 ? rows[i] : rows.slice(i, i + PER_INSERT).flat());
    const t1 = performance.now();
    commit.run();
    insertMs += t1 - t0;
    commitMs += performance.now() - t1;
  }
  db.close();
  const fileMiB = fs.statSync(file).size / 2 ** 20;
  return { insertUs: (insertMs * 1000) / inserted, commitUs: (commitMs * 1000) / inserted, fileMiB };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsloom-bench-rows-'));
try {
  console.log(`alert row storage: ${ROWS.toLocaleString('en')} rows per layout, ${PER_TRANSACTION}-row transactions, ${PER_INSERT} row(s) per INSERT, WAL + synchronous=NORMAL, ${ROUNDS} rounds alternating`);
  const results = new Map<string, Array<ReturnType<typeof run>>>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, layout] of Object.entries(layouts)) {
      const file = path.join(dir, `round-${round}.sqlite`);
      results.set(name, [...(results.get(name) ?? []), run(layout, file)]);
      for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
    }
  }
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  for (const [name, runs] of results) {
    const insert = runs.map((r) => r.insertUs);
    const commit = runs.map((r) => r.commitUs);
    console.log(`  ${name}: insert ${mean(insert).toFixed(2)} µs (${Math.min(...insert).toFixed(2)}–${Math.max(...insert).toFixed(2)}), commit ${mean(commit).toFixed(2)} µs (${Math.min(...commit).toFixed(2)}–${Math.max(...commit).toFixed(2)}) per alert; file ${Math.round(runs[0].fileMiB)} MiB`);
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
