import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../app.js';
import { systemActor } from '../../platform/activity/activity-spine.js';
import { testDatabaseKinds } from '../../testing/databases.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';
import { noiseTotals } from './testing/noise-totals.js';

const fixture = (name: string) => JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8')) as Record<string, unknown>;
/** The captured bodies carry their capture time; move event times to now so they are within the accepted range. */
const fresh = (body: Record<string, unknown>) => {
  const copy = structuredClone(body) as { alerts: Array<{ startsAt: string; endsAt: string; status: string }> };
  for (const alert of copy.alerts) {
    alert.startsAt = new Date(Date.now() - 60_000).toISOString();
    if (alert.status === 'resolved') alert.endsAt = new Date().toISOString();
  }
  return copy;
};

interface IntegrationAnswer { id: string; routingKey: string; url: string; kind: string }
interface IncidentItem { id: string; number: number; status: string; rootCause: { key: string } | null; cis: string[]; alertCount: number; team: { slug: string } | null; severity: string }

describe.each(testDatabaseKinds())('events and incidents API on %s', (kind) => {
  let t: TestApp;
  let am: IntegrationAnswer;
  let pd: IntegrationAnswer;
  let generic: IntegrationAnswer;
  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url, payload: payload as object, headers: { 'content-type': 'application/json', ...headers } });
  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: t.as('viewer') });
  const drained = () => t.services.events.drained();
  const logRows = async () => (await t.database.handle.db.selectFrom('event_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;

  beforeAll(async () => {
    t = await startTestApp(kind);
    for (const slug of ['storage', 'messaging', 'monitoring']) await t.services.identity.teams.create(systemActor, { slug, name: slug });
    const imported = await t.app.inject({
      method: 'POST', url: '/api/v1/cmdb/import', headers: t.as('admin'),
      payload: {
        cis: [
          { key: 'stor-01', type: 'storage', name: 'Storage array 1', team: 'storage', attributes: { hostname: 'stor-01.dc1.example' } },
          { key: 'mail-vm', type: 'vm', name: 'mail VM', team: 'messaging', attributes: { hostname: 'mail-01' } },
          { key: 'mail', type: 'service', name: 'E-mail', team: 'messaging' },
        ],
        relationships: [{ from: 'mail-vm', to: 'stor-01', type: 'depends_on' }, { from: 'mail-vm', to: 'mail', type: 'part_of' }],
      },
    });
    expect(imported.statusCode).toBe(200);
    const create = async (body: object) => {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/integrations', headers: t.as('admin'), payload: body });
      expect(res.statusCode).toBe(201);
      return res.json<IntegrationAnswer>();
    };
    am = await create({ kind: 'alertmanager', name: 'prometheus', team: 'monitoring' });
    pd = await create({ kind: 'pagerduty-v2', name: 'am-pagerduty' });
    generic = await create({ kind: 'generic', name: 'nagios' });
  });
  afterAll(async () => t?.close());

  it('creates integrations with a routing key, lists them and shows a config snippet', async () => {
    expect(am.routingKey).toMatch(/^[0-9a-f]{32}$/);
    expect(am.url).toMatch(/\/api\/v1\/integrations\/alertmanager$/);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/integrations', headers: t.as('viewer'), payload: { kind: 'generic', name: 'x' } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/integrations', headers: t.as('admin'), payload: { kind: 'smtp', name: 'x' } })).statusCode).toBe(400);
    const list = (await get('/api/v1/integrations')).json<{ items: IntegrationAnswer[] }>();
    expect(list.items.map((i) => i.id)).toEqual(expect.arrayContaining([am.id, pd.id, generic.id]));
    const detail = (await get(`/api/v1/integrations/${am.id}`)).json<{ configSnippet: string; team: { slug: string } }>();
    expect(detail.configSnippet).toContain(`credentials: ${am.routingKey}`);
    expect(detail.team.slug).toBe('monitoring');
  });

  it('takes the real Alertmanager webhook body, opens an incident on the mapped CI and resolves it', async () => {
    expect((await post('/api/v1/integrations/alertmanager', fresh(fixture('webhook-firing.json')))).statusCode).toBe(401);
    const firing = await post('/api/v1/integrations/alertmanager', fresh(fixture('webhook-firing.json')), { authorization: `Bearer ${am.routingKey}` });
    expect(firing.statusCode).toBe(202);
    expect(firing.json()).toMatchObject({ status: 'success', accepted: 1 });
    await drained();
    const incidents = (await get('/api/v1/incidents?status=open')).json<{ items: IncidentItem[]; nextCursor: null }>();
    const incident = incidents.items.find((i) => i.cis.includes('stor-01'));
    expect(incident).toMatchObject({ status: 'open', rootCause: { key: 'stor-01' }, alertCount: 1, team: { slug: 'storage' }, severity: 'critical' });
    const alerts = (await get(`/api/v1/incidents/${incident?.id}/alerts`)).json<{ items: Array<{ fingerprint: string; ci: string; count: number; status: string }> }>();
    expect(alerts.items).toEqual([expect.objectContaining({ fingerprint: 'b22924a86144bc67', ci: 'stor-01', count: 1, status: 'firing' })]);
    const detail = (await get(`/api/v1/incidents/${incident?.id}`)).json<{ impactedServices: Array<{ key: string }>; rootCauseExplanation: string }>();
    expect(detail.impactedServices.map((s) => s.key)).toEqual(['mail']);

    // A retried delivery folds into the same alert.
    await post('/api/v1/integrations/alertmanager', fresh(fixture('webhook-firing.json')), { authorization: `Bearer ${am.routingKey}` });
    const resolved = await post('/api/v1/integrations/alertmanager', fresh(fixture('webhook-resolved.json')), { authorization: `Bearer ${am.routingKey}` });
    expect(resolved.statusCode).toBe(202);
    await drained();
    const after = (await get(`/api/v1/incidents/${incident?.id}/alerts`)).json<{ items: Array<{ count: number; status: string }> }>();
    expect(after.items).toEqual([expect.objectContaining({ count: 3, status: 'resolved' })]);
    expect((await get(`/api/v1/incidents/${incident?.id}`)).json()).toMatchObject({ status: 'resolved' });
    const console = (await get('/api/v1/alerts?ci=stor-01')).json<{ items: Array<{ reason: { rule: string }; incident: { number: number } }> }>();
    expect(console.items[0]).toMatchObject({ reason: { rule: 'opened' }, incident: { number: incident?.number } });
  });

  it('answers PagerDuty Events v2 exactly like PagerDuty and maps Alertmanager’s PagerDuty events to CIs', async () => {
    const trigger = await post('/v2/enqueue', { ...fixture('pagerduty-v2-trigger.json'), routing_key: pd.routingKey });
    expect(trigger.statusCode).toBe(202);
    expect(trigger.json()).toEqual({ status: 'success', message: 'Event processed', dedup_key: '1bfc330fa465b42d2d24006bb4b36bfb557896ed11fdc527806baf80463735cf' });
    await drained();
    const alerts = (await get(`/api/v1/alerts?integration=${pd.id}`)).json<{ items: Array<{ ci: { key: string } | null; status: string }> }>();
    expect(alerts.items[0]).toMatchObject({ ci: { key: 'stor-01' }, status: 'firing' });

    const unknown = await post('/v2/enqueue', { ...fixture('pagerduty-v2-trigger.json'), routing_key: 'f'.repeat(32) });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ status: 'invalid event', message: 'Event object is invalid', errors: [expect.stringMatching(/routing_key/)] });
    const invalid = await post('/v2/enqueue', { routing_key: pd.routingKey, event_action: 'explode' });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json<{ errors: string[] }>().errors[0]).toMatch(/^event_action: /);
    // Invalid against the schema, yet its routing key names the integration: that one remembers why.
    expect((await get(`/api/v1/integrations/${pd.id}`)).json<{ lastError: { message: string } | null }>().lastError?.message).toMatch(/^400: event_action: /);
    const noKey = await post('/v2/enqueue', { routing_key: pd.routingKey, event_action: 'resolve' });
    expect(noKey.json<{ errors: string[] }>().errors).toEqual(["dedup_key: required for 'resolve'"]);
    expect((await get(`/api/v1/integrations/${pd.id}`)).json<{ lastError: { message: string } | null }>().lastError?.message).toBe("400: dedup_key: required for 'resolve'");
    // Bodies refused before the handler still answer in PagerDuty's shape.
    const malformed = await post('/v2/enqueue', '{"routing_key": ');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ status: 'invalid event', message: 'Event object is invalid', errors: [expect.stringMatching(/^body: not valid JSON/)] });
    const nul = await post('/v2/enqueue', `{"routing_key": "${pd.routingKey}", "event_action": "trigger", "payload": {"summary": "a\\u0000b", "source": "s", "severity": "info"}}`);
    expect(nul.json<{ errors: string[] }>().errors).toEqual([expect.stringMatching(/^body\.payload\.summary: contains a NUL character/)]);
    const tooLarge = await post('/v2/enqueue', { routing_key: pd.routingKey, event_action: 'trigger', payload: { summary: 'x'.repeat(600 * 1024), source: 's', severity: 'info' } });
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json()).toMatchObject({ status: 'invalid event', errors: [expect.stringMatching(/^body: larger than the limit/)] });
    const generated = await post('/v2/enqueue', { routing_key: pd.routingKey, event_action: 'trigger', payload: { summary: 'x', source: 'mail-01', severity: 'warning' } });
    expect(generated.json<{ dedup_key: string }>().dedup_key).toMatch(/^[0-9a-f]{32}$/);

    const resolve = await post('/v2/enqueue', { ...fixture('pagerduty-v2-resolve.json'), routing_key: pd.routingKey });
    expect(resolve.statusCode).toBe(202);
    await drained();
    const afterResolve = (await get(`/api/v1/alerts?integration=${pd.id}&ci=stor-01`)).json<{ items: Array<{ status: string }> }>();
    expect(afterResolve.items[0].status).toBe('resolved');
  });

  it('takes generic events, dedups retries and explains why an alert joined', async () => {
    const auth = { authorization: `Bearer ${generic.routingKey}` };
    const event = { source: 'nagios', ci: 'stor-01', summary: 'Array degraded', severity: 'major', status: 'firing', occurredAt: new Date().toISOString() };
    expect((await post('/api/v1/events', event, auth)).statusCode).toBe(202);
    expect((await post('/api/v1/events', event, auth)).statusCode).toBe(202);
    expect((await post('/api/v1/events', { ...event, ci: 'mail-01', summary: 'IMAP down' }, auth)).statusCode).toBe(202);
    await drained();
    const items = (await get(`/api/v1/alerts?integration=${generic.id}`)).json<{ items: Array<{ ci: { key: string }; count: number; incident: { id: string }; reason: { rule: string; path: string[] } }> }>().items;
    expect(items).toHaveLength(2);
    const [vm, array] = items;
    expect(array).toMatchObject({ ci: { key: 'stor-01' }, count: 2 });
    expect(vm).toMatchObject({ ci: { key: 'mail-vm' }, reason: { rule: 'explained_by_root', path: ['stor-01', 'mail-vm'] } });
    expect(vm.incident.id).toBe(array.incident.id);
  });

  it('rejects bad input whole, naming the field, and accepts nothing of it', async () => {
    const auth = { authorization: `Bearer ${generic.routingKey}` };
    const before = await logRows();
    const base = { source: 'cron', summary: 'backup late', severity: 'warning', status: 'firing' };
    const future = await post('/api/v1/events', { ...base, occurredAt: new Date(Date.now() + 3 * 86_400_000).toISOString() }, auth);
    expect(future.statusCode).toBe(400);
    expect(future.json<{ error: { message: string } }>().error.message).toMatch(/^body\.0\.occurredAt: more than one day in the future/);
    const past = await post('/api/v1/events', [base, { ...base, occurredAt: '2001-01-01T00:00:00Z' }], auth);
    expect(past.json<{ error: { message: string } }>().error.message).toMatch(/^body\.1\.occurredAt: more than one year in the past/);
    const severity = await post('/api/v1/events', { ...base, severity: 'disaster' }, auth);
    expect(severity.statusCode).toBe(400);
    expect(severity.json<{ error: { message: string } }>().error.message).toMatch(/severity/);
    const huge = await post('/api/v1/events', { ...base, labels: { blob: 'x'.repeat(5000) } }, auth);
    expect(huge.json<{ error: { message: string } }>().error.message).toMatch(/^body\.0\.labels\.blob: label value longer than 1024/);
    const alerts = Array.from({ length: 1001 }, (_, i) => ({ status: 'firing', labels: { alertname: `A${i}` }, startsAt: new Date().toISOString() }));
    const tooMany = await post('/api/v1/integrations/alertmanager', { version: '4', alerts }, { authorization: `Bearer ${am.routingKey}` });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json<{ error: { message: string } }>().error.message).toMatch(/^body\.alerts: /);
    const malformed = await post('/api/v1/integrations/alertmanager', '{"alerts": [', { authorization: `Bearer ${am.routingKey}` });
    expect(malformed.statusCode).toBe(400);
    // PostgreSQL text cannot hold U+0000: refused on both databases, before anything is logged.
    const nul = await post('/api/v1/integrations/alertmanager', { version: '4', alerts: [{ status: 'firing', labels: { alertname: 'Nul', instance: 'db\u0000-01' }, startsAt: new Date().toISOString() }] }, { authorization: `Bearer ${am.routingKey}` });
    expect(nul.statusCode).toBe(400);
    expect(nul.json<{ error: { message: string } }>().error.message).toMatch(/^body\.alerts\.0\.labels\.instance: contains a NUL character/);
    expect(await logRows()).toBe(before);
    // A cursor this server did not issue is refused, not read as a place to page from.
    for (const url of ['/api/v1/incidents?cursor=abc', '/api/v1/alerts?cursor=%25zz', '/api/v1/inbox?cursor=0']) {
      const page = await get(url);
      expect(page.statusCode, url).toBe(400);
      expect(page.json<{ error: { message: string } }>().error.message).toBe('query.cursor: not a cursor this server issued');
    }
    // The cursors it issues page on, newest first, without repeats.
    for (const list of ['/api/v1/incidents?status=all', '/api/v1/alerts?status=all']) {
      const first = (await get(`${list}&limit=1`)).json<{ items: Array<{ id: string }>; nextCursor: string }>();
      expect(first.nextCursor, list).toBe(first.items[0].id);
      const second = (await get(`${list}&limit=1&cursor=${first.nextCursor}`)).json<{ items: Array<{ id: string }> }>();
      expect(second.items).toHaveLength(1);
      expect(second.items[0].id < first.items[0].id, list).toBe(true);
    }
    // Counted in an onResponse hook, which may finish after inject() has returned.
    await vi.waitFor(async () => {
      const detail = (await get(`/api/v1/integrations/${generic.id}`)).json<{ errorCount: number; lastError: { message: string } | null }>();
      expect(detail.errorCount).toBeGreaterThanOrEqual(4);
      // The last refusal, as the sender was answered.
      expect(detail.lastError?.message).toMatch(/^400: body\.0\.labels\.blob: label value longer than 1024/);
    });
    await vi.waitFor(async () => {
      const detail = (await get(`/api/v1/integrations/${am.id}`)).json<{ lastError: { at: string; message: string } | null }>();
      expect(detail.lastError?.message).toMatch(/^400: body\.alerts\.0\.labels\.instance: contains a NUL character/);
      expect(Date.now() - Date.parse(detail.lastError?.at ?? '')).toBeLessThan(60_000);
    });
  });

  it('stores alerts whose labels are at every limit (a 1,024-character job label becomes a 255-character source)', async () => {
    const labels = { alertname: 'AtTheLimits', job: 'j'.repeat(1024), instance: `${'i'.repeat(1018)}:9100`, service: 's'.repeat(1024) };
    const body = { version: '4', alerts: [{ status: 'firing', labels, annotations: { summary: 'y'.repeat(1024) }, startsAt: new Date().toISOString(), fingerprint: 'f'.repeat(200) }] };
    expect((await post('/api/v1/integrations/alertmanager', body, { authorization: `Bearer ${am.routingKey}` })).statusCode).toBe(202);
    await drained();
    const items = (await get(`/api/v1/alerts?integration=${am.id}&unmapped=true`)).json<{ items: Array<{ fingerprint: string; labels: Record<string, string> }> }>().items;
    expect(items.find((i) => i.fingerprint === 'f'.repeat(200))?.labels).toEqual(labels);
    const source = await t.database.handle.db.selectFrom('alerts').select('source').where('dedup_key', '=', 'f'.repeat(200)).executeTakeFirstOrThrow();
    expect(source.source).toBe('j'.repeat(255));
    // Text cut to a column's size (titles at 300) keeps emoji whole: half of one is not storable text.
    const emoji = { status: 'firing', labels: { alertname: 'EmojiAtTheCut', job: `${'j'.repeat(254)}🔥` }, annotations: { summary: `${'a'.repeat(299)}${'🔥'.repeat(362)}` }, startsAt: new Date().toISOString(), fingerprint: 'emoji-at-the-cut' };
    expect((await post('/api/v1/integrations/alertmanager', { version: '4', alerts: [emoji] }, { authorization: `Bearer ${am.routingKey}` })).statusCode).toBe(202);
    await drained();
    const stored = await t.database.handle.db.selectFrom('alerts').select(['source', 'summary', 'incident_id']).where('dedup_key', '=', 'emoji-at-the-cut').executeTakeFirstOrThrow();
    expect(stored.source).toBe('j'.repeat(254));
    expect(stored.summary).toBe(`${'a'.repeat(299)}${'🔥'.repeat(362)}`);
    const incident = (await get(`/api/v1/incidents/${stored.incident_id}`)).json<{ title: string }>();
    expect(incident.title).toBe('a'.repeat(299));
  });

  it('sets aside a batch the database refuses to store, and goes on with the batches after it', async () => {
    const db = t.database.handle.db;
    // A stand-in for a value the database cannot hold (the real cases are closed at intake).
    const refuse = kind === 'postgres'
      ? sql`alter table alerts add constraint test_refuse check (summary <> 'refused by the database')`
      : sql`create trigger test_refuse before insert on alerts when new.summary = 'refused by the database' begin select raise(abort, 'refused by the database'); end`;
    await refuse.execute(db);
    try {
      const auth = { authorization: `Bearer ${generic.routingKey}` };
      const event = (summary: string) => ({ source: 'cron', ci: 'mail-vm', summary, severity: 'minor', status: 'firing' });
      const errorsBefore = (await get(`/api/v1/integrations/${generic.id}`)).json<{ errorCount: number }>().errorCount;
      // Together, so they reach the pipeline in one run: the run fails, then goes batch by batch.
      const answers = await Promise.all(['stored before', 'refused by the database', 'stored after'].map((summary) => post('/api/v1/events', event(summary), auth)));
      expect(answers.map((a) => a.statusCode)).toEqual([202, 202, 202]);
      await drained();
      const summaries = (await get('/api/v1/alerts?ci=mail-vm')).json<{ items: Array<{ summary: string }> }>().items.map((i) => i.summary);
      expect(summaries).toEqual(expect.arrayContaining(['stored before', 'stored after']));
      expect(summaries).not.toContain('refused by the database');
      const setAside = (await get('/api/v1/activity?limit=20')).json<{ items: Array<{ verb: string; summary: string }> }>().items.filter((a) => a.verb === 'alerts.set_aside');
      expect(setAside).toHaveLength(1);
      expect(setAside[0].summary).toMatch(/^A batch of 1 alert\(s\) could not be stored and was set aside: /);
      await vi.waitFor(async () => expect((await get(`/api/v1/integrations/${generic.id}`)).json<{ errorCount: number }>().errorCount).toBe(errorsBefore + 1));
      expect((await t.app.inject({ method: 'GET', url: '/metrics' })).body).toMatch(/^opsloom_pipeline_set_aside_total 1$/m);
    } finally {
      await (kind === 'postgres' ? sql`alter table alerts drop constraint test_refuse` : sql`drop trigger test_refuse`).execute(db);
    }
  });

  it('after a run and its reload both fail (the database away), reloads before going on: re-sent alerts still fold', async () => {
    const db = t.database.handle.db;
    const auth = { authorization: `Bearer ${generic.routingKey}` };
    const event = { source: 'cron', ci: 'stor-01', summary: 'array degraded', severity: 'major', status: 'firing', fingerprint: 'outage-fold' };
    expect((await post('/api/v1/events', event, auth)).statusCode).toBe(202);
    await drained();
    const rowsOf = () => db.selectFrom('alerts').select(['id', 'count']).where('dedup_key', '=', 'outage-fold').execute();
    expect(await rowsOf()).toHaveLength(1);
    // Incidents out of reach: the run's commit fails, and so does reloading the open incidents.
    await sql`alter table incidents rename to incidents_away`.execute(db);
    try {
      expect((await post('/api/v1/events', { ...event, fingerprint: 'outage-new' }, auth)).statusCode).toBe(202);
      await vi.waitFor(async () => expect((await t.app.inject({ method: 'GET', url: '/metrics' })).body).toMatch(/^opsloom_intake_backlog_alerts [1-9]/m));
      await new Promise((resolve) => setTimeout(resolve, 1500));
    } finally {
      await sql`alter table incidents_away rename to incidents`.execute(db);
    }
    expect((await post('/api/v1/events', event, auth)).statusCode).toBe(202);
    await drained();
    const rows = await rowsOf();
    expect(rows).toHaveLength(1);
    expect(rows[0].count).toBe(2);
    expect(await db.selectFrom('alerts').select('id').where('dedup_key', '=', 'outage-new').execute()).toHaveLength(1);
  });

  it('keeps the latest refusal as the last error when refusals are recorded out of order', async () => {
    const before = (await get(`/api/v1/integrations/${generic.id}`)).json<{ errorCount: number }>().errorCount;
    const at = Date.now() + 60_000;
    await t.services.events.integrations.recordError(generic.id, '400: the later one', at);
    await t.services.events.integrations.recordError(generic.id, '400: an earlier one, recorded late', at - 1000);
    const detail = (await get(`/api/v1/integrations/${generic.id}`)).json<{ errorCount: number; lastError: { at: string; message: string } }>();
    expect(detail.errorCount).toBe(before + 2);
    expect(detail.lastError).toEqual({ at: new Date(at).toISOString(), message: '400: the later one' });
  });

  it('answers 429 with Retry-After when the backlog is full; 503 with Retry-After to Alertmanager\'s webhook, which retries only 5xx', async () => {
    const log = t.services.events.log;
    const limit = log.admission.maxBacklog;
    log.admission.maxBacklog = 0;
    try {
      const res = await post('/api/v1/events', { source: 's', summary: 'x', severity: 'info', status: 'firing' }, { authorization: `Bearer ${generic.routingKey}` });
      expect(res.statusCode).toBe(429);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.json<{ error: { code: string } }>().error.code).toBe('rate_limited');
      const pdRes = await post('/v2/enqueue', { routing_key: pd.routingKey, event_action: 'trigger', payload: { summary: 'x', source: 'y', severity: 'info' } });
      expect(pdRes.statusCode).toBe(429);
      const amRes = await post('/api/v1/integrations/alertmanager', fresh(fixture('webhook-firing.json')), { authorization: `Bearer ${am.routingKey}` });
      expect(amRes.statusCode).toBe(503);
      expect(amRes.headers['retry-after']).toBe('1');
      expect(amRes.json<{ error: { code: string; message: string } }>().error).toMatchObject({ code: 'unavailable', message: expect.stringMatching(/^intake backlog is full/) as string });
    } finally {
      log.admission.maxBacklog = limit;
    }
  });

  it('shows intake and correlation on /metrics: deliveries, duplicates, rejections, incidents, delay and open state', async () => {
    const scrape = async () => {
      const res = await t.app.inject({ method: 'GET', url: '/metrics' });
      expect(res.statusCode).toBe(200);
      return (name: string, labels = '') => {
        const line = res.body.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
        return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
      };
    };
    const before = await scrape();
    const startsAt = new Date(Date.now() - 30_000).toISOString();
    const probe = (n: number) => ({
      status: 'firing', labels: { alertname: 'MetricsProbe', job: 'metrics-probe', instance: `nowhere-${n}:9100` }, annotations: {},
      startsAt, endsAt: '0001-01-01T00:00:00Z', generatorURL: '', fingerprint: `metrics-probe-${n}`,
    });
    const webhook = (alerts: object[]) => ({ version: '4', status: 'firing', receiver: 'opsloom', groupKey: 'g', truncatedAlerts: 0, groupLabels: {}, commonLabels: {}, commonAnnotations: {}, externalURL: '', alerts });
    const auth = { authorization: `Bearer ${am.routingKey}` };
    expect((await post('/api/v1/integrations/alertmanager', webhook([probe(1), probe(2), probe(3)]), auth)).statusCode).toBe(202);
    // Alertmanager re-sends firing alerts with every group notification: a delivery, not a new alert.
    expect((await post('/api/v1/integrations/alertmanager', webhook([probe(1)]), auth)).statusCode).toBe(202);
    expect((await post('/api/v1/integrations/alertmanager', webhook([{ ...probe(4), startsAt: 'yesterday' }]), auth)).statusCode).toBe(400);
    expect((await post('/v2/enqueue', { routing_key: pd.routingKey, event_action: 'trigger', dedup_key: 'metrics-probe-pd', payload: { summary: 'probe', source: 'nowhere-pd', severity: 'info' } })).statusCode).toBe(202);
    expect((await post('/v2/enqueue', { routing_key: pd.routingKey, event_action: 'trigger' })).statusCode).toBe(400);
    expect((await post('/api/v1/integrations/alertmanager', webhook([probe(5)]), { authorization: 'Bearer not-a-routing-key' })).statusCode).toBe(401);
    await drained();
    const after = await scrape();
    const delta = (name: string, labels = '') => after(name, labels) - before(name, labels);

    expect(delta('opsloom_alert_deliveries_total', 'format="alertmanager",status="firing"')).toBe(4);
    expect(delta('opsloom_alert_deliveries_total', 'format="pagerduty",status="firing"')).toBe(1);
    expect(delta('opsloom_alerts_created_total')).toBe(4);
    expect(delta('opsloom_intake_rejected_total', 'format="alertmanager",reason="invalid"')).toBe(1);
    expect(delta('opsloom_intake_rejected_total', 'format="pagerduty",reason="invalid"')).toBe(1);
    await vi.waitFor(async () => expect((await scrape())('opsloom_intake_rejected_total', 'format="alertmanager",reason="unauthenticated"') - before('opsloom_intake_rejected_total', 'format="alertmanager",reason="unauthenticated"')).toBe(1));
    // The three probes share their job label: one incident; the PagerDuty probe opens its own.
    expect(delta('opsloom_incidents_opened_total')).toBe(2);
    expect(delta('opsloom_pipeline_delay_seconds_count')).toBeGreaterThanOrEqual(3);
    expect(delta('opsloom_intake_commit_duration_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(after('opsloom_intake_backlog_alerts')).toBe(0);
    expect(after('opsloom_alerts_open')).toBe(t.services.events.pipeline?.openAlertCount);
    expect(after('opsloom_incidents_open')).toBeGreaterThanOrEqual(2);
  });

  it('refuses with Retry-After while too many bytes of batches are being received, and takes them again once they are done', async () => {
    const inFlight = t.services.events.inFlight;
    expect(inFlight.bytes).toBe(0);
    const limit = inFlight.limit;
    inFlight.limit = 150_000;
    const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = new URL(address);
    // A sender that declares 100 kB and stops half-way: its reservation holds while the connection is open.
    const slow = net.connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => slow.once('connect', resolve));
    slow.write(`POST /api/v1/integrations/alertmanager HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nauthorization: Bearer ${am.routingKey}\r\ncontent-length: 100000\r\n\r\n{"alerts": [`);
    try {
      await vi.waitFor(() => expect(inFlight.bytes).toBe(100_000));
      const batch = JSON.stringify({ version: '4', alerts: [{ status: 'firing', labels: { alertname: 'InFlight', pad: 'p'.repeat(1000) }, startsAt: new Date().toISOString(), fingerprint: 'in-flight' }] }).padEnd(60_000, ' ');
      const send = () => fetch(`${address}/api/v1/integrations/alertmanager`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${am.routingKey}` }, body: batch });
      const refused = await send();
      // 503, not 429: Alertmanager's webhook receiver retries only 5xx answers.
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/^intake is receiving 98 KiB of batches already/);
      slow.destroy();
      await vi.waitFor(() => expect(inFlight.bytes).toBe(0));
      expect((await send()).status).toBe(202);
      expect(inFlight.bytes).toBe(0);
    } finally {
      slow.destroy();
      inFlight.limit = limit;
    }
  });

  it('keeps an accepted batch across a stop and replays it on the next start', async () => {
    await t.services.events.stop();
    const accepted = await post('/api/v1/events', { source: 'nagios', ci: 'mail-vm', summary: 'replayed after restart', severity: 'minor', status: 'firing' }, { authorization: `Bearer ${generic.routingKey}` });
    expect(accepted.statusCode).toBe(202);
    const second = await buildApp({ config: t.config, database: t.database.handle, logger: false });
    await second.app.ready();
    try {
      await second.services.events.drained();
      const items = (await second.app.inject({ method: 'GET', url: '/api/v1/alerts?ci=mail-vm&status=firing', headers: t.as('viewer') })).json<{ items: Array<{ summary: string }> }>().items;
      expect(items.map((i) => i.summary)).toContain('replayed after restart');
      const noise = (await second.app.inject({ method: 'GET', url: '/api/v1/events/noise?days=366', headers: t.as('viewer') })).json<{ totals: { alerts: number; deliveries: number; incidents: number } }>();
      expect(noise.totals.alerts).toBeGreaterThan(noise.totals.incidents);
      // Every path this file took (three formats, duplicates, resolves, acknowledges, a batch set
      // aside, a reload, a replay) kept the noise figure's running totals equal to the alerts stored.
      const { kept, fromAlerts } = await noiseTotals(t.database.handle.db);
      expect(kept).toEqual(fromAlerts);
      expect(noise.totals).toMatchObject({ alerts: fromAlerts.reduce((n, r) => n + r.alerts, 0), deliveries: fromAlerts.reduce((n, r) => n + r.deliveries, 0) });
    } finally {
      await second.services.events.stop();
    }
  });
});
