import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '../../testing/databases.js';
import { startTestApp, type TestApp, unique } from '../../testing/test-app.js';

describe.each(testDatabaseKinds())('teams API on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => t?.close());

  it('creates a team, lists it and records the activity in the same transaction', async () => {
    const slug = unique('net');
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/teams', headers: t.as('admin'), payload: { slug, name: 'Network', description: 'Core' } });
    expect(created.statusCode).toBe(201);
    const team = created.json<{ id: string; slug: string }>();
    expect(team.slug).toBe(slug);

    const list = await t.app.inject({ method: 'GET', url: '/api/v1/teams', headers: t.as('viewer') });
    expect(list.json<{ items: Array<{ slug: string }> }>().items.map((item) => item.slug)).toContain(slug);

    const activity = await t.app.inject({ method: 'GET', url: `/api/v1/activity?subject=${team.id}`, headers: t.as('viewer') });
    const items = activity.json<{ items: Array<{ verb: string; actor: { handle: string } }> }>().items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ verb: 'team.created', actor: { handle: t.users.admin.handle } });
  });

  it('answers 409 for a duplicate slug and writes nothing', async () => {
    const slug = unique('dup');
    await t.app.inject({ method: 'POST', url: '/api/v1/teams', headers: t.as('admin'), payload: { slug, name: 'First' } });
    const before = await t.app.inject({ method: 'GET', url: '/api/v1/activity?limit=500', headers: t.as('admin') });
    const second = await t.app.inject({ method: 'POST', url: '/api/v1/teams', headers: t.as('admin'), payload: { slug, name: 'Second' } });
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ error: { code: 'conflict' } });
    expect(second.json<{ error: { message: string } }>().error.message).toMatch(/^slug: /);
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/activity?limit=500', headers: t.as('admin') });
    expect(after.json<{ items: unknown[] }>().items.length).toBe(before.json<{ items: unknown[] }>().items.length);
  });
});
