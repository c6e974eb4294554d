import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../platform/activity/activity-spine.js';
import { testDatabaseKinds } from '../../testing/databases.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';

const BINARY = process.env.OPSLOOM_ALERTMANAGER_BIN ?? '/usr/bin/prometheus-alertmanager';
const present = fs.existsSync(BINARY);
const required = process.env.OPSLOOM_TEST_REQUIRE_ALERTMANAGER === '1';
if (!present && !required) console.warn(`real Alertmanager test skipped: ${BINARY} not found (apt-get install prometheus-alertmanager; CI sets OPSLOOM_TEST_REQUIRE_ALERTMANAGER=1)`);

const freePort = () => new Promise<number>((resolve, reject) => {
  const server = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address() as net.AddressInfo;
    server.close(() => resolve(port));
  }).on('error', reject);
});

async function eventually<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

interface AlertItem { status: string; ci: { key: string } | null; integration: { kind: string }; incident: { id: string } | null }

/** A real Prometheus Alertmanager 0.25 drives Opsloom through its webhook and PagerDuty receivers. */
describe.runIf(present || required).each(testDatabaseKinds())('real Alertmanager → Opsloom on %s', (kind) => {
  let t: TestApp;
  let am: ChildProcess | null = null;
  let amUrl = '';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsloom-am-'));

  beforeAll(async () => {
    if (!present) throw new Error(`${BINARY} is required (OPSLOOM_TEST_REQUIRE_ALERTMANAGER=1) but missing`);
    t = await startTestApp(kind);
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const opsloom = `http://127.0.0.1:${(t.app.server.address() as net.AddressInfo).port}`;
    await t.services.identity.teams.create(systemActor, { slug: 'storage', name: 'Storage' });
    const imported = await t.app.inject({
      method: 'POST', url: '/api/v1/cmdb/import', headers: t.as('admin'),
      payload: {
        cis: [
          { key: 'stor-01', type: 'storage', name: 'Storage array 1', team: 'storage' },
          { key: 'mail-01', type: 'vm', name: 'mail-01' },
        ],
        relationships: [{ from: 'mail-01', to: 'stor-01', type: 'depends_on' }],
      },
    });
    expect(imported.statusCode).toBe(200);
    const create = async (kind: string) =>
      (await t.app.inject({ method: 'POST', url: '/api/v1/integrations', headers: t.as('admin'), payload: { kind, name: `am-${kind}` } })).json<{ routingKey: string }>();
    const webhook = await create('alertmanager');
    const pagerduty = await create('pagerduty-v2');
    const port = await freePort();
    amUrl = `http://127.0.0.1:${port}`;
    fs.writeFileSync(path.join(dir, 'alertmanager.yml'), [
      'route:',
      '  receiver: opsloom',
      "  group_by: ['alertname', 'instance']",
      '  group_wait: 1s',
      '  group_interval: 1s',
      '  repeat_interval: 1h',
      'receivers:',
      '  - name: opsloom',
      '    webhook_configs:',
      `      - url: ${opsloom}/api/v1/integrations/alertmanager`,
      '        send_resolved: true',
      '        http_config:',
      '          authorization:',
      '            type: Bearer',
      `            credentials: ${webhook.routingKey}`,
      '    pagerduty_configs:',
      `      - url: ${opsloom}/v2/enqueue`,
      `        routing_key: ${pagerduty.routingKey}`,
      '        send_resolved: true',
      '',
    ].join('\n'));
    am = spawn(BINARY, [
      `--config.file=${path.join(dir, 'alertmanager.yml')}`, `--storage.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', '--log.level=warn',
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    am.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await eventually(`Alertmanager to start (${stderr})`, async () => (await fetch(`${amUrl}/-/ready`).catch(() => null))?.ok);
  }, 60_000);

  afterAll(async () => {
    am?.kill('SIGTERM');
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const alerts = async () => (await t.app.inject({ method: 'GET', url: '/api/v1/alerts?limit=100', headers: t.as('viewer') })).json<{ items: AlertItem[] }>().items;
  const push = (endsAt?: string) => fetch(`${amUrl}/api/v2/alerts`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify([{
      labels: { alertname: 'ArrayDegraded', instance: 'stor-01:9100', severity: 'critical' },
      annotations: { summary: 'RAID group 2 degraded on stor-01' },
      ...(endsAt ? { endsAt } : {}),
    }]),
  });

  it('alerts arrive through both receivers, open one incident on the right CI and resolve with Alertmanager', async () => {
    expect((await push()).status).toBe(200);
    const firing = await eventually('alerts from both receivers', async () => {
      const items = await alerts();
      const kinds = new Set(items.filter((a) => a.ci?.key === 'stor-01' && a.status === 'firing').map((a) => a.integration.kind));
      return kinds.has('alertmanager') && kinds.has('pagerduty-v2') ? items : null;
    });
    const incidentIds = new Set(firing.map((a) => a.incident?.id));
    expect(incidentIds.size).toBe(1);
    const [incidentId] = [...incidentIds];
    const incident = (await t.app.inject({ method: 'GET', url: `/api/v1/incidents/${incidentId}`, headers: t.as('viewer') })).json<{ rootCause: { key: string }; status: string; team: { slug: string } }>();
    expect(incident).toMatchObject({ rootCause: { key: 'stor-01' }, status: 'open', team: { slug: 'storage' } });

    expect((await push(new Date(Date.now() - 1000).toISOString())).status).toBe(200);
    await eventually('the incident to resolve', async () => {
      const detail = (await t.app.inject({ method: 'GET', url: `/api/v1/incidents/${incidentId}`, headers: t.as('viewer') })).json<{ status: string }>();
      return detail.status === 'resolved';
    });
    expect((await alerts()).filter((a) => a.ci?.key === 'stor-01').every((a) => a.status === 'resolved')).toBe(true);
  }, 60_000);
});
