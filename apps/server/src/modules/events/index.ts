import type { FastifyBaseLogger } from 'fastify';
import type { IncidentDetail } from '@opsloom/api';
import type { Actor } from '../../platform/activity/activity-spine.js';
import { AppError, conflict } from '../../platform/errors.js';
import type { ModuleDeps } from '../../platform/module-deps.js';
import type { IdentityServices } from '../identity/index.js';
import type { IncidentsService } from '../incidents/index.js';
import { AlertRetention } from './alert-retention.js';
import { createAlertsService } from './alerts.service.js';
import { type CorrelationOptions, defaultCorrelationOptions } from './correlation-state.js';
import { createEventsMetrics } from './events.metrics.js';
import { createIntakeService } from './intake.service.js';
import { InFlightBodies } from './in-flight-bodies.js';
import { DEFAULT_MAX_BACKLOG, IntakeAdmission } from './intake-admission.js';
import { IntakeLog } from './intake-log.js';
import { createIntegrationsService } from './integrations.service.js';
import { LogRetention } from './log-retention.js';
import { AlertPipeline } from './pipeline.js';
import { PipelineLeadership } from './pipeline-leader.js';
import type { TopologyView } from './topology.js';

export { registerEventsRoutes } from './events.routes.js';
export { topologyFromCmdb } from './cmdb-topology.js';
export { emptyTopology, impactOf, MemoryTopology, SwitchableTopology, type CiInfo, type TopologyView } from './topology.js';

// How long a hand resolution waits for the pipeline before answering 503 (it stays queued).
const RESOLVE_WAIT_MS = 10_000;
// Where another instance runs the pipeline, how often this one reads how far it got.
const WATERMARK_POLL_MS = 200;

export interface EventsOptions {
  correlation?: Partial<CorrelationOptions>;
  maxBacklog?: number;
  /** How far behind intake the pipeline may fall before new batches are held (0: no limit; OPSLOOM_INTAKE_MAX_LAG_MS); intake-admission.ts. */
  maxLagMs: number;
  /** Days processed intake-log batches are kept (0: forever; OPSLOOM_INTAKE_LOG_RETENTION_DAYS); log-retention.ts. */
  logRetentionDays: number;
  /** Days resolved alerts are kept after they were last seen (0: forever; OPSLOOM_ALERT_RETENTION_DAYS); alert-retention.ts. */
  alertRetentionDays: number;
}

/** Events: integrations, intake (three wire formats), the durable log and the alert pipeline. */
export function createEventsServices(deps: ModuleDeps, identity: IdentityServices, incidents: IncidentsService, topology: TopologyView, options: EventsOptions) {
  let pipeline: AlertPipeline | null = null;
  const metrics = createEventsMetrics(deps.metrics, {
    backlog: () => log.backlog,
    lagSeconds: () => log.admission.lagMs() / 1000,
    pipeline: () => pipeline?.state() ?? null,
  });
  const admission = new IntakeAdmission(options.maxLagMs, metrics, options.maxBacklog ?? DEFAULT_MAX_BACKLOG);
  const log = new IntakeLog(deps, () => pipeline?.wake(), admission, metrics);
  let leadership: PipelineLeadership | null = null;
  let watermarkPoll: NodeJS.Timeout | null = null;
  const correlation = { ...defaultCorrelationOptions, ...options.correlation };
  // An incident spans at least one window, however wide the window is configured.
  correlation.maxSpanMs = Math.max(correlation.maxSpanMs, correlation.windowMs);

  const integrations = createIntegrationsService(deps, identity);

  return {
    integrations,
    intake: createIntakeService(deps, log, metrics, integrations.recordError),
    alerts: createAlertsService(deps, identity, incidents),
    log,
    metrics,
    inFlight: new InFlightBodies(),
    get pipeline(): AlertPipeline | null {
      return pipeline;
    },

    /** Starts the pipeline here (SQLite), or when this instance wins the PostgreSQL advisory lock. */
    async start(logger: FastifyBaseLogger): Promise<void> {
      const run = async () => {
        const retention = { log: new LogRetention(deps, options.logRetentionDays), alerts: new AlertRetention(deps, incidents, options.alertRetentionDays) };
        const candidate = new AlertPipeline(deps, incidents, topology, log, correlation, logger, metrics, retention);
        // Followers' batches reach the leader only through the log, so PostgreSQL polls faster.
        await candidate.start(deps.database.kind === 'postgres' ? 200 : 1000);
        pipeline = candidate;
      };
      if (deps.database.postgresUrl) {
        leadership = new PipelineLeadership(deps.database.postgresUrl, run);
        await leadership.start();
        // Until this instance leads, its batches are processed elsewhere: follow the stored watermark.
        watermarkPoll = setInterval(() => {
          if (!pipeline && admission.waiting) void log.followStoredWatermark();
        }, WATERMARK_POLL_MS).unref();
      } else await run();
    },

    async stop(): Promise<void> {
      if (watermarkPoll) clearInterval(watermarkPoll);
      await pipeline?.stop();
      await leadership?.stop();
    },

    /**
     * Resolves an incident by hand, through the pipeline (pipeline-commands.ts), and answers
     * once applied: here when this instance runs the pipeline, else as seen in storage.
     */
    async resolveIncident(actor: Actor, incidentId: string, note: string | undefined): Promise<IncidentDetail> {
      const row = await incidents.require(incidentId);
      if (row.merged_into) throw conflict(`incident #${row.number} was merged into another incident; resolve that one`, { mergedInto: row.merged_into });
      if (row.status === 'resolved') return incidents.get(incidentId);
      const logId = await log.appendCommand({ kind: 'resolve_incident', incidentId, actor, note: note || null, at: Date.now() });
      const deadline = Date.now() + RESOLVE_WAIT_MS;
      if (pipeline) await pipeline.processedThrough(logId, RESOLVE_WAIT_MS);
      else while ((await incidents.require(incidentId)).status === 'open' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      const detail = await incidents.get(incidentId);
      if (detail.status !== 'resolved') throw new AppError('unavailable', 'the resolution is queued, but the alert pipeline has not applied it yet; it will when it catches up', { logId });
      return detail;
    },

    /** Waits until every accepted batch is processed (tests, bench). */
    async drained(): Promise<void> {
      await pipeline?.drained();
    },
  };
}

export type EventsServices = ReturnType<typeof createEventsServices>;
