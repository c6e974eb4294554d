import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { DatabaseKind } from '../../platform/db/database.js';
import type { ApiTokensTable, Database, SessionsTable, TeamsTable, UsersTable } from '../../platform/db/schema.js';

/** Only this file touches identity's tables. */
export type Db = Kysely<Database>;
export type UserRow = Selectable<UsersTable>;
export type TeamRow = Selectable<TeamsTable>;
export type TokenRow = Selectable<ApiTokensTable>;
export type SessionRow = Selectable<SessionsTable>;
export interface MembershipView {
  user_id: string;
  team_id: string;
  team_slug: string;
  team_name: string;
  role: string;
  created_at: number;
}

const looksLikeUuid = (value: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

export const identityRepo = {
  // --- users
  async insertUser(db: Db, row: Insertable<UsersTable>): Promise<UserRow> {
    return db.insertInto('users').values(row).returningAll().executeTakeFirstOrThrow();
  },
  async updateUser(db: Db, id: string, patch: Updateable<UsersTable>): Promise<UserRow> {
    return db.updateTable('users').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  },
  async findUser(db: Db, idOrHandle: string): Promise<UserRow | undefined> {
    const key = idOrHandle.toLowerCase();
    // A handle may look like an id (it comes from an e-mail's local part): the id wins, then the handle.
    const byId = looksLikeUuid(key) ? await db.selectFrom('users').selectAll().where('id', '=', key).executeTakeFirst() : undefined;
    return byId ?? db.selectFrom('users').selectAll().where('handle', '=', key).executeTakeFirst();
  },
  async findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
    return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
  },
  async handleTaken(db: Db, handle: string): Promise<boolean> {
    return (await db.selectFrom('users').select('id').where('handle', '=', handle).executeTakeFirst()) !== undefined;
  },
  async findUsersByHandles(db: Db, handles: string[]): Promise<Array<Pick<UserRow, 'id' | 'handle'>>> {
    if (handles.length === 0) return [];
    return db.selectFrom('users').select(['id', 'handle']).where('handle', 'in', handles).where('disabled_at', 'is', null).execute();
  },
  async listUsers(db: Db, filter: { q?: string; teamId?: string; afterName?: { name: string; id: string }; limit: number }): Promise<UserRow[]> {
    let query = db.selectFrom('users').selectAll('users');
    if (filter.teamId) {
      query = query.innerJoin('memberships', 'memberships.user_id', 'users.id').where('memberships.team_id', '=', filter.teamId);
    }
    if (filter.q) {
      const pattern = `%${filter.q.toLowerCase().replace(/[%_]/g, '')}%`;
      query = query.where((eb) =>
        eb.or([eb(eb.fn('lower', ['users.name']), 'like', pattern), eb('users.handle', 'like', pattern), eb('users.email', 'like', pattern)]),
      );
    }
    if (filter.afterName) {
      const { name, id } = filter.afterName;
      query = query.where((eb) => eb.or([eb('users.name', '>', name), eb.and([eb('users.name', '=', name), eb('users.id', '>', id)])]));
    }
    return query.orderBy('users.name').orderBy('users.id').limit(filter.limit).execute();
  },
  /**
   * The active admins, locked until the caller's transaction ends, for the last-admin rule.
   * PostgreSQL: `FOR UPDATE`, so two demotions at the same moment cannot both see "two
   * admins left" (the second waits, then counts again without the row the first changed).
   * SQLite runs one write transaction at a time and has no row locks: a plain count.
   */
  async lockActiveAdmins(db: Db, kind: DatabaseKind): Promise<number> {
    const query = db.selectFrom('users').select('id').where('role', '=', 'admin').where('disabled_at', 'is', null);
    return (await (kind === 'postgres' ? query.forUpdate() : query).execute()).length;
  },
  async countUsers(db: Db): Promise<number> {
    const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  },

  // --- teams
  async insertTeam(db: Db, row: Insertable<TeamsTable>): Promise<TeamRow> {
    return db.insertInto('teams').values(row).returningAll().executeTakeFirstOrThrow();
  },
  async updateTeam(db: Db, id: string, patch: Updateable<TeamsTable>): Promise<TeamRow> {
    return db.updateTable('teams').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
  },
  async deleteTeam(db: Db, id: string): Promise<void> {
    await db.deleteFrom('teams').where('id', '=', id).execute();
  },
  async findTeam(db: Db, idOrSlug: string): Promise<TeamRow | undefined> {
    const key = idOrSlug.toLowerCase();
    // A valid slug may look like an id: the id wins, then the slug.
    const byId = looksLikeUuid(key) ? await db.selectFrom('teams').selectAll().where('id', '=', key).executeTakeFirst() : undefined;
    return byId ?? db.selectFrom('teams').selectAll().where('slug', '=', key).executeTakeFirst();
  },
  async findTeamsBySlugs(db: Db, slugs: string[]): Promise<TeamRow[]> {
    if (slugs.length === 0) return [];
    return db.selectFrom('teams').selectAll().where('slug', 'in', slugs).execute();
  },
  async listTeams(db: Db): Promise<Array<TeamRow & { member_count: number }>> {
    const rows = await db
      .selectFrom('teams')
      .leftJoin('memberships', 'memberships.team_id', 'teams.id')
      .selectAll('teams')
      .select((eb) => eb.fn.count<number>('memberships.user_id').as('member_count'))
      .groupBy(['teams.id', 'teams.slug', 'teams.name', 'teams.description', 'teams.created_at', 'teams.updated_at'])
      .orderBy('teams.name')
      .execute();
    return rows.map((row) => ({ ...row, member_count: Number(row.member_count) }));
  },
  async searchTeams(db: Db, q: string, limit: number): Promise<TeamRow[]> {
    const pattern = `%${q.toLowerCase().replace(/[%_]/g, '')}%`;
    return db
      .selectFrom('teams')
      .selectAll()
      .where((eb) => eb.or([eb(eb.fn('lower', ['name']), 'like', pattern), eb('slug', 'like', pattern)]))
      .orderBy('name')
      .limit(limit)
      .execute();
  },
  async countMembers(db: Db, teamId: string): Promise<number> {
    const row = await db.selectFrom('memberships').select((eb) => eb.fn.countAll<number>().as('n')).where('team_id', '=', teamId).executeTakeFirstOrThrow();
    return Number(row.n);
  },

  // --- memberships
  async upsertMembership(db: Db, row: { team_id: string; user_id: string; role: string; created_at: number }): Promise<void> {
    await db
      .insertInto('memberships')
      .values(row)
      .onConflict((oc) => oc.columns(['team_id', 'user_id']).doUpdateSet({ role: row.role }))
      .execute();
  },
  async findMembership(db: Db, teamId: string, userId: string) {
    return db.selectFrom('memberships').selectAll().where('team_id', '=', teamId).where('user_id', '=', userId).executeTakeFirst();
  },
  async deleteMembership(db: Db, teamId: string, userId: string): Promise<boolean> {
    const result = await db.deleteFrom('memberships').where('team_id', '=', teamId).where('user_id', '=', userId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  },
  async membershipsOf(db: Db, userIds: string[]): Promise<MembershipView[]> {
    if (userIds.length === 0) return [];
    return db
      .selectFrom('memberships')
      .innerJoin('teams', 'teams.id', 'memberships.team_id')
      .select(['memberships.user_id', 'memberships.team_id', 'teams.slug as team_slug', 'teams.name as team_name', 'memberships.role', 'memberships.created_at'])
      .where('memberships.user_id', 'in', userIds)
      .orderBy('teams.name')
      .execute();
  },
  async membersOf(db: Db, teamId: string) {
    return db
      .selectFrom('memberships')
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .select(['users.id', 'users.name', 'users.handle', 'users.email', 'memberships.role', 'memberships.created_at'])
      .where('memberships.team_id', '=', teamId)
      .orderBy('users.name')
      .execute();
  },

  // --- sessions
  async insertSession(db: Db, row: Insertable<SessionsTable>): Promise<void> {
    await db.insertInto('sessions').values(row).execute();
  },
  async findSessionByHash(db: Db, tokenHash: string) {
    return db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select(['sessions.id as session_id', 'sessions.csrf_token', 'sessions.expires_at', 'sessions.last_seen_at'])
      .selectAll('users')
      .where('sessions.token_hash', '=', tokenHash)
      .executeTakeFirst();
  },
  async touchSession(db: Db, id: string, lastSeenAt: number, expiresAt: number): Promise<void> {
    await db.updateTable('sessions').set({ last_seen_at: lastSeenAt, expires_at: expiresAt }).where('id', '=', id).execute();
  },
  async deleteSession(db: Db, id: string): Promise<void> {
    await db.deleteFrom('sessions').where('id', '=', id).execute();
  },
  async deleteSessionsOf(db: Db, userId: string): Promise<void> {
    await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
  },
  async deleteExpiredSessions(db: Db, nowMs: number): Promise<number> {
    const result = await db.deleteFrom('sessions').where('expires_at', '<', nowMs).executeTakeFirst();
    return Number(result.numDeletedRows);
  },

  // --- API tokens
  async insertToken(db: Db, row: Insertable<ApiTokensTable>): Promise<TokenRow> {
    return db.insertInto('api_tokens').values(row).returningAll().executeTakeFirstOrThrow();
  },
  async findTokenByHash(db: Db, tokenHash: string) {
    return db
      .selectFrom('api_tokens')
      .innerJoin('users', 'users.id', 'api_tokens.user_id')
      .select(['api_tokens.id as token_id', 'api_tokens.expires_at', 'api_tokens.revoked_at', 'api_tokens.last_used_at'])
      .selectAll('users')
      .where('api_tokens.token_hash', '=', tokenHash)
      .executeTakeFirst();
  },
  async findToken(db: Db, id: string): Promise<TokenRow | undefined> {
    return db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
  },
  async listTokens(db: Db, userId: string | null) {
    let query = db
      .selectFrom('api_tokens')
      .innerJoin('users', 'users.id', 'api_tokens.user_id')
      .selectAll('api_tokens')
      .select(['users.name as owner_name', 'users.handle as owner_handle', 'users.email as owner_email']);
    if (userId) query = query.where('api_tokens.user_id', '=', userId);
    return query.orderBy('api_tokens.created_at', 'desc').execute();
  },
  async markTokenUsed(db: Db, id: string, at: number): Promise<void> {
    await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
  },
  async deleteToken(db: Db, id: string): Promise<void> {
    await db.deleteFrom('api_tokens').where('id', '=', id).execute();
  },
  async revokeToken(db: Db, id: string, at: number): Promise<void> {
    await db.updateTable('api_tokens').set({ revoked_at: at }).where('id', '=', id).execute();
  },
};
