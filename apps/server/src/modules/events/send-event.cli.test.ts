import { spawn } from 'node:child_process';
import fs from 'node:fs';
import type net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../testing/test-app.js';

/** The built CLI (`tsc -b` first), spawned as a Nagios notification command would run it. */
const main = path.resolve(import.meta.dirname, '../../../../../packages/cli/dist/main.js');

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [main, ...args], { env: { ...process.env, OPSLOOM_ROUTING_KEY: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.runIf(fs.existsSync(main))('opsloom send-event', () => {
  let t: TestApp;
  let url = '';
  let key = '';
  beforeAll(async () => {
    t = await startTestApp('sqlite');
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(t.app.server.address() as net.AddressInfo).port}`;
    key = (await t.app.inject({ method: 'POST', url: '/api/v1/integrations', headers: t.as('admin'), payload: { kind: 'generic', name: 'nagios' } })).json<{ routingKey: string }>().routingKey;
  });
  afterAll(async () => t?.close());

  it('sends a firing event and its resolution with the same fingerprint', async () => {
    const args = ['send-event', '--url', url, '--ci', 'db-01', '--summary', 'PostgreSQL down', '--severity', 'critical', '--fingerprint', 'nagios-db-01-pgsql', '--label', 'service=pgsql'];
    const fired = await run(args, { OPSLOOM_ROUTING_KEY: key });
    expect(fired).toMatchObject({ code: 0, stdout: expect.stringMatching(/^accepted 1 event/) as string });
    const resolved = await run([...args, '--resolve'], { OPSLOOM_ROUTING_KEY: key });
    expect(resolved.code).toBe(0);
    await t.services.events.drained();
    const alerts = (await t.app.inject({ method: 'GET', url: '/api/v1/alerts', headers: t.as('viewer') })).json<{ items: Array<{ fingerprint: string; status: string; labels: Record<string, string> }> }>().items;
    expect(alerts).toEqual([expect.objectContaining({ fingerprint: 'nagios-db-01-pgsql', status: 'resolved', labels: { service: 'pgsql' } })]);
  });

  it('waits and tries again while Opsloom is busy, and gives up with exit 1 after --retries', async () => {
    const log = t.services.events.log;
    const limit = log.admission.maxBacklog;
    log.admission.maxBacklog = 0;
    const args = ['send-event', '--url', url, '--ci', 'db-02', '--summary', 'Disk full', '--fingerprint', 'nagios-db-02-disk'];
    try {
      const refused = await run([...args, '--retries', '0'], { OPSLOOM_ROUTING_KEY: key });
      expect(refused).toMatchObject({ code: 1, stderr: expect.stringMatching(/^opsloom: intake backlog is full/) as string });
      const busy = run(args, { OPSLOOM_ROUTING_KEY: key });
      await new Promise((resolve) => setTimeout(resolve, 1500));
      log.admission.maxBacklog = limit;
      const sent = await busy;
      expect(sent).toMatchObject({ code: 0, stdout: expect.stringMatching(/^accepted 1 event/) as string });
      expect(sent.stderr).toMatch(/^opsloom: intake backlog is full .*; trying again in 1 s \(1 of 5\)$/m);
    } finally {
      log.admission.maxBacklog = limit;
    }
    await t.services.events.drained();
    const alerts = (await t.app.inject({ method: 'GET', url: '/api/v1/alerts', headers: t.as('viewer') })).json<{ items: Array<{ fingerprint: string; count: number }> }>().items;
    // Refused tries left nothing behind: one alert, one delivery.
    expect(alerts.filter((alert) => alert.fingerprint === 'nagios-db-02-disk')).toEqual([expect.objectContaining({ count: 1 })]);
  });

  it('bad input exits 2 with a clear message', async () => {
    const noKey = await run(['send-event', '--url', url, '--summary', 'x']);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/routing key/);
    const badSeverity = await run(['send-event', '--url', url, '--summary', 'x', '--severity', 'disaster', '--routing-key', key]);
    expect(badSeverity.code).toBe(2);
    const wrongKey = await run(['send-event', '--url', url, '--summary', 'x', '--routing-key', 'f'.repeat(32)]);
    expect(wrongKey.code).toBe(2);
    expect(wrongKey.stderr).toMatch(/authorization/);
  });
});
