import { createHash } from 'node:crypto';

/**
 * A deterministic failure scenario (tests only): a layered infrastructure in the CMDB
 * import format, failures injected at random CIs firing from part of their blast radius
 * (the failed CI itself sometimes silent), independent failures overlapping in time in
 * the other site, isolated noise, duplicates re-sent, as Alertmanager webhook alerts.
 */
export interface ScenarioCi {
  key: string;
  type: string;
  name: string;
  team?: string;
  attributes?: Record<string, unknown>;
}
export interface ScenarioRelationship {
  from: string;
  to: string;
  type: 'depends_on' | 'runs_on' | 'part_of' | 'connects_to';
}
// A type alias, not an interface: it must fit the webhook schema's open (index-signature) object.
export type ScenarioAlert = {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
};
export interface Scenario {
  cis: ScenarioCi[];
  relationships: ScenarioRelationship[];
  /** Webhook bodies' alert lists in arrival order. */
  deliveries: ScenarioAlert[][];
  /** occurrence (fingerprint@startsAt) → ground truth: failure id (noise: its own id) and the failed CI key. */
  truth: Map<string, { group: string; rootKey: string | null }>;
  failures: number;
}

/** Key of one alert occurrence: fingerprint and event start. */
export const occurrence = (fingerprint: string, startsAt: string) => `${fingerprint}@${startsAt}`;

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SITES = 4;
const layerTeams: Record<string, string> = { site: 'facilities', network: 'network', storage: 'storage', host: 'servers', vm: 'servers', database: 'dba', application: 'apps', service: 'apps' };
const alertNames: Record<string, string[]> = {
  network: ['InterfaceDown', 'PacketLoss'], storage: ['ArrayDegraded', 'LatencyHigh'], host: ['HostDown', 'DiskIOErrors'],
  vm: ['InstanceDown', 'NodeFilesystemReadonly'], database: ['PostgresDown', 'ReplicationLag'], application: ['HTTP5xx', 'LatencyHigh'],
  service: ['SLOBurn', 'ProbeFailed'], site: ['PowerFailure'],
};

