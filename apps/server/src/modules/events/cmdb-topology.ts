import type { CmdbGraph, GraphCi } from '../cmdb/index.js';
import type { CiInfo, TopologyView } from './topology.js';

const info = (ci: GraphCi | undefined): CiInfo | null => (ci ? { id: ci.id, key: ci.key, name: ci.name, type: ci.type, teamId: ci.teamId } : null);

/** The CMDB module's in-memory graph seen through correlation's TopologyView. */
export function topologyFromCmdb(graph: CmdbGraph): TopologyView {
  return {
    ciById: (id) => info(graph.ciById(id)),
    ciByKey: (key) => info(graph.ciByKey(key)),
    // Several CIs may answer to one address (a VM and its host's old record): the first is
    // as good a guess as any, and `ci` labels remove the doubt.
    findByHost: (host) => info(graph.findByHost(host)[0]),
    impacted: (id) => graph.impacted(id),
    dependencies: (id) => graph.dependencies(id),
    pathBetween: (from, to) => graph.pathBetween(from, to)?.map((step) => step.id) ?? null,
    onChange: (listener) => void graph.onChange(() => listener()),
  };
}
