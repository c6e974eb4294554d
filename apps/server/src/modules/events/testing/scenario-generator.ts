import { createHash } from 'node:crypto';

/**
 * A deterministic failure scenario (tests only): a layered infrastructure in the CMDB
 * import format, failures injected at random CIs firing from part of their blast radius
 * (the failed CI itself sometimes silent), independent failures overlapping in time in
 * unrelated parts of the graph, isolated noise, duplicates re-sent, as Alertmanager
 * webhook alerts. Two shapes: `classic` (four equal sites, overlapping failures in another
 * site, one alerting rate) and `varied` (see `buildVaried`).
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

const layerTeams: Record<string, string> = {
  site: 'facilities', network: 'network', storage: 'storage', cluster: 'servers', host: 'servers', vm: 'servers', database: 'dba', application: 'apps', service: 'apps',
};
const alertNames: Record<string, string[]> = {
  network: ['InterfaceDown', 'PacketLoss'], storage: ['ArrayDegraded', 'LatencyHigh'], cluster: ['ClusterDegraded', 'HAFailover'], host: ['HostDown', 'DiskIOErrors'],
  vm: ['InstanceDown', 'NodeFilesystemReadonly'], database: ['PostgresDown', 'ReplicationLag'], application: ['HTTP5xx', 'LatencyHigh'],
  service: ['SLOBurn', 'ProbeFailed'], site: ['PowerFailure'],
};

export interface ScenarioOptions {
  failures?: number;
  noise?: number;
  hours?: number;
  variant?: 'classic' | 'varied';
}

type Random = () => number;
const pickWith = (random: Random) => <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];

/** The infrastructure under construction, with the propagation rules of DESIGN.md. */
class Infrastructure {
  readonly cis: ScenarioCi[] = [];
  readonly relationships: ScenarioRelationship[] = [];
  readonly layerOf = new Map<string, string>();
  readonly siteOf = new Map<string, number>();
  private readonly down = new Map<string, Set<string>>(); // failure of key → keys it impacts directly
  private readonly up = new Map<string, Set<string>>(); // key → keys whose failure impacts it directly
  private readonly byLayer = new Map<string, string[]>();

  add(key: string, type: string, site: number, attributes?: Record<string, unknown>): string {
    this.cis.push({ key, type, name: key.toUpperCase(), team: layerTeams[type], ...(attributes ? { attributes } : {}) });
    this.layerOf.set(key, type);
    this.siteOf.set(key, site);
    return key;
  }

  /** `layer` is where the CI is listed for picking (`core` switches are `network` CIs). */
  list(layer: string, site: number, key: string): void {
    this.layer(layer, site).push(key);
  }

  layer(layer: string, site: number): string[] {
    let keys = this.byLayer.get(`${layer}@${site}`);
    if (!keys) this.byLayer.set(`${layer}@${site}`, (keys = []));
    return keys;
  }

  relate(from: string, to: string, type: ScenarioRelationship['type']): void {
    this.relationships.push({ from, to, type });
    if (type === 'connects_to') return;
    const [cause, effect] = type === 'part_of' ? [from, to] : [to, from];
    if (!this.down.has(cause)) this.down.set(cause, new Set());
    this.down.get(cause)?.add(effect);
    if (!this.up.has(effect)) this.up.set(effect, new Set());
    this.up.get(effect)?.add(cause);
  }

  impactedOf(key: string): Array<{ key: string; distance: number }> {
    return closure(this.down, key);
  }

  upstreamOf(key: string): Array<{ key: string; distance: number }> {
    return closure(this.up, key);
  }
}

function closure(edges: Map<string, Set<string>>, key: string): Array<{ key: string; distance: number }> {
  const seen = new Map([[key, 0]]);
  const out: Array<{ key: string; distance: number }> = [];
  let frontier = [key];
  for (let d = 1; frontier.length; d++) {
    const next: string[] = [];
    for (const k of frontier) for (const n of edges.get(k) ?? []) if (!seen.has(n)) { seen.set(n, d); out.push({ key: n, distance: d }); next.push(n); }
    frontier = next;
  }
  return out;
}

