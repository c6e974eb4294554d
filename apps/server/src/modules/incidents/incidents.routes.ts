import { incidentsApi } from '@opsloom/api';
import type { RegisterOperation } from '../../platform/http/register-operation.js';
import type { IncidentsService } from './incidents.service.js';

/** Incident reads; `GET /incidents/{id}/alerts` is served by the events module, which owns alerts. */
export function registerIncidentsRoutes(register: RegisterOperation, incidents: IncidentsService): void {
  register(incidentsApi.listIncidents, async ({ query }) => incidents.list(query.status, query.cursor, query.limit));
  register(incidentsApi.getIncident, async ({ params }) => incidents.get(params.id));
}
