import type { ApiToken } from '@opsloom/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../platform/ids.js';
import { testDatabaseKinds } from '../../testing/databases.js';
import { activitySince, call, expectError, maxActivityId, snapshotCounts } from '../../testing/http.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';
import { BOOTSTRAP_ADMIN_EMAIL, TOKEN_PREFIX } from './tokens.service.js';

describe.each(testDatabaseKinds())('API tokens on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => t?.close());

  const db = () => t.database.handle.db;

  async function createToken(role: 'admin' | 'operator' | 'viewer' | 'requester', name: string) {
    const result = await call(t, 'POST', '/api/v1/tokens', { as: role, payload: { name } });
    expect(result.status, result.body).toBe(201);
    return result.json<ApiToken & { token: string }>();
  }

  it('a created token works as a bearer token and is stored only as a hash', async () => {
    const mark = await maxActivityId(db());
    const created = await createToken('operator', 'ci-script');
    expect(created.token.startsWith(TOKEN_PREFIX)).toBe(true);
    expect(created.token.length).toBeGreaterThanOrEqual(40);
    expect(created.prefix).toBe(created.token.slice(0, 8));
    expect(created).toMatchObject({ name: 'ci-script', owner: { id: t.users.operator.id }, lastUsedAt: null, revokedAt: null, expiresAt: null });

    const session = await call(t, 'GET', '/api/v1/auth/session', { headers: { authorization: `Bearer ${created.token}` } });
    expect(session.status).toBe(200);
    expect(session.json()).toMatchObject({ user: { id: t.users.operator.id }, csrfToken: null });

    const row = await db().selectFrom('api_tokens').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(sha256(created.token));
    for (const value of Object.values(row)) expect(String(value)).not.toContain(created.token.slice(8));
    // Nowhere else either: not in the activity record of its creation.
    const records = await activitySince(db(), mark);
    expect(records.map((r) => r.verb)).toEqual(['token.created']);
    expect(JSON.stringify(records)).not.toContain(created.token.slice(8));

    // The list shows the prefix and, after use, when it was last used; never the secret.
    const listed = (await call(t, 'GET', '/api/v1/tokens', { as: 'operator' })).json<{ items: Array<ApiToken & { token?: string }> }>().items;
    const mine = listed.find((item) => item.id === created.id);
    expect(mine?.prefix).toBe(created.prefix);
    expect(mine?.token).toBeUndefined();
    expect(mine?.lastUsedAt).not.toBeNull();
    expect(Date.parse(mine?.lastUsedAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
    expect(JSON.stringify(listed)).not.toContain(created.token.slice(8));
  });

  it('lists only your own tokens; admins may ask for all', async () => {
    const own = await createToken('viewer', 'viewer-own');
    const listed = (await call(t, 'GET', '/api/v1/tokens', { as: 'viewer' })).json<{ items: ApiToken[] }>().items;
    expect(listed.every((item) => item.owner.id === t.users.viewer.id)).toBe(true);
    expect(listed.map((item) => item.id)).toContain(own.id);
    expectError(await call(t, 'GET', '/api/v1/tokens?all=true', { as: 'viewer' }), 403, 'forbidden');
    const all = (await call(t, 'GET', '/api/v1/tokens?all=true', { as: 'admin' })).json<{ items: ApiToken[] }>().items;
    expect(new Set(all.map((item) => item.owner.id)).size).toBeGreaterThanOrEqual(4);
  });

  it('revoking: only the owner or an admin; afterwards the token is refused', async () => {
    const victim = await createToken('operator', 'to-revoke');
    const bearer = { authorization: `Bearer ${victim.token}` };
    const before = await snapshotCounts(db());
    // Someone else's token is not found, so ids of others' tokens do not leak.
    expectError(await call(t, 'DELETE', `/api/v1/tokens/${victim.id}`, { as: 'viewer' }), 404, 'not_found');
    expect(await snapshotCounts(db())).toEqual(before);
    expect((await call(t, 'GET', '/api/v1/auth/session', { headers: bearer })).status).toBe(200);

    const mark = await maxActivityId(db());
    expect((await call(t, 'DELETE', `/api/v1/tokens/${victim.id}`, { as: 'operator' })).status).toBe(204);
    expectError(await call(t, 'GET', '/api/v1/auth/session', { headers: bearer }), 401, 'unauthenticated', /revoked/);
    // Revoking again changes nothing.
    expect((await call(t, 'DELETE', `/api/v1/tokens/${victim.id}`, { as: 'operator' })).status).toBe(204);
    const records = await activitySince(db(), mark);
    expect(records.map((r) => [r.verb, r.subject_id, r.actor_id])).toEqual([['token.revoked', victim.id, t.users.operator.id]]);
    const listed = (await call(t, 'GET', '/api/v1/tokens', { as: 'operator' })).json<{ items: ApiToken[] }>().items;
    expect(listed.find((item) => item.id === victim.id)?.revokedAt).not.toBeNull();

    const byAdmin = await createToken('requester', 'admin-revokes');
    expect((await call(t, 'DELETE', `/api/v1/tokens/${byAdmin.id}`, { as: 'admin' })).status).toBe(204);
    expectError(await call(t, 'GET', '/api/v1/auth/session', { headers: { authorization: `Bearer ${byAdmin.token}` } }), 401, 'unauthenticated');
  });

  it('an expiring token says when', async () => {
    const result = await call(t, 'POST', '/api/v1/tokens', { as: 'viewer', payload: { name: 'week', expiresInDays: 7 } });
    const expiresAt = Date.parse(result.json<ApiToken>().expiresAt ?? '');
    expect(Math.abs(expiresAt - (Date.now() + 7 * 86_400_000))).toBeLessThan(60_000);
    expectError(await call(t, 'POST', '/api/v1/tokens', { as: 'viewer', payload: { name: 'x', expiresInDays: 0 } }), 400, 'validation_failed', /^body\.expiresInDays: /);
    expectError(await call(t, 'POST', '/api/v1/tokens', { as: 'viewer', payload: { name: '   ' } }), 400, 'validation_failed', /^body\.name: /);
  });

  it('OPSLOOM_ADMIN_TOKEN bootstrap is idempotent and gives admin access', async () => {
    const secret = 'bootstrap-secret-0123456789abcdef';
    const bearer = { authorization: `Bearer ${secret}` };
    expectError(await call(t, 'GET', '/api/v1/auth/session', { headers: bearer }), 401, 'unauthenticated');
    await t.services.identity.tokens.ensureBootstrapToken(secret);
    const afterFirst = await snapshotCounts(db());
    await t.services.identity.tokens.ensureBootstrapToken(secret);
    await t.services.identity.tokens.ensureBootstrapToken(secret);
    expect(await snapshotCounts(db())).toEqual(afterFirst);

    const rows = await db().selectFrom('api_tokens').selectAll().where('token_hash', '=', sha256(secret)).execute();
    expect(rows).toHaveLength(1);
    const owner = await db().selectFrom('users').selectAll().where('email', '=', BOOTSTRAP_ADMIN_EMAIL).execute();
    expect(owner).toHaveLength(1);
    expect(owner[0]).toMatchObject({ role: 'admin', id: rows[0].user_id });

    const session = await call(t, 'GET', '/api/v1/auth/session', { headers: bearer });
    expect(session.json()).toMatchObject({ user: { role: 'admin', email: BOOTSTRAP_ADMIN_EMAIL } });
    const team = await call(t, 'POST', '/api/v1/teams', { headers: bearer, payload: { slug: 'bootstrapped', name: 'Bootstrapped' } });
    expect(team.status, team.body).toBe(201);
    expect((await call(t, 'GET', '/api/v1/audit', { headers: bearer })).status).toBe(200);

    // Revoked, then the server restarts with the same secret: it works again, still one row.
    expect((await call(t, 'DELETE', `/api/v1/tokens/${rows[0].id}`, { as: 'admin' })).status).toBe(204);
    expectError(await call(t, 'GET', '/api/v1/auth/session', { headers: bearer }), 401, 'unauthenticated');
    await t.services.identity.tokens.ensureBootstrapToken(secret);
    expect((await call(t, 'GET', '/api/v1/auth/session', { headers: bearer })).status).toBe(200);
    expect(await db().selectFrom('api_tokens').select('id').where('token_hash', '=', sha256(secret)).execute()).toHaveLength(1);
    expect(await db().selectFrom('users').select('id').where('email', '=', BOOTSTRAP_ADMIN_EMAIL).execute()).toHaveLength(1);
  });

  it('bootstrap works when someone already has the handle it would take', async () => {
    const fresh = await startTestApp(kind);
    try {
      const taken = await call(fresh, 'POST', '/api/v1/users', { as: 'admin', payload: { email: 'bootstrap-admin@example.com', name: 'Not The Bootstrap' } });
      expect(taken.json<{ handle: string }>().handle).toBe('bootstrap-admin');
      const secret = 'bootstrap-secret-handle-clash-0123';
      await fresh.services.identity.tokens.ensureBootstrapToken(secret);
      const session = await call(fresh, 'GET', '/api/v1/auth/session', { headers: { authorization: `Bearer ${secret}` } });
      expect(session.status).toBe(200);
      expect(session.json()).toMatchObject({ user: { role: 'admin', email: BOOTSTRAP_ADMIN_EMAIL } });
    } finally {
      await fresh.close();
    }
  });
});
