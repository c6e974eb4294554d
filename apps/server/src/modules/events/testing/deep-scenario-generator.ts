import { createHash } from 'node:crypto';
import { occurrence, rng, type Scenario, type ScenarioAlert, type ScenarioCi, type ScenarioRelationship } from './scenario-generator.js';

/**
 * A second, independently written failure generator (tests only), to check that correlation
 * is not fitted to `generateScenario`'s shapes. It differs on purpose:
 * - a deeper graph: site → core router → distribution → access switch → host → VM →
 *   database / message queue → application → business service (up to 9 levels), a SAN
 *   fabric and arrays with datastores, applications calling applications of other sites;
 * - the failed CI is drawn uniformly from every CI with anything in its blast radius, so
 *   sites, core routers, datastores and business-facing applications fail too;
 * - per failure a random alerting share (20–90%), a random silent chance, one to three
 *   alerts per alerting CI, propagation over up to a quarter of an hour after the failed CI's
 *   own alerts (the issue's description);
 * - CIs named in alerts as Prometheus exporters do: `instance` host names and addresses for
 *   hosts and VMs, a `ci` label otherwise, a `service` label for business services;
 * - Alertmanager-like delivery: alerts grouped in 30-s windows, groups re-sent, resolves.
 */
interface Node { key: string; type: string }

class Graph {
  readonly cis: ScenarioCi[] = [];
  readonly relationships: ScenarioRelationship[] = [];
  readonly typeOf = new Map<string, string>();
  private readonly impacts = new Map<string, string[]>();
  private readonly causes = new Map<string, string[]>();
  private readonly linked = new Set<string>();

  add(key: string, type: string, team: string, attributes?: Record<string, unknown>): Node {
    this.cis.push({ key, type, name: key, team, ...(attributes ? { attributes } : {}) });
    this.typeOf.set(key, type);
    return { key, type };
  }

  /** `from` relates to `to` with DESIGN.md's propagation: depends_on/runs_on up, part_of down. */
  link(from: Node, to: Node, type: ScenarioRelationship['type']): void {
    const id = `${from.key} ${type} ${to.key}`;
    if (from.key === to.key || this.linked.has(id)) return;
    this.linked.add(id);
    this.relationships.push({ from: from.key, to: to.key, type });
    if (type === 'connects_to') return;
    const [cause, effect] = type === 'part_of' ? [from.key, to.key] : [to.key, from.key];
    this.impacts.set(cause, [...(this.impacts.get(cause) ?? []), effect]);
    this.causes.set(effect, [...(this.causes.get(effect) ?? []), cause]);
  }

  /** What a failure of `key` takes down, with hop distances. */
  blast(key: string): Array<{ key: string; distance: number }> {
    return walk(this.impacts, key);
  }

  upstream(key: string): string[] {
    return walk(this.causes, key).map((r) => r.key);
  }
}

function walk(edges: Map<string, string[]>, start: string): Array<{ key: string; distance: number }> {
  const seen = new Set([start]);
  const out: Array<{ key: string; distance: number }> = [];
  let frontier = [start];
  for (let distance = 1; frontier.length > 0; distance++) {
    const next: string[] = [];
    for (const key of frontier) for (const k of edges.get(key) ?? []) if (!seen.has(k)) { seen.add(k); out.push({ key: k, distance }); next.push(k); }
    frontier = next;
  }
  return out;
}