/** Four equal sites: a core switch, 3 switches, 2 arrays, 8 hosts with 3 VMs each, 6 databases, 10 applications, 4 services. */
function buildClassic(infra: Infrastructure, random: Random): number {
  const pick = pickWith(random);
  for (let s = 0; s < 4; s++) {
    const L = (name: string) => infra.layer(name, s);
    const site = infra.add(`site-${s}`, 'site', s);
    const core = infra.add(`core-sw-${s}`, 'network', s);
    infra.relate(core, site, 'depends_on');
    for (let i = 0; i < 3; i++) {
      const sw = infra.add(`sw-${s}-${i}`, 'network', s);
      infra.relate(sw, core, 'depends_on');
      infra.list('network', s, sw);
    }
    for (let i = 0; i < 2; i++) {
      const st = infra.add(`array-${s}-${i}`, 'storage', s);
      infra.relate(st, pick(L('network')), 'depends_on');
      infra.list('storage', s, st);
    }
    for (let i = 0; i < 8; i++) {
      const host = infra.add(`esx-${s}-${i}`, 'host', s, { hostname: `esx-${s}-${i}.dc${s}.example`, ip: `10.${s}.0.${10 + i}` });
      infra.relate(host, L('network')[i % 3], 'depends_on');
      infra.relate(host, L('storage')[i % 2], 'depends_on');
      infra.list('host', s, host);
      for (let v = 0; v < 3; v++) {
        const vm = infra.add(`vm-${s}-${i}-${v}`, 'vm', s, { hostname: `vm-${s}-${i}-${v}.dc${s}.example` });
        infra.relate(vm, host, 'runs_on');
        infra.list('vm', s, vm);
      }
    }
    buildApplications(infra, random, s, { databases: 6, applications: 10, services: 4 });
  }
  return 4;
}

/**
 * 3–5 sites of different sizes; hosts on one switch and one array, most of them members
 * (`part_of`) of a cluster in some sites, with VMs running on the cluster or the host;
 * applications depending on databases, on other applications and sometimes on a shared
 * application of another site; business services made of applications (`part_of`).
 */
function buildVaried(infra: Infrastructure, random: Random): number {
  const pick = pickWith(random);
  const between = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const sites = between(3, 5);
  for (let s = 0; s < sites; s++) {
    const L = (name: string) => infra.layer(name, s);
    const site = infra.add(`site-${s}`, 'site', s);
    const core = infra.add(`core-sw-${s}`, 'network', s);
    infra.relate(core, site, 'depends_on');
    infra.list('core', s, core);
    for (let i = 0, n = between(2, 4); i < n; i++) {
      const sw = infra.add(`sw-${s}-${i}`, 'network', s);
      infra.relate(sw, core, 'depends_on');
      infra.list('network', s, sw);
    }
    for (let i = 0, n = between(1, 3); i < n; i++) {
      const st = infra.add(`array-${s}-${i}`, 'storage', s);
      infra.relate(st, pick(L('network')), 'depends_on');
      infra.list('storage', s, st);
    }
    const clusters = random() < 0.4 ? between(1, 2) : 0;
    for (let c = 0; c < clusters; c++) infra.list('cluster', s, infra.add(`cl-${s}-${c}`, 'cluster', s));
    for (let i = 0, n = between(4, 10); i < n; i++) {
      const host = infra.add(`esx-${s}-${i}`, 'host', s, { hostname: `esx-${s}-${i}.dc${s}.example`, ip: `10.${s}.0.${10 + i}` });
      infra.relate(host, L('network')[i % L('network').length], 'depends_on');
      infra.relate(host, L('storage')[i % L('storage').length], 'depends_on');
      infra.list('host', s, host);
      // A member host's failure impacts its cluster, and so every VM running on the cluster.
      const cluster = clusters > 0 && i % 3 !== 2 ? L('cluster')[i % clusters] : null;
      if (cluster) infra.relate(host, cluster, 'part_of');
      for (let v = 0, m = between(1, 4); v < m; v++) {
        const vm = infra.add(`vm-${s}-${i}-${v}`, 'vm', s, { hostname: `vm-${s}-${i}-${v}.dc${s}.example` });
        infra.relate(vm, cluster && random() < 0.7 ? cluster : host, 'runs_on');
        infra.list('vm', s, vm);
      }
    }
    buildApplications(infra, random, s, { databases: between(3, 8), applications: between(6, 14), services: between(2, 6), servicePartsMax: 4 });
    // A few applications use a shared application of an earlier site (SSO, DNS, a message bus).
    if (s > 0) for (let k = 0, n = between(0, 2); k < n; k++) infra.relate(pick(L('application')), pick(infra.layer('application', between(0, s - 1))), 'depends_on');
  }
  return sites;
}

function buildApplications(infra: Infrastructure, random: Random, s: number, sizes: { databases: number; applications: number; services: number; servicePartsMax?: number }): void {
  const pick = pickWith(random);
  const L = (name: string) => infra.layer(name, s);
  for (let i = 0; i < sizes.databases; i++) {
    const db = infra.add(`db-${s}-${i}`, 'database', s);
    infra.relate(db, pick(L('vm')), 'runs_on');
    infra.list('database', s, db);
  }
  for (let i = 0; i < sizes.applications; i++) {
    const app = infra.add(`app-${s}-${i}`, 'application', s);
    infra.relate(app, pick(L('vm')), 'runs_on');
    infra.relate(app, pick(L('database')), 'depends_on');
    if (random() < 0.3) infra.relate(app, pick(L('application').length ? L('application') : L('database')), 'depends_on');
    infra.list('application', s, app);
  }
  for (let i = 0; i < sizes.services; i++) {
    const svc = infra.add(`svc-${s}-${i}`, 'service', s);
    const parts = sizes.servicePartsMax ? 2 + Math.floor(random() * (sizes.servicePartsMax - 1)) : 3;
    for (let k = 0; k < parts; k++) infra.relate(pick(L('application')), svc, 'part_of');
    infra.list('service', s, svc);
  }
  for (let k = 0; k < 6; k++) {
    const [from, to] = [pick(L('vm')), pick(L('vm'))];
    // The CMDB refuses a CI related to itself (and the import with it).
    if (from !== to) infra.relate(from, to, 'connects_to');
  }
}

