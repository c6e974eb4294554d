import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '../../testing/databases.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';

describe.each(testDatabaseKinds())('probe on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(kind); });
  afterAll(async () => t?.close());
  it('probe', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/integrations', headers: t.as('admin'), payload: { kind: 'alertmanager', name: 'g' } });
    const key = created.json<{ routingKey: string }>().routingKey;
    const pdc = await t.app.inject({ method: 'POST', url: '/api/v1/integrations', headers: t.as('admin'), payload: { kind: 'pagerduty-v2', name: 'p' } });
    const pdKey = pdc.json<{ routingKey: string }>().routingKey;
    const now = new Date().toISOString();
    const am = (body: unknown, headers: Record<string, string> = {}) => t.app.inject({ method: 'POST', url: '/api/v1/integrations/alertmanager', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers }, payload: typeof body === 'string' ? body : JSON.stringify(body) });
    const cases: Array<[string, () => Promise<{ statusCode: number; body: string }>]> = [
      ['alerts not array', () => am({ alerts: {} })],
      ['label number', () => am({ alerts: [{ status: 'firing', labels: { a: 1 }, startsAt: now }] })],
      ['startsAt garbage', () => am({ alerts: [{ status: 'firing', labels: { a: 'x' }, startsAt: 'garbage' }] })],
      ['endsAt garbage', () => am({ alerts: [{ status: 'resolved', labels: { a: 'x' }, startsAt: now, endsAt: 'garbage' }] })],
      ['status pending', () => am({ alerts: [{ status: 'pending', labels: { a: 'x' }, startsAt: now }] })],
      ['no labels', () => am({ alerts: [{ status: 'firing', startsAt: now }] })],
      ['empty alerts', () => am({ alerts: [] })],
      ['null body', () => am('null')],
      ['array body', () => am('[]')],
      ['BOM', () => am('\ufeff{"alerts":[]}')],
      ['bearer no key', () => am({ alerts: [] }, { authorization: 'Bearer' })],
      ['dup fingerprint in batch', () => am({ alerts: [{ status: 'firing', labels: { a: 'x' }, startsAt: now, fingerprint: 'dup1' }, { status: 'firing', labels: { a: 'x' }, startsAt: now, fingerprint: 'dup1' }] })],
      ['startsAt zero', () => am({ alerts: [{ status: 'firing', labels: { a: 'x' }, startsAt: '0001-01-01T00:00:00Z' }] })],
      ['lone surrogate', () => am('{"alerts":[{"status":"firing","labels":{"a":"x\\ud800y"},"annotations":{"summary":"s\\udc00"},"startsAt":"' + now + '","fingerprint":"sur1"}]}')],
      ['emoji', () => am({ alerts: [{ status: 'firing', labels: { a: '🔥'.repeat(300) }, annotations: { summary: '🔥'.repeat(600) }, startsAt: now, fingerprint: 'emo1' }] })],
      ['pd timestamp garbage', () => t.app.inject({ method: 'POST', url: '/v2/enqueue', headers: { 'content-type': 'application/json' }, payload: { routing_key: pdKey, event_action: 'trigger', payload: { summary: 's', source: 'x', severity: 'info', timestamp: 'nope' } } })],
      ['pd severity bad', () => t.app.inject({ method: 'POST', url: '/v2/enqueue', headers: { 'content-type': 'application/json' }, payload: { routing_key: pdKey, event_action: 'trigger', payload: { summary: 's', source: 'x', severity: 'bad' } } })],
      ['pd long summary emoji', () => t.app.inject({ method: 'POST', url: '/v2/enqueue', headers: { 'content-type': 'application/json' }, payload: { routing_key: pdKey, event_action: 'trigger', dedup_key: 'e'.repeat(255), payload: { summary: '🔥'.repeat(512), source: '🔥'.repeat(127), severity: 'info', component: 'c'.repeat(255), group: 'g'.repeat(255), class: 'k'.repeat(255) } } })],
      ['incidents bad status', () => t.app.inject({ method: 'GET', url: '/api/v1/incidents?status=bogus', headers: t.as('viewer') })],
      ['incidents bad cursor', () => t.app.inject({ method: 'GET', url: '/api/v1/incidents?cursor=%25%25zz', headers: t.as('viewer') })],
      ['incidents cursor abc', () => t.app.inject({ method: 'GET', url: '/api/v1/incidents?cursor=abc', headers: t.as('viewer') })],
      ['alerts bad cursor', () => t.app.inject({ method: 'GET', url: '/api/v1/alerts?cursor=abc', headers: t.as('viewer') })],
      ['incident bad id', () => t.app.inject({ method: 'GET', url: '/api/v1/incidents/not-a-uuid', headers: t.as('viewer') })],
      ['incident alerts bad id', () => t.app.inject({ method: 'GET', url: '/api/v1/incidents/zzz/alerts', headers: t.as('viewer') })],
      ['noise days', () => t.app.inject({ method: 'GET', url: '/api/v1/events/noise?days=100000', headers: t.as('viewer') })],
    ];
    for (const [name, run] of cases) {
      const r = await run();
      console.log(kind, name.padEnd(26), r.statusCode, r.body.slice(0, 140));
    }
    await Promise.race([t.services.events.drained(), new Promise((r) => setTimeout(r, 4000))]);
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/alerts', headers: t.as('viewer') });
    console.log(kind, 'alerts stored', list.json<{ items: Array<{ fingerprint: string; count: number }> }>().items.map((i) => `${i.fingerprint.slice(0, 8)}x${i.count}`).join(' '));
    const m = (await t.app.inject({ method: 'GET', url: '/metrics' })).body.split('\n').filter((l) => l.startsWith('opsloom_pipeline_set_aside_total') || l.startsWith('opsloom_intake_backlog'));
    console.log(kind, m.join(' | '));
    expect(true).toBe(true);
  });
});
