import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '../../testing/databases.js';
import { call, expectError, oversizedTeamBody, snapshotCounts } from '../../testing/http.js';
import { startTestApp, TEST_PASSWORD, type TestApp, unique } from '../../testing/test-app.js';

/**
 * Bad input: each case gets a clear 4xx in the error shape naming the field, nothing is
 * written, and the server keeps answering.
 */
describe.each(testDatabaseKinds())('bad input on %s', (kind) => {
  let t: TestApp;
  let before: Awaited<ReturnType<typeof snapshotCounts>>;

  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => t?.close());

  beforeEach(async () => {
    before = await snapshotCounts(t.database.handle.db);
  });

  async function expectNothingWrittenAndAlive(): Promise<void> {
    expect(await snapshotCounts(t.database.handle.db)).toEqual(before);
    const health = await call(t, 'GET', '/healthz');
    expect(health.status).toBe(200);
    const teams = await call(t, 'GET', '/api/v1/teams', { as: 'viewer' });
    expect(teams.status).toBe(200);
  }

  const postTeam = (payload: unknown, headers: Record<string, string> = {}) =>
    call(t, 'POST', '/api/v1/teams', { as: 'admin', payload, headers });

  it('malformed JSON → 400 malformed_json', async () => {
    expectError(await postTeam('{"slug": "ab", "name": ', { 'content-type': 'application/json' }), 400, 'malformed_json', /^body: not valid JSON/);
    expectError(await postTeam("{slug: 'ab'}", { 'content-type': 'application/json' }), 400, 'malformed_json', /^body: /);
    await expectNothingWrittenAndAlive();
  });

  it('wrong types → 400 naming each field', async () => {
    const error = expectError(await postTeam({ slug: 42, name: ['Network'] }), 400, 'validation_failed', /^body\.(slug|name): /);
    const issues = (error.details as { issues: Array<{ path: string; message: string }> }).issues;
    expect(issues.map((issue) => issue.path).sort()).toEqual(['body.name', 'body.slug']);
    expect(error.message).toMatch(/\(and 1 more\)$/);
    expectError(await postTeam({ slug: 'Not A Slug!', name: 'x' }), 400, 'validation_failed', /^body\.slug: must be lowercase/);
    expectError(
      await call(t, 'POST', '/api/v1/users', { as: 'admin', payload: { email: 'not-an-email', name: 'X' } }),
      400, 'validation_failed', /^body\.email: /,
    );
    expectError(await call(t, 'GET', '/api/v1/activity?limit=0', { as: 'viewer' }), 400, 'validation_failed', /^querystring\.limit: /);
    expectError(await call(t, 'GET', '/api/v1/activity?limit=abc', { as: 'viewer' }), 400, 'validation_failed', /^querystring\.limit: /);
    expectError(await call(t, 'GET', '/api/v1/activity?cursor=not-a-cursor', { as: 'viewer' }), 400, 'validation_failed', /^query\.cursor: /);
    expectError(await call(t, 'DELETE', '/api/v1/tokens/not-a-uuid', { as: 'viewer' }), 400, 'validation_failed', /^params\.id: /);
    await expectNothingWrittenAndAlive();
  });

  it('unknown fields → 400 naming the field', async () => {
    expectError(await postTeam({ slug: unique('uf'), name: 'X', colour: 'red' }), 400, 'validation_failed', /^body: unknown field "colour"/);
    expectError(
      await call(t, 'PATCH', `/api/v1/users/${t.users.viewer.handle}`, { as: 'viewer', payload: { name: 'V', isAdmin: true } }),
      400, 'validation_failed', /unknown field "isAdmin"/,
    );
    await expectNothingWrittenAndAlive();
  });

  it('a body over the default limit (1 MiB) → 413 payload_too_large', async () => {
    expect(t.config.bodyLimit).toBe(1024 * 1024);
    const body = oversizedTeamBody(1024 * 1024 + 10);
    expectError(await postTeam(body, { 'content-type': 'application/json' }), 413, 'payload_too_large', /^body: larger than the limit of 1048576 bytes/);
    // Just under the limit is parsed (and then rejected by the schema's own length limit, a 400).
    const under = oversizedTeamBody(1024 * 1024 - 100);
    expectError(await postTeam(under, { 'content-type': 'application/json' }), 400, 'validation_failed', /^body\.description: /);
    await expectNothingWrittenAndAlive();
  });

  it('duplicate keys → 400 naming the key, even nested', async () => {
    const slug = unique('dk');
    expectError(await postTeam(`{"slug":"${slug}","name":"A","name":"B"}`, { 'content-type': 'application/json' }), 400, 'malformed_json', /duplicate key "name"/);
    expectError(
      await call(t, 'POST', '/api/v1/inbox/read', { as: 'viewer', payload: '{"ids":[],"ids":[]}', headers: { 'content-type': 'application/json' } }),
      400, 'malformed_json', /duplicate key "ids"/,
    );
    expectError(await postTeam(`{"slug":"${slug}","name":"A","__proto__":{"x":1}}`, { 'content-type': 'application/json' }), 400, 'malformed_json', /forbidden key "__proto__"/);
    // The same key in sibling objects, or as a string value, is not a duplicate.
    const fine = await call(t, 'POST', '/api/v1/users', {
      as: 'admin',
      payload: `{"email":"${unique('dk')}@example.com","name":"name","teams":[]}`,
      headers: { 'content-type': 'application/json' },
    });
    expect(fine.status, fine.body).toBe(201);
    before = await snapshotCounts(t.database.handle.db);
    await expectNothingWrittenAndAlive();
  });

  it('text the databases cannot both store (NUL, half a surrogate pair) in a body, path or query → 400 naming the field', async () => {
    const slug = unique('nul');
    expectError(await postTeam(`{"slug":"${slug}","name":"Nul\\u0000team"}`, { 'content-type': 'application/json' }), 400, 'validation_failed', /^body\.name: contains a NUL character/);
    expectError(await postTeam(`{"slug":"${slug}","name":"N","nul\\u0000key":1}`, { 'content-type': 'application/json' }), 400, 'validation_failed', /^body\.nul\\u0000key: contains a NUL/);
    expectError(await call(t, 'GET', '/api/v1/teams/a%00b', { as: 'viewer' }), 400, 'validation_failed', /^params\.\w+: contains a NUL character/);
    expectError(await call(t, 'GET', '/api/v1/activity?team=a%00b', { as: 'viewer' }), 400, 'validation_failed', /^query\.team: contains a NUL character/);
    const deep = `${'{"a":'.repeat(150_000)}"\\u0000"${'}'.repeat(150_000)}`;
    const deepAnswer = await postTeam(deep, { 'content-type': 'application/json' });
    expectError(deepAnswer, 400, 'validation_failed', /^body\.a\.a\.a.*…: contains a NUL character/);
    expect(deepAnswer.body.length).toBeLessThan(1000);
    // Half of a surrogate pair is not Unicode (PostgreSQL's jsonb refuses it); a whole pair, escaped, is an emoji.
    expectError(await postTeam(`{"slug":"${slug}","name":"half \\ud83d pair"}`, { 'content-type': 'application/json' }), 400, 'validation_failed', /^body\.name: contains half of a UTF-16 surrogate pair/);
    const pair = await postTeam(`{"slug":"${unique('pair')}","name":"fire \\ud83d\\udd25"}`, { 'content-type': 'application/json' });
    expect(pair.status, pair.body).toBe(201);
    expect(pair.json<{ name: string }>().name).toBe('fire 🔥');
    // An escaped backslash followed by "u0000" is six ordinary characters.
    const fine = await postTeam(`{"slug":"${slug}","name":"C:\\\\u0000"}`, { 'content-type': 'application/json' });
    expect(fine.status, fine.body).toBe(201);
    expect(fine.json<{ name: string }>().name).toBe('C:\\u0000');
    before = await snapshotCounts(t.database.handle.db);
    await expectNothingWrittenAndAlive();
  });

  it('an empty body → 400 naming the body', async () => {
    expectError(await postTeam('', { 'content-type': 'application/json' }), 400, 'malformed_json', /^body: empty/);
    expectError(await postTeam('   ', { 'content-type': 'application/json' }), 400, 'malformed_json', /^body: empty/);
    expectError(await call(t, 'POST', '/api/v1/teams', { as: 'admin' }), 400, 'validation_failed', /^body: /);
    await expectNothingWrittenAndAlive();
  });

  it('a wrong content type → 415 unsupported_media_type', async () => {
    const json = JSON.stringify({ slug: unique('ct'), name: 'X' });
    expectError(await postTeam(json, { 'content-type': 'text/plain' }), 415, 'unsupported_media_type', /^body: /);
    expectError(await postTeam(json, { 'content-type': 'application/x-www-form-urlencoded' }), 415, 'unsupported_media_type');
    expectError(await postTeam('<team/>', { 'content-type': 'application/xml' }), 415, 'unsupported_media_type');
    // JSON with a charset parameter is JSON.
    const ok = await postTeam(json, { 'content-type': 'application/json; charset=utf-8' });
    expect(ok.status, ok.body).toBe(201);
    before = await snapshotCounts(t.database.handle.db);
    await expectNothingWrittenAndAlive();
  });

  it('an expired session → 401, and the session is gone', async () => {
    const login = await call(t, 'POST', '/api/v1/auth/login', { payload: { email: t.users.operator.email, password: TEST_PASSWORD } });
    expect(login.status).toBe(200);
    const cookie = String(login.headers['set-cookie']).split(';')[0];
    const db = t.database.handle.db;
    await db.updateTable('sessions').set({ expires_at: Date.now() - 1000 }).where('user_id', '=', t.users.operator.id).execute();
    before = await snapshotCounts(db);
    expectError(await call(t, 'GET', '/api/v1/auth/session', { headers: { cookie } }), 401, 'unauthenticated', /session expired/);
    expect((await snapshotCounts(db)).sessions).toBe(before.sessions - 1);
    expectError(await call(t, 'GET', '/api/v1/auth/session', { headers: { cookie } }), 401, 'unauthenticated', /session is not valid/);
    before = await snapshotCounts(db);
    await expectNothingWrittenAndAlive();
  });

  it('revoked and expired tokens → 401 naming the reason', async () => {
    const created = await call(t, 'POST', '/api/v1/tokens', { as: 'operator', payload: { name: 'short-lived', expiresInDays: 1 } });
    expect(created.status).toBe(201);
    const { id, token } = created.json<{ id: string; token: string }>();
    const bearer = { authorization: `Bearer ${token}` };
    expect((await call(t, 'GET', '/api/v1/auth/session', { headers: bearer })).status).toBe(200);
    const db = t.database.handle.db;
    await db.updateTable('api_tokens').set({ expires_at: Date.now() - 1 }).where('id', '=', id).execute();
    before = await snapshotCounts(db);
    expectError(await call(t, 'POST', '/api/v1/tokens', { headers: bearer, payload: { name: 'x' } }), 401, 'unauthenticated', /expired/);
    await expectNothingWrittenAndAlive();

    const second = (await call(t, 'POST', '/api/v1/tokens', { as: 'operator', payload: { name: 'to-revoke' } })).json<{ id: string; token: string }>();
    expect((await call(t, 'DELETE', `/api/v1/tokens/${second.id}`, { as: 'operator' })).status).toBe(204);
    before = await snapshotCounts(db);
    expectError(await call(t, 'POST', '/api/v1/tokens', { headers: { authorization: `Bearer ${second.token}` }, payload: { name: 'x' } }), 401, 'unauthenticated', /revoked/);
    await expectNothingWrittenAndAlive();
  });

  it('a disabled user → 401 for their token, their session and their sign-in', async () => {
    const email = `${unique('dis')}@example.com`;
    const created = await call(t, 'POST', '/api/v1/users', { as: 'admin', payload: { email, name: 'Dis Abled', password: TEST_PASSWORD, role: 'operator' } });
    expect(created.status).toBe(201);
    const user = created.json<{ id: string; handle: string }>();
    const login = await call(t, 'POST', '/api/v1/auth/login', { payload: { email, password: TEST_PASSWORD } });
    expect(login.status).toBe(200);
    const cookie = String(login.headers['set-cookie']).split(';')[0];
    expect((await call(t, 'GET', '/api/v1/auth/session', { headers: { cookie } })).status).toBe(200);
    const own = await t.services.identity.tokens.create(
      { userId: user.id, name: 'Dis Abled', handle: user.handle, email, role: 'operator', via: 'token', sessionId: null, tokenId: null, csrfToken: null },
      t.services.identity.auth.systemActor,
      { name: 'soon disabled' },
    );
    expect((await call(t, 'GET', '/api/v1/auth/session', { headers: { authorization: `Bearer ${own.token}` } })).status).toBe(200);
    expect((await call(t, 'PATCH', `/api/v1/users/${user.handle}`, { as: 'admin', payload: { disabled: true } })).status).toBe(200);
    before = await snapshotCounts(t.database.handle.db);
    expectError(await call(t, 'GET', '/api/v1/auth/session', { headers: { authorization: `Bearer ${own.token}` } }), 401, 'unauthenticated', /disabled/);
    expectError(await call(t, 'GET', '/api/v1/auth/session', { headers: { cookie } }), 401, 'unauthenticated');
    expectError(await call(t, 'POST', '/api/v1/auth/login', { payload: { email, password: TEST_PASSWORD } }), 401, 'unauthenticated');
    await expectNothingWrittenAndAlive();
  });

  it('an unknown route → 404 in the error shape, for every method', async () => {
    expectError(await call(t, 'GET', '/api/v1/nope', { as: 'admin' }), 404, 'not_found', /no route GET \/api\/v1\/nope/);
    expectError(await call(t, 'POST', '/api/v1/teams/x/nope', { as: 'admin', payload: {} }), 404, 'not_found');
    expectError(await call(t, 'GET', '/api/v2/teams'), 404, 'not_found');
    expectError(await call(t, 'GET', '/api/v1/teams/does-not-exist', { as: 'viewer' }), 404, 'not_found', /team not found: does-not-exist/);
    await expectNothingWrittenAndAlive();
  });
});