export function generateScenario(seed: number, options: { failures?: number; noise?: number; hours?: number } = {}): Scenario {
  const random = rng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const cis: ScenarioCi[] = [];
  const relationships: ScenarioRelationship[] = [];
  const down = new Map<string, Set<string>>(); // failure of key → keys it impacts directly
  const layerOf = new Map<string, string>();
  const siteOf = new Map<string, number>();
  const add = (key: string, type: string, site: number, attributes?: Record<string, unknown>) => {
    cis.push({ key, type, name: key.toUpperCase(), team: layerTeams[type], ...(attributes ? { attributes } : {}) });
    layerOf.set(key, type);
    siteOf.set(key, site);
  };
  const relate = (from: string, to: string, type: ScenarioRelationship['type']) => {
    relationships.push({ from, to, type });
    if (type === 'connects_to') return;
    const [cause, effect] = type === 'part_of' ? [from, to] : [to, from];
    if (!down.has(cause)) down.set(cause, new Set());
    down.get(cause)?.add(effect);
  };

  const byLayer: Record<string, string[][]> = {};
  for (let s = 0; s < SITES; s++) {
    const L = (name: string) => ((byLayer[name] ??= [])[s] ??= []);
    const site = `site-${s}`;
    add(site, 'site', s);
    const core = `core-sw-${s}`;
    add(core, 'network', s);
    relate(core, site, 'depends_on');
    for (let i = 0; i < 3; i++) {
      const sw = `sw-${s}-${i}`;
      add(sw, 'network', s);
      relate(sw, core, 'depends_on');
      L('network').push(sw);
    }
    for (let i = 0; i < 2; i++) {
      const st = `array-${s}-${i}`;
      add(st, 'storage', s);
      relate(st, pick(L('network')), 'depends_on');
      L('storage').push(st);
    }
    for (let i = 0; i < 8; i++) {
      const host = `esx-${s}-${i}`;
      add(host, 'host', s, { hostname: `${host}.dc${s}.example`, ip: `10.${s}.0.${10 + i}` });
      relate(host, L('network')[i % 3], 'depends_on');
      relate(host, L('storage')[i % 2], 'depends_on');
      L('host').push(host);
      for (let v = 0; v < 3; v++) {
        const vm = `vm-${s}-${i}-${v}`;
        add(vm, 'vm', s, { hostname: `${vm}.dc${s}.example` });
        relate(vm, host, 'runs_on');
        L('vm').push(vm);
      }
    }
    for (let i = 0; i < 6; i++) {
      const db = `db-${s}-${i}`;
      add(db, 'database', s);
      relate(db, pick(L('vm')), 'runs_on');
      L('database').push(db);
    }
    for (let i = 0; i < 10; i++) {
      const app = `app-${s}-${i}`;
      add(app, 'application', s);
      relate(app, pick(L('vm')), 'runs_on');
      relate(app, pick(L('database')), 'depends_on');
      if (random() < 0.3) relate(app, pick(L('application').length ? L('application') : L('database')), 'depends_on');
      L('application').push(app);
    }
    for (let i = 0; i < 4; i++) {
      const svc = `svc-${s}-${i}`;
      add(svc, 'service', s);
      for (let k = 0; k < 3; k++) relate(pick(L('application')), svc, 'part_of');
      L('service').push(svc);
    }
    for (let k = 0; k < 6; k++) relate(pick(L('vm')), pick(L('vm')), 'connects_to');
  }

  const impactedOf = (key: string): Array<{ key: string; distance: number }> => {
    const seen = new Map([[key, 0]]);
    const out: Array<{ key: string; distance: number }> = [];
    let frontier = [key];
    for (let d = 1; frontier.length; d++) {
      const next: string[] = [];
      for (const k of frontier) for (const n of down.get(k) ?? []) if (!seen.has(n)) { seen.set(n, d); out.push({ key: n, distance: d }); next.push(n); }
      frontier = next;
    }
    return out;
  };
  const instanceLabel = (key: string): Record<string, string> => {
    const layer = layerOf.get(key) ?? '';
    // Several mapping paths, as real monitoring sends them.
    if (layer === 'host') return random() < 0.5 ? { instance: `${key}.dc${siteOf.get(key)}.example:9100` } : { instance: `${key}:9100` };
    if (layer === 'vm') return { instance: `${key}.dc${siteOf.get(key)}.example:9100` };
    return { ci: key };
  };

  const events: Array<{ at: number; alert: ScenarioAlert }> = [];
  const truth = new Map<string, { group: string; rootKey: string | null }>();
  const start = Date.now() - (options.hours ?? 10) * 3600_000 - 3600_000;
  const emit = (group: string, rootKey: string | null, labels: Record<string, string>, at: number, resolveAt: number) => {
    const fingerprint = createHash('sha256').update(JSON.stringify(labels)).digest('hex').slice(0, 16);
    const startsAt = new Date(Math.round(at)).toISOString();
    // Alertmanager fingerprints are label hashes: the same alert firing again in a later
    // failure has the same fingerprint, so the truth is per occurrence.
    truth.set(occurrence(fingerprint, startsAt), { group, rootKey });
    const base = { labels, annotations: { summary: `${labels.alertname} on ${labels.ci ?? labels.instance ?? labels.job}` }, startsAt, generatorURL: '', fingerprint };
    events.push({ at, alert: { ...base, status: 'firing', endsAt: '0001-01-01T00:00:00Z' } });
    events.push({ at: resolveAt, alert: { ...base, status: 'resolved', endsAt: new Date(resolveAt).toISOString() } });
  };

  const failureLayers = ['network', 'storage', 'storage', 'host', 'host', 'host', 'vm', 'vm', 'database', 'database', 'application'];
  const total = options.failures ?? 40;
  const span = (options.hours ?? 10) * 3600_000;
  let failures = 0;
  const inject = (site: number, at: number) => {
    const failed = pick(byLayer[pick(failureLayers)][site]);
    const group = `failure-${failures++}`;
    const blast = impactedOf(failed);
    const silent = random() < 0.25 && blast.length >= 2;
    const duration = (20 + random() * 40) * 60_000;
    const alerting = blast.filter(() => random() < 0.6).slice(0, 40);
    if (!silent) for (const name of alertNames[layerOf.get(failed) ?? 'host'].slice(0, 1 + Math.floor(random() * 2))) {
      emit(group, failed, { alertname: name, severity: 'critical', job: layerOf.get(failed) ?? '', ...instanceLabel(failed) }, at + random() * 30_000, at + duration);
    }
    for (const { key, distance } of alerting) {
      const when = at + distance * 20_000 + random() * 4 * 60_000;
      emit(group, failed, { alertname: pick(alertNames[layerOf.get(key) ?? 'host']), severity: pick(['warning', 'critical']), job: layerOf.get(key) ?? '', ...instanceLabel(key) }, when, at + duration + random() * 60_000);
    }
  };
  for (let i = 0; i < total; i++) {
    const at = start + (i / total) * span + random() * 5 * 60_000;
    // Consecutive failures rotate sites so that failures in related parts of the graph are
    // apart in time; overlapping ones are put in an unrelated part (another site).
    const site = i % SITES;
    inject(site, at);
    // An independent failure overlapping in time in another site.
    if (random() < 0.4) inject((site + 2) % SITES, at + (random() - 0.5) * 6 * 60_000);
  }
  const allKeys = cis.map((ci) => ci.key);
  for (let i = 0; i < (options.noise ?? 30); i++) {
    const at = start + random() * span;
    const labels: Record<string, string> = random() < 0.7
      ? { alertname: pick(['CertExpiring', 'NTPDrift', 'BackupLate', 'DiskSpaceLow']), severity: 'warning', ...instanceLabel(pick(allKeys)) }
      : { alertname: `Batch${i}Failed`, severity: 'info', job: `cron-${i}`, instance: `unknown-${i}.example:9100` };
    emit(`noise-${i}`, null, labels, at, at + 10 * 60_000);
  }

  events.sort((a, b) => a.at - b.at);
  const deliveries: ScenarioAlert[][] = [];
  for (let i = 0; i < events.length; ) {
    const size = 1 + Math.floor(random() * 12);
    const batch = events.slice(i, i + size).map((e) => e.alert);
    deliveries.push(batch);
    // Alertmanager re-notifies a group: some batches arrive twice.
    if (random() < 0.2) deliveries.push(batch.map((a) => ({ ...a })));
    i += size;
  }
  return { cis, relationships, deliveries, truth, failures };
}

