import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '../../testing/databases.js';
import { activitySince, call, expectError, maxActivityId, snapshotCounts } from '../../testing/http.js';
import { startTestApp, TEST_PASSWORD, type TestApp, unique } from '../../testing/test-app.js';
import { LOGIN_ATTEMPT_LIMIT } from './auth.service.js';

describe.each(testDatabaseKinds())('cookie sessions on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => t?.close());

  async function login(email: string, password = TEST_PASSWORD) {
    const result = await call(t, 'POST', '/api/v1/auth/login', { payload: { email, password }, headers: { 'user-agent': 'session-test' } });
    return result;
  }

  function sessionCookie(setCookie: unknown): { cookie: string; attributes: string[] } {
    const header = Array.isArray(setCookie) ? setCookie.map(String).find((c) => c.startsWith('opsloom_session=')) : String(setCookie);
    if (!header) throw new Error('no session cookie set');
    const [pair, ...attributes] = header.split(';').map((part) => part.trim());
    return { cookie: pair, attributes: attributes.map((a) => a.toLowerCase()) };
  }

  it('login sets an httpOnly SameSite cookie and the session works with it', async () => {
    const mark = await maxActivityId(t.database.handle.db);
    const result = await login(t.users.operator.email.toUpperCase());
    const records = await activitySince(t.database.handle.db, mark);
    expect(records.map((r) => [r.verb, r.actor_id, r.subject_id, r.via, r.user_agent])).toEqual([
      ['session.created', t.users.operator.id, t.users.operator.id, 'session', 'session-test'],
    ]);
    expect(result.status, result.body).toBe(200);
    const body = result.json<{ user: { handle: string; role: string }; csrfToken: string }>();
    expect(body.user).toMatchObject({ handle: t.users.operator.handle, role: 'operator' });
    expect(body.csrfToken.length).toBeGreaterThanOrEqual(20);
    const { cookie, attributes } = sessionCookie(result.headers['set-cookie']);
    expect(attributes).toContain('httponly');
    expect(attributes.some((a) => a === 'samesite=lax' || a === 'samesite=strict')).toBe(true);
    expect(attributes).toContain('path=/');
    expect(attributes.some((a) => a.startsWith('max-age='))).toBe(true);

    const session = await call(t, 'GET', '/api/v1/auth/session', { headers: { cookie } });
    expect(session.status).toBe(200);
    expect(session.json()).toMatchObject({ user: { handle: t.users.operator.handle }, csrfToken: body.csrfToken });

    // The session cookie itself is never stored: only its hash.
    const stored = await t.database.handle.db.selectFrom('sessions').selectAll().where('user_id', '=', t.users.operator.id).execute();
    const secret = cookie.split('=')[1];
    for (const row of stored) expect(Object.values(row)).not.toContain(secret);
  });

  it('writes with the cookie need the x-csrf-token of that session', async () => {
    const result = await login(t.users.admin.email);
    const { cookie } = sessionCookie(result.headers['set-cookie']);
    const { csrfToken } = result.json<{ csrfToken: string }>();
    const before = await snapshotCounts(t.database.handle.db);
    const payload = { slug: unique('csrf'), name: 'CSRF' };
    expectError(await call(t, 'POST', '/api/v1/teams', { headers: { cookie }, payload }), 403, 'forbidden', /^x-csrf-token: /);
    expectError(await call(t, 'POST', '/api/v1/teams', { headers: { cookie, 'x-csrf-token': 'wrong' }, payload }), 403, 'forbidden', /^x-csrf-token: /);
    const other = (await login(t.users.viewer.email)).json<{ csrfToken: string }>().csrfToken;
    expectError(await call(t, 'POST', '/api/v1/teams', { headers: { cookie, 'x-csrf-token': other }, payload }), 403, 'forbidden');
    const after = await snapshotCounts(t.database.handle.db);
    expect({ ...after, sessions: before.sessions, activity: before.activity }).toEqual(before);
    expect(after.teams).toBe(before.teams);

    const created = await call(t, 'POST', '/api/v1/teams', { headers: { cookie, 'x-csrf-token': csrfToken }, payload });
    expect(created.status, created.body).toBe(201);
    // Reads need no CSRF token.
    expect((await call(t, 'GET', '/api/v1/teams', { headers: { cookie } })).status).toBe(200);
    // Bearer-token writes need none either.
    expect((await call(t, 'POST', '/api/v1/teams', { as: 'admin', payload: { slug: unique('bearer'), name: 'B' } })).status).toBe(201);
  });

  it('logout ends the session and clears the cookie', async () => {
    const result = await login(t.users.viewer.email);
    const { cookie } = sessionCookie(result.headers['set-cookie']);
    const { csrfToken } = result.json<{ csrfToken: string }>();
    expectError(await call(t, 'POST', '/api/v1/auth/logout', { headers: { cookie } }), 403, 'forbidden');
    const out = await call(t, 'POST', '/api/v1/auth/logout', { headers: { cookie, 'x-csrf-token': csrfToken, 'user-agent': 'session-test' } });
    expect(out.status).toBe(204);
    const cleared = sessionCookie(out.headers['set-cookie']);
    expect(cleared.cookie).toBe('opsloom_session=');
    expectError(await call(t, 'GET', '/api/v1/auth/session', { headers: { cookie } }), 401, 'unauthenticated');
    const ended = await t.database.handle.db.selectFrom('activity').selectAll().where('verb', '=', 'session.ended').where('actor_id', '=', t.users.viewer.id).execute();
    expect(ended).toHaveLength(1);
    expect(ended[0]).toMatchObject({ via: 'session', user_agent: 'session-test' });
  });

  it('a wrong password or unknown e-mail → 401 without saying which, and no session', async () => {
    const before = await snapshotCounts(t.database.handle.db);
    const wrong = expectError(await login(t.users.requester.email, 'not the password'), 401, 'unauthenticated');
    const unknown = expectError(await login('nobody@example.com'), 401, 'unauthenticated');
    expect(wrong.message).toBe(unknown.message);
    expect(await snapshotCounts(t.database.handle.db)).toEqual(before);
  });

  it(`rate-limits sign-in after ${LOGIN_ATTEMPT_LIMIT} failures with 429 and a truthful Retry-After`, async () => {
    const email = `${unique('locked')}@example.com`;
    const created = await call(t, 'POST', '/api/v1/users', { as: 'admin', payload: { email, name: 'Locked Out', password: TEST_PASSWORD } });
    expect(created.status).toBe(201);
    for (let i = 0; i < LOGIN_ATTEMPT_LIMIT; i++) expectError(await login(email, `wrong-${i}`), 401, 'unauthenticated');
    const limited = await login(email, 'wrong-again');
    expectError(limited, 429, 'rate_limited');
    // Even the right password is refused while the window lasts.
    const right = await login(email);
    expectError(right, 429, 'rate_limited');
    const retryAfter = Number(right.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    // The lockout lasts the window (15 minutes): telling the client to retry sooner is a lie.
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    // Other accounts are not locked out.
    expect((await login(t.users.viewer.email)).status).toBe(200);
  });
});
