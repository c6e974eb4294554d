import { randomBytes } from 'node:crypto';
import { type alertmanagerWebhookBody, type genericEventsBody, pagerDutyEvent } from '@opsloom/api';
import type { z } from 'zod';
import { AppError, unauthenticated } from '../../platform/errors.js';
import type { ModuleDeps } from '../../platform/module-deps.js';
import type { EventsMetrics, IntakeFormat } from './events.metrics.js';
import { eventsRepo, type IntegrationRow } from './events.repo.js';
import type { IntakeLog } from './intake-log.js';
import type { NormalizedAlert } from './normalized.js';
import { fromAlertmanager, fromGeneric, fromPagerDuty, IntakeProblems } from './wire-formats.js';

/** A PagerDuty-shaped answer: PagerDuty clients read `status`, `message`, `dedup_key` and `errors`. */
export interface PagerDutyReply {
  httpStatus: 202 | 400 | 429;
  body: { status: string; message: string; dedup_key?: string; errors?: string[] };
}

/** PagerDuty's answer to a sender it throttles (429, with `Retry-After`). */
export const pagerDutyThrottled = { status: 'throttle event', message: 'Requests for this service are arriving too quickly. Please retry later.' };

const bearer = (header: string | undefined) => /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1] ?? null;

function rejectBatch(problems: IntakeProblems): never {
  const issues = problems.problems.map((p) => ({ path: p.slice(0, p.indexOf(':')), message: p.slice(p.indexOf(':') + 2) }));
  const extra = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  throw new AppError('validation_failed', `${problems.problems[0]}${extra}; nothing of the batch was accepted`, { issues });
}

/**
 * Turns the three wire formats into normalised alerts, rejects a batch whole when any
 * part is invalid, and answers only after the intake log holds it durably.
 */
export function createIntakeService(deps: ModuleDeps, log: IntakeLog, metrics: EventsMetrics, recordError: (integrationId: string, message: string) => Promise<unknown>) {
  const db = deps.database.db;
  const keys = new Map<string, { row: IntegrationRow; at: number }>();

  /** Routing keys are looked up per request; a short cache keeps that off the hot path. */
  async function integrationByKey(key: string | null): Promise<IntegrationRow | null> {
    if (!key) return null;
    const cached = keys.get(key);
    if (cached && Date.now() - cached.at < 5000) return cached.row;
    const row = (await eventsRepo.findIntegrationByKey(db, key)) ?? null;
    if (row) keys.set(key, { row, at: Date.now() });
    else keys.delete(key);
    return row;
  }

  async function requireIntegration(authorization: string | undefined, kinds: string[]): Promise<IntegrationRow> {
    const row = await integrationByKey(bearer(authorization));
    if (!row || !kinds.includes(row.kind)) throw unauthenticated(`authorization: send "Bearer <routing key>" of a ${kinds.join(' or ')} integration`);
    return row;
  }

  /** Logs a valid batch durably and counts it (rejections are counted where they are answered). */
  async function accept(format: IntakeFormat, integrationId: string, alerts: NormalizedAlert[], arrival: number): Promise<number> {
    const logId = await log.append(integrationId, alerts, arrival);
    metrics.accepted(format, alerts);
    return logId;
  }

  return {
    integrationByKey,
    forget: (key: string) => keys.delete(key),

    async alertmanager(authorization: string | undefined, body: z.output<typeof alertmanagerWebhookBody>) {
      const integration = await requireIntegration(authorization, ['alertmanager', 'generic']);
      const arrival = Date.now();
      const problems = new IntakeProblems();
      const alerts = fromAlertmanager(body, arrival, problems);
      if (!problems.ok) rejectBatch(problems);
      const batch = await accept('alertmanager', integration.id, alerts, arrival);
      return { status: 'success' as const, accepted: alerts.length, batch };
    },

    async generic(authorization: string | undefined, body: z.output<typeof genericEventsBody>) {
      const integration = await requireIntegration(authorization, ['generic', 'alertmanager', 'pagerduty-v2']);
      const arrival = Date.now();
      const problems = new IntakeProblems();
      const alerts = fromGeneric(body, arrival, problems);
      if (!problems.ok) rejectBatch(problems);
      const batch = await accept('generic', integration.id, alerts, arrival);
      return { status: 'success' as const, accepted: alerts.length, batch };
    },

    async pagerDuty(raw: unknown): Promise<PagerDutyReply> {
      /** `from`: the integration, once the routing key named one; it remembers the error. */
      const invalid = async (errors: string[], from: IntegrationRow | null = null): Promise<PagerDutyReply> => {
        metrics.rejected('pagerduty', 'invalid');
        if (from) await recordError(from.id, `400: ${errors.join('; ')}`);
        return { httpStatus: 400, body: { status: 'invalid event', message: 'Event object is invalid', errors } };
      };
      const parsed = pagerDutyEvent.safeParse(raw);
      if (!parsed.success) {
        // An event invalid elsewhere may still name its integration, whose page should show why.
        const named = typeof raw === 'object' && raw !== null && 'routing_key' in raw && typeof raw.routing_key === 'string' ? raw.routing_key : null;
        return invalid(parsed.error.issues.slice(0, 10).map((issue) => `${issue.path.join('.') || 'event'}: ${issue.message}`), await integrationByKey(named));
      }
      const event = parsed.data;
      const integration = await integrationByKey(event.routing_key);
      if (!integration) return invalid(['routing_key: no integration has this routing key']);
      if (event.event_action === 'trigger' && !event.payload) return invalid(["payload: required for 'trigger'"], integration);
      if (event.event_action !== 'trigger' && !event.dedup_key) return invalid([`dedup_key: required for '${event.event_action}'`], integration);
      const dedupKey = event.dedup_key ?? randomBytes(16).toString('hex');
      const arrival = Date.now();
      const problems = new IntakeProblems();
      const alert = fromPagerDuty(event, dedupKey, arrival, problems);
      if (!problems.ok) return invalid(problems.problems, integration);
      try {
        await accept('pagerduty', integration.id, [alert], arrival);
      } catch (error) {
        if (error instanceof AppError && error.code === 'rate_limited') {
          metrics.rejected('pagerduty', 'overloaded');
          return { httpStatus: 429, body: pagerDutyThrottled };
        }
        throw error;
      }
      return { httpStatus: 202, body: { status: 'success', message: 'Event processed', dedup_key: dedupKey } };
    },
  };
}

export type IntakeService = ReturnType<typeof createIntakeService>;
