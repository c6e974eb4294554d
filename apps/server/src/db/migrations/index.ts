import type { Migration } from 'kysely/migration';
import * as foundation from './2026-11-21T20-00_foundation.js';
import * as cmdb from './2026-11-21T21-00_cmdb.js';
import * as events from './2026-11-21T22-00_events.js';
import * as alertsCiIndex from './2026-11-22T09-00_alerts_ci_index.js';
import * as integrationLastError from './2026-11-22T10-00_integration_last_error.js';
import * as incidentRootAlternatives from './2026-11-22T11-00_incident_root_alternatives.js';
import * as incidentCorrelationState from './2026-11-22T12-00_incident_correlation_state.js';
import * as alertNoiseDaily from './2026-11-22T13-00_alert_noise_daily.js';
import * as incidentPrunedAlerts from './2026-11-22T14-00_incident_pruned_alerts.js';

/**
 * Every migration, in order. Forward-only: a landed migration is never edited; a change
 * is a new file. Names sort by their ISO timestamp.
 */
export const migrations: Record<string, Migration> = {
  '2026-11-21T20-00_foundation': foundation,
  '2026-11-21T21-00_cmdb': cmdb,
  '2026-11-21T22-00_events': events,
  '2026-11-22T09-00_alerts_ci_index': alertsCiIndex,
  '2026-11-22T10-00_integration_last_error': integrationLastError,
  '2026-11-22T11-00_incident_root_alternatives': incidentRootAlternatives,
  '2026-11-22T12-00_incident_correlation_state': incidentCorrelationState,
  '2026-11-22T13-00_alert_noise_daily': alertNoiseDaily,
  '2026-11-22T14-00_incident_pruned_alerts': incidentPrunedAlerts,
};