function buildDeep(graph: Graph, random: () => number, siteRange: [number, number]): Node[] {
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
  const count = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const applications: Node[] = [];
  for (let s = 0, sites = count(...siteRange); s < sites; s++) {
    const site = graph.add(`dc${s}`, 'site', 'facilities');
    const core = graph.add(`dc${s}-core-rtr`, 'network', 'network');
    graph.link(core, site, 'depends_on');
    const access: Node[] = [];
    for (let d = 0, dists = count(1, 3); d < dists; d++) {
      const dist = graph.add(`dc${s}-dist-${d}`, 'network', 'network');
      graph.link(dist, core, 'depends_on');
      for (let a = 0, n = count(1, 3); a < n; a++) {
        const sw = graph.add(`dc${s}-acc-${d}${a}`, 'network', 'network');
        graph.link(sw, dist, 'depends_on');
        access.push(sw);
      }
    }
    const fabric = graph.add(`dc${s}-san-fab`, 'network', 'storage');
    graph.link(fabric, site, 'depends_on');
    const datastores: Node[] = [];
    for (let a = 0, arrays = count(1, 2); a < arrays; a++) {
      const array = graph.add(`dc${s}-array-${a}`, 'storage', 'storage');
      graph.link(array, fabric, 'depends_on');
      for (let v = 0, n = count(1, 3); v < n; v++) {
        const ds = graph.add(`dc${s}-ds-${a}${v}`, 'storage', 'storage');
        graph.link(ds, array, 'depends_on');
        datastores.push(ds);
      }
    }
    const vms: Node[] = [];
    for (let h = 0, hosts = count(4, 9); h < hosts; h++) {
      const name = `hv${s}${h}.dc${s}.corp`;
      const host = graph.add(`dc${s}-hv-${h}`, 'host', 'servers', { hostname: name, ip: `10.${s}.1.${h + 10}` });
      graph.link(host, pick(access), 'depends_on');
      graph.link(host, pick(datastores), 'depends_on');
      for (let v = 0, n = count(1, 5); v < n; v++) {
        const vm = graph.add(`dc${s}-vm-${h}${v}`, 'vm', 'servers', { hostname: `vm${s}${h}${v}.dc${s}.corp`, ip: `10.${s}.2.${h * 10 + v + 10}` });
        graph.link(vm, host, 'runs_on');
        vms.push(vm);
      }
    }
    const backends: Node[] = [];
    for (let d = 0, n = count(2, 6); d < n; d++) {
      const db = graph.add(`dc${s}-db-${d}`, 'database', 'dba');
      graph.link(db, pick(vms), 'runs_on');
      backends.push(db);
    }
    const mq = graph.add(`dc${s}-mq`, 'application', 'middleware');
    graph.link(mq, pick(vms), 'runs_on');
    const siteApps: Node[] = [];
    for (let a = 0, n = count(4, 12); a < n; a++) {
      const app = graph.add(`dc${s}-app-${a}`, 'application', 'apps');
      graph.link(app, pick(vms), 'runs_on');
      graph.link(app, pick(backends), 'depends_on');
      if (random() < 0.4) graph.link(app, mq, 'depends_on');
      if (siteApps.length > 0 && random() < 0.3) graph.link(app, pick(siteApps), 'depends_on');
      if (applications.length > 0 && random() < 0.1) graph.link(app, pick(applications), 'depends_on');
      siteApps.push(app);
    }
    for (let b = 0, n = count(1, 4); b < n; b++) {
      const service = graph.add(`dc${s}-svc-${b}`, 'service', 'business');
      for (let k = 0, parts = count(1, 3); k < parts; k++) graph.link(pick(siteApps), service, 'part_of');
    }
    for (let k = 0; k < 4; k++) graph.link(pick(vms), pick(vms), 'connects_to');
    applications.push(...siteApps);
  }
  return applications;
}

const alertNamesByType: Record<string, string[]> = {
  site: ['UPSOnBattery'], network: ['InterfaceDown', 'BGPSessionDown', 'HighPacketLoss'], storage: ['ArrayControllerFailed', 'DatastoreLatencyHigh'],
  host: ['NodeDown', 'HypervisorUnreachable'], vm: ['InstanceDown', 'FilesystemReadOnly', 'HighIOWait'], database: ['PostgresDown', 'ReplicationLag'],
  application: ['Http5xxRate', 'ProbeFailed', 'LatencyP99High'], service: ['SLOErrorBudgetBurn'],
};

/** Failures starting closer than this are in unrelated parts of the graph. */
const RELATED_GAP_MS = 45 * 60_000;

export interface DeepScenarioOptions {
  /** How many sites, at least and at most (2–4). */
  sites?: [number, number];
  /** Failures spread over `hours` (50 over 24), about a third with an independent one beside them. */
  failures?: number;
  hours?: number;
  /** Each alert delivered up to this late (0): Alertmanager's group_interval is 5 min by default. */
  arrivalDelayMs?: number;
}

