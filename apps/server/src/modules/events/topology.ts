/**
 * What correlation needs from the CMDB, as a small interface of its own: the events module
 * is tested against an in-memory graph and adapted to the CMDB module's graph in
 * `cmdb-topology.ts`. Propagation follows DESIGN.md: `A depends_on B` / `A runs_on B` → A
 * is impacted when B fails; `A part_of B` → B is impacted when A fails; `connects_to` none.
 */
export interface CiInfo {
  id: string;
  key: string;
  name: string;
  type: string;
  teamId: string | null;
}

export interface Reach {
  id: string;
  distance: number;
}

export interface TopologyView {
  ciById(id: string): CiInfo | null;
  ciByKey(key: string): CiInfo | null;
  /** A CI whose key or host/address attributes match. */
  findByHost(hostOrAddress: string): CiInfo | null;
  /** Who is impacted when `ciId` fails (downstream), without `ciId` itself. */
  impacted(ciId: string): readonly Reach[];
  /** Whose failure impacts `ciId` (upstream), without `ciId` itself. */
  dependencies(ciId: string): readonly Reach[];
  /** CI ids from `fromId` to `toId` along propagation, or null. */
  pathBetween(fromId: string, toId: string): string[] | null;
  /** Called after any CMDB change so cached closures are dropped. */
  onChange(listener: () => void): void;
}

/** A topology with no CIs: every alert is unmapped (used until a CMDB is wired). */
export const emptyTopology: TopologyView = {
  ciById: () => null,
  ciByKey: () => null,
  findByHost: () => null,
  impacted: () => [],
  dependencies: () => [],
  pathBetween: () => null,
  onChange: () => undefined,
};

export type RelationshipType = 'depends_on' | 'runs_on' | 'part_of' | 'connects_to';

/**
 * An in-memory graph with the CMDB's propagation rules, for tests and the generator
 * before (and besides) the CMDB module. Edges are stored as "failure of X impacts Y".
 */
export class MemoryTopology implements TopologyView {
  private readonly byId = new Map<string, CiInfo>();
  private readonly byKey = new Map<string, CiInfo>();
  private readonly byHost = new Map<string, CiInfo>();
  private readonly down = new Map<string, Set<string>>();
  private readonly up = new Map<string, Set<string>>();
  private readonly listeners: Array<() => void> = [];

  addCi(ci: CiInfo, hosts: string[] = []): void {
    this.byId.set(ci.id, ci);
    this.byKey.set(ci.key, ci);
    for (const host of hosts) this.byHost.set(host.toLowerCase(), ci);
    this.changed();
  }

  relate(from: string, to: string, type: RelationshipType): void {
    if (type === 'connects_to') return;
    // depends_on/runs_on: failure of `to` impacts `from`; part_of: failure of `from` impacts `to`.
    const [cause, effect] = type === 'part_of' ? [from, to] : [to, from];
    link(this.down, cause, effect);
    link(this.up, effect, cause);
    this.changed();
  }

  ciById = (id: string) => this.byId.get(id) ?? null;
  ciByKey = (key: string) => this.byKey.get(key) ?? null;
  findByHost = (host: string) => this.byKey.get(host) ?? this.byHost.get(host.toLowerCase()) ?? null;
  impacted = (id: string) => bfs(this.down, id);
  dependencies = (id: string) => bfs(this.up, id);
  onChange = (listener: () => void) => void this.listeners.push(listener);

  pathBetween(fromId: string, toId: string): string[] | null {
    for (const [edges] of [[this.down], [this.up]] as const) {
      const previous = new Map<string, string>([[fromId, fromId]]);
      const queue = [fromId];
      while (queue.length > 0) {
        const current = queue.shift() as string;
        if (current === toId) {
          const path = [toId];
          while (path[0] !== fromId) path.unshift(previous.get(path[0]) as string);
          return path;
        }
        for (const next of edges.get(current) ?? []) {
          if (!previous.has(next)) {
            previous.set(next, current);
            queue.push(next);
          }
        }
      }
    }
    return null;
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

function link(map: Map<string, Set<string>>, from: string, to: string): void {
  let set = map.get(from);
  if (!set) map.set(from, (set = new Set()));
  set.add(to);
}

function bfs(edges: Map<string, Set<string>>, start: string): Reach[] {
  const seen = new Map<string, number>([[start, 0]]);
  const out: Reach[] = [];
  let frontier = [start];
  for (let distance = 1; frontier.length > 0; distance++) {
    const next: string[] = [];
    for (const node of frontier) {
      for (const neighbour of edges.get(node) ?? []) {
        if (seen.has(neighbour)) continue; // cycles are legal in CMDB data
        seen.set(neighbour, distance);
        out.push({ id: neighbour, distance });
        next.push(neighbour);
      }
    }
    frontier = next;
  }
  return out;
}

/**
 * A stable TopologyView whose target can be swapped (tests before the CMDB is wired, or a
 * CMDB reload); correlation caches are dropped on every swap.
 */
export class SwitchableTopology implements TopologyView {
  private readonly listeners: Array<() => void> = [];

  constructor(private target: TopologyView) {
    target.onChange(() => this.changed());
  }

  use(target: TopologyView): void {
    this.target = target;
    target.onChange(() => {
      if (this.target === target) this.changed();
    });
    this.changed();
  }

  ciById = (id: string) => this.target.ciById(id);
  ciByKey = (key: string) => this.target.ciByKey(key);
  findByHost = (host: string) => this.target.findByHost(host);
  impacted = (id: string) => this.target.impacted(id);
  dependencies = (id: string) => this.target.dependencies(id);
  pathBetween = (from: string, to: string) => this.target.pathBetween(from, to);
  onChange = (listener: () => void) => void this.listeners.push(listener);

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

/** Impact of a root cause for the incident detail: how many CIs, which business services. */
export function impactOf(topology: TopologyView, rootId: string) {
  const services = [rootId, ...topology.impacted(rootId).map((r) => r.id)]
    .map((id) => topology.ciById(id))
    .filter((ci): ci is CiInfo => ci !== null && ci.type === 'service')
    .map((ci) => ({ id: ci.id, key: ci.key, name: ci.name }));
  return { cis: topology.impacted(rootId).length, services };
}
