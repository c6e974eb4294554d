import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from '../../db/migrations/index.js';
import { createTestDatabase, type TestDatabase, testDatabaseKinds } from '../../testing/databases.js';
import { migrateToLatest } from './migrator.js';

describe.each(testDatabaseKinds())('migrations on %s', (kind) => {
  let database: TestDatabase | null = null;
  afterEach(async () => {
    await database?.drop();
    database = null;
  });

  it('migrate an empty database, then again as a no-op that keeps the data', async () => {
    database = await createTestDatabase(kind, { migrate: false });
    const db = database.handle.db;
    const first = await migrateToLatest(db);
    expect(first.applied).toEqual(Object.keys(migrations).sort());

    const at = Date.now();
    await db.insertInto('teams').values({ id: '01900000-0000-7000-8000-000000000001', slug: 'kept', name: 'Kept', description: '', created_at: at, updated_at: at }).execute();
    await db.insertInto('activity').values({
      occurred_at: at, actor_id: null, actor_name: null, actor_handle: null, via: 'system', verb: 'team.created', subject_type: 'team',
      subject_id: '01900000-0000-7000-8000-000000000001', subject_label: 'Kept', team_id: null, team_slug: null, team_name: null,
      summary: 'created', data: JSON.stringify({ a: 1 }), ip: null, user_agent: null,
    }).execute();

    const second = await migrateToLatest(db);
    expect(second.applied).toEqual([]);
    expect(await db.selectFrom('teams').select(['slug', 'name']).execute()).toEqual([{ slug: 'kept', name: 'Kept' }]);
    expect(await db.selectFrom('activity').select('verb').execute()).toEqual([{ verb: 'team.created' }]);

    const recorded = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
    expect(recorded.rows.map((row) => row.name)).toEqual(Object.keys(migrations).sort());
  });

  it('creates every table the row types name', async () => {
    database = await createTestDatabase(kind);
    const db = database.handle.db;
    for (const table of ['users', 'teams', 'memberships', 'sessions', 'api_tokens', 'activity', 'follows', 'inbox'] as const) {
      const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(row.n), table).toBe(0);
    }
    const tables = await db.introspection.getTables();
    const names = tables.map((table) => table.name);
    for (const table of ['users', 'teams', 'memberships', 'sessions', 'api_tokens', 'activity', 'follows', 'inbox']) expect(names).toContain(table);
  });

  it('keeps alerts and the answers of the CI filter across the alerts CI index migration', async () => {
    database = await createTestDatabase(kind, { migrate: false });
    const db = database.handle.db;
    const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '2026-11-22T09-00_alerts_ci_index'));
    await new Migrator({ db, provider: { getMigrations: async () => before } }).migrateToLatest();
    const alert = (id: string, ci: string | null) => ({
      id, integration_id: 'i', dedup_key: id, status: 'firing', severity: 'warning', summary: id, source: 's', ci_id: ci, ci_key: ci, team_id: null,
      labels: '{}', incident_id: null, reason: null, count: 1, starts_at: 1, ends_at: null, first_seen_at: 1, last_seen_at: 1,
    });
    await db.insertInto('alerts').values([alert('a1', 'host-1'), alert('a2', 'host-2'), alert('a3', 'host-1'), alert('a4', null)]).execute();
    const byCi = () => db.selectFrom('alerts').select('id').where('ci_key', '=', 'host-1').orderBy('id', 'desc').execute();
    const answer = await byCi();
    expect((await migrateToLatest(db)).applied).toEqual(Object.keys(migrations).filter((name) => name >= '2026-11-22T09-00_alerts_ci_index'));
    expect(await byCi()).toEqual(answer);
    expect(answer).toEqual([{ id: 'a3' }, { id: 'a1' }]);
    const indexes = kind === 'sqlite'
      ? (await sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = 'alerts'`.execute(db)).rows.map((r) => r.name)
      : (await sql<{ name: string }>`select indexname as name from pg_indexes where tablename = 'alerts'`.execute(db)).rows.map((r) => r.name);
    expect(indexes.includes('alerts_ci')).toBe(kind === 'postgres');
  });

  it('keeps integrations across the last-error migration, which starts them with none', async () => {
    database = await createTestDatabase(kind, { migrate: false });
    const db = database.handle.db;
    const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '2026-11-22T10-00_integration_last_error'));
    await new Migrator({ db, provider: { getMigrations: async () => before } }).migrateToLatest();
    await sql`insert into integrations (id, kind, name, team_id, routing_key, event_count, error_count, last_event_at, disabled_at, created_at, updated_at)
      values ('01900000-0000-7000-8000-0000000000a1', 'alertmanager', 'kept', null, 'key-kept', 7, 3, 5, null, 1, 2)`.execute(db);
    expect((await migrateToLatest(db)).applied).toEqual(Object.keys(migrations).filter((name) => name >= '2026-11-22T10-00_integration_last_error'));
    expect(await db.selectFrom('integrations').select(['name', 'event_count', 'error_count', 'last_error_at', 'last_error']).execute())
      .toEqual([{ name: 'kept', event_count: 7, error_count: 3, last_error_at: null, last_error: null }]);
  });

  it('keeps incidents across the root-alternatives migration, which starts them with none', async () => {
    database = await createTestDatabase(kind, { migrate: false });
    const db = database.handle.db;
    const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '2026-11-22T11-00_incident_root_alternatives'));
    await new Migrator({ db, provider: { getMigrations: async () => before } }).migrateToLatest();
    await sql`insert into incidents (id, number, title, severity, status, team_id, integration_id, root_ci_id, root_ci_key, root_explanation, ci_keys,
      alert_count, open_alert_count, merged_into, started_at, last_alert_at, resolved_at, created_at, updated_at)
      values ('01900000-0000-7000-8000-0000000000b1', 4, 'kept', 'critical', 'open', null, null, null, 'stor-01', 'why', '["stor-01"]', 3, 2, null, 1, 2, null, 1, 2)`.execute(db);
    expect((await migrateToLatest(db)).applied).toEqual(Object.keys(migrations).filter((name) => name >= '2026-11-22T11-00_incident_root_alternatives'));
    expect(await db.selectFrom('incidents').select(['number', 'title', 'root_ci_key', 'alert_count', 'root_alternatives']).execute())
      .toEqual([{ number: 4, title: 'kept', root_ci_key: 'stor-01', alert_count: 3, root_alternatives: '[]' }]);
  });

  it('keeps incidents across the correlation-state migration, which starts them with none', async () => {
    database = await createTestDatabase(kind, { migrate: false });
    const db = database.handle.db;
    const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '2026-11-22T12-00_incident_correlation_state'));
    await new Migrator({ db, provider: { getMigrations: async () => before } }).migrateToLatest();
    await sql`insert into incidents (id, number, title, severity, status, team_id, integration_id, root_ci_id, root_ci_key, root_explanation, root_alternatives, ci_keys,
      alert_count, open_alert_count, merged_into, started_at, last_alert_at, resolved_at, created_at, updated_at)
      values ('01900000-0000-7000-8000-0000000000c1', 5, 'kept', 'major', 'open', null, null, null, 'stor-02', 'why', '[]', '["stor-02"]', 3, 2, null, 1, 2, null, 1, 2)`.execute(db);
    expect((await migrateToLatest(db)).applied).toEqual(Object.keys(migrations).filter((name) => name >= '2026-11-22T12-00_incident_correlation_state'));
    expect(await db.selectFrom('incidents').select(['number', 'root_ci_key', 'ci_keys', 'first_summary', 'fallback_team_id']).execute())
      .toEqual([{ number: 5, root_ci_key: 'stor-02', ci_keys: '["stor-02"]', first_summary: null, fallback_team_id: null }]);
    expect(await db.selectFrom('incident_cis').selectAll().execute()).toEqual([]);
    await db.insertInto('incident_cis').values({ incident_id: '01900000-0000-7000-8000-0000000000c1', position: 0, ci_id: 'ci-1', first_alert_at: 1 }).execute();
    await db.insertInto('incident_labels').values({ incident_id: '01900000-0000-7000-8000-0000000000c1', position: 0, label: `job=${'x'.repeat(1100)}` }).execute();
    expect((await db.selectFrom('incident_labels').select('label').executeTakeFirstOrThrow()).label).toHaveLength(1104);
  });

  it('fills the noise figure\'s running totals from the alerts already stored', async () => {
    database = await createTestDatabase(kind, { migrate: false });
    const db = database.handle.db;
    const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '2026-11-22T13-00_alert_noise_daily'));
    await new Migrator({ db, provider: { getMigrations: async () => before } }).migrateToLatest();
    const DAY = 86_400_000;
    const alert = (id: string, integration: string, team: string | null, startsAt: number, count: number) => ({
      id, integration_id: integration, dedup_key: id, status: 'firing', severity: 'warning', summary: id, source: 's', ci_id: null, ci_key: null, team_id: team,
      labels: '{}', incident_id: null, reason: null, count, starts_at: startsAt, ends_at: null, first_seen_at: startsAt, last_seen_at: startsAt,
    });
    await db.insertInto('alerts').values([
      alert('a1', 'i1', 'team-a', 20_000 * DAY + 5, 3), alert('a2', 'i1', 'team-a', 20_000 * DAY + DAY - 1, 1), alert('a3', 'i1', null, 20_000 * DAY, 2),
      alert('a4', 'i2', 'team-a', 20_001 * DAY, 4),
    ]).execute();
    expect((await migrateToLatest(db)).applied).toEqual(Object.keys(migrations).filter((name) => name >= '2026-11-22T13-00_alert_noise_daily'));
    expect(await db.selectFrom('alert_noise_daily').selectAll().orderBy('day').orderBy('integration_id').orderBy('team_key').execute()).toEqual([
      { day: 20_000, integration_id: 'i1', team_key: '', alerts: 1, deliveries: 2 },
      { day: 20_000, integration_id: 'i1', team_key: 'team-a', alerts: 2, deliveries: 4 },
      { day: 20_001, integration_id: 'i2', team_key: 'team-a', alerts: 1, deliveries: 4 },
    ]);
  });

  it('keeps incidents across the pruned-alerts migration, which starts them with none pruned', async () => {
    database = await createTestDatabase(kind, { migrate: false });
    const db = database.handle.db;
    const before = Object.fromEntries(Object.entries(migrations).filter(([name]) => name < '2026-11-22T14-00_incident_pruned_alerts'));
    await new Migrator({ db, provider: { getMigrations: async () => before } }).migrateToLatest();
    await sql`insert into incidents (id, number, title, severity, status, team_id, integration_id, root_ci_id, root_ci_key, root_explanation, root_alternatives, ci_keys,
      alert_count, open_alert_count, merged_into, started_at, last_alert_at, resolved_at, created_at, updated_at, first_summary, fallback_team_id)
      values ('01900000-0000-7000-8000-0000000000d1', 6, 'kept', 'minor', 'resolved', null, null, null, 'sw-01', 'why', '[]', '["sw-01"]', 9, 0, null, 1, 2, 3, 1, 3, 'first', null)`.execute(db);
    expect((await migrateToLatest(db)).applied).toEqual(Object.keys(migrations).filter((name) => name >= '2026-11-22T14-00_incident_pruned_alerts'));
    expect(await db.selectFrom('incidents').select(['number', 'status', 'alert_count', 'pruned_alert_count']).execute())
      .toEqual([{ number: 6, status: 'resolved', alert_count: 9, pruned_alert_count: 0 }]);
  });

  it('migration names sort in the order they are listed', () => {
    const names = Object.keys(migrations);
    expect([...names].sort()).toEqual(names);
    for (const name of names) expect(name).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}_[a-z0-9_-]+$/);
  });
});
