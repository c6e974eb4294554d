import type { ActivityRow } from '../../../platform/activity/activity-row.js';
import type { ModuleDeps } from '../../../platform/module-deps.js';
import { cmdbRepo, type RelationshipRow } from '../cmdb.repo.js';
import { isRelationshipType } from '../cmdb.types.js';
import { graphCiOf } from '../cmdb.presenter.js';
import { type GraphCi, type GraphCiInput, type GraphEdgeInput, GraphIndex, type Neighbour, type PathStep, type Reached } from './graph-index.js';

export type GraphMutation =
  | { kind: 'ci'; ci: GraphCiInput }
  | { kind: 'ci-removed'; id: string }
  | { kind: 'relationship'; edge: GraphEdgeInput }
  | { kind: 'relationship-removed'; id: string };

/** What changed in the graph: the CIs and relationships touched, or `reloaded` after a full load. */
export interface GraphChange {
  cis: string[];
  relationships: string[];
  reloaded: boolean;
  version: number;
}
export type GraphListener = (change: GraphChange) => void;

/** Rows per query when loading: bounded so the load never holds the whole tables at once. */
const LOAD_PAGE = 5000;
const CMDB_VERB = /^(ci\.|relationship\.|cmdb\.imported$)/;

function edgeOf(row: Pick<RelationshipRow, 'id' | 'from_id' | 'to_id' | 'type'>): GraphEdgeInput | null {
  return isRelationshipType(row.type) ? { id: row.id, fromId: row.from_id, toId: row.to_id, type: row.type } : null;
}

/**
 * The graph index kept in step with the database. Writes of this process are applied
 * right after their commit (`apply`, registered by the services before they record the
 * activity, so anyone reacting to the activity already sees the new graph). Writes of
 * other processes (PostgreSQL, several instances) arrive as activity records through the
 * bus: the rows they name are re-read, and an import of elsewhere reloads everything.
 * Re-reading current rows, rather than replaying deltas, makes late or repeated
 * notifications harmless. `version` counts applied changes.
 */
