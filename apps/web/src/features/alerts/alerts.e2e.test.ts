import type { IncidentDetail } from '@opsloom/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../../../server/src/demo/seed-demo.js';
import { seedAlertRows } from '../../../../server/src/modules/events/testing/seed-alert-rows.js';
import { AlertRetention } from '../../../../server/src/modules/events/alert-retention.js';
import { ActivityBus } from '../../../../server/src/platform/activity/activity-bus.js';
import { ActivitySpine } from '../../../../server/src/platform/activity/activity-spine.js';
import { apiRequest } from '../../testing/api-seed';
import { type BrowserHarness, screenshot, startBrowserHarness } from '../../testing/browser-harness';

interface Created {
  id: string;
  routingKey: string;
}

/** An Alertmanager (version 4) webhook body, as Alertmanager 0.25 sends it. */
function webhook(alerts: Array<{ ci: string; name: string; summary: string; severity: string; minutesAgo: number; fingerprint: string }>) {
  return {
    version: '4', status: 'firing', receiver: 'opsloom', groupKey: '{}:{alertname="demo"}', truncatedAlerts: 0,
    groupLabels: {}, commonLabels: {}, commonAnnotations: {}, externalURL: 'http://alertmanager.example:9093',
    alerts: alerts.map((a) => ({
      status: 'firing',
      labels: { alertname: a.name, ci: a.ci, severity: a.severity, job: 'node' },
      annotations: { summary: a.summary },
      startsAt: new Date(Date.now() - a.minutesAgo * 60_000).toISOString(),
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus.example:9090/graph',
      fingerprint: a.fingerprint,
    })),
  };
}

