import { z } from 'zod';
import { cursorQuery, limitQuery, page } from '../common.js';
import { access, defineOperation } from '../contract.js';
import { incidentAlert, incidentDetail, incidentSummary } from './incidents.schemas.js';

const tag = 'Incidents';
const incidentParams = z.object({ id: z.uuid() });

export const listIncidents = defineOperation({
  id: 'listIncidents', method: 'GET', path: '/api/v1/incidents', tag, status: 200, access: access.staff,
  summary: 'Incidents, newest first',
  query: z.object({ status: z.enum(['open', 'resolved', 'all']).default('all'), limit: limitQuery, cursor: cursorQuery }),
  response: page(incidentSummary),
});
export const getIncident = defineOperation({
  id: 'getIncident', method: 'GET', path: '/api/v1/incidents/{id}', tag, status: 200, access: access.staff,
  summary: 'One incident with its root cause and impact', params: incidentParams, response: incidentDetail,
});
export const listIncidentAlerts = defineOperation({
  id: 'listIncidentAlerts', method: 'GET', path: '/api/v1/incidents/{id}/alerts', tag, status: 200, access: access.staff,
  summary: "An incident's alerts, in event-time order, with why each joined",
  params: incidentParams,
  response: z.object({
    items: z.array(incidentAlert),
    prunedAlerts: z.number().int().describe('Resolved alerts of this incident deleted after the alert retention (OPSLOOM_ALERT_RETENTION_DAYS), so no longer listed'),
  }),
});
export const resolveIncident = defineOperation({
  id: 'resolveIncident', method: 'POST', path: '/api/v1/incidents/{id}/resolve', tag, status: 200, access: access.operators,
  summary: 'Resolve an incident by hand (applied in order with the alerts through the alert pipeline)',
  params: incidentParams,
  body: z.object({ note: z.string().trim().max(1000).optional().describe('Why, for the activity record') }),
  response: incidentDetail,
});
