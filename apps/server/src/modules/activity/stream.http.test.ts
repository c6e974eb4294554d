import type { Activity, Role } from '@opsloom/api';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { openDatabase } from '../../platform/db/database.js';
import { testDatabaseKinds } from '../../testing/databases.js';
import { call, maxActivityId, SseReader } from '../../testing/http.js';
import { startTestApp, type TestApp, unique } from '../../testing/test-app.js';

/** The live stream over real HTTP: a listener on 127.0.0.1 and fetch reading the events. */
describe.each(testDatabaseKinds())('live activity stream on %s', (kind) => {
  let t: TestApp;
  let baseUrl: string;
  const open: SseReader[] = [];

  beforeAll(async () => {
    t = await startTestApp(kind);
    baseUrl = await t.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    for (const reader of open) await reader.cancel();
    await t?.close();
  });

  async function subscribe(role: Role, query = '', headers: Record<string, string> = {}, base = baseUrl, token = t.tokens[role]): Promise<SseReader> {
    const response = await fetch(`${base}/api/v1/stream${query}`, { headers: { authorization: `Bearer ${token}`, ...headers } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    if (!response.body) throw new Error('no body');
    const reader = new SseReader(response.body);
    open.push(reader);
    return reader;
  }

  const activities = (reader: SseReader): Activity[] => reader.events.filter((e) => e.event === 'activity').map((e) => JSON.parse(e.data) as Activity);
  const createTeam = async (slug = unique('live')) => {
    const result = await call(t, 'POST', '/api/v1/teams', { as: 'admin', payload: { slug, name: `Live ${slug}` } });
    expect(result.status).toBe(201);
    return result.json<{ id: string; slug: string }>();
  };

  it('delivers a write as `event: activity` with its id', async () => {
    // On PostgreSQL the set-up's own records may still be on their way through NOTIFY.
    const mark = await maxActivityId(t.database.handle.db);
    const reader = await subscribe('viewer');
    const team = await createTeam();
    const fresh = (e: SseReader['events'][number]) => e.event === 'activity' && Number(e.id) > mark;
    const events = await reader.until((all) => all.some(fresh));
    const event = events.find(fresh);
    const record = JSON.parse(event?.data ?? '{}') as Activity;
    expect(record).toMatchObject({ verb: 'team.created', subject: { type: 'team', id: team.id }, actor: { id: t.users.admin.id } });
    expect(event?.id).toBe(record.id);
    expect(Number(record.id)).toBe(await maxActivityId(t.database.handle.db));
    await reader.cancel();
  });

  it('applies filters: team, actor and subject type', async () => {
    const watched = await createTeam();
    const other = await createTeam();
    const byTeam = await subscribe('operator', `?team=${watched.slug}`);
    const byActor = await subscribe('operator', `?actor=${t.users.viewer.handle}`);
    const byType = await subscribe('operator', '?subjectType=token');
    // On PostgreSQL the teams' own records may reach the bus (via NOTIFY) after these subscribe.
    const mark = await maxActivityId(t.database.handle.db);
    const fresh = (reader: SseReader) => activities(reader).filter((a) => Number(a.id) > mark);
    await call(t, 'PATCH', `/api/v1/teams/${other.slug}`, { as: 'admin', payload: { description: 'elsewhere' } });
    await call(t, 'PATCH', `/api/v1/teams/${watched.slug}`, { as: 'admin', payload: { description: 'here' } });
    await call(t, 'POST', '/api/v1/tokens', { as: 'viewer', payload: { name: 'streamed' } });
    await byTeam.until(() => fresh(byTeam).length > 0);
    await byActor.until(() => fresh(byActor).length > 0);
    await byType.until(() => fresh(byType).length > 0);
    await byTeam.drain(300);
    expect(fresh(byTeam).map((a) => [a.verb, a.team?.id])).toEqual([['team.updated', watched.id]]);
    expect(activities(byTeam).every((a) => a.team?.id === watched.id)).toBe(true);
    expect(fresh(byActor).map((a) => a.verb)).toEqual(['token.created']);
    expect(fresh(byType).map((a) => [a.verb, a.actor?.id])).toEqual([['token.created', t.users.viewer.id]]);
  });

  it('a requester receives only their own records', async () => {
    const requester = await subscribe('requester');
    const staff = await subscribe('viewer');
    await createTeam();
    await call(t, 'POST', '/api/v1/tokens', { as: 'requester', payload: { name: 'own' } });
    await staff.until((all) => all.filter((e) => e.event === 'activity').length >= 2);
    await requester.until((all) => all.some((e) => e.event === 'activity'));
    await requester.drain(300);
    expect(activities(requester).map((a) => [a.verb, a.actor?.id])).toEqual([['token.created', t.users.requester.id]]);
  });

  it('resumes from Last-Event-ID: missed records once, in order, then live ones, no duplicates', async () => {
    const first = await subscribe('viewer');
    await createTeam();
    await first.until((all) => all.some((e) => e.event === 'activity'));
    const lastId = activities(first)[0].id;
    await first.cancel();

    const missed = [await createTeam(), await createTeam(), await createTeam()];
    const resumed = await subscribe('viewer', '', { 'last-event-id': lastId });
    await resumed.until((all) => all.filter((e) => e.event === 'activity').length >= 3);
    const live = await createTeam();
    await resumed.until((all) => all.filter((e) => e.event === 'activity').length >= 4);
    await resumed.drain(300);
    const got = activities(resumed);
    expect(got.map((a) => a.subject.id)).toEqual([...missed.map((m) => m.id), live.id]);
    expect(new Set(got.map((a) => a.id)).size).toBe(got.length);
    expect(resumed.events.filter((e) => e.event === 'activity').map((e) => e.id)).toEqual(got.map((a) => a.id));

    // The query parameter does the same for clients that cannot set the header.
    const byQuery = await subscribe('viewer', `?lastEventId=${lastId}`);
    await byQuery.until((all) => all.filter((e) => e.event === 'activity').length >= 4);
    expect(activities(byQuery).map((a) => a.subject.id)).toEqual([...missed.map((m) => m.id), live.id]);

    const bad = await fetch(`${baseUrl}/api/v1/stream`, { headers: { authorization: `Bearer ${t.tokens.viewer}`, 'last-event-id': 'abc' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/^last-event-id: /);
  });

  it('resumes across more missed records than one catch-up batch without a gap', async () => {
    const db = t.database.handle.db;
    const from = await maxActivityId(db);
    const rows = Array.from({ length: 1200 }, (_, i) => ({
      occurred_at: Date.now(), actor_id: t.users.admin.id, actor_name: 'Test admin', actor_handle: t.users.admin.handle, via: 'token',
      verb: 'bulk.test', subject_type: 'team', subject_id: `bulk-${i}`, subject_label: `bulk ${i}`, team_id: null, team_slug: null, team_name: null,
      summary: `bulk ${i}`, data: '{}', ip: null, user_agent: null,
    }));
    for (let i = 0; i < rows.length; i += 200) await db.insertInto('activity').values(rows.slice(i, i + 200)).execute();
    const resumed = await subscribe('viewer', '', { 'last-event-id': String(from) });
    await resumed.until((all) => all.filter((e) => e.event === 'activity').length >= 1200, 15_000);
    const live = await createTeam();
    await resumed.until(() => activities(resumed).some((a) => a.subject.id === live.id), 5000);
    const got = activities(resumed);
    expect(got.slice(0, 1200).map((a) => a.subject.id)).toEqual(rows.map((r) => r.subject_id));
    expect(got.map((a) => a.subject.id).slice(1200)).toEqual([live.id]);
    await resumed.cancel();
  });

  it.runIf(kind === 'postgres')('delivers a write on one instance to a subscriber on another (LISTEN/NOTIFY)', async () => {
    const url = t.database.location.databaseUrl;
    if (!url) throw new Error('no database url');
    const handleB = openDatabase({ databaseUrl: url, dataDir: t.database.location.dataDir, poolSize: 3 });
    let appB: FastifyInstance | null = null;
    try {
      appB = (await buildApp({ config: t.config, database: handleB, logger: false })).app;
      const baseB = await appB.listen({ host: '127.0.0.1', port: 0 });
      const onB = await subscribe('viewer', '', {}, baseB);
      const onA = await subscribe('operator');
      const team = await createTeam();
      const viaB = await call({ app: appB, as: (role) => t.as(role) }, 'POST', '/api/v1/tokens', { as: 'operator', payload: { name: 'written on B' } });
      expect(viaB.status).toBe(201);
      await onB.until((all) => all.filter((e) => e.event === 'activity').length >= 2);
      await onA.until((all) => all.filter((e) => e.event === 'activity').length >= 2);
      await onB.drain(300);
      expect(activities(onB).map((a) => [a.verb, a.subject.label])).toEqual([
        ['team.created', `Live ${team.slug}`],
        ['token.created', 'written on B'],
      ]);
      expect(activities(onA).map((a) => a.id)).toEqual(activities(onB).map((a) => a.id));
      await onB.cancel();
    } finally {
      await appB?.close();
      await handleB.close();
    }
  });

  it('the metrics gauge counts open streams and shutdown ends them', async () => {
    const reader = await subscribe('viewer');
    const metrics = await call(t, 'GET', '/metrics');
    const gauge = /^opsloom_stream_subscribers (\d+)$/m.exec(metrics.body);
    expect(Number(gauge?.[1])).toBeGreaterThanOrEqual(1);
    await reader.cancel();
  });
});
