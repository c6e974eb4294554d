import type { Activity, AuditEntry } from '@opsloom/api';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '../../testing/databases.js';
import { call, expectError, maxActivityId } from '../../testing/http.js';
import { startTestApp, type TestApp, unique } from '../../testing/test-app.js';

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

describe.each(testDatabaseKinds())('activity, audit and follows on %s', (kind) => {
  let t: TestApp;
  let network: { id: string; slug: string };
  let storage: { id: string; slug: string };

  beforeAll(async () => {
    t = await startTestApp(kind);
    network = (await call(t, 'POST', '/api/v1/teams', { as: 'admin', payload: { slug: 'network', name: 'Network' } })).json();
    storage = (await call(t, 'POST', '/api/v1/teams', { as: 'admin', payload: { slug: 'storage', name: 'Storage' } })).json();
  });
  afterAll(async () => t?.close());

  const list = async (query: string, role: 'admin' | 'operator' | 'viewer' | 'requester' = 'viewer') => {
    const result = await call(t, 'GET', `/api/v1/activity${query}`, { as: role });
    expect(result.status, result.body).toBe(200);
    return result.json<Page<Activity>>();
  };

  it('each write is one record with actor, verb, subject, team, summary and time', async () => {
    const mark = await maxActivityId(t.database.handle.db);
    await call(t, 'PUT', `/api/v1/teams/network/members/${t.users.operator.handle}`, { as: 'admin', payload: { role: 'lead' } });
    const page = await list(`?subject=${t.users.operator.id}&team=network`);
    expect(page.items).toHaveLength(1);
    const record = page.items[0];
    expect(Number(record.id)).toBeGreaterThan(mark);
    expect(record).toMatchObject({
      verb: 'membership.added',
      actor: { id: t.users.admin.id, handle: t.users.admin.handle, name: 'Test admin' },
      subject: { type: 'user', id: t.users.operator.id, label: 'Test operator' },
      team: { id: network.id, slug: 'network', name: 'Network' },
      summary: 'added Test operator to Network as lead',
      data: { userId: t.users.operator.id, role: 'lead', previousRole: null },
    });
    expect(Math.abs(Date.parse(record.occurredAt) - Date.now())).toBeLessThan(60_000);
  });

  it('filters by team (id or slug), subject, subject type and actor (id or handle)', async () => {
    await call(t, 'PATCH', '/api/v1/teams/storage', { as: 'admin', payload: { description: unique('desc') } });
    await call(t, 'POST', '/api/v1/tokens', { as: 'operator', payload: { name: 'filters' } });
    const bySlug = await list('?team=storage&limit=500');
    const byId = await list(`?team=${storage.id}&limit=500`);
    expect(bySlug.items.length).toBeGreaterThanOrEqual(2);
    expect(bySlug.items.every((item) => item.team?.id === storage.id)).toBe(true);
    expect(byId.items).toEqual(bySlug.items);

    const subject = await list(`?subject=${network.id}`);
    expect(subject.items.map((item) => item.verb)).toEqual(['team.created']);

    const byType = await list('?subjectType=token&limit=500');
    expect(byType.items.length).toBeGreaterThanOrEqual(1);
    expect(byType.items.every((item) => item.subject.type === 'token')).toBe(true);

    const byHandle = await list(`?actor=${t.users.operator.handle}&limit=500`);
    const byActorId = await list(`?actor=${t.users.operator.id}&limit=500`);
    expect(byHandle.items.length).toBeGreaterThanOrEqual(1);
    expect(byHandle.items.every((item) => item.actor?.id === t.users.operator.id)).toBe(true);
    expect(byActorId.items).toEqual(byHandle.items);

    expectError(await call(t, 'GET', '/api/v1/activity?team=no-such-team', { as: 'viewer' }), 404, 'not_found', /team not found/);
    expectError(await call(t, 'GET', '/api/v1/activity?actor=nobody', { as: 'viewer' }), 404, 'not_found', /user not found/);
  });

  it('paginates with a cursor over several pages with no gaps or repeats, newest first', async () => {
    const team = (await call(t, 'POST', '/api/v1/teams', { as: 'admin', payload: { slug: unique('pages'), name: 'Pages' } })).json<{ slug: string }>();
    for (let i = 0; i < 11; i++) {
      await call(t, 'PATCH', `/api/v1/teams/${team.slug}`, { as: 'admin', payload: { description: `revision ${i}` } });
    }
    const expected = (await list(`?team=${team.slug}&limit=500`)).items.map((item) => item.id);
    expect(expected).toHaveLength(12);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Page<Activity> = await list(`?team=${team.slug}&limit=5${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(5);
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
      pages++;
      // A write between pages does not shift the pages after it.
      if (pages === 1) await call(t, 'PATCH', `/api/v1/teams/${team.slug}`, { as: 'admin', payload: { description: 'between pages' } });
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(expected);
    expect([...seen].sort((a, b) => Number(b) - Number(a))).toEqual(seen);
  });

  it('a requester sees only their own records', async () => {
    await call(t, 'POST', '/api/v1/tokens', { as: 'requester', payload: { name: 'mine' } });
    const all = await list('?limit=500', 'requester');
    expect(all.items.length).toBeGreaterThanOrEqual(1);
    expect(all.items.every((item) => item.actor?.id === t.users.requester.id)).toBe(true);
    expect((await list(`?actor=${t.users.admin.handle}`, 'requester')).items).toEqual([]);
    expect((await list('?team=network', 'requester')).items).toEqual([]);
    // Staff see everyone's.
    expect(new Set((await list('?limit=500', 'viewer')).items.map((item) => item.actor?.id ?? null)).size).toBeGreaterThan(1);
  });

  it('the audit log is admin-only and says from where and how', async () => {
    await call(t, 'POST', '/api/v1/tokens', { as: 'operator', payload: { name: 'audited' }, headers: { 'user-agent': 'audit-test/1.0', 'x-forwarded-for': '203.0.113.9' } });
    expectError(await call(t, 'GET', '/api/v1/audit', { as: 'operator' }), 403, 'forbidden');
    const audit = (await call(t, 'GET', '/api/v1/audit?verb=token.created&limit=500', { as: 'admin' })).json<Page<AuditEntry>>();
    const entry = audit.items.find((item) => item.userAgent === 'audit-test/1.0');
    expect(entry).toMatchObject({ verb: 'token.created', via: 'token', actor: { id: t.users.operator.id } });
    expect(entry?.ip).toMatch(/^(127\.0\.0\.1|203\.0\.113\.9)$/);
    const prefix = (await call(t, 'GET', '/api/v1/audit?verb=token.&limit=500', { as: 'admin' })).json<Page<AuditEntry>>();
    expect(prefix.items.every((item) => item.verb.startsWith('token.'))).toBe(true);
    expect(prefix.items.length).toBeGreaterThan(audit.items.length - 1);
    const system = (await call(t, 'GET', '/api/v1/audit?verb=user.created&limit=500', { as: 'admin' })).json<Page<AuditEntry>>();
    expect(system.items.some((item) => item.via === 'system' && item.actor === null)).toBe(true);
    const byActor = (await call(t, 'GET', `/api/v1/audit?actor=${t.users.operator.handle}&limit=2`, { as: 'admin' })).json<Page<AuditEntry>>();
    expect(byActor.items.every((item) => item.actor?.id === t.users.operator.id)).toBe(true);
  });

  it('the activity table is append-only: UPDATE and DELETE fail in the database', async () => {
    const db = t.database.handle.db;
    const before = await db.selectFrom('activity').selectAll().orderBy('id').execute();
    expect(before.length).toBeGreaterThan(0);
    await expect(db.updateTable('activity').set({ summary: 'rewritten history' }).where('id', '=', before[0].id).execute()).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom('activity').where('id', '=', before[0].id).execute()).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom('activity').execute()).rejects.toThrow(/append-only/);
    await expect(sql`update activity set verb = 'x'`.execute(db)).rejects.toThrow(/append-only/);
    expect(await db.selectFrom('activity').selectAll().orderBy('id').execute()).toEqual(before);
  });

  it('follows: follow a team and a person, filter by following, unfollow — each one record', async () => {
    const mark = await maxActivityId(t.database.handle.db);
    const followTeam = await call(t, 'POST', '/api/v1/follows', { as: 'viewer', payload: { subjectType: 'team', subjectId: network.id } });
    expect(followTeam.status, followTeam.body).toBe(201);
    expect(followTeam.json()).toMatchObject({ subjectType: 'team', subjectId: network.id, label: 'Network' });
    expect((await call(t, 'POST', '/api/v1/follows', { as: 'viewer', payload: { subjectType: 'user', subjectId: t.users.operator.id } })).status).toBe(201);
    expectError(await call(t, 'POST', '/api/v1/follows', { as: 'viewer', payload: { subjectType: 'team', subjectId: '01900000-0000-7000-8000-000000000000' } }), 404, 'not_found');
    expectError(await call(t, 'POST', '/api/v1/follows', { as: 'viewer', payload: { subjectType: 'incident', subjectId: network.id } }), 400, 'validation_failed', /^body\.subjectType: /);
    const follows = (await call(t, 'GET', '/api/v1/follows', { as: 'viewer' })).json<{ items: Array<{ subjectId: string }> }>().items;
    expect(follows.map((f) => f.subjectId).sort()).toEqual([network.id, t.users.operator.id].sort());

    await call(t, 'PATCH', '/api/v1/teams/storage', { as: 'admin', payload: { description: unique('not followed') } });
    await call(t, 'PATCH', '/api/v1/teams/network', { as: 'admin', payload: { description: unique('followed') } });
    await call(t, 'POST', '/api/v1/tokens', { as: 'operator', payload: { name: 'followed person' } });
    const following = (await list(`?following=true&limit=500`)).items.filter((item) => Number(item.id) > mark);
    // The team's update and the person's own action; also the viewer's following of that
    // person (a record about them); not the unfollowed team's update.
    expect(following.map((item) => [item.verb, item.actor?.handle])).toEqual([
      ['token.created', t.users.operator.handle],
      ['team.updated', t.users.admin.handle],
      ['follow.created', t.users.viewer.handle],
    ]);
    expect(following[1].team?.id).toBe(network.id);

    expect((await call(t, 'DELETE', `/api/v1/follows/team/${network.id}`, { as: 'viewer' })).status).toBe(204);
    expectError(await call(t, 'DELETE', `/api/v1/follows/team/${network.id}`, { as: 'viewer' }), 404, 'not_found');
    const verbs = (await list(`?actor=${t.users.viewer.handle}&limit=500`)).items.filter((item) => Number(item.id) > mark).map((item) => item.verb);
    expect(verbs).toEqual(['follow.deleted', 'follow.created', 'follow.created']);
  });
});
