import { z } from 'zod';
import { id, timestamp } from '../common.js';
import { serviceRef } from '../cmdb/cmdb.schemas.js';
import { alertReason, alertSeverity } from '../events/events.schemas.js';
import { teamRef } from '../identity/identity.schemas.js';

export const incidentStatus = z.enum(['open', 'resolved']).describe('open until all its alerts resolved (when auto-resolve is on), someone resolved it, or it was merged');
export const ciRef = z.object({ id: z.string(), key: z.string() }).meta({ id: 'CiRef' });

export const incidentSummary = z
  .object({
    id,
    number: z.number().int().describe('Human-friendly sequence number'),
    title: z.string(),
    severity: alertSeverity,
    status: incidentStatus,
    team: teamRef.nullable().describe("The root cause CI's owner team (else the first integration's team)"),
    rootCause: ciRef.nullable().describe('Most specific CI whose impact covers every alerting CI; may have sent no alert'),
    cis: z.array(z.string()).describe('Keys of the alerting CIs'),
    alertCount: z.number().int(),
    createdAt: timestamp,
  })
  .meta({ id: 'IncidentSummary' });
export type IncidentSummary = z.infer<typeof incidentSummary>;

export const rootCauseAlternative = z
  .object({
    ci: ciRef,
    relativeLikelihood: z.number().describe('How likely this CI is as the single failure, relative to the named root cause: 1 as likely (the tie went to the CI closer to the alerts), 0.25 four times less'),
    explanation: z.string().describe('What its failure would explain, and whether it alerted itself'),
  })
  .meta({ id: 'RootCauseAlternative' });

export const incidentDetail = incidentSummary
  .extend({
    startedAt: timestamp.describe('Event time of its first alert'),
    lastAlertAt: timestamp.describe('Event time of its latest alert'),
    resolvedAt: timestamp.nullable(),
    updatedAt: timestamp,
    openAlertCount: z.number().int(),
    mergedInto: z.object({ id, number: z.number().int() }).nullable(),
    rootCauseExplanation: z.string().describe('Why this CI was named root cause'),
    rootCauseAlternatives: z.array(rootCauseAlternative).describe('The next likeliest root causes, likeliest first (at most 3, each at least 1% as likely as the root cause): an ambiguous root shows as such'),
    impactedCis: z.number().int().describe('CIs impacted by the root cause'),
    impactedServices: z.array(serviceRef).describe('Business services impacted by the root cause'),
  })
  .meta({ id: 'IncidentDetail' });
export type IncidentDetail = z.infer<typeof incidentDetail>;

export const incidentAlert = z
  .object({
    id,
    fingerprint: z.string(),
    status: z.enum(['firing', 'resolved']),
    ci: z.string().nullable().describe('CI key, null when unmapped'),
    summary: z.string(),
    severity: alertSeverity,
    startsAt: timestamp,
    count: z.number().int(),
    reason: alertReason.nullable(),
  })
  .meta({ id: 'IncidentAlert' });
