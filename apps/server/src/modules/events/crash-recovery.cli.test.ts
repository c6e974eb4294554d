import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, testDatabaseKinds } from '../../testing/databases.js';
import { type ServeProcess, startServeProcess } from '../../testing/serve-process.js';

/**
 * The intake contract under a real crash: `opsloom serve` (the built CLI, `tsc -b` first) is
 * killed with SIGKILL in the middle of a storm, started again on the same database, and the
 * client retries what was not answered, as Alertmanager does. Every batch answered 202 must be
 * there, every log row processed exactly once, and no alert stored twice.
 */
const main = path.resolve(import.meta.dirname, '../../../../../packages/cli/dist/main.js');
const BATCHES = 200;
const PER_BATCH = 100;
const HOSTS = 100;
const KILL_AFTER_ACKED = 60;

function serve(database: TestDatabase, token: string): Promise<ServeProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const inherited of ['DATABASE_URL', 'PORT', 'HOST', 'NODE_OPTIONS']) delete env[inherited];
  return startServeProcess(main, [], {
    ...env, HOST: '127.0.0.1', PORT: '0', OPSLOOM_LOG_LEVEL: 'info', OPSLOOM_ADMIN_TOKEN: token, OPSLOOM_DATA_DIR: database.location.dataDir,
    ...(database.location.databaseUrl ? { DATABASE_URL: database.location.databaseUrl } : {}),
  });
}

const batchBody = (run: string, batch: number) =>
  JSON.stringify({
    version: '4', status: 'firing', receiver: 'opsloom',
    alerts: Array.from({ length: PER_BATCH }, (_, i) => {
      const n = batch * PER_BATCH + i;
      return {
        status: 'firing', labels: { alertname: `Crash${n % 7}`, instance: `host-${n % HOSTS}:9100`, job: 'node', n: String(n) },
        annotations: { summary: `alert ${n}` }, startsAt: new Date().toISOString(), endsAt: '0001-01-01T00:00:00Z', fingerprint: `${run}-${n}`,
      };
    }),
  });

