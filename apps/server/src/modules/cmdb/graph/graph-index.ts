import type { RelationshipType } from '@opsloom/api';

/** What the index keeps of a CI: enough to answer impact, the map and host look-ups without the database. */
export interface GraphCi {
  id: string;
  key: string;
  type: string;
  name: string;
  teamId: string | null;
  status: string;
  criticality: number;
}
export interface GraphCiInput extends GraphCi {
  /** Host names and addresses the CI answers to (lowercased by the index). */
  hosts: string[];
}
export interface GraphEdgeInput {
  id: string;
  fromId: string;
  toId: string;
  type: RelationshipType;
}
export interface Reached {
  id: string;
  distance: number;
}
export interface Neighbour {
  id: string;
  relationshipId: string;
  type: RelationshipType;
  /** `out`: this CI is the relationship's `from`; `in`: its `to`. */
  direction: 'out' | 'in';
}
export interface PathStep {
  id: string;
  /** How failure travelled into this CI; null for the first step. */
  via: { relationshipId: string; type: RelationshipType } | null;
}

const TYPES: readonly RelationshipType[] = ['depends_on', 'runs_on', 'part_of', 'connects_to'];
const DEPENDS_ON = 0;
const RUNS_ON = 1;
const PART_OF = 2;
const NONE = -1;

/**
 * The CMDB graph in memory, for impact analysis in microseconds: CIs are integer slots,
 * each slot keeps the edge slots that leave and enter it, and edges are parallel arrays.
 * Walks are breadth-first with a generation-stamped visited array, so cycles end and no
 * per-query set is allocated. Slots of deleted CIs and edges are reused.
 *
 * Propagation (the contract): `A depends_on B`, `A runs_on B` → A is impacted when B is;
 * `A part_of B` → B is impacted when A is; `connects_to` → nothing.
 */
export class GraphIndex {
  private readonly slotById = new Map<string, number>();
  private readonly slotByKey = new Map<string, number>();
  private nodes: Array<GraphCi | null> = [];
  private hostsOf: Array<string[] | null> = [];
  private outEdges: number[][] = [];
  private inEdges: number[][] = [];
  private readonly freeNodes: number[] = [];
  private readonly edgeSlotById = new Map<string, number>();
  private edgeIds: Array<string | null> = [];
  private edgeFrom: number[] = [];
  private edgeTo: number[] = [];
  private edgeType: number[] = [];
  private readonly freeEdges: number[] = [];
  /** Host → slot, or slots when several CIs share a host name (rare: most hosts are one CI). */
  private readonly byHost = new Map<string, number | number[]>();
  /** One copy of each team id, type and status string instead of one per CI. */
  private readonly interned = new Map<string, string>();
  private seen = new Int32Array(1024);
  private distance = new Int32Array(1024);
  private parentEdge = new Int32Array(1024);
  private queue = new Int32Array(1024);
  private generation = 0;

  get ciCount(): number {
    return this.slotById.size;
  }
  get relationshipCount(): number {
    return this.edgeSlotById.size;
  }

  upsertCi(input: GraphCiInput): void {
    const { hosts, ...ci } = input;
    let slot = this.slotById.get(ci.id);
    if (slot === undefined) {
      slot = this.freeNodes.pop() ?? this.nodes.length;
      if (slot === this.nodes.length) {
        this.nodes.push(null);
        this.hostsOf.push(null);
        this.outEdges.push([]);
        this.inEdges.push([]);
      }
      this.slotById.set(ci.id, slot);
    } else {
      const old = this.nodes[slot];
      if (old && old.key !== ci.key && this.slotByKey.get(old.key) === slot) this.slotByKey.delete(old.key);
      this.unindexHosts(slot);
    }
    ci.type = this.intern(ci.type);
    ci.status = this.intern(ci.status);
    if (ci.teamId !== null) ci.teamId = this.intern(ci.teamId);
    this.nodes[slot] = ci;
    this.slotByKey.set(ci.key, slot);
    const normalised = [...new Set(hosts.map((host) => host.trim().toLowerCase()).filter(Boolean))];
    this.hostsOf[slot] = normalised.length > 0 ? normalised : null;
    for (const host of normalised) {
      const found = this.byHost.get(host);
      if (found === undefined) this.byHost.set(host, slot);
      else if (typeof found === 'number') this.byHost.set(host, [found, slot]);
      else found.push(slot);
    }
  }