describe('alerts, integrations and incidents', () => {
  let h: BrowserHarness;
  beforeAll(async () => {
    h = await startBrowserHarness();
    // Without the demo alert storm: this test posts its own alerts and looks for them.
    await seedDemo(h.testApp.services, { baseUrl: 'http://localhost:8080', alerts: false });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('admin creates integrations and sees their routing key and Alertmanager snippets', async () => {
    const page = await h.signIn('admin');
    await page.getByRole('link', { name: 'Integrations' }).click();
    await page.getByRole('button', { name: 'Create integration' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create integration' });
    await dialog.getByLabel('Name').fill('prometheus-dc1');
    await dialog.getByRole('textbox', { name: 'Owning team' }).or(dialog.getByRole('combobox', { name: 'Owning team' })).click();
    await page.getByRole('option', { name: 'Storage' }).click();
    await dialog.getByRole('button', { name: 'Create integration' }).click();
    await page.getByRole('heading', { name: 'prometheus-dc1' }).waitFor();
    const key = (await page.getByTestId('routing-key').textContent()) ?? '';
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    const snippet = (await page.getByTestId('config-snippet').textContent()) ?? '';
    expect(snippet).toContain('webhook_configs');
    expect(snippet).toContain('/api/v1/integrations/alertmanager');
    expect(snippet).toContain(key);
    await screenshot(page, 'integration');

    await page.getByRole('link', { name: 'Integrations' }).first().click();
    await page.getByRole('button', { name: 'Create integration' }).click();
    await dialog.getByRole('textbox', { name: 'Kind' }).or(dialog.getByRole('combobox', { name: 'Kind' })).click();
    await page.getByRole('option', { name: 'PagerDuty Events API v2' }).click();
    await dialog.getByLabel('Name').fill('alertmanager-pagerduty');
    await dialog.getByRole('button', { name: 'Create integration' }).click();
    await page.getByRole('heading', { name: 'alertmanager-pagerduty' }).waitFor();
    const pdSnippet = (await page.getByTestId('config-snippet').textContent()) ?? '';
    expect(pdSnippet).toContain('pagerduty_configs');
    expect(pdSnippet).toContain('/v2/enqueue');
  });

  it('the integration page says why its last request was refused', async () => {
    const integration = await apiRequest<Created>(h, 'POST', '/api/v1/integrations', { kind: 'alertmanager', name: 'prometheus-misconfigured' });
    const future = webhook([{ ci: 'db:payroll', name: 'ClockSkew', summary: 'From the future', severity: 'warning', minutesAgo: -3 * 24 * 60, fingerprint: 'c1f0000000000001' }]);
    await apiRequest(h, 'POST', '/api/v1/integrations/alertmanager', future, { headers: { authorization: `Bearer ${integration.routingKey}` }, expect: 400 });
    const page = await h.signIn('operator');
    await page.goto(`/integrations/${integration.id}`);
    const lastError = page.getByTestId('last-error');
    await lastError.waitFor();
    expect(await lastError.textContent()).toContain('400: body.alerts.0.startsAt: more than one day in the future');
    await screenshot(page, 'integration-last-error');
    // The list says it too, on the error count.
    await page.getByRole('link', { name: 'Integrations' }).first().click();
    const row = page.getByTestId('integration-table').getByRole('row').filter({ hasText: 'prometheus-misconfigured' });
    await row.getByTestId('integration-errors').hover();
    await page.getByRole('tooltip').filter({ hasText: 'Last: 400: body.alerts.0.startsAt: more than one day in the future' }).waitFor();
  });

  it('shows alerts posted to the API live in the console, with why they joined, and the incident names the silent root cause', async () => {
    const integration = await apiRequest<Created>(h, 'POST', '/api/v1/integrations', { kind: 'alertmanager', name: 'prometheus-live', team: 'servers' });
    const page = await h.signIn('operator');
    await page.getByRole('link', { name: 'Alerts' }).click();
    await page.getByTestId('live-status').and(page.locator('[data-state="live"]')).waitFor();

    // The SAN in DC1 fails silently; what runs on it alerts. Opsloom should name the SAN.
    const storm = webhook([
      { ci: 'vm:mail-01.dc1', name: 'MailboxDatabaseDismounted', summary: 'Mailbox database DB03 dismounted on mail-01', severity: 'critical', minutesAgo: 6, fingerprint: 'a1f0000000000001' },
      { ci: 'host:esx-02.dc1', name: 'DatastoreLatencyHigh', summary: 'Datastore latency above 200 ms on esx-02', severity: 'warning', minutesAgo: 5, fingerprint: 'a1f0000000000002' },
      { ci: 'db:payroll', name: 'PostgresIOStall', summary: 'PostgreSQL checkpoints stalled on pg-payroll-01', severity: 'critical', minutesAgo: 4, fingerprint: 'a1f0000000000003' },
    ]);
    const auth = { authorization: `Bearer ${integration.routingKey}` };
    await apiRequest(h, 'POST', '/api/v1/integrations/alertmanager', storm, { headers: auth, expect: 202 });

    const rows = page.getByTestId('alert-row');
    await rows.filter({ hasText: 'PostgreSQL checkpoints stalled' }).waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="alert-row"]').length === 3);
    const dbRow = rows.filter({ hasText: 'PostgreSQL checkpoints stalled' });
    await dbRow.getByRole('link', { name: 'db:payroll' }).first().waitFor();
    await dbRow.getByTestId('alert-reason').waitFor();

    // Alertmanager re-sends the group: duplicates fold into the same alerts.
    await apiRequest(h, 'POST', '/api/v1/integrations/alertmanager', storm, { headers: auth, expect: 202 });
    await dbRow.getByTestId('alert-count').getByText('×2').waitFor();
    const numbers = new Set(await rows.getByRole('link', { name: /^#\d+$/ }).allTextContents());
    expect(numbers.size).toBe(1);
    await screenshot(page, 'alert-console');

    await dbRow.getByRole('link', { name: /^#\d+$/ }).click();
    const root = page.getByTestId('root-cause');
    await root.waitFor();
    expect(await page.getByTestId('root-cause-key').textContent()).toBe('storage:san-01.dc1');
    expect(await page.getByTestId('root-cause-team').textContent()).toBe('Storage');
    await page.getByTestId('incident-impact').getByText('E-mail').waitFor();
    await page.getByTestId('incident-impact').getByText('Payroll', { exact: true }).waitFor();
    expect(await page.getByTestId('incident-alert').count()).toBe(3);
    // The runner-up causes, as the API ranks them, with how likely each is next to the SAN.
    const incidentId = new URL(page.url()).pathname.split('/').pop() ?? '';
    const detail = await apiRequest<IncidentDetail>(h, 'GET', `/api/v1/incidents/${incidentId}`);
    expect(detail.rootCauseAlternatives.length).toBeGreaterThan(0);
    const alternatives = page.getByTestId('root-cause-alternative');
    await alternatives.first().waitFor();
    expect(await alternatives.getByRole('link').allTextContents()).toEqual(detail.rootCauseAlternatives.map((a) => a.ci.key));
    expect(await alternatives.first().textContent()).toContain(detail.rootCauseAlternatives[0].explanation);
    await screenshot(page, 'incident-page');

    await page.getByRole('link', { name: 'Incidents' }).first().click();
    await page.getByTestId('incident-row').filter({ hasText: 'storage:san-01.dc1' }).waitFor();
    await screenshot(page, 'incidents');
  });

  it('an operator resolves an incident by hand with a note; a viewer cannot', async () => {
    const viewer = await h.signIn('viewer');
    await viewer.goto('/incidents');
    await viewer.getByTestId('incident-row').filter({ hasText: 'storage:san-01.dc1' }).getByRole('link').first().click();
    await viewer.getByTestId('root-cause').waitFor();
    expect(await viewer.getByRole('button', { name: 'Resolve' }).count()).toBe(0);

    const page = await h.signIn('operator');
    await page.goto('/incidents');
    await page.getByTestId('incident-row').filter({ hasText: 'storage:san-01.dc1' }).getByRole('link').first().click();
    await page.getByRole('button', { name: 'Resolve' }).click();
    const dialog = page.getByRole('dialog', { name: /Resolve incident #\d+/ });
    await dialog.getByText('3 of its alerts are still firing').waitFor();
    await dialog.getByLabel('Note').fill('SAN controller replaced');
    await screenshot(page, 'incident-resolve');
    await dialog.getByRole('button', { name: 'Resolve incident' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText('resolved', { exact: true }).first().waitFor();
    expect(await page.getByRole('button', { name: 'Resolve' }).count()).toBe(0);
    // The activity stream says who resolved it and why.
    await page.goto('/');
    await page.getByText(/resolved incident #\d+ with 3 alert\(s\) still firing: SAN controller replaced/).first().waitFor();
  });

  it('an incident whose old resolved alerts the retention deleted says how many are no longer listed', async () => {
    const integration = await apiRequest<Created>(h, 'POST', '/api/v1/integrations', { kind: 'alertmanager', name: 'prometheus-retention' });
    const auth = { authorization: `Bearer ${integration.routingKey}` };
    const flaps = webhook([
      { ci: 'net:access-sw-02.dc2', name: 'InterfaceFlapping', summary: 'Gi1/0/24 flapping on access-sw-02', severity: 'warning', minutesAgo: 3, fingerprint: 'b2f0000000000001' },
      { ci: 'net:access-sw-02.dc2', name: 'InterfaceErrors', summary: 'CRC errors on Gi1/0/24 of access-sw-02', severity: 'warning', minutesAgo: 2, fingerprint: 'b2f0000000000002' },
    ]);
    await apiRequest(h, 'POST', '/api/v1/integrations/alertmanager', flaps, { headers: auth, expect: 202 });
    const resolved = { ...flaps, status: 'resolved', alerts: [{ ...flaps.alerts[0], status: 'resolved', endsAt: new Date().toISOString() }] };
    await apiRequest(h, 'POST', '/api/v1/integrations/alertmanager', resolved, { headers: auth, expect: 202 });
    await h.testApp.services.events.drained();
    // Three months and a day on, as the pipeline would run it when idle.
    const { handle } = h.testApp.database;
    await new AlertRetention({ database: handle, spine: new ActivitySpine(new ActivityBus()) }, h.testApp.services.incidents, 90).step(Date.now() + 91 * 86_400_000);

    const page = await h.signIn('operator');
    await page.goto('/incidents');
    await page.getByTestId('incident-row').filter({ hasText: 'access-sw-02' }).getByRole('link').first().click();
    await page.getByTestId('incident-alerts-pruned').getByText('1 more resolved alert(s) of this incident were deleted once past the alert retention').waitFor();
    expect(await page.getByTestId('incident-alert').count()).toBe(1);
    await page.getByTestId('incident-alert').getByText('CRC errors on Gi1/0/24').waitFor();
    await screenshot(page, 'incident-pruned-alerts');
  });

  it('catches up on alerts that arrived while its live stream was down', async () => {
    const integration = await apiRequest<Created>(h, 'POST', '/api/v1/integrations', { kind: 'alertmanager', name: 'prometheus-offline' });
    const page = await h.signIn('operator');
    // No stream yet: the console loads, then alerts arrive that no live record announces to it.
    await page.route('**/api/v1/stream**', (route) => route.abort());
    await page.getByRole('link', { name: 'Alerts' }).click();
    await page.getByTestId('live-status').and(page.locator('[data-state="reconnecting"]')).waitFor();
    const missed = webhook([{ ci: 'db:payroll', name: 'ReplicationLag', summary: 'Replication lag above 5 min on pg-payroll-02', severity: 'warning', minutesAgo: 1, fingerprint: 'b2f0000000000001' }]);
    await apiRequest(h, 'POST', '/api/v1/integrations/alertmanager', missed, { headers: { authorization: `Bearer ${integration.routingKey}` }, expect: 202 });
    await page.unroute('**/api/v1/stream**');
    await page.getByTestId('live-status').and(page.locator('[data-state="live"]')).waitFor({ timeout: 20_000 });
    await page.getByTestId('alert-row').filter({ hasText: 'Replication lag above 5 min' }).waitFor();
  });

  it('charts alerts received against incidents opened', async () => {
    const page = await h.signIn('operator');
    await page.goto('/alerts/noise');
    await page.getByTestId('noise-by-day').locator('.recharts-bar-rectangle').first().waitFor();
    await page.getByTestId('noise-by-integration').getByText('prometheus-live').waitFor();
    await screenshot(page, 'noise');
  });

  // Last: its probe alert would join the incidents the tests above expect.
  it('an admin disables an integration: its key is refused from then on, and only admins see the control', async () => {
    const integration = await apiRequest<Created>(h, 'POST', '/api/v1/integrations', { kind: 'alertmanager', name: 'prometheus-retired' });
    const auth = { authorization: `Bearer ${integration.routingKey}` };
    const batch = webhook([{ ci: 'db:payroll', name: 'Probe', summary: 'Still sending', severity: 'info', minutesAgo: 1, fingerprint: 'd15a000000000001' }]);
    await apiRequest(h, 'POST', '/api/v1/integrations/alertmanager', batch, { headers: auth, expect: 202 });
    const operator = await h.signIn('operator');
    await operator.goto(`/integrations/${integration.id}`);
    await operator.getByRole('heading', { name: 'prometheus-retired' }).waitFor();
    expect(await operator.getByRole('button', { name: 'Disable' }).count()).toBe(0);

    const page = await h.signIn('admin');
    await page.goto(`/integrations/${integration.id}`);
    await page.getByRole('button', { name: 'Disable' }).click();
    const confirm = page.getByRole('dialog', { name: 'Disable prometheus-retired?' });
    await confirm.getByText('Its routing key stops working at once').waitFor();
    await confirm.getByRole('button', { name: 'Disable integration' }).click();
    await page.getByRole('heading', { name: 'Integrations' }).waitFor();
    await page.getByTestId('integration-table').waitFor();
    expect(await page.getByTestId('integration-table').getByRole('row').filter({ hasText: 'prometheus-retired' }).count()).toBe(0);
    await apiRequest(h, 'POST', '/api/v1/integrations/alertmanager', batch, { headers: auth, expect: 401 });
  });

  it('on a large console, a filter few alerts match says how far it searched, and Load more searches older alerts', async () => {
    // 110,000 newer alerts above the one on archive-01: more than one page searches (SQLite).
    await seedAlertRows(h.testApp, { total: 110_001, rareAt: [0], rareCi: 'archive-01' });
    const page = await h.signIn('operator');
    await page.getByRole('link', { name: 'Alerts' }).click();
    await page.getByTestId('alert-table').waitFor();
    await page.getByRole('textbox', { name: 'CI key' }).fill('archive-01');
    await page.getByTestId('searched-part').filter({ hasText: 'No matching alerts among the newest ones. Load more searches older alerts.' }).waitFor();
    expect(await page.getByText('No alerts', { exact: true }).count()).toBe(0);
    await screenshot(page, 'alert-console-searched-part');
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.getByTestId('alert-row').filter({ hasText: 'archive-01 alert 0' }).waitFor();
    expect(await page.getByTestId('alert-row').count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Load more' }).count()).toBe(0);
  });
});