export function generateScenario(seed: number, options: ScenarioOptions = {}): Scenario {
  const random = rng(seed);
  const pick = pickWith(random);
  const varied = options.variant === 'varied';
  const infra = new Infrastructure();
  const sites = varied ? buildVaried(infra, random) : buildClassic(infra, random);
  const { cis, relationships, layerOf, siteOf } = infra;
  const instanceLabel = (key: string): Record<string, string> => {
    const kind = layerOf.get(key) ?? '';
    // Several mapping paths, as real monitoring sends them.
    if (kind === 'host') return random() < 0.5 ? { instance: `${key}.dc${siteOf.get(key)}.example:9100` } : { instance: `${key}:9100` };
    if (kind === 'vm') return { instance: `${key}.dc${siteOf.get(key)}.example:9100` };
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

  const failureLayers = varied
    ? ['core', 'network', 'network', 'storage', 'storage', 'cluster', 'host', 'host', 'host', 'vm', 'vm', 'database', 'database', 'application', 'application']
    : ['network', 'storage', 'storage', 'host', 'host', 'host', 'vm', 'vm', 'database', 'database', 'application'];
  const total = options.failures ?? 40;
  const span = (options.hours ?? 10) * 3600_000;
  let failures = 0;
  /**
   * A failed CI in `site` (varied: layers without CIs in a site are skipped) unrelated to
   * `avoid`: no CI in both blast radii, and no common cause but the site and its core switch.
   */
  const pickFailed = (site: number, avoid: Set<string>): string | null => {
    if (!varied) return pick(infra.layer(pick(failureLayers), site));
    for (let attempt = 0; attempt < 20; attempt++) {
      const choices = infra.layer(pick(failureLayers), site);
      if (choices.length === 0) continue;
      const key = pick(choices);
      const related = [key, ...infra.impactedOf(key).map((r) => r.key), ...infra.upstreamOf(key).map((r) => r.key).filter((k) => !/^(site|core-sw)-/.test(k))];
      if (!related.some((k) => avoid.has(k))) return key;
    }
    return null;
  };
  /** Fires the failure's alerts (the failed CI first, unless silent; its blast radius over minutes); returns the CIs related to it. */
  const inject = (failed: string, at: number): Set<string> => {
    const group = `failure-${failures++}`;
    const blast = infra.impactedOf(failed);
    const silent = random() < 0.25 && blast.length >= 2;
    // Varied: each failure has its own alerting rate and propagation pace.
    const rate = varied ? 0.35 + random() * 0.5 : 0.6;
    const duration = (20 + random() * 40) * 60_000;
    const hop = varied ? 10_000 + random() * 20_000 : 20_000;
    const alerting = blast.filter(() => random() < rate).slice(0, varied ? 25 + Math.floor(random() * 36) : 40);
    if (!silent) for (const name of alertNames[layerOf.get(failed) ?? 'host'].slice(0, 1 + Math.floor(random() * 2))) {
      emit(group, failed, { alertname: name, severity: 'critical', job: layerOf.get(failed) ?? '', ...instanceLabel(failed) }, at + random() * (varied ? 45_000 : 30_000), at + duration);
    }
    for (const { key, distance } of alerting) {
      const when = at + distance * hop + random() * 4 * 60_000;
      emit(group, failed, { alertname: pick(alertNames[layerOf.get(key) ?? 'host']), severity: pick(['warning', 'critical']), job: layerOf.get(key) ?? '', ...instanceLabel(key) }, when, at + duration + random() * 60_000);
    }
    return new Set([failed, ...blast.map((r) => r.key), ...infra.upstreamOf(failed).map((r) => r.key).filter((k) => !/^(site|core-sw)-/.test(k))]);
  };
  for (let i = 0; i < total; i++) {
    const at = start + (i / total) * span + random() * 5 * 60_000;
    // Consecutive failures rotate sites so that failures in related parts of the graph are
    // mostly apart in time.
    const site = i % sites;
    const first = pickFailed(site, new Set());
    if (!first) continue;
    const impacted = inject(first, at);
    if (random() >= 0.4) continue;
    // An independent failure overlapping in time in an unrelated part of the graph: classic,
    // another site; varied, the same or another site, sharing no impacted CI and no cause
    // but the site's power and core network with the first.
    const other = !varied ? (site + 2) % sites : random() < 0.5 ? site : (site + 1 + Math.floor(random() * (sites - 1))) % sites;
    const when = at + (random() - 0.5) * 6 * 60_000;
    const second = pickFailed(other, impacted);
    if (second) inject(second, when);
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
