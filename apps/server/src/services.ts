import { createActivityService } from './modules/activity/index.js';
import { createCmdbServices } from './modules/cmdb/index.js';
import { createEventsServices, impactOf, inProcessPacing, threadPacing, topologyFromCmdb } from './modules/events/index.js';
import { createIdentityServices } from './modules/identity/index.js';
import { createIncidentsServices } from './modules/incidents/index.js';
import type { ModuleDeps } from './platform/module-deps.js';

export type Services = ReturnType<typeof createServices>;

/** Every module's services over one set of deps: the app's, or the alert pipeline thread's own (`onPipelineThread`). */
export function createServices(deps: ModuleDeps, { onPipelineThread = false } = {}) {
  const identity = createIdentityServices(deps);
  const activity = createActivityService(deps, identity);
  const cmdb = createCmdbServices(deps, identity);
  // Correlation reads the CMDB graph through a small view of its own (modules/events/topology.ts).
  const topology = topologyFromCmdb(cmdb.graph);
  const incidents = createIncidentsServices(deps, identity, { impact: (rootId) => impactOf(topology, rootId) });
  const events = createEventsServices(deps, identity, incidents, topology, {
    correlation: { autoResolve: deps.config.incidentAutoResolve, windowMs: deps.config.correlationWindowMinutes * 60_000 },
    // On SQLite the pipeline gets a thread (and connection) of its own; PostgreSQL does its writes in the database server.
    pipelineThread: !onPipelineThread && deps.config.pipelineThread && deps.database.kind === 'sqlite',
    pacing: onPipelineThread ? threadPacing : inProcessPacing,
  });
  return { identity, activity, cmdb, incidents, events };
}
