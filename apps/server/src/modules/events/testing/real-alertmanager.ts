import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { TestApp } from '../../../testing/test-app.js';

export const ALERTMANAGER_BINARY = process.env.OPSLOOM_ALERTMANAGER_BIN ?? '/usr/bin/prometheus-alertmanager';

export const freePort = () => new Promise<number>((resolve, reject) => {
  const server = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address() as net.AddressInfo;
    server.close(() => resolve(port));
  }).on('error', reject);
});

export async function eventually<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export interface RealAlertmanager {
  url: string;
  /** Pushes alerts into Alertmanager as Prometheus does (`/api/v2/alerts`). */
  push(alerts: object[]): Promise<number>;
  /** Stops Alertmanager and, once it has exited (it writes its state on the way out), removes its files. */
  stop(): Promise<void>;
}

/**
 * A real Prometheus Alertmanager (Debian's package) on 127.0.0.1 that notifies Opsloom through
 * a webhook receiver and a PagerDuty receiver, one alert group per alertname and instance.
 */
export async function startAlertmanager(options: { opsloom: string; webhookKey: string; pagerDutyKey: string; groupInterval: string }): Promise<RealAlertmanager> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsloom-am-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  fs.writeFileSync(path.join(dir, 'alertmanager.yml'), [
    'route:',
    '  receiver: opsloom',
    "  group_by: ['alertname', 'instance']",
    '  group_wait: 1s',
    `  group_interval: ${options.groupInterval}`,
    '  repeat_interval: 1h',
    'receivers:',
    '  - name: opsloom',
    '    webhook_configs:',
    `      - url: ${options.opsloom}/api/v1/integrations/alertmanager`,
    '        send_resolved: true',
    '        http_config:',
    '          authorization:',
    '            type: Bearer',
    `            credentials: ${options.webhookKey}`,
    '    pagerduty_configs:',
    `      - url: ${options.opsloom}/v2/enqueue`,
    `        routing_key: ${options.pagerDutyKey}`,
    '        send_resolved: true',
    '',
  ].join('\n'));
  const child: ChildProcess = spawn(ALERTMANAGER_BINARY, [
    `--config.file=${path.join(dir, 'alertmanager.yml')}`, `--storage.path=${path.join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', '--log.level=warn',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await eventually(`Alertmanager to start (${stderr})`, async () => (await fetch(`${url}/-/ready`).catch(() => null))?.ok);
  return {
    url,
    push: async (alerts) => (await fetch(`${url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alerts) })).status,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Opsloom (listening on 127.0.0.1) with an Alertmanager integration and a PagerDuty one, and a
 * real Alertmanager notifying it through both.
 */
export async function connectAlertmanager(t: TestApp, groupInterval: string): Promise<RealAlertmanager> {
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const create = async (kind: string) =>
    (await t.app.inject({ method: 'POST', url: '/api/v1/integrations', headers: t.as('admin'), payload: { kind, name: `am-${kind}` } })).json<{ routingKey: string }>();
  return startAlertmanager({
    opsloom: `http://127.0.0.1:${(t.app.server.address() as net.AddressInfo).port}`,
    webhookKey: (await create('alertmanager')).routingKey, pagerDutyKey: (await create('pagerduty-v2')).routingKey, groupInterval,
  });
}
