import type { Alert, AlertSeverity, Integration, TeamRef } from '@opsloom/api';
import { toIso, toIsoOrNull } from '../../platform/ids.js';
import { decodeReason } from './reason-text.js';
import type { AlertRow, IntegrationRow } from './events.repo.js';

export const intakePath: Record<string, string> = {
  alertmanager: '/api/v1/integrations/alertmanager',
  'pagerduty-v2': '/v2/enqueue',
  generic: '/api/v1/events',
};

export function presentIntegration(row: IntegrationRow, team: TeamRef | null, baseUrl: string): Integration {
  return {
    id: row.id, kind: row.kind as Integration['kind'], name: row.name, team, routingKey: row.routing_key,
    url: `${baseUrl}${intakePath[row.kind]}`, eventCount: row.event_count, errorCount: row.error_count,
    lastError: row.last_error_at !== null ? { at: toIso(row.last_error_at), message: row.last_error ?? '' } : null,
    lastEventAt: toIsoOrNull(row.last_event_at), createdAt: toIso(row.created_at),
  };
}

/** A ready-to-paste configuration for the sending tool. */
export function configSnippet(row: IntegrationRow, baseUrl: string): string {
  if (row.kind === 'alertmanager') {
    return [
      '# alertmanager.yml: route alerts to this receiver (e.g. route.receiver: opsloom)',
      'receivers:',
      '  - name: opsloom',
      '    webhook_configs:',
      `      - url: ${baseUrl}${intakePath.alertmanager}`,
      '        send_resolved: true',
      '        http_config:',
      '          authorization:',
      '            type: Bearer',
      `            credentials: ${row.routing_key}`,
    ].join('\n');
  }
  if (row.kind === 'pagerduty-v2') {
    return [
      '# alertmanager.yml: the PagerDuty receiver pointed at Opsloom (any PagerDuty Events v2 client works the same way)',
      'receivers:',
      '  - name: opsloom-pagerduty',
      '    pagerduty_configs:',
      `      - url: ${baseUrl}${intakePath['pagerduty-v2']}`,
      `        routing_key: ${row.routing_key}`,
      '        send_resolved: true',
      "        # optional: name the CI directly (else Opsloom reads the labels from the details)",
      "        # component: '{{ .CommonLabels.instance }}'",
    ].join('\n');
  }
  return [
    `curl -sS -X POST ${baseUrl}${intakePath.generic} \\`,
    `  -H 'Authorization: Bearer ${row.routing_key}' -H 'Content-Type: application/json' \\`,
    `  -d '{"source":"nagios","ci":"db-01","summary":"PostgreSQL down","severity":"critical","status":"firing"}'`,
    `# or: opsloom send-event --url ${baseUrl} --routing-key ${row.routing_key} --ci db-01 --summary 'PostgreSQL down' --severity critical`,
  ].join('\n');
}

export function presentAlert(
  row: AlertRow,
  integration: { id: string; name: string; kind: Integration['kind'] },
  team: TeamRef | null,
  incident: { id: string; number: number } | null,
): Alert {
  return {
    id: row.id, fingerprint: row.dedup_key, integration, status: row.status as Alert['status'], severity: row.severity as AlertSeverity,
    summary: row.summary, ci: row.ci_id ? { id: row.ci_id, key: row.ci_key ?? row.ci_id } : null, team,
    labels: JSON.parse(row.labels) as Record<string, string>, incident, reason: decodeReason(row.reason),
    count: row.count, startsAt: toIso(row.starts_at), endsAt: toIsoOrNull(row.ends_at), firstSeenAt: toIso(row.first_seen_at), lastSeenAt: toIso(row.last_seen_at),
  };
}
