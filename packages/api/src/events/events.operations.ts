import { z } from 'zod';
import { cursorQuery, limitQuery, page } from '../common.js';
import { access, defineOperation } from '../contract.js';
import {
  alert,
  alertmanagerWebhookBody,
  alertSeverity,
  createIntegrationBody,
  genericEventsBody,
  intakeAccepted,
  integration,
  integrationDetail,
  integrationParams,
  intakeLimits,
  noiseReport,
  pagerDutyAnswer,
} from './events.schemas.js';

const tag = 'Events';
// A full batch of 1,000 alerts with large labels stays under this; bigger bodies get 413.
const intakeBodyLimit = intakeLimits.maxBodyBytes;

export const createIntegration = defineOperation({
  id: 'createIntegration', method: 'POST', path: '/api/v1/integrations', tag, status: 201, access: access.admins,
  summary: 'Create an integration; the answer carries its routing key', body: createIntegrationBody, response: integration,
});
export const listIntegrations = defineOperation({
  id: 'listIntegrations', method: 'GET', path: '/api/v1/integrations', tag, status: 200, access: access.staff,
  summary: 'All integrations', response: z.object({ items: z.array(integration) }),
});
export const getIntegration = defineOperation({
  id: 'getIntegration', method: 'GET', path: '/api/v1/integrations/{id}', tag, status: 200, access: access.staff,
  summary: 'One integration with its configuration snippet and last events', params: integrationParams, response: integrationDetail,
});
export const deleteIntegration = defineOperation({
  id: 'deleteIntegration', method: 'DELETE', path: '/api/v1/integrations/{id}', tag, status: 204, access: access.admins,
  summary: 'Disable an integration: its key stops working, its alerts stay', params: integrationParams, response: z.undefined(),
});

export const ingestAlertmanager = defineOperation({
  id: 'ingestAlertmanager', method: 'POST', path: '/api/v1/integrations/alertmanager', tag, status: 202, access: access.public,
  summary: 'Alertmanager webhook receiver; authenticate with `Authorization: Bearer <routing key>` of an alertmanager integration. Overload answers 503 with `Retry-After` (Alertmanager retries 5xx, not 429)',
  body: alertmanagerWebhookBody, response: intakeAccepted, bodyLimit: intakeBodyLimit,
});
export const enqueuePagerDuty = defineOperation({
  id: 'enqueuePagerDuty', method: 'POST', path: '/v2/enqueue', tag, status: 202, access: access.public,
  summary: 'PagerDuty Events API v2; `routing_key` is an integration key. Answers like PagerDuty (400 `errors`, 429 `Retry-After`)',
  body: z.unknown().describe('A PagerDuty Events API v2 event (schema `PagerDutyEvent`)'), response: pagerDutyAnswer, bodyLimit: 512 * 1024,
});
export const ingestEvents = defineOperation({
  id: 'ingestEvents', method: 'POST', path: '/api/v1/events', tag, status: 202, access: access.public,
  summary: 'Generic JSON event (or an array of them); authenticate with `Authorization: Bearer <routing key>`',
  body: genericEventsBody, response: intakeAccepted, bodyLimit: intakeBodyLimit,
});

export const alertsQuery = z.object({
  status: z.enum(['firing', 'resolved', 'all']).default('all'),
  severity: alertSeverity.optional(),
  integration: z.uuid().optional().describe('Integration id'),
  team: z.string().max(100).optional().describe('Team id or slug'),
  ci: z.string().max(255).optional().describe('CI key'),
  incident: z.uuid().optional().describe('Incident id'),
  unmapped: z.stringbool().optional().describe('Only alerts mapped to no CI'),
  limit: limitQuery,
  cursor: cursorQuery,
});
export const listAlerts = defineOperation({
  id: 'listAlerts', method: 'GET', path: '/api/v1/alerts', tag, status: 200, access: access.staff,
  summary: 'The alert console: newest first, with filters and why each alert joined its incident. On SQLite a page searches at most the 100,000 alerts before its cursor, so a filter few alerts match may give a short or empty page with a `nextCursor`: follow it to search older alerts', query: alertsQuery, response: page(alert),
});
export const getNoise = defineOperation({
  id: 'getNoise', method: 'GET', path: '/api/v1/events/noise', tag, status: 200, access: access.staff,
  summary: 'Alerts received vs incidents opened, per day, integration and team (by event time)',
  query: z.object({ days: z.coerce.number().int().min(1).max(366).default(30) }), response: noiseReport,
});