  /**
   * Bulk load (start-up): appends a relationship without touching the adjacency lists;
   * `finishBulkLoad` then builds every list at its exact size. Lists grown one push at a
   * time keep spare capacity (17 slots after the first push) and leave garbage behind,
   * which at 300,000 relationships is most of the index's memory. False when an end is unknown.
   */
  bulkAddRelationship(edge: GraphEdgeInput): boolean {
    const from = this.slotById.get(edge.fromId);
    const to = this.slotById.get(edge.toId);
    if (from === undefined || to === undefined || this.edgeSlotById.has(edge.id)) return false;
    this.edgeSlotById.set(edge.id, this.edgeIds.length);
    this.edgeIds.push(edge.id);
    this.edgeFrom.push(from);
    this.edgeTo.push(to);
    this.edgeType.push(TYPES.indexOf(edge.type));
    return true;
  }

  finishBulkLoad(): void {
    const n = this.nodes.length;
    const outDegree = new Int32Array(n);
    const inDegree = new Int32Array(n);
    for (let edge = 0; edge < this.edgeIds.length; edge++) {
      if (this.edgeIds[edge] === null) continue;
      outDegree[this.edgeFrom[edge]]++;
      inDegree[this.edgeTo[edge]]++;
    }
    const outEdges: number[][] = new Array<number[]>(n);
    const inEdges: number[][] = new Array<number[]>(n);
    for (let slot = 0; slot < n; slot++) {
      outEdges[slot] = new Array<number>(outDegree[slot]);
      inEdges[slot] = new Array<number>(inDegree[slot]);
    }
    outDegree.fill(0);
    inDegree.fill(0);
    for (let edge = 0; edge < this.edgeIds.length; edge++) {
      if (this.edgeIds[edge] === null) continue;
      const from = this.edgeFrom[edge];
      const to = this.edgeTo[edge];
      outEdges[from][outDegree[from]++] = edge;
      inEdges[to][inDegree[to]++] = edge;
    }
    this.outEdges = outEdges;
    this.inEdges = inEdges;
  }

  private intern(value: string): string {
    const known = this.interned.get(value);
    if (known !== undefined) return known;
    this.interned.set(value, value);
    return value;
  }

  /** Removes the CI and every relationship touching it. */
  removeCi(id: string): void {
    const slot = this.slotById.get(id);
    if (slot === undefined) return;
    for (const edge of [...this.outEdges[slot], ...this.inEdges[slot]]) this.removeEdgeSlot(edge);
    const ci = this.nodes[slot];
    if (ci && this.slotByKey.get(ci.key) === slot) this.slotByKey.delete(ci.key);
    this.unindexHosts(slot);
    this.nodes[slot] = null;
    this.slotById.delete(id);
    this.freeNodes.push(slot);
  }

  /** Adds (or, for a known id, replaces) a relationship; false when an endpoint is unknown. */
  addRelationship(edge: GraphEdgeInput): boolean {
    const from = this.slotById.get(edge.fromId);
    const to = this.slotById.get(edge.toId);
    if (from === undefined || to === undefined) return false;
    this.removeRelationship(edge.id);
    const slot = this.freeEdges.pop() ?? this.edgeIds.length;
    if (slot === this.edgeIds.length) {
      this.edgeIds.push(null);
      this.edgeFrom.push(0);
      this.edgeTo.push(0);
      this.edgeType.push(0);
    }
    this.edgeIds[slot] = edge.id;
    this.edgeFrom[slot] = from;
    this.edgeTo[slot] = to;
    this.edgeType[slot] = TYPES.indexOf(edge.type);
    this.outEdges[from].push(slot);
    this.inEdges[to].push(slot);
    this.edgeSlotById.set(edge.id, slot);
    return true;
  }

  removeRelationship(id: string): void {
    const slot = this.edgeSlotById.get(id);
    if (slot !== undefined) this.removeEdgeSlot(slot);
  }

