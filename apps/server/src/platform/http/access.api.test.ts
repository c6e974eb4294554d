import { randomUUID } from 'node:crypto';
import { type Operation, operations, type Role, roles } from '@opsloom/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '../../testing/databases.js';
import { call, type CallResult, expectError, registeredRoutes } from '../../testing/http.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';
import { toFastifyPath } from './register-operation.js';

/**
 * The route × role walk: every operation of the contract, called without credentials,
 * with bad ones and as each role. The rule lives in one place (`operation.access`), so
 * this test is what keeps the server honest about it.
 */
describe.each(testDatabaseKinds())('route × role walk on %s', (kind) => {
  let t: TestApp;
  let baseUrl: string;
  let teamId: string;
  const teamSlug = 'walk-team';

  beforeAll(async () => {
    t = await startTestApp(kind);
    const team = await call(t, 'POST', '/api/v1/teams', { as: 'admin', payload: { slug: teamSlug, name: 'Walk' } });
    teamId = team.json<{ id: string }>().id;
    baseUrl = await t.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => t?.close());

  /** Plausible path parameters: the caller's own handle, an existing team, unknown token ids. */
  function urlFor(operation: Operation, role: Role | null): string {
    const values: Record<string, string> = {
      team: teamSlug,
      user: role ? t.users[role].handle : 'admin',
      id: randomUUID(),
      subjectType: 'team',
      subjectId: teamId,
    };
    return operation.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      // Anything else is an id of something that does not exist: a 404 or 400, never a 401/403.
      return encodeURIComponent(values[name] ?? randomUUID());
    });
  }

  async function invoke(operation: Operation, role: Role | null, headers: Record<string, string> = {}): Promise<CallResult> {
    const url = urlFor(operation, role);
    const allHeaders = { ...(role ? t.as(role) : {}), ...headers };
    if (operation.produces === 'text/event-stream') {
      // A stream never ends on its own: read the status over real HTTP, then hang up.
      const abort = new AbortController();
      const response = await fetch(`${baseUrl}${url}`, { headers: allHeaders, signal: abort.signal });
      const body = response.headers.get('content-type')?.startsWith('application/json') ? await response.text() : '';
      abort.abort();
      const responseHeaders: Record<string, string> = {};
      response.headers.forEach((value, key) => {
        responseHeaders[key] = value;
      });
      return { status: response.status, headers: responseHeaders, body, json: <T>() => JSON.parse(body) as T };
    }
    return call(t, operation.method, url, { headers: allHeaders });
  }

  it('covers a non-trivial contract', () => {
    expect(operations.length).toBeGreaterThanOrEqual(20);
    expect(new Set(operations.map((operation) => operation.id)).size).toBe(operations.length);
  });

  for (const operation of operations) {
    describe(`${operation.method} ${operation.path} (${operation.id})`, () => {
      if (operation.access.kind === 'public') {
        it('is public: never 401 or 403, with or without credentials', async () => {
          for (const headers of [{}, { authorization: 'Bearer olt_not-a-token' }] as Array<Record<string, string>>) {
            const result = await invoke(operation, null, headers);
            expect([401, 403], result.body).not.toContain(result.status);
          }
          for (const role of roles) {
            const result = await invoke(operation, role);
            expect([401, 403], `${role}: ${result.body}`).not.toContain(result.status);
          }
        });
        return;
      }
      const allowed = operation.access.roles;

      it('answers 401 without credentials', async () => {
        expectError(await invoke(operation, null), 401, 'unauthenticated');
      });

      it('answers 401 with a bad bearer token, a malformed authorization header or a bad session cookie', async () => {
        expectError(await invoke(operation, null, { authorization: 'Bearer olt_not-a-token' }), 401, 'unauthenticated', /bearer token/);
        expectError(await invoke(operation, null, { authorization: 'Basic YWRtaW46YWRtaW4=' }), 401, 'unauthenticated', /authorization/);
        expectError(await invoke(operation, null, { cookie: 'opsloom_session=forged' }), 401, 'unauthenticated', /session/);
      });

      for (const role of roles) {
        if (allowed.includes(role)) {
          it(`lets ${role} through (not 401/403)`, async () => {
            const result = await invoke(operation, role);
            expect([401, 403], result.body).not.toContain(result.status);
            expect(result.status, result.body).toBeLessThan(500);
          });
        } else {
          it(`answers 403 to ${role}`, async () => {
            expectError(await invoke(operation, role), 403, 'forbidden', new RegExp(`requires role .*you are ${role}`));
          });
        }
      }
    });
  }

  it('registers every operation, and nothing under /api/v1 that is not an operation', () => {
    const declared = new Set(operations.map((operation) => `${operation.method} ${toFastifyPath(operation.path)}`));
    const registered = registeredRoutes(t.app)
      .filter((route) => route.url.startsWith('/api/v1') && route.method !== 'HEAD')
      .map((route) => `${route.method} ${route.url}`);
    expect(registered.length).toBeGreaterThan(0);
    expect(registered.filter((route) => !declared.has(route))).toEqual([]);
    for (const operation of operations) {
      expect(t.app.hasRoute({ method: operation.method, url: toFastifyPath(operation.path) }), operation.id).toBe(true);
    }
  });
});
