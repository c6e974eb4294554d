import type { InboxEntry } from '@opsloom/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '../../testing/databases.js';
import { call, expectError } from '../../testing/http.js';
import { startTestApp, type TestApp, unique } from '../../testing/test-app.js';
import { extractMentions } from './mentions.js';

interface Inbox {
  items: InboxEntry[];
  nextCursor: string | null;
  unreadCount: number;
}

describe('extractMentions', () => {
  it('finds @handles, not e-mail addresses, and trims trailing punctuation', () => {
    expect(extractMentions(['ask @Ana.Silva. or @ben-o, cc ops@example.com and @@x', null, '(@kofi)'])).toEqual(['ana.silva', 'ben-o', 'kofi']);
    expect(extractMentions(['no mentions here', 'mail a@b.c'])).toEqual([]);
  });
});

describe.each(testDatabaseKinds())('mentions and inbox on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => t?.close());

  const inbox = async (role: 'admin' | 'operator' | 'viewer' | 'requester', query = '') => {
    const result = await call(t, 'GET', `/api/v1/inbox${query}`, { as: role });
    expect(result.status, result.body).toBe(200);
    return result.json<Inbox>();
  };

  it('@handle in a team description notifies that person once; not e-mail addresses, not the actor', async () => {
    const before = { operator: await inbox('operator'), viewer: await inbox('viewer'), admin: await inbox('admin') };
    const description = `Escalate to @${t.users.operator.handle} (or @${t.users.operator.handle} again); mail someone@${t.users.viewer.handle}.example; written by @${t.users.admin.handle}`;
    const created = await call(t, 'POST', '/api/v1/teams', { as: 'admin', payload: { slug: unique('mention'), name: 'Mentions', description } });
    expect(created.status).toBe(201);
    const team = created.json<{ id: string; slug: string }>();

    const operator = await inbox('operator');
    expect(operator.items.length).toBe(before.operator.items.length + 1);
    expect(operator.unreadCount).toBe(before.operator.unreadCount + 1);
    expect(operator.items[0]).toMatchObject({ reason: 'mention', readAt: null, activity: { verb: 'team.created', subject: { id: team.id }, actor: { id: t.users.admin.id } } });
    expect((await inbox('viewer')).items.length).toBe(before.viewer.items.length);
    expect((await inbox('admin')).items.length).toBe(before.admin.items.length);

    // An update that adds a mention notifies; one that keeps the description does not.
    const update = await call(t, 'PATCH', `/api/v1/teams/${team.slug}`, { as: 'admin', payload: { description: `now @${t.users.viewer.handle}` } });
    expect(update.status).toBe(200);
    const viewer = await inbox('viewer');
    expect(viewer.items[0]).toMatchObject({ reason: 'mention', activity: { verb: 'team.updated' } });
    await call(t, 'PATCH', `/api/v1/teams/${team.slug}`, { as: 'admin', payload: { name: 'Renamed' } });
    expect((await inbox('viewer')).items.length).toBe(viewer.items.length);
  });

  it('a mention of a disabled or unknown handle notifies nobody and fails nothing', async () => {
    const created = await call(t, 'POST', '/api/v1/teams', { as: 'admin', payload: { slug: unique('ghost'), name: 'Ghost', description: '@nobody-at-all' } });
    expect(created.status).toBe(201);
  });

  it('followers of a team get follow entries; the actor does not', async () => {
    const team = (await call(t, 'POST', '/api/v1/teams', { as: 'admin', payload: { slug: unique('followed'), name: 'Followed' } })).json<{ id: string; slug: string }>();
    expect((await call(t, 'POST', '/api/v1/follows', { as: 'operator', payload: { subjectType: 'team', subjectId: team.id } })).status).toBe(201);
    expect((await call(t, 'POST', '/api/v1/follows', { as: 'admin', payload: { subjectType: 'team', subjectId: team.id } })).status).toBe(201);
    const before = { operator: (await inbox('operator')).items.length, admin: (await inbox('admin')).items.length };
    await call(t, 'PUT', `/api/v1/teams/${team.slug}/members/${t.users.viewer.handle}`, { as: 'admin', payload: {} });
    const operator = await inbox('operator');
    expect(operator.items.length).toBe(before.operator + 1);
    expect(operator.items[0]).toMatchObject({ reason: 'follow', activity: { verb: 'membership.added', team: { id: team.id } } });
    expect((await inbox('admin')).items.length).toBe(before.admin);

    // A mention wins over a follow: one entry per person and record.
    await call(t, 'PATCH', `/api/v1/teams/${team.slug}`, { as: 'admin', payload: { description: `@${t.users.operator.handle} look` } });
    const after = await inbox('operator');
    expect(after.items.length).toBe(before.operator + 2);
    expect(after.items[0].reason).toBe('mention');
  });

  it('deleting a team removes its follows in the same transaction', async () => {
    const team = (await call(t, 'POST', '/api/v1/teams', { as: 'admin', payload: { slug: unique('gone'), name: 'Gone' } })).json<{ id: string; slug: string }>();
    expect((await call(t, 'POST', '/api/v1/follows', { as: 'viewer', payload: { subjectType: 'team', subjectId: team.id } })).status).toBe(201);
    const follows = async () => (await call(t, 'GET', '/api/v1/follows', { as: 'viewer' })).json<{ items: Array<{ subjectId: string }> }>().items;
    expect((await follows()).map((f) => f.subjectId)).toContain(team.id);
    expect((await call(t, 'DELETE', `/api/v1/teams/${team.slug}`, { as: 'admin' })).status).toBe(204);
    expect((await follows()).map((f) => f.subjectId)).not.toContain(team.id);
  });

  it('a requester following a team gets no entries for records they may not see', async () => {
    const team = (await call(t, 'POST', '/api/v1/teams', { as: 'admin', payload: { slug: unique('req'), name: 'Req' } })).json<{ id: string; slug: string }>();
    expect((await call(t, 'POST', '/api/v1/follows', { as: 'requester', payload: { subjectType: 'team', subjectId: team.id } })).status).toBe(201);
    const before = await inbox('requester');
    await call(t, 'PATCH', `/api/v1/teams/${team.slug}`, { as: 'admin', payload: { description: 'internal details' } });
    const after = await inbox('requester');
    expect(after.items.length).toBe(before.items.length);
    expect(after.items.every((entry) => entry.activity.actor?.id === t.users.requester.id || entry.reason === 'mention')).toBe(true);
  });

  it('mark read by id and all; unread filter and count; pagination', async () => {
    const slug = unique('reads');
    await call(t, 'POST', '/api/v1/teams', { as: 'admin', payload: { slug, name: 'Reads' } });
    for (let i = 0; i < 5; i++) {
      await call(t, 'PATCH', `/api/v1/teams/${slug}`, { as: 'admin', payload: { description: `@${t.users.requester.handle} round ${i}` } });
    }
    const all = await inbox('requester', '?limit=500');
    expect(all.unreadCount).toBeGreaterThanOrEqual(5);
    const unreadBefore = all.unreadCount;

    const first = all.items[0];
    const marked = await call(t, 'POST', '/api/v1/inbox/read', { as: 'requester', payload: { ids: [first.id] } });
    expect(marked.json()).toEqual({ updated: 1 });
    expect((await call(t, 'POST', '/api/v1/inbox/read', { as: 'requester', payload: { ids: [first.id] } })).json()).toEqual({ updated: 0 });
    // Someone else's entries cannot be marked.
    expect((await call(t, 'POST', '/api/v1/inbox/read', { as: 'operator', payload: { ids: [all.items[1].id] } })).json()).toEqual({ updated: 0 });
    const afterOne = await inbox('requester', '?limit=500');
    expect(afterOne.unreadCount).toBe(unreadBefore - 1);
    expect(afterOne.items.find((entry) => entry.id === first.id)?.readAt).not.toBeNull();
    expect((await inbox('requester', '?unread=true&limit=500')).items.map((entry) => entry.id)).not.toContain(first.id);

    // Pages: no gaps, no repeats.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Inbox = await inbox('requester', `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((entry) => entry.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.items.map((entry) => entry.id));

    const readAll = await call(t, 'POST', '/api/v1/inbox/read', { as: 'requester', payload: {} });
    expect(readAll.json()).toEqual({ updated: unreadBefore - 1 });
    const done = await inbox('requester', '?unread=true');
    expect(done).toMatchObject({ items: [], unreadCount: 0 });
    expectError(await call(t, 'POST', '/api/v1/inbox/read', { as: 'requester', payload: { ids: ['x'] } }), 400, 'validation_failed', /^body\.ids\.0: /);
  });
});
