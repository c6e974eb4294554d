import type { GraphResult, HistoryEntry, ImpactResult } from '@opsloom/api';
import { invalid, notFound } from '../../platform/errors.js';
import type { ModuleDeps } from '../../platform/module-deps.js';
import type { IdentityServices } from '../identity/index.js';
import { ciSummaryOf, presentHistory } from './cmdb.presenter.js';
import { cmdbRepo } from './cmdb.repo.js';
import { asStatus } from './cmdb.types.js';
import type { CmdbGraph, GraphCi, Reached } from './graph/cmdb-graph.js';
import { loadTeams } from './teams-lookup.js';

function parseHistoryCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  if (!/^\d{1,15}$/.test(cursor)) throw invalid('query.cursor', 'not a cursor this server issued');
  return Number(cursor);
}

/** Read-side of the CMDB that stands on the graph index: impact, dependencies, the map, change trails, history. */
export function createCmdbQueries(deps: ModuleDeps, identity: IdentityServices, graph: CmdbGraph) {
  const db = deps.database.db;

  /** Resolves an id or key through the index first (no database round trip on the hot path). */
  async function resolve(idOrKey: string): Promise<GraphCi> {
    const hit = graph.ciById(idOrKey.toLowerCase()) ?? graph.ciByKey(idOrKey);
    if (hit) return hit;
    const row = await cmdbRepo.findCi(db, idOrKey);
    const fromIndex = row ? graph.ciById(row.id) : undefined;
    if (!fromIndex) throw notFound('CI', idOrKey);
    return fromIndex;
  }

  function closure(ci: GraphCi, reached: Reached[]): ImpactResult {
    const impacted: ImpactResult['impacted'] = [];
    const services: ImpactResult['services'] = [];
    for (const { id, distance } of reached) {
      const other = graph.ciById(id);
      if (!other) continue;
      impacted.push({ id, key: other.key, type: other.type, name: other.name, distance });
      if (other.type === 'service') services.push({ id, key: other.key, name: other.name });
    }
    return { ci: ciSummaryOf(ci), impacted, services };
  }

  return {
    resolve,

    async impact(idOrKey: string): Promise<ImpactResult> {
      const ci = await resolve(idOrKey);
      return closure(ci, graph.impacted(ci.id));
    },

    async dependencies(idOrKey: string): Promise<ImpactResult> {
      const ci = await resolve(idOrKey);
      return closure(ci, graph.dependencies(ci.id));
    },

    async history(idOrKey: string, query: { limit: number; cursor?: string }): Promise<{ items: HistoryEntry[]; nextCursor: string | null }> {
      // A deleted CI keeps its history: fall back to the id when the CI is gone.
      const row = await cmdbRepo.findCi(db, idOrKey);
      if (!row && !/^[0-9a-f-]{36}$/i.test(idOrKey)) throw notFound('CI', idOrKey);
      const rows = await cmdbRepo.historyOf(db, row?.id ?? idOrKey.toLowerCase(), { beforeId: parseHistoryCursor(query.cursor), limit: query.limit + 1 });
      if (!row && rows.length === 0) throw notFound('CI', idOrKey);
      const items = rows.slice(0, query.limit).map(presentHistory);
      return { items, nextCursor: rows.length > query.limit ? items[items.length - 1].id : null };
    },

    /** The change trail: this CI and everything it depends on within `depth` hops. */
    async changes(idOrKey: string, query: { depth: number; since?: string; limit: number }): Promise<{ items: HistoryEntry[] }> {
      const ci = await resolve(idOrKey);
      const ids = [ci.id, ...graph.dependencies(ci.id, query.depth).map((reached) => reached.id)].slice(0, 20_000);
      const rows = await cmdbRepo.historyOfMany(db, ids, { sinceAt: query.since ? Date.parse(query.since) : undefined, limit: query.limit });
      return { items: rows.map(presentHistory) };
    },

    async map(query: { focus?: string; depth: number; limit: number }): Promise<GraphResult> {
      const teams = await loadTeams(identity);
      let cis: GraphCi[];
      let truncated: boolean;
      if (query.focus) {
        const ci = await resolve(query.focus);
        const reached = graph.neighbourhood(ci.id, query.depth, query.limit + 1);
        truncated = reached.length > query.limit;
        cis = reached.slice(0, query.limit).flatMap((r) => graph.ciById(r.id) ?? []);
      } else {
        cis = graph.someCis(query.limit + 1);
        truncated = cis.length > query.limit;
        cis = cis.slice(0, query.limit);
      }
      return {
        nodes: cis.map((ci) => ({
          id: ci.id, key: ci.key, type: ci.type, name: ci.name, team: ci.teamId ? (teams.byId.get(ci.teamId)?.slug ?? null) : null,
          status: asStatus(ci.status), criticality: ci.criticality,
        })),
        edges: graph.relationshipsAmong(cis.map((ci) => ci.id)).map((edge) => ({ id: edge.id, from: edge.fromId, to: edge.toId, type: edge.type })),
        truncated,
      };
    },
  };
}

export type CmdbQueries = ReturnType<typeof createCmdbQueries>;
