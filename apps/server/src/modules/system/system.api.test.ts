import { operations } from '@opsloom/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '../../testing/databases.js';
import { call, expectError } from '../../testing/http.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';
import { OPSLOOM_VERSION } from '../../version.js';

interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, { operationId?: string; security?: unknown[] }>>;
}

describe.each(testDatabaseKinds())('system endpoints on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => t?.close());

  it('GET /healthz → 200, /readyz → ready with the database kind', async () => {
    const health = await call(t, 'GET', '/healthz');
    expect(health.status).toBe(200);
    expect(health.json()).toEqual({ status: 'ok' });
    const ready = await call(t, 'GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', database: kind });
    expect((await call(t, 'GET', '/api/v1/version')).json()).toEqual({ version: OPSLOOM_VERSION, database: kind });
  });

  it('/metrics is Prometheus text with opsloom_ metrics, counting requests by route', async () => {
    await call(t, 'GET', '/api/v1/teams', { as: 'viewer' });
    const metrics = await call(t, 'GET', '/metrics');
    expect(metrics.status).toBe(200);
    expect(String(metrics.headers['content-type'])).toMatch(/^text\/plain/);
    expect(metrics.body).toMatch(/^# TYPE opsloom_http_requests_total counter$/m);
    expect(metrics.body).toMatch(/^opsloom_http_requests_total\{route="\/api\/v1\/teams",method="GET",status="200"\} [1-9]\d*$/m);
    expect(metrics.body).toMatch(/^opsloom_http_request_duration_seconds_bucket\{/m);
    expect(metrics.body).toMatch(/^opsloom_process_resident_memory_bytes \d+/m);
    expect(metrics.body).toMatch(/^opsloom_stream_subscribers \d+$/m);
  });

  it('/api/openapi.json is OpenAPI 3.1 with every operation at its path and method', async () => {
    const result = await call(t, 'GET', '/api/openapi.json');
    expect(result.status).toBe(200);
    const document = result.json<OpenApiDocument>();
    expect(document.openapi).toBe('3.1.0');
    expect(document.info).toMatchObject({ title: 'Opsloom API', version: OPSLOOM_VERSION });
    for (const operation of operations) {
      const entry = document.paths[operation.path]?.[operation.method.toLowerCase()];
      expect(entry, `${operation.method} ${operation.path}`).toBeDefined();
      expect(entry?.operationId).toBe(operation.id);
      if (operation.access.kind === 'public') expect(entry?.security).toBeUndefined();
      else expect(entry?.security).toEqual([{ bearer: [] }, { session: [] }]);
    }
    const documented = Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
    expect(new Set(documented)).toEqual(new Set(operations.map((operation) => `${operation.method} ${operation.path}`)));
    expect((await call(t, 'GET', '/api/docs')).status).toBeLessThan(400);
  });

  it('an unknown route → 404 in the error shape (other paths may be the web app)', async () => {
    expectError(await call(t, 'GET', '/api/no/such/thing'), 404, 'not_found', /^no route GET \/api\/no\/such\/thing$/);
    expectError(await call(t, 'GET', '/api/v1/no-such-resource?x=1'), 404, 'not_found', /^no route GET \/api\/v1\/no-such-resource$/);
    expectError(await call(t, 'DELETE', '/api/v1/teams'), 404, 'not_found', /^no route DELETE \/api\/v1\/teams$/);
  });

  it('search finds teams for everyone and people only for staff', async () => {
    await call(t, 'POST', '/api/v1/teams', { as: 'admin', payload: { slug: 'searchable', name: 'Searchable Team' } });
    const staff = (await call(t, 'GET', '/api/v1/search?q=test', { as: 'viewer' })).json<{ items: Array<{ type: string }> }>();
    expect(staff.items.some((item) => item.type === 'user')).toBe(true);
    const requester = (await call(t, 'GET', '/api/v1/search?q=search', { as: 'requester' })).json<{ items: Array<{ type: string; href: string }> }>();
    expect(requester.items).toEqual([expect.objectContaining({ type: 'team', href: '/teams/searchable' })]);
    expect((await call(t, 'GET', '/api/v1/search?q=test', { as: 'requester' })).json<{ items: Array<{ type: string }> }>().items.every((item) => item.type !== 'user')).toBe(true);
    expectError(await call(t, 'GET', '/api/v1/search?q=', { as: 'viewer' }), 400, 'validation_failed', /^querystring\.q: /);
  });
});
