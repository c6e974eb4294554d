import type { TeamMember, User } from '@opsloom/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '../../testing/databases.js';
import { activitySince, call, expectError, maxActivityId, snapshotCounts } from '../../testing/http.js';
import { startTestApp, TEST_PASSWORD, type TestApp, unique } from '../../testing/test-app.js';
import { decodeJson } from '../../platform/activity/activity-row.js';
import { handleFromEmail } from './handles.js';

describe.each(testDatabaseKinds())('users, teams and memberships on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => t?.close());

  const db = () => t.database.handle.db;

  async function createTeam(slug = unique('team')): Promise<{ id: string; slug: string }> {
    const result = await call(t, 'POST', '/api/v1/teams', { as: 'admin', payload: { slug, name: `Team ${slug}` } });
    expect(result.status, result.body).toBe(201);
    return result.json();
  }

  async function createUser(payload: Record<string, unknown>): Promise<User> {
    const result = await call(t, 'POST', '/api/v1/users', { as: 'admin', payload });
    expect(result.status, result.body).toBe(201);
    return result.json<User>();
  }

  it('creates a user with teams: one user.created and one membership.added per team', async () => {
    const [a, b] = [await createTeam(), await createTeam()];
    const mark = await maxActivityId(db());
    const email = `${unique('Nia.Ops')}@Example.COM`;
    const user = await createUser({ email, name: '  Nia Ops  ', password: TEST_PASSWORD, role: 'operator', teams: [a.slug, b.slug, a.slug] });
    expect(user).toMatchObject({ email: email.toLowerCase(), name: 'Nia Ops', role: 'operator', disabled: false });
    expect(user.teams.map((m) => m.team.slug).sort()).toEqual([a.slug, b.slug].sort());
    expect(user.teams.every((m) => m.role === 'member')).toBe(true);
    expect(JSON.stringify(user)).not.toMatch(/password|argon/i);

    const records = await activitySince(db(), mark);
    expect(records.map((r) => r.verb)).toEqual(['user.created', 'membership.added', 'membership.added']);
    expect(records.every((r) => r.actor_id === t.users.admin.id && r.subject_id === user.id && r.via === 'token')).toBe(true);
    expect(records.slice(1).map((r) => r.team_slug).sort()).toEqual([a.slug, b.slug].sort());
    expect(records[0].team_id).toBeNull();

    // The password is stored as an argon2id hash and works for sign-in.
    const row = await db().selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect((await call(t, 'POST', '/api/v1/auth/login', { payload: { email, password: TEST_PASSWORD } })).status).toBe(200);
  });

  it('a duplicate e-mail (any case) → 409 naming email, nothing written', async () => {
    const email = `${unique('dup')}@example.com`;
    await createUser({ email, name: 'First' });
    const before = await snapshotCounts(db());
    expectError(await call(t, 'POST', '/api/v1/users', { as: 'admin', payload: { email: email.toUpperCase(), name: 'Second' } }), 409, 'conflict', /^email: /);
    expect(await snapshotCounts(db())).toEqual(before);
  });

  it('an unknown team slug → 400 naming teams, nothing written', async () => {
    const known = await createTeam();
    const before = await snapshotCounts(db());
    const error = expectError(
      await call(t, 'POST', '/api/v1/users', { as: 'admin', payload: { email: `${unique('u')}@example.com`, name: 'X', teams: [known.slug, 'no-such-team'] } }),
      400, 'validation_failed', /^teams: unknown team "no-such-team"/,
    );
    expect(error.details).toEqual({ issues: [{ path: 'teams', message: 'unknown team "no-such-team"' }] });
    expect(await snapshotCounts(db())).toEqual(before);
  });

  it('derives handles from e-mails and keeps them unique', async () => {
    expect(handleFromEmail("Jane.O'Neil+ops@example.com")).toBe('jane.oneil');
    expect(handleFromEmail('__x__@example.com')).toBe('x');
    expect(handleFromEmail('+++@example.com')).toBe('user');
    // Cut to length, a handle still does not end in punctuation (a mention could not match it).
    expect(handleFromEmail(`${'a'.repeat(49)}.b@example.com`)).toBe('a'.repeat(49));
    const local = unique('sam.lee').replace(/-/g, '');
    const first = await createUser({ email: `${local}@one.example`, name: 'Sam One' });
    const second = await createUser({ email: `${local}@two.example`, name: 'Sam Two' });
    const third = await createUser({ email: `${local}+x@three.example`, name: 'Sam Three' });
    expect([first.handle, second.handle, third.handle]).toEqual([local, `${local}2`, `${local}3`]);
    expect((await call(t, 'GET', `/api/v1/users/${second.handle}`, { as: 'viewer' })).json<User>().id).toBe(second.id);
    expect((await call(t, 'GET', `/api/v1/users/${second.id}`, { as: 'viewer' })).json<User>().handle).toBe(second.handle);
  });

  it('a non-admin changes their own name but not their role, nor anyone else', async () => {
    const mark = await maxActivityId(db());
    const renamed = await call(t, 'PATCH', `/api/v1/users/${t.users.viewer.handle}`, { as: 'viewer', payload: { name: 'Vera Viewer' } });
    expect(renamed.status, renamed.body).toBe(200);
    expect(renamed.json<User>().name).toBe('Vera Viewer');
    const records = await activitySince(db(), mark);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ verb: 'user.updated', actor_id: t.users.viewer.id, subject_id: t.users.viewer.id });
    expect(decodeJson(records[0].data)).toEqual({ changes: { name: { from: 'Test viewer', to: 'Vera Viewer' } } });

    const before = await snapshotCounts(db());
    expectError(await call(t, 'PATCH', `/api/v1/users/${t.users.viewer.handle}`, { as: 'viewer', payload: { role: 'admin' } }), 403, 'forbidden');
    expectError(await call(t, 'PATCH', `/api/v1/users/${t.users.viewer.handle}`, { as: 'viewer', payload: { disabled: false } }), 403, 'forbidden');
    expectError(await call(t, 'PATCH', `/api/v1/users/${t.users.operator.handle}`, { as: 'viewer', payload: { name: 'Hacked' } }), 403, 'forbidden');
    expect(await snapshotCounts(db())).toEqual(before);
    const viewer = await db().selectFrom('users').select('role').where('id', '=', t.users.viewer.id).executeTakeFirstOrThrow();
    expect(viewer.role).toBe('viewer');

    // An unchanged value is not a change: no record.
    const same = await call(t, 'PATCH', `/api/v1/users/${t.users.viewer.handle}`, { as: 'viewer', payload: { name: 'Vera Viewer' } });
    expect(same.status).toBe(200);
    expect(await snapshotCounts(db())).toEqual(before);
  });

  it('changing your own password needs the current one and ends your sessions', async () => {
    const email = `${unique('pw')}@example.com`;
    const user = await createUser({ email, name: 'Pat Word', password: TEST_PASSWORD, role: 'operator' });
    const login = await call(t, 'POST', '/api/v1/auth/login', { payload: { email, password: TEST_PASSWORD } });
    const cookie = String(login.headers['set-cookie']).split(';')[0];
    const csrf = login.json<{ csrfToken: string }>().csrfToken;
    const headers = { cookie, 'x-csrf-token': csrf };
    const url = `/api/v1/users/${user.handle}`;
    expectError(await call(t, 'PATCH', url, { headers, payload: { password: 'a-new-password' } }), 400, 'validation_failed', /^currentPassword: required/);
    expectError(await call(t, 'PATCH', url, { headers, payload: { password: 'a-new-password', currentPassword: 'wrong-one!' } }), 400, 'validation_failed', /^currentPassword: does not match/);
    expectError(await call(t, 'PATCH', url, { headers, payload: { password: 'short', currentPassword: TEST_PASSWORD } }), 400, 'validation_failed', /^body\.password: must be at least 10/);
    const changed = await call(t, 'PATCH', url, { headers, payload: { password: 'a-new-password', currentPassword: TEST_PASSWORD } });
    expect(changed.status, changed.body).toBe(200);
    expectError(await call(t, 'GET', '/api/v1/auth/session', { headers: { cookie } }), 401, 'unauthenticated');
    expect((await call(t, 'POST', '/api/v1/auth/login', { payload: { email, password: TEST_PASSWORD } })).status).toBe(401);
    expect((await call(t, 'POST', '/api/v1/auth/login', { payload: { email, password: 'a-new-password' } })).status).toBe(200);
    const record = await db().selectFrom('activity').selectAll().where('subject_id', '=', user.id).where('verb', '=', 'user.updated').executeTakeFirstOrThrow();
    expect(JSON.stringify(record.data)).not.toContain('a-new-password');
  });

  it('the last active admin cannot be demoted or disabled (409)', async () => {
    const before = await snapshotCounts(db());
    const url = `/api/v1/users/${t.users.admin.handle}`;
    expectError(await call(t, 'PATCH', url, { as: 'admin', payload: { role: 'operator' } }), 409, 'conflict', /^role: this is the last active admin/);
    expectError(await call(t, 'PATCH', url, { as: 'admin', payload: { disabled: true } }), 409, 'conflict');
    expect(await snapshotCounts(db())).toEqual(before);

    const second = await createUser({ email: `${unique('admin2')}@example.com`, name: 'Second Admin', role: 'admin' });
    const demoted = await call(t, 'PATCH', `/api/v1/users/${second.handle}`, { as: 'admin', payload: { role: 'viewer' } });
    expect(demoted.status).toBe(200);
    expect(demoted.json<User>().role).toBe('viewer');

    // A disabled admin is not an active one: demoting them leaves the active admin alone.
    const dormant = await createUser({ email: `${unique('dormant')}@example.com`, name: 'Dormant Admin', role: 'admin' });
    expect((await call(t, 'PATCH', `/api/v1/users/${dormant.handle}`, { as: 'admin', payload: { disabled: true } })).status).toBe(200);
    const demotedDormant = await call(t, 'PATCH', `/api/v1/users/${dormant.handle}`, { as: 'admin', payload: { role: 'viewer' } });
    expect(demotedDormant.status, demotedDormant.body).toBe(200);
    expect(demotedDormant.json<User>()).toMatchObject({ role: 'viewer', disabled: true });
  });

  it('disabling a user ends their sessions and records user.disabled', async () => {
    const email = `${unique('off')}@example.com`;
    const user = await createUser({ email, name: 'Off Line', password: TEST_PASSWORD });
    for (let i = 0; i < 2; i++) await call(t, 'POST', '/api/v1/auth/login', { payload: { email, password: TEST_PASSWORD } });
    const sessions = () => db().selectFrom('sessions').select('id').where('user_id', '=', user.id).execute();
    expect(await sessions()).toHaveLength(2);
    const mark = await maxActivityId(db());
    const disabled = await call(t, 'PATCH', `/api/v1/users/${user.handle}`, { as: 'admin', payload: { disabled: true } });
    expect(disabled.json<User>().disabled).toBe(true);
    expect(await sessions()).toHaveLength(0);
    expect((await activitySince(db(), mark)).map((r) => r.verb)).toEqual(['user.disabled']);
    const enabled = await call(t, 'PATCH', `/api/v1/users/${user.handle}`, { as: 'admin', payload: { disabled: false } });
    expect(enabled.json<User>().disabled).toBe(false);
    expect((await activitySince(db(), mark)).map((r) => r.verb)).toEqual(['user.disabled', 'user.enabled']);
  });

  it('memberships: add, change role, remove — each with one activity record', async () => {
    const team = await createTeam();
    const member = t.users.operator;
    const url = `/api/v1/teams/${team.slug}/members/${member.handle}`;
    const mark = await maxActivityId(db());

    const added = await call(t, 'PUT', url, { as: 'admin', payload: {} });
    expect(added.status, added.body).toBe(200);
    expect(added.json<TeamMember>()).toMatchObject({ user: { id: member.id }, role: 'member' });
    const again = await call(t, 'PUT', url, { as: 'admin', payload: { role: 'member' } });
    expect(again.status).toBe(200);
    const lead = await call(t, 'PUT', url, { as: 'admin', payload: { role: 'lead' } });
    expect(lead.json<TeamMember>().role).toBe('lead');
    expect(lead.json<TeamMember>().since).toBe(added.json<TeamMember>().since);

    const members = await call(t, 'GET', `/api/v1/teams/${team.slug}/members`, { as: 'requester' });
    const items = members.json<{ items: TeamMember[] }>().items;
    expect(items.map((item) => [item.user.handle, item.role])).toEqual([[member.handle, 'lead']]);
    expect((await call(t, 'GET', `/api/v1/teams/${team.id}`, { as: 'viewer' })).json<{ memberCount: number }>().memberCount).toBe(1);
    const listed = await call(t, 'GET', `/api/v1/users?team=${team.slug}`, { as: 'viewer' });
    expect(listed.json<{ items: User[] }>().items.map((u) => u.id)).toEqual([member.id]);

    expect((await call(t, 'DELETE', url, { as: 'admin' })).status).toBe(204);
    expectError(await call(t, 'DELETE', url, { as: 'admin' }), 404, 'not_found', /^membership not found/);
    expectError(await call(t, 'PUT', `/api/v1/teams/${team.slug}/members/nobody-here`, { as: 'admin', payload: {} }), 404, 'not_found', /^user not found/);
    expectError(await call(t, 'PUT', url, { as: 'admin', payload: { role: 'boss' } }), 400, 'validation_failed', /^body\.role: /);

    const records = await activitySince(db(), mark);
    expect(records.map((r) => [r.verb, r.team_id, r.subject_id, r.actor_id])).toEqual([
      ['membership.added', team.id, member.id, t.users.admin.id],
      ['membership.updated', team.id, member.id, t.users.admin.id],
      ['membership.removed', team.id, member.id, t.users.admin.id],
    ]);
    expect(decodeJson(records[1].data)).toMatchObject({ role: 'lead', previousRole: 'member' });
  });

  it('teams: update and delete record one activity each; a deleted team takes its memberships', async () => {
    const team = await createTeam();
    await call(t, 'PUT', `/api/v1/teams/${team.slug}/members/${t.users.viewer.handle}`, { as: 'admin', payload: {} });
    const mark = await maxActivityId(db());
    const updated = await call(t, 'PATCH', `/api/v1/teams/${team.slug}`, { as: 'admin', payload: { name: 'Renamed', description: 'Does things' } });
    expect(updated.json()).toMatchObject({ name: 'Renamed', description: 'Does things', memberCount: 1 });
    expect((await call(t, 'PATCH', `/api/v1/teams/${team.slug}`, { as: 'admin', payload: { name: 'Renamed' } })).status).toBe(200);
    expect((await call(t, 'DELETE', `/api/v1/teams/${team.slug}`, { as: 'admin' })).status).toBe(204);
    expectError(await call(t, 'GET', `/api/v1/teams/${team.slug}`, { as: 'admin' }), 404, 'not_found');
    expect(await db().selectFrom('memberships').select('user_id').where('team_id', '=', team.id).execute()).toEqual([]);
    const records = await activitySince(db(), mark);
    expect(records.map((r) => r.verb)).toEqual(['team.updated', 'team.deleted']);
    expect(decodeJson(records[0].data)).toEqual({ changes: { name: { from: `Team ${team.slug}`, to: 'Renamed' }, description: { from: '', to: 'Does things' } } });
  });

  it('a team whose slug looks like an id is still found by its slug', async () => {
    const slug = '01234567-89ab-7def-8123-456789abcdef';
    const team = await createTeam(slug);
    expect((await call(t, 'GET', `/api/v1/teams/${slug}`, { as: 'viewer' })).json<{ id: string }>().id).toBe(team.id);
    expect((await call(t, 'GET', `/api/v1/teams/${team.id}`, { as: 'viewer' })).json<{ slug: string }>().slug).toBe(slug);
    expect((await call(t, 'PUT', `/api/v1/teams/${slug}/members/${t.users.viewer.handle}`, { as: 'admin', payload: {} })).status).toBe(200);
  });

  it('lists users with search and cursor pagination, no gaps or repeats', async () => {
    const tag = unique('pager').replace(/-/g, '');
    const created: string[] = [];
    for (let i = 0; i < 7; i++) created.push((await createUser({ email: `${tag}${i}@example.com`, name: `Pager ${i % 3}` })).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/users?q=${tag}&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await call(t, 'GET', url, { as: 'operator' })).json<{ items: User[]; nextCursor: string | null }>();
      seen.push(...page.items.map((u) => u.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(7);
    expect(new Set(seen)).toEqual(new Set(created));
  });
});
