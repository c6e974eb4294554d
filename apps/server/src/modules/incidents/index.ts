import type { ModuleDeps } from '../../platform/module-deps.js';
import type { IdentityServices } from '../identity/index.js';
import { createIncidentsService, type ImpactLookup } from './incidents.service.js';

export type { CorrelationWrites, ImpactLookup, IncidentSnapshot, IncidentsService, RootAlternative } from './incidents.service.js';
export { registerIncidentsRoutes } from './incidents.routes.js';

/** Incidents: opened, updated and resolved by correlation (collaboration comes later). */
export function createIncidentsServices(deps: ModuleDeps, identity: IdentityServices, impact: ImpactLookup) {
  return createIncidentsService(deps, identity, impact);
}
