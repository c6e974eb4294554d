import { alertmanagerWebhookBody } from '@opsloom/api';
import type { Services } from '../app.js';
import { systemActor } from '../platform/activity/activity-spine.js';

const MINUTE = 60_000;

interface DemoAlert {
  ci: string;
  alertname: string;
  summary: string;
  severity: 'critical' | 'major' | 'warning';
  minutesAgo: number;
  resolvedMinutesAgo?: number;
}

/**
 * A morning the alert console can show from the first start: the DC1 SAN array degrades
 * without alerting itself, and the mailbox VM, its ESXi host, the payroll database and
 * Exchange alert over a few minutes (one incident, root cause the SAN, owned by Storage);
 * an unrelated certificate warning; an access-switch flap earlier that resolved.
 */
const storm: DemoAlert[] = [
  { ci: 'net:access-sw-02.dc2', alertname: 'InterfaceFlapping', summary: 'Uplink Te1/0/48 flapping on acc-sw-02', severity: 'warning', minutesAgo: 190, resolvedMinutesAgo: 178 },
  { ci: 'vm:mail-01.dc1', alertname: 'MailboxDatabaseDismounted', summary: 'Mailbox database DB03 dismounted on mail-01', severity: 'critical', minutesAgo: 42 },
  { ci: 'host:esx-02.dc1', alertname: 'DatastoreLatencyHigh', summary: 'Datastore latency above 200 ms on esx-02', severity: 'warning', minutesAgo: 41 },
  { ci: 'db:payroll', alertname: 'PostgresCheckpointStalled', summary: 'PostgreSQL checkpoints stalled on pg-payroll-01', severity: 'critical', minutesAgo: 40 },
  { ci: 'app:exchange', alertname: 'TransportQueueGrowing', summary: 'Exchange transport queue above 5,000 messages', severity: 'major', minutesAgo: 38 },
  { ci: 'app:vpn-gateway', alertname: 'CertificateExpiringSoon', summary: 'VPN gateway TLS certificate expires in 6 days', severity: 'warning', minutesAgo: 25 },
];

function webhookBody(alerts: DemoAlert[], at: number, resolved: boolean) {
  return alertmanagerWebhookBody.parse({
    version: '4',
    status: resolved ? 'resolved' : 'firing',
    receiver: 'opsloom',
    alerts: alerts.map((alert) => ({
      status: resolved ? 'resolved' : 'firing',
      labels: { alertname: alert.alertname, ci: alert.ci, severity: alert.severity },
      annotations: { summary: alert.summary },
      startsAt: new Date(at - alert.minutesAgo * MINUTE).toISOString(),
      endsAt: resolved && alert.resolvedMinutesAgo !== undefined ? new Date(at - alert.resolvedMinutesAgo * MINUTE).toISOString() : '0001-01-01T00:00:00Z',
      fingerprint: `demo-${alert.ci}-${alert.alertname}`.replace(/[^a-z0-9-]/gi, '-'),
    })),
  });
}

/** Creates the demo Prometheus integration and replays the storm through the real intake path. */
export async function seedDemoAlerts(services: Services, baseUrl: string): Promise<void> {
  const integration = await services.events.integrations.create(systemActor, { kind: 'alertmanager', name: 'Prometheus DC1/DC2', team: 'servers' }, baseUrl);
  const authorization = `Bearer ${integration.routingKey}`;
  const at = Date.now();
  for (const alert of storm) {
    // Alertmanager re-sends firing alerts every group_interval; the console folds them.
    await services.events.intake.alertmanager(authorization, webhookBody([alert], at, false));
    if (alert.resolvedMinutesAgo === undefined) await services.events.intake.alertmanager(authorization, webhookBody([alert], at, false));
  }
  await services.events.intake.alertmanager(authorization, webhookBody(storm.filter((a) => a.resolvedMinutesAgo !== undefined), at, true));
}
