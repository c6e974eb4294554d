import { z } from 'zod';
import { id, timestamp } from '../common.js';
import { teamRef } from '../identity/identity.schemas.js';

/** Opsloom's alert severities, most to least severe. Every source is mapped onto these. */
export const alertSeverities = ['critical', 'major', 'minor', 'warning', 'info'] as const;
export const alertSeverity = z.enum(alertSeverities).describe('critical, major, minor, warning or info');
export type AlertSeverity = z.infer<typeof alertSeverity>;

export const integrationKinds = ['pagerduty-v2', 'alertmanager', 'generic'] as const;
export const integrationKind = z.enum(integrationKinds).describe('Which wire format the integration receives');

/** Documented intake limits; the same numbers are enforced by the server (docs/adr/0005). */
export const intakeLimits = {
  maxAlertsPerBatch: 1000,
  maxBodyBytes: 5 * 1024 * 1024,
  maxLabels: 64,
  maxLabelNameLength: 128,
  maxLabelValueLength: 1024,
  maxSummaryLength: 1024,
  /** An alert's source: PagerDuty `payload.source`, generic `source`, Alertmanager's `job` label (cut to it). */
  maxSourceLength: 255,
  maxPastMs: 365 * 24 * 3600 * 1000,
  maxFutureMs: 24 * 3600 * 1000,
} as const;

export const createIntegrationBody = z
  .strictObject({
    kind: integrationKind,
    name: z.string().trim().min(1).max(100).describe('Display name, e.g. `prometheus-eu`'),
    team: z.string().max(100).optional().describe('Owning team (id or slug); incidents fall back to it when no CI owner is known'),
  })
  .meta({ id: 'CreateIntegration' });

export const integrationEvent = z
  .object({
    receivedAt: timestamp,
    alertCount: z.number().int().describe('Alerts in the accepted batch'),
    sample: z.string().describe('Summary of the first alert of the batch'),
  })
  .meta({ id: 'IntegrationEvent' });

export const integration = z
  .object({
    id,
    kind: integrationKind,
    name: z.string(),
    team: teamRef.nullable(),
    routingKey: z.string().describe('Secret: the PagerDuty `routing_key`, or the bearer token of the Alertmanager webhook and generic events'),
    url: z.string().describe('Where the monitoring tool posts'),
    eventCount: z.number().int().describe('Alerts accepted so far'),
    errorCount: z.number().int().describe('Requests rejected as invalid so far'),
    lastError: z
      .object({ at: timestamp, message: z.string().describe('What the request was answered, e.g. `400: body.alerts.0.startsAt: more than one day in the future; …`') })
      .nullable()
      .describe('The most recent rejected request, null when none'),
    lastEventAt: timestamp.nullable(),
    createdAt: timestamp,
  })
  .meta({ id: 'Integration' });
export type Integration = z.infer<typeof integration>;

export const integrationDetail = integration
  .extend({
    configSnippet: z.string().describe('Copy-paste configuration for the sending tool (Alertmanager YAML or a curl line)'),
    lastEvents: z.array(integrationEvent).describe('The most recent accepted batches, newest first'),
  })
  .meta({ id: 'IntegrationDetail' });

export const integrationParams = z.object({ id });

const labelMap = z.record(z.string(), z.string());

/** Alertmanager webhook payload (version 4). Unknown fields are tolerated: newer Alertmanagers add some. */
export const alertmanagerAlert = z.looseObject({
  status: z.enum(['firing', 'resolved']),
  labels: labelMap,
  annotations: labelMap.optional(),
  startsAt: z.string().describe('RFC 3339 event time'),
  endsAt: z.string().optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().max(200).optional(),
});
export const alertmanagerWebhookBody = z
  .looseObject({
    version: z.string().optional(),
    status: z.enum(['firing', 'resolved']).optional(),
    receiver: z.string().optional(),
    groupKey: z.string().optional(),
    alerts: z.array(alertmanagerAlert).min(1).max(intakeLimits.maxAlertsPerBatch),
  })
  .meta({ id: 'AlertmanagerWebhook' });

export const intakeAccepted = z
  .object({
    status: z.literal('success'),
    accepted: z.number().int().describe('Alerts written to the intake log'),
    batch: z.number().int().describe('Intake log position of the batch'),
  })
  .meta({ id: 'IntakeAccepted' });