describe.runIf(fs.existsSync(main)).each(testDatabaseKinds())('intake survives a crash mid-storm on %s', (kind) => {
  let database: TestDatabase;
  let server: ServeProcess | null = null;
  const token = `crash-test-${randomBytes(12).toString('hex')}`;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(async () => {
    if (server?.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    await database?.drop();
  });

  const call = (method: string, route: string, body?: string, auth = `Bearer ${token}`) =>
    fetch(`${server?.url}${route}`, { method, headers: { 'content-type': 'application/json', authorization: auth }, body });

  /** Until the pipeline has processed every log row (its watermark is the last row's id). */
  async function drained(): Promise<void> {
    const db = database.handle.db;
    for (let attempt = 0; attempt < 600; attempt++) {
      const last = await db.selectFrom('event_log').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
      const mark = await db.selectFrom('event_pipeline').select('processed_id').where('name', '=', 'alerts').executeTakeFirst();
      if (Number(mark?.processed_id ?? 0) >= Number(last?.id ?? 0)) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the pipeline did not catch up with the intake log in 60 s');
  }

  it('keeps every answered batch, processes each once, and stores no alert twice after retries', { timeout: 120_000 }, async () => {
    server = await serve(database, token);
    const hosts = Array.from({ length: HOSTS }, (_, h) => ({ key: `host-${h}`, type: 'host', name: `host-${h}` }));
    const switches = Array.from({ length: 10 }, (_, s) => ({ key: `switch-${s}`, type: 'network_device', name: `switch-${s}` }));
    const relationships = hosts.map((host, h) => ({ from: host.key, to: `switch-${h % 10}`, type: 'depends_on' }));
    expect((await call('POST', '/api/v1/cmdb/import', JSON.stringify({ cis: [...switches, ...hosts], relationships }))).status).toBe(200);
    const integration = (await (await call('POST', '/api/v1/integrations', JSON.stringify({ kind: 'alertmanager', name: 'crash' }))).json()) as { id: string; routingKey: string };
    const auth = `Bearer ${integration.routingKey}`;
    const run = randomBytes(4).toString('hex');

    // The storm, 8 requests in flight; SIGKILL once enough batches are answered.
    const acked = new Set<number>();
    let next = 0;
    let killed = false;
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next < BATCHES && !killed) {
        const batch = next++;
        try {
          const answer = await call('POST', '/api/v1/integrations/alertmanager', batchBody(run, batch), auth);
          if (answer.status === 202) acked.add(batch);
        } catch {
          // Cut off by the kill: not answered, the client will retry it.
        }
        if (acked.size >= KILL_AFTER_ACKED && !killed) {
          killed = true;
          server?.child.kill('SIGKILL');
        }
      }
    }));
    await server.exited;
    expect(acked.size).toBeGreaterThanOrEqual(KILL_AFTER_ACKED);
    expect(acked.size).toBeLessThan(BATCHES);

    // Started again: the log is replayed, every answered batch is there, each log row counted once.
    server = await serve(database, token);
    await drained();
    const db = database.handle.db;
    const stored = new Set((await db.selectFrom('alerts').select('dedup_key').where('integration_id', '=', integration.id).execute()).map((row) => row.dedup_key));
    const missing = [...acked].flatMap((batch) => Array.from({ length: PER_BATCH }, (_, i) => `${run}-${batch * PER_BATCH + i}`)).filter((key) => !stored.has(key));
    expect(missing).toEqual([]);
    const deliveriesLogged = async () =>
      Number((await db.selectFrom('event_log').select((eb) => eb.fn.sum<string>('alert_count').as('n')).where('integration_id', '=', integration.id).executeTakeFirst())?.n ?? 0);
    const deliveriesCounted = async () =>
      Number((await db.selectFrom('integrations').select('event_count').where('id', '=', integration.id).executeTakeFirstOrThrow()).event_count);
    expect(await deliveriesCounted()).toBe(await deliveriesLogged());

    // The client retries everything not answered, and re-sends some answered batches (Alertmanager repeats groups).
    const retries = [...Array.from({ length: BATCHES }, (_, batch) => batch).filter((batch) => !acked.has(batch)), ...[...acked].slice(0, 20)];
    for (const batch of retries) expect((await call('POST', '/api/v1/integrations/alertmanager', batchBody(run, batch), auth)).status).toBe(202);
    await drained();

    const duplicates = await db.selectFrom('alerts').select(['dedup_key', (eb) => eb.fn.countAll<string>().as('n')])
      .where('integration_id', '=', integration.id).groupBy('dedup_key').having(sql`count(*)`, '>', 1).execute();
    expect(duplicates).toEqual([]);
    const totals = await db.selectFrom('alerts').where('integration_id', '=', integration.id)
      .select([(eb) => eb.fn.countAll<string>().as('alerts'), (eb) => eb.fn.sum<string>('count').as('deliveries')]).executeTakeFirstOrThrow();
    expect(Number(totals.alerts)).toBe(BATCHES * PER_BATCH);
    // Every delivery processed once: folded into exactly one alert's count, and counted on the integration once.
    expect(await deliveriesCounted()).toBe(await deliveriesLogged());
    expect(Number(totals.deliveries)).toBe(await deliveriesCounted());
    // Every alert mapped to a CI sits in an incident that exists.
    const orphans = await db.selectFrom('alerts').leftJoin('incidents', 'incidents.id', 'alerts.incident_id')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('alerts.integration_id', '=', integration.id).where((eb) => eb.or([eb('alerts.incident_id', 'is', null), eb('incidents.id', 'is', null)]))
      .executeTakeFirstOrThrow();
    expect(Number(orphans.n)).toBe(0);
    const health = await call('GET', '/healthz');
    expect(health.status).toBe(200);
  });
});