export function createCmdbGraph(deps: ModuleDeps) {
  const db = deps.database.db;
  let index = new GraphIndex();
  let version = 0;
  const listeners = new Set<GraphListener>();
  /** Activity ids this process wrote and already applied; their bus delivery is skipped. */
  const own = new Set<number>();
  let loading: Promise<void> | null = null;
  let loadAgain = false;
  const dirty = { cis: new Set<string>(), relationships: new Set<string>() };
  let refreshChain: Promise<void> = Promise.resolve();

  function emit(change: Omit<GraphChange, 'version'>): void {
    version++;
    for (const listener of listeners) {
      try {
        listener({ ...change, version });
      } catch {
        // A failing listener must not break the write that triggered it.
      }
    }
  }

  function apply(mutations: GraphMutation[]): void {
    if (mutations.length === 0) return;
    const cis: string[] = [];
    const relationships: string[] = [];
    for (const m of mutations) {
      if (m.kind === 'ci') {
        index.upsertCi(m.ci);
        cis.push(m.ci.id);
      } else if (m.kind === 'ci-removed') {
        index.removeCi(m.id);
        cis.push(m.id);
      } else if (m.kind === 'relationship') {
        index.addRelationship(m.edge);
        relationships.push(m.edge.id);
      } else {
        index.removeRelationship(m.id);
        relationships.push(m.id);
      }
    }
    if (loading) {
      // The load in flight may have read the tables before this commit: re-read these rows after it.
      for (const id of cis) dirty.cis.add(id);
      for (const id of relationships) dirty.relationships.add(id);
    }
    emit({ cis, relationships, reloaded: false });
  }

  async function loadAll(): Promise<void> {
    const fresh = new GraphIndex();
    for (let after = ''; ; ) {
      const page = await cmdbRepo.pageCisForGraph(db, after, LOAD_PAGE);
      for (const row of page) fresh.upsertCi(graphCiOf(row));
      if (page.length < LOAD_PAGE) break;
      after = page[page.length - 1].id;
    }
    for (let after = ''; ; ) {
      const page = await cmdbRepo.pageRelationships(db, after, LOAD_PAGE);
      for (const row of page) {
        const edge = edgeOf(row);
        // An edge whose CI committed after that CI's page was read: re-read it after the load.
        if (edge && !fresh.bulkAddRelationship(edge)) dirty.relationships.add(row.id);
      }
      if (page.length < LOAD_PAGE) break;
      after = page[page.length - 1].id;
    }
    fresh.finishBulkLoad();
    index = fresh;
  }

  function reload(): Promise<void> {
    if (loading) {
      loadAgain = true;
      return loading;
    }
    loading = (async () => {
      try {
        do {
          loadAgain = false;
          await loadAll();
        } while (loadAgain);
      } finally {
        loading = null;
      }
      const cis = [...dirty.cis];
      const relationships = [...dirty.relationships];
      dirty.cis.clear();
      dirty.relationships.clear();
      emit({ cis: [], relationships: [], reloaded: true });
      if (cis.length > 0 || relationships.length > 0) await refresh(cis, relationships);
    })();
    return loading;
  }

  /** Re-reads the named rows and makes the index match them (missing rows are removed). */
  async function refreshNow(ciIds: string[], relationshipIds: string[]): Promise<void> {
    const mutations: GraphMutation[] = [];
    if (ciIds.length > 0) {
      const rows = await cmdbRepo.findCisByIds(db, ciIds);
      const found = new Set(rows.map((row) => row.id));
      for (const id of ciIds) if (!found.has(id)) mutations.push({ kind: 'ci-removed', id });
      for (const row of rows) mutations.push({ kind: 'ci', ci: graphCiOf(row) });
      const edges = await cmdbRepo.relationshipsTouching(db, [...found]);
      const current = new Set(edges.map((edge) => edge.id));
      for (const id of found) for (const relId of index.relationshipIdsOf(id)) if (!current.has(relId)) mutations.push({ kind: 'relationship-removed', id: relId });
      for (const row of edges) {
        const edge = edgeOf(row);
        if (edge) mutations.push({ kind: 'relationship', edge });
      }
    }
    if (relationshipIds.length > 0) {
      const rows = await cmdbRepo.relationshipsByIds(db, relationshipIds);
      const found = new Set(rows.map((row) => row.id));
      for (const id of relationshipIds) if (!found.has(id)) mutations.push({ kind: 'relationship-removed', id });
      for (const row of rows) {
        const edge = edgeOf(row);
        if (edge) mutations.push({ kind: 'relationship', edge });
      }
    }
    apply(mutations);
  }

  function refresh(ciIds: string[], relationshipIds: string[]): Promise<void> {
    refreshChain = refreshChain.then(() => refreshNow(ciIds, relationshipIds)).catch(() => undefined);
    return refreshChain;
  }

  function onActivity(row: ActivityRow): void {
    if (!CMDB_VERB.test(row.verb)) return;
    if (own.delete(row.id)) return;
    if (row.verb === 'cmdb.imported') void reload();
    else if (row.subject_type === 'ci') void refresh([row.subject_id], []);
    else if (row.subject_type === 'relationship') void refresh([], [row.subject_id]);
  }
  const unsubscribe = deps.bus.subscribe(onActivity);
  const initialLoad = reload();
  initialLoad.catch(() => undefined);

  return {
    /** Resolves once the graph has been loaded from the database. */
    ready: (): Promise<void> => initialLoad,
    /** Loads everything again (after a restore, or to recover from doubt). */
    reload,
    get version(): number {
      return version;
    },
    /** Marks an activity record as written (and applied) by this process. */
    noteOwnActivity(activityId: number): void {
      own.add(activityId);
      // A rolled-back write leaves its id here; ids never repeat, so only the size needs a bound.
      if (own.size > 100_000) own.clear();
    },
    apply,
    /** Waits for pending re-reads triggered by other processes' writes (tests). */
    settled: (): Promise<void> => Promise.all([loading ?? Promise.resolve(), refreshChain]).then(() => undefined),
    stop: unsubscribe,

    impacted: (ciId: string, maxDepth?: number): Reached[] => index.impacted(ciId, maxDepth),
    dependencies: (ciId: string, maxDepth?: number): Reached[] => index.dependencies(ciId, maxDepth),
    neighbours: (ciId: string): Neighbour[] => index.neighbours(ciId),
    ciById: (id: string): GraphCi | undefined => index.ciById(id),
    ciByKey: (key: string): GraphCi | undefined => index.ciByKey(key),
    findByHost: (hostOrAddress: string): GraphCi[] => index.findByHost(hostOrAddress),
    pathBetween: (fromId: string, toId: string): PathStep[] | null => index.pathBetween(fromId, toId),
    neighbourhood: (ciId: string, depth: number, limit: number): Reached[] => index.neighbourhood(ciId, depth, limit),
    someCis: (limit: number): GraphCi[] => index.someCis(limit),
    relationshipsAmong: (ids: Iterable<string>): GraphEdgeInput[] => index.relationshipsAmong(ids),
    stats: () => ({ cis: index.ciCount, relationships: index.relationshipCount, version }),
    onChange(listener: GraphListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type CmdbGraph = ReturnType<typeof createCmdbGraph>;
export type { GraphCi, GraphEdgeInput, Neighbour, PathStep, Reached };