  /** Ids of the relationships touching a CI (both directions). */
  relationshipIdsOf(id: string): string[] {
    const slot = this.slotById.get(id);
    if (slot === undefined) return [];
    return [...this.outEdges[slot], ...this.inEdges[slot]].map((edge) => this.edgeIds[edge] as string);
  }

  ciById(id: string): GraphCi | undefined {
    const slot = this.slotById.get(id);
    return slot === undefined ? undefined : (this.nodes[slot] ?? undefined);
  }

  ciByKey(key: string): GraphCi | undefined {
    const slot = this.slotByKey.get(key);
    return slot === undefined ? undefined : (this.nodes[slot] ?? undefined);
  }

  /** CIs whose key is `host`, or whose hostname / fqdn / ip / addresses contain it (case-insensitive). */
  findByHost(host: string): GraphCi[] {
    const found = this.byHost.get(host.trim().toLowerCase());
    const slots = new Set<number>(found === undefined ? [] : typeof found === 'number' ? [found] : found);
    const byKey = this.slotByKey.get(host);
    if (byKey !== undefined) slots.add(byKey);
    return [...slots].map((slot) => this.nodes[slot]).filter((ci): ci is GraphCi => ci !== null);
  }

  /** Every CI impacted when `id` fails, with its distance in hops; the CI itself excluded. */
  impacted(id: string, maxDepth = Infinity): Reached[] {
    return this.walk(id, 'impact', maxDepth);
  }

  /** Every CI whose failure impacts `id`: the reverse closure. */
  dependencies(id: string, maxDepth = Infinity): Reached[] {
    return this.walk(id, 'dependency', maxDepth);
  }

  neighbours(id: string): Neighbour[] {
    const slot = this.slotById.get(id);
    if (slot === undefined) return [];
    const out = this.outEdges[slot].map((edge) => this.neighbourOf(edge, this.edgeTo[edge], 'out'));
    const inn = this.inEdges[slot].map((edge) => this.neighbourOf(edge, this.edgeFrom[edge], 'in'));
    return [...out, ...inn];
  }

  /** Shortest path along which a failure of `fromId` reaches `toId`, or null when it does not. */
  pathBetween(fromId: string, toId: string): PathStep[] | null {
    const start = this.slotById.get(fromId);
    const goal = this.slotById.get(toId);
    if (start === undefined || goal === undefined) return null;
    if (start === goal) return [{ id: fromId, via: null }];
    const found = this.bfs(start, 'impact', Infinity, goal);
    if (!found) return null;
    const steps: PathStep[] = [];
    for (let slot = goal; slot !== start; ) {
      const edge = this.parentEdge[slot];
      steps.push({ id: (this.nodes[slot] as GraphCi).id, via: { relationshipId: this.edgeIds[edge] as string, type: TYPES[this.edgeType[edge]] } });
      slot = this.edgeFrom[edge] === slot ? this.edgeTo[edge] : this.edgeFrom[edge];
    }
    steps.push({ id: fromId, via: null });
    return steps.reverse();
  }

  /** The map's view: CIs within `depth` hops of `id` over every relationship, both ways, nearest first. */
  neighbourhood(id: string, depth: number, limit: number): Reached[] {
    return this.walk(id, 'any', depth, limit, true);
  }

  /** Up to `limit` CIs, for the map without a focus. */
  someCis(limit: number): GraphCi[] {
    const result: GraphCi[] = [];
    for (const ci of this.nodes) {
      if (result.length >= limit) break;
      if (ci) result.push(ci);
    }
    return result;
  }

  /** The relationships whose both ends are in `ids`. */
  relationshipsAmong(ids: Iterable<string>): GraphEdgeInput[] {
    const slots = new Set<number>();
    for (const id of ids) {
      const slot = this.slotById.get(id);
      if (slot !== undefined) slots.add(slot);
    }
    const edges: GraphEdgeInput[] = [];
    for (const slot of slots) {
      for (const edge of this.outEdges[slot]) {
        if (!slots.has(this.edgeTo[edge])) continue;
        edges.push({
          id: this.edgeIds[edge] as string, fromId: (this.nodes[slot] as GraphCi).id,
          toId: (this.nodes[this.edgeTo[edge]] as GraphCi).id, type: TYPES[this.edgeType[edge]],
        });
      }
    }
    return edges;
  }

