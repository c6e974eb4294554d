import type { FastifyBaseLogger } from 'fastify';
import type { ModuleDeps } from '../../platform/module-deps.js';
import type { IdentityServices } from '../identity/index.js';
import type { IncidentsService } from '../incidents/index.js';
import { createAlertsService } from './alerts.service.js';
import { type CorrelationOptions, defaultCorrelationOptions } from './correlation-state.js';
import { createIntakeService } from './intake.service.js';
import { DEFAULT_MAX_BACKLOG, IntakeLog } from './intake-log.js';
import { createIntegrationsService } from './integrations.service.js';
import { AlertPipeline } from './pipeline.js';
import { PipelineLeadership } from './pipeline-leader.js';
import type { TopologyView } from './topology.js';

export { registerEventsRoutes } from './events.routes.js';
export { topologyFromCmdb } from './cmdb-topology.js';
export { emptyTopology, impactOf, MemoryTopology, SwitchableTopology, type CiInfo, type TopologyView } from './topology.js';

export interface EventsOptions {
  correlation?: Partial<CorrelationOptions>;
  maxBacklog?: number;
}

/** Events: integrations, intake (three wire formats), the durable log and the alert pipeline. */
export function createEventsServices(deps: ModuleDeps, identity: IdentityServices, incidents: IncidentsService, topology: TopologyView, options: EventsOptions = {}) {
  let pipeline: AlertPipeline | null = null;
  const log = new IntakeLog(deps, () => pipeline?.wake(), options.maxBacklog ?? DEFAULT_MAX_BACKLOG);
  let leadership: PipelineLeadership | null = null;
  const correlation = { ...defaultCorrelationOptions, ...options.correlation };

  return {
    integrations: createIntegrationsService(deps, identity),
    intake: createIntakeService(deps, log),
    alerts: createAlertsService(deps, identity, incidents),
    log,
    get pipeline(): AlertPipeline | null {
      return pipeline;
    },

    /** Starts the pipeline here (SQLite), or when this instance wins the PostgreSQL advisory lock. */
    async start(logger: FastifyBaseLogger): Promise<void> {
      const run = async () => {
        const candidate = new AlertPipeline(deps, incidents, topology, log, correlation, logger);
        // Followers' batches reach the leader only through the log, so PostgreSQL polls faster.
        await candidate.start(deps.database.kind === 'postgres' ? 200 : 1000);
        pipeline = candidate;
      };
      if (deps.database.postgresUrl) {
        leadership = new PipelineLeadership(deps.database.postgresUrl, run);
        await leadership.start();
      } else await run();
    },

    async stop(): Promise<void> {
      await pipeline?.stop();
      await leadership?.stop();
    },

    /** Waits until every accepted batch is processed (tests, bench). */
    async drained(): Promise<void> {
      await pipeline?.drained();
    },
  };
}

export type EventsServices = ReturnType<typeof createEventsServices>;