/** Pairwise precision/recall of grouping, root-cause top-1 accuracy, noise reduction. */
export function scoreScenario(scenario: Scenario, placed: Map<string, { incident: string; rootKey: string | null }>, incidentsOpened: number) {
  const entries = [...scenario.truth.entries()].filter(([fp]) => placed.has(fp));
  let tp = 0, fp = 0, fn = 0;
  for (let i = 0; i < entries.length; i++) {
    for (let j = i + 1; j < entries.length; j++) {
      const same = entries[i][1].group === entries[j][1].group;
      const together = placed.get(entries[i][0])?.incident === placed.get(entries[j][0])?.incident;
      if (same && together) tp++; else if (together) fp++; else if (same) fn++;
    }
  }
  const precision = tp / Math.max(1, tp + fp);
  const recall = tp / Math.max(1, tp + fn);
  const f1 = (2 * precision * recall) / Math.max(1e-9, precision + recall);
  const byGroup = new Map<string, string[]>();
  for (const [fpKey, t] of entries) if (t.rootKey) byGroup.set(t.group, [...(byGroup.get(t.group) ?? []), fpKey]);
  let correct = 0;
  for (const [, fps] of byGroup) {
    const votes = new Map<string, number>();
    for (const f of fps) { const inc = placed.get(f)?.incident ?? ''; votes.set(inc, (votes.get(inc) ?? 0) + 1); }
    const top = [...votes.entries()].sort((a, b) => b[1] - a[1])[0][0];
    const rootKey = [...placed.values()].find((p) => p.incident === top)?.rootKey;
    if (rootKey === scenario.truth.get(fps[0])?.rootKey) correct++;
  }
  const deliveries = scenario.deliveries.reduce((n, d) => n + d.filter((a) => a.status === 'firing').length, 0);
  return { precision, recall, f1, rootAccuracy: correct / Math.max(1, byGroup.size), failures: byGroup.size, alerts: entries.length, deliveries, incidents: incidentsOpened, noiseReduction: 1 - incidentsOpened / Math.max(1, deliveries) };
}