  private neighbourOf(edge: number, other: number, direction: 'out' | 'in'): Neighbour {
    return { id: (this.nodes[other] as GraphCi).id, relationshipId: this.edgeIds[edge] as string, type: TYPES[this.edgeType[edge]], direction };
  }

  private walk(id: string, mode: 'impact' | 'dependency' | 'any', maxDepth: number, limit = Infinity, includeStart = false): Reached[] {
    const start = this.slotById.get(id);
    if (start === undefined) return [];
    const count = this.bfs(start, mode, maxDepth, NONE, limit) as number;
    const result: Reached[] = [];
    for (let i = includeStart ? 0 : 1; i < count; i++) {
      const slot = this.queue[i];
      result.push({ id: (this.nodes[slot] as GraphCi).id, distance: this.distance[slot] });
    }
    return result;
  }

  /** Breadth-first from `start`; leaves the visit order in `queue` and returns how many were reached (start included). */
  private bfs(start: number, mode: 'impact' | 'dependency' | 'any', maxDepth: number, goal: number, limit = Infinity): number | boolean {
    this.ensureCapacity();
    const stamp = ++this.generation;
    const { seen, distance, queue, parentEdge } = this;
    let head = 0;
    let tail = 0;
    seen[start] = stamp;
    distance[start] = 0;
    queue[tail++] = start;
    const visit = (next: number, edge: number, at: number): boolean => {
      if (seen[next] === stamp || tail >= limit) return false;
      seen[next] = stamp;
      distance[next] = at;
      parentEdge[next] = edge;
      queue[tail++] = next;
      return next === goal;
    };
    while (head < tail) {
      const slot = queue[head++];
      const at = distance[slot] + 1;
      if (at > maxDepth) continue;
      // Who fails with `slot` (impact), or whom `slot` fails with (dependency).
      for (const edge of this.inEdges[slot]) {
        const type = this.edgeType[edge];
        const follows = mode === 'any' || (mode === 'impact' ? type === DEPENDS_ON || type === RUNS_ON : type === PART_OF);
        if (follows && visit(this.edgeFrom[edge], edge, at)) return true;
      }
      for (const edge of this.outEdges[slot]) {
        const type = this.edgeType[edge];
        const follows = mode === 'any' || (mode === 'impact' ? type === PART_OF : type === DEPENDS_ON || type === RUNS_ON);
        if (follows && visit(this.edgeTo[edge], edge, at)) return true;
      }
    }
    return goal === NONE ? tail : false;
  }

  private ensureCapacity(): void {
    const needed = this.nodes.length + 1;
    if (this.seen.length >= needed) return;
    let size = this.seen.length;
    while (size < needed) size *= 2;
    this.seen = new Int32Array(size);
    this.distance = new Int32Array(size);
    this.parentEdge = new Int32Array(size);
    this.queue = new Int32Array(size);
    this.generation = 0;
  }

  private removeEdgeSlot(slot: number): void {
    const id = this.edgeIds[slot];
    if (id === null) return;
    remove(this.outEdges[this.edgeFrom[slot]], slot);
    remove(this.inEdges[this.edgeTo[slot]], slot);
    this.edgeIds[slot] = null;
    this.edgeSlotById.delete(id);
    this.freeEdges.push(slot);
  }

  private unindexHosts(slot: number): void {
    for (const host of this.hostsOf[slot] ?? []) {
      const found = this.byHost.get(host);
      if (found === slot) this.byHost.delete(host);
      else if (Array.isArray(found)) {
        remove(found, slot);
        if (found.length === 1) this.byHost.set(host, found[0]);
      }
    }
    this.hostsOf[slot] = null;
  }
}

function remove(list: number[], value: number): void {
  const index = list.indexOf(value);
  if (index >= 0) {
    list[index] = list[list.length - 1];
    list.pop();
  }
}
