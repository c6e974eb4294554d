import type { ModuleDeps } from '../../platform/module-deps.js';
import type { IdentityServices } from '../identity/index.js';
import { createCisService } from './cis.service.js';
import { createExporter } from './export.service.js';
import { createCmdbGraph } from './graph/cmdb-graph.js';
import { createImporter } from './import.service.js';
import { createCmdbQueries } from './queries.service.js';
import { createRelationshipsService } from './relationships.service.js';

export { registerCmdbRoutes } from './cmdb.routes.js';
export { seedDemoInfrastructure } from './demo-infrastructure.js';
export type { CmdbGraph, GraphChange, GraphListener, GraphCi, Neighbour, PathStep, Reached } from './graph/cmdb-graph.js';

/**
 * CMDB: configuration items, relationships, their history, import/export and the graph
 * index behind impact analysis. Other modules use `graph` (in-memory, synchronous) and the
 * services; never the tables. Call `await cmdb.graph.ready()` before serving.
 */
export function createCmdbServices(deps: ModuleDeps, identity: IdentityServices) {
  const graph = createCmdbGraph(deps);
  return {
    graph,
    cis: createCisService(deps, identity, graph),
    relationships: createRelationshipsService(deps, graph),
    importer: createImporter(deps, identity, graph),
    exporter: createExporter(deps, identity),
    queries: createCmdbQueries(deps, identity, graph),
  };
}

export type CmdbServices = ReturnType<typeof createCmdbServices>;