/** PagerDuty Events API v2 event, validated by the server with PagerDuty-style errors. */
export const pagerDutyEvent = z
  .looseObject({
    routing_key: z.string().min(1).max(200),
    event_action: z.enum(['trigger', 'acknowledge', 'resolve']),
    dedup_key: z.string().max(255).optional(),
    payload: z
      .looseObject({
        summary: z.string().min(1).max(intakeLimits.maxSummaryLength),
        source: z.string().min(1).max(intakeLimits.maxSourceLength),
        severity: z.enum(['critical', 'error', 'warning', 'info']),
        timestamp: z.string().optional(),
        component: z.string().max(255).optional(),
        group: z.string().max(255).optional(),
        class: z.string().max(255).optional(),
        custom_details: z.unknown().optional(),
      })
      .optional(),
  })
  .meta({ id: 'PagerDutyEvent' });

export const pagerDutyAnswer = z
  .object({
    status: z.string().describe('`success`, or `invalid event` on 400'),
    message: z.string(),
    dedup_key: z.string().optional(),
    errors: z.array(z.string()).optional(),
  })
  .meta({ id: 'PagerDutyAnswer' });

export const genericEvent = z
  .strictObject({
    source: z.string().trim().min(1).max(intakeLimits.maxSourceLength).describe('What sent it, e.g. `nagios`'),
    fingerprint: z.string().min(1).max(200).optional().describe('Dedup key; default: a hash of source, CI and summary'),
    ci: z.string().min(1).max(255).optional().describe('CI key or host name'),
    summary: z.string().trim().min(1).max(intakeLimits.maxSummaryLength),
    severity: alertSeverity,
    status: z.enum(['firing', 'resolved']),
    labels: labelMap.optional(),
    occurredAt: timestamp.optional().describe('Event time; arrival time when absent'),
  })
  .meta({ id: 'GenericEvent' });
/** One event or an array of them; a single event is a batch of one (errors name `body.0.<field>`). */
export const genericEventsBody = z.preprocess(
  (value: unknown): unknown[] => (Array.isArray(value) ? (value as unknown[]) : [value]),
  z.array(genericEvent).min(1).max(intakeLimits.maxAlertsPerBatch),
).meta({ id: 'GenericEvents', description: 'A generic event, or an array of up to 1,000' });

export const alertReason = z
  .object({
    rule: z
      .enum(['opened', 'same_fingerprint', 'same_ci', 'explained_by_root', 'upstream_of_root', 'common_upstream', 'shared_labels', 'merged'])
      .describe('Which correlation rule placed the alert'),
    text: z.string().describe('One readable sentence'),
    path: z.array(z.string()).describe('CI keys on the dependency path between the alert and the root cause'),
    relatedCi: z.string().nullable(),
    gapSeconds: z.number().describe('Event-time distance to the incident’s previous alert'),
  })
  .meta({ id: 'AlertReason' });
export type AlertReason = z.infer<typeof alertReason>;

export const alert = z
  .object({
    id,
    fingerprint: z.string().describe('Dedup key within the integration'),
    integration: z.object({ id, name: z.string(), kind: integrationKind }),
    status: z.enum(['firing', 'resolved']),
    severity: alertSeverity,
    summary: z.string(),
    ci: z.object({ id: z.string(), key: z.string() }).nullable().describe('null when unmapped'),
    team: teamRef.nullable(),
    labels: labelMap,
    incident: z.object({ id, number: z.number().int() }).nullable(),
    reason: alertReason.nullable(),
    count: z.number().int().describe('Deliveries folded into this alert'),
    startsAt: timestamp,
    endsAt: timestamp.nullable(),
    firstSeenAt: timestamp,
    lastSeenAt: timestamp,
  })
  .meta({ id: 'Alert' });
export type Alert = z.infer<typeof alert>;

export const noiseRow = z.object({
  key: z.string().describe('Day (YYYY-MM-DD), integration id or team slug'),
  label: z.string(),
  alerts: z.number().int().describe('Alerts received (after dedup: distinct alerts)'),
  deliveries: z.number().int().describe('Deliveries, duplicates included'),
  incidents: z.number().int(),
});
export const noiseReport = z
  .object({
    since: timestamp,
    totals: noiseRow,
    byDay: z.array(noiseRow),
    byIntegration: z.array(noiseRow),
    byTeam: z.array(noiseRow),
  })
  .meta({ id: 'NoiseReport' });
