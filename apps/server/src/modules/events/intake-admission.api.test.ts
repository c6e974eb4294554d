import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '../../testing/databases.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const MAX_LAG_MS = 200;

/**
 * Admission (intake-admission.ts): while the pipeline is more than OPSLOOM_INTAKE_MAX_LAG_MS
 * behind the batches this process accepted, new batches are held until it catches up, and
 * refused as overload when it does not in time; so what is accepted is visible within a second.
 * The pipeline is stopped to fall behind, and started again to catch up.
 */
describe.each(testDatabaseKinds())('intake admission on %s', (kind) => {
  let t: TestApp;
  let generic = '';
  let alertmanager = '';
  const event = (fingerprint: string) => ({ source: 'cron', fingerprint, ci: 'app-01', summary: `check ${fingerprint}`, severity: 'major', status: 'firing' });
  const postEvent = (fingerprint: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/events', headers: { authorization: `Bearer ${generic}` }, payload: event(fingerprint) });
  const postWebhook = (fingerprint: string) =>
    t.app.inject({
      method: 'POST', url: '/api/v1/integrations/alertmanager', headers: { authorization: `Bearer ${alertmanager}` },
      payload: { version: '4', status: 'firing', alerts: [{ status: 'firing', labels: { alertname: 'Held', instance: 'app-01:9100' }, annotations: {}, startsAt: new Date().toISOString(), endsAt: '0001-01-01T00:00:00Z', fingerprint }] },
    });
  const storedKeys = async () => (await t.database.handle.db.selectFrom('alerts').select('dedup_key').orderBy('dedup_key').execute()).map((row) => row.dedup_key);
  const metric = async (name: string) => {
    const line = (await t.app.inject({ method: 'GET', url: '/metrics' })).body.split('\n').find((l) => l.startsWith(`${name} `));
    return Number(line?.slice(line.lastIndexOf(' ') + 1) ?? Number.NaN);
  };
  /** The pipeline stops (it falls behind from here) and, after `behind`, starts again. */
  async function withPipelineStopped<T>(behind: () => Promise<T>): Promise<T> {
    await t.services.events.stop();
    try {
      return await behind();
    } finally {
      await t.services.events.start(t.app.log);
    }
  }

  beforeAll(async () => {
    t = await startTestApp(kind, { intakeMaxLagMs: MAX_LAG_MS });
    await t.app.inject({ method: 'POST', url: '/api/v1/cmdb/import', headers: t.as('admin'), payload: { cis: [{ key: 'app-01', type: 'application', name: 'app-01' }], relationships: [] } });
    const create = async (kind: string) => (await t.app.inject({ method: 'POST', url: '/api/v1/integrations', headers: t.as('admin'), payload: { kind, name: kind } })).json<{ routingKey: string }>().routingKey;
    generic = await create('generic');
    alertmanager = await create('alertmanager');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('holds a batch while the pipeline is behind and accepts it once the pipeline catches up', async () => {
    const heldBefore = await metric('opsloom_intake_held_seconds_count');
    let second: Promise<{ statusCode: number }> | null = null;
    let answered = false;
    await withPipelineStopped(async () => {
      expect((await postEvent('first')).statusCode).toBe(202);
      expect(t.services.events.log.backlog).toBe(1);
      await sleep(MAX_LAG_MS + 100);
      expect(t.services.events.log.admission.lagMs()).toBeGreaterThan(MAX_LAG_MS);
      second = postEvent('second').then((res) => {
        answered = true;
        return res;
      });
      await sleep(300);
      // Neither answered nor in the log: it waits for the pipeline.
      expect(answered).toBe(false);
      expect(t.services.events.log.backlog).toBe(1);
    });
    expect((await second!).statusCode).toBe(202);
    await t.services.events.drained();
    expect(await storedKeys()).toEqual(['first', 'second']);
    expect(t.services.events.log.backlog).toBe(0);
    expect(t.services.events.log.admission.lagMs()).toBe(0);
    expect(await metric('opsloom_intake_held_seconds_count')).toBe(heldBefore + 1);
    expect(await metric('opsloom_intake_visible_delay_seconds_count')).toBeGreaterThanOrEqual(2);
  });

  it('refuses a batch the pipeline does not catch up with in time: 429, and 503 to Alertmanager, with Retry-After; nothing of it is kept', async () => {
    const admission = t.services.events.log.admission;
    const holdMs = admission.maxHoldMs;
    admission.maxHoldMs = 300;
    try {
      await withPipelineStopped(async () => {
        expect((await postEvent('third')).statusCode).toBe(202);
        await sleep(MAX_LAG_MS + 100);
        const [refused, refusedWebhook] = await Promise.all([postEvent('refused'), postWebhook('refused-webhook')]);
        expect(refused.statusCode).toBe(429);
        expect(refused.headers['retry-after']).toBe('1');
        expect(refused.json<{ error: { code: string; message: string } }>().error).toMatchObject({
          code: 'rate_limited', message: expect.stringMatching(/^intake is \d+\.\d s ahead of the alert pipeline \(limit 200 ms\); retry after a second$/) as string,
        });
        expect(refusedWebhook.statusCode).toBe(503);
        expect(refusedWebhook.headers['retry-after']).toBe('1');
        expect(t.services.events.log.backlog).toBe(1);
      });
    } finally {
      admission.maxHoldMs = holdMs;
    }
    await t.services.events.drained();
    expect(await storedKeys()).toEqual(['first', 'second', 'third']);
    // Once caught up, the sender's retry is taken at once.
    expect((await postEvent('refused')).statusCode).toBe(202);
    await t.services.events.drained();
    expect(await storedKeys()).toEqual(['first', 'refused', 'second', 'third']);
  });

  it('with the lag limit off (0), accepts however far behind the pipeline is, up to the backlog limit', async () => {
    const admission = t.services.events.log.admission;
    admission.maxLagMs = 0;
    try {
      await withPipelineStopped(async () => {
        expect((await postEvent('unlimited-1')).statusCode).toBe(202);
        await sleep(MAX_LAG_MS + 100);
        expect((await postEvent('unlimited-2')).statusCode).toBe(202);
        expect(t.services.events.log.backlog).toBe(2);
      });
    } finally {
      admission.maxLagMs = MAX_LAG_MS;
    }
    await t.services.events.drained();
    expect(await storedKeys()).toEqual(expect.arrayContaining(['unlimited-1', 'unlimited-2']));
  });
});