export function generateDeepScenario(seed: number, options: DeepScenarioOptions = {}): Scenario {
  const random = rng(seed ^ 0x5eed);
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
  const graph = new Graph();
  buildDeep(graph, random, options.sites ?? [2, 4]);
  const attributesOf = new Map(graph.cis.map((ci) => [ci.key, ci.attributes ?? {}]));
  const labelsFor = (key: string): Record<string, string> => {
    const type = graph.typeOf.get(key) ?? '';
    const attributes = attributesOf.get(key) ?? {};
    if ((type === 'host' || type === 'vm') && random() < 0.8) {
      const address = random() < 0.6 ? String(attributes.hostname) : String(attributes.ip);
      return { instance: `${address}:9100`, job: 'node' };
    }
    if (type === 'service') return { service: key, job: 'blackbox' };
    return { ci: key, job: type };
  };

  const hours = options.hours ?? 24;
  const start = Date.now() - hours * 3600_000 - 7200_000;
  const events: Array<{ at: number; alert: ScenarioAlert }> = [];
  const truth = new Map<string, { group: string; rootKey: string | null }>();
  const emit = (group: string, rootKey: string | null, labels: Record<string, string>, at: number, until: number) => {
    const fingerprint = createHash('sha1').update(JSON.stringify(labels)).digest('hex').slice(0, 16);
    const startsAt = new Date(Math.round(at)).toISOString();
    if (truth.has(occurrence(fingerprint, startsAt))) return;
    truth.set(occurrence(fingerprint, startsAt), { group, rootKey });
    const base = { labels, annotations: { summary: `${labels.alertname} (${labels.ci ?? labels.instance ?? labels.service})` }, startsAt, generatorURL: 'http://prometheus:9090/graph', fingerprint };
    events.push({ at, alert: { ...base, status: 'firing', endsAt: '0001-01-01T00:00:00Z' } });
    events.push({ at: until, alert: { ...base, status: 'resolved', endsAt: new Date(until).toISOString() } });
  };

  const failing = graph.cis.map((ci) => ci.key).filter((key) => graph.blast(key).length > 0);
  let failures = 0;
  const inject = (failed: string, at: number): Set<string> => {
    const group = `deep-${failures++}`;
    const blast = graph.blast(failed);
    const share = 0.2 + random() * 0.7;
    const alerting = blast.filter(() => random() < share);
    const silent = alerting.length > 0 && random() < 0.3;
    const lasts = (15 + random() * 75) * 60_000;
    const alertsOf = (key: string, when: number) => {
      const names = alertNamesByType[graph.typeOf.get(key) ?? 'vm'];
      for (let n = 0, many = 1 + Math.floor(random() * Math.min(3, names.length)); n < many; n++) {
        emit(group, failed, { alertname: names[n], severity: pick(['critical', 'warning', 'major']), ...labelsFor(key) }, when + n * random() * 60_000, at + lasts + random() * 300_000);
      }
    };
    // As the issue describes it: the failed CI fires, its blast radius over the following minutes.
    if (!silent) alertsOf(failed, at + random() * 20_000);
    for (const { key, distance } of alerting) alertsOf(key, at + 20_000 + random() * Math.min(15, 2 + distance * 1.5) * 60_000);
    return new Set([failed, ...blast.map((r) => r.key), ...graph.upstream(failed)]);
  };
  const total = options.failures ?? 50;
  // Failures close in time are independent, as the issue has them: "overlapping in time in
  // unrelated parts of the graph". A failure inside another's blast radius while that one is
  // alerting would be indistinguishable from its victims, for any rule.
  const recent: Array<{ at: number; related: Set<string> }> = [];
  const injectUnrelated = (at: number): Set<string> | null => {
    const nearby = recent.filter((r) => Math.abs(r.at - at) < RELATED_GAP_MS);
    for (let attempt = 0; attempt < 30; attempt++) {
      const failed = pick(failing);
      const reach = [failed, ...graph.blast(failed).map((r) => r.key), ...graph.upstream(failed)];
      if (nearby.some((r) => reach.some((key) => r.related.has(key)))) continue;
      const related = inject(failed, at);
      recent.push({ at, related });
      return related;
    }
    return null;
  };
  for (let i = 0; i < total; i++) {
    const at = start + (i / total) * hours * 3600_000 + random() * 10 * 60_000;
    // About a third of failures come with an independent one at nearly the same time.
    if (injectUnrelated(at) && random() < 0.35) injectUnrelated(at + (random() - 0.5) * 4 * 60_000);
  }
  const keys = graph.cis.map((ci) => ci.key);
  for (let i = 0; i < total / 2; i++) {
    const at = start + random() * hours * 3600_000;
    const labels: Record<string, string> = random() < 0.6
      ? { alertname: pick(['CertificateExpiresSoon', 'BackupJobLate', 'NTPOffsetHigh']), severity: 'warning', ...labelsFor(pick(keys)) }
      : { alertname: 'CronJobFailed', severity: 'info', job: `cron-${i}`, instance: `batch-${i}.corp:9100` };
    emit(`noise-${i}`, null, labels, at, at + 20 * 60_000);
  }

  // Alertmanager-like delivery: what became due in a 30-s window goes out as one notification,
  // and a quarter of notifications are repeated (group_interval re-sends).
  // Notifications leave when their group is due, not when the alert started: each alert
  // arrives up to `arrivalDelayMs` late, so arrivals are out of event-time order.
  const delay = options.arrivalDelayMs ?? 0;
  if (delay > 0) for (const event of events) event.at += random() * delay;
  events.sort((a, b) => a.at - b.at);
  const deliveries: ScenarioAlert[][] = [];
  for (let i = 0; i < events.length; ) {
    const windowEnd = events[i].at + 30_000;
    let j = i;
    while (j < events.length && events[j].at < windowEnd && j - i < 50) j++;
    const batch = events.slice(i, j).map((e) => e.alert);
    deliveries.push(batch);
    if (random() < 0.25) deliveries.push(batch.map((alert) => ({ ...alert })));
    i = j;
  }
  return { cis: graph.cis, relationships: graph.relationships, deliveries, truth, failures };
}
