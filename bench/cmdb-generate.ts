/**
 * A generated CMDB shaped like a real estate, layer by layer: sites → core and access
 * switches → storage → hosts → VMs → containers → databases → applications → business
 * services, plus application-to-application dependencies and informational links.
 * Deterministic (seeded), so runs compare.
 */
export interface GeneratedCi {
  key: string;
  type: string;
  name: string;
  team: string;
  criticality: number;
  attributes?: Record<string, unknown>;
}
export interface GeneratedRelationship {
  from: string;
  to: string;
  type: 'depends_on' | 'runs_on' | 'part_of' | 'connects_to';
}

export const BENCH_TEAMS = ['network', 'storage', 'servers', 'database', 'messaging', 'service-desk'];

function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateCmdb(totalCis = 100_000, totalRelationships = 300_000, seed = 42) {
  const random = rng(seed);
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)];
  const scale = totalCis / 100_000;
  const count = (n: number) => Math.max(1, Math.round(n * scale));
  const cis: GeneratedCi[] = [];
  const relationships: GeneratedRelationship[] = [];
  const seen = new Set<string>();
  const relate = (from: string, type: GeneratedRelationship['type'], to: string): void => {
    const id = `${from}|${to}|${type}`;
    if (from === to || seen.has(id) || relationships.length >= totalRelationships) return;
    seen.add(id);
    relationships.push({ from, to, type });
  };
  const layer = (prefix: string, type: string, n: number, team: string, withHost = false): string[] => {
    const keys: string[] = [];
    for (let i = 0; i < n; i++) {
      const key = `${prefix}-${String(i).padStart(6, '0')}`;
      const attributes = withHost ? { hostname: key, ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` } : undefined;
      cis.push({ key, type, name: `${type} ${i}`, team, criticality: 1 + Math.floor(random() * 4), ...(attributes ? { attributes } : {}) });
      keys.push(key);
    }
    return keys;
  };

  const sites = layer('site', 'site', 10, 'servers');
  const cores = layer('core', 'network_device', 20, 'network', true);
  const access = layer('access', 'network_device', count(1_980), 'network', true);
  const storage = layer('san', 'storage', count(1_000), 'storage', true);
  const hosts = layer('host', 'host', count(15_000), 'servers', true);
  const vms = layer('vm', 'vm', count(40_000), 'servers', true);
  const containers = layer('ctr', 'container', count(20_000), 'servers');
  const databases = layer('db', 'database', count(5_000), 'database', true);
  const services = layer('svc', 'service', count(2_000), 'service-desk');
  const apps = layer('app', 'application', Math.max(1, totalCis - cis.length), 'messaging');

  const siteOf = (i: number) => i % sites.length;
  cores.forEach((core, i) => relate(core, 'part_of', sites[siteOf(i)]));
  access.forEach((sw, i) => {
    relate(sw, 'depends_on', cores[(siteOf(i) * 2) % cores.length]);
    relate(sw, 'depends_on', cores[(siteOf(i) * 2 + 1) % cores.length]);
  });
  storage.forEach((san, i) => relate(san, 'depends_on', cores[(siteOf(i) * 2) % cores.length]));
  for (const host of hosts) {
    relate(host, 'depends_on', pick(access));
    relate(host, 'depends_on', pick(access));
    relate(host, 'depends_on', pick(storage));
    relate(host, 'part_of', pick(sites));
  }
  for (const vm of vms) relate(vm, 'runs_on', pick(hosts));
  for (const ctr of containers) relate(ctr, 'runs_on', pick(vms));
  for (const db of databases) {
    relate(db, 'runs_on', pick(vms));
    relate(db, 'depends_on', pick(storage));
  }
  for (const app of apps) {
    relate(app, 'runs_on', random() < 0.5 ? pick(containers) : pick(vms));
    relate(app, 'runs_on', random() < 0.5 ? pick(containers) : pick(vms));
    relate(app, 'depends_on', pick(databases));
    relate(app, 'depends_on', pick(databases));
  }
  for (const svc of services) for (let k = 0; k < 5; k++) relate(svc, 'depends_on', pick(apps));
  // Applications call applications of their own product (clusters of 25), mostly older
  // ones, with the odd cycle — so a failure spreads through one product, not the estate.
  const CLUSTER = 25;
  for (let round = 0; round < 4; round++) {
    apps.forEach((app, i) => {
      const base = i - (i % CLUSTER);
      const size = Math.min(CLUSTER, apps.length - base);
      const j = random() < 0.97 && i > base ? base + Math.floor(random() * (i - base)) : base + Math.floor(random() * size);
      relate(app, 'depends_on', apps[j]);
    });
  }
  const linkable = [...access, ...hosts, ...storage];
  while (relationships.length < totalRelationships) relate(pick(linkable), 'connects_to', pick(linkable));
  return { cis, relationships };
}
