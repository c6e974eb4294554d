import type { Insertable, Kysely } from 'kysely';
import type { ActivityTable, Database, InboxTable } from '../../platform/db/schema.js';

/** Only this file touches the activity, follows and inbox tables. */
type Db = Kysely<Database>;

export interface ActivityFilter {
  teamId?: string;
  subjectId?: string;
  subjectType?: string;
  actorId?: string;
  verbPrefix?: string;
  verb?: string;
  followerId?: string;
  /** Restrict to records this actor made (requesters see only their own). */
  onlyActorId?: string;
  beforeId?: number;
  afterId?: number;
  limit: number;
}

export const activityRepo = {
  async list(db: Db, filter: ActivityFilter) {
    let query = db.selectFrom('activity').selectAll('activity');
    if (filter.teamId) query = query.where('activity.team_id', '=', filter.teamId);
    if (filter.subjectId) query = query.where('activity.subject_id', '=', filter.subjectId);
    if (filter.subjectType) query = query.where('activity.subject_type', '=', filter.subjectType);
    if (filter.actorId) query = query.where('activity.actor_id', '=', filter.actorId);
    if (filter.onlyActorId) query = query.where('activity.actor_id', '=', filter.onlyActorId);
    if (filter.verb) query = query.where('activity.verb', '=', filter.verb);
    if (filter.verbPrefix) query = query.where('activity.verb', 'like', `${filter.verbPrefix.replace(/[%_]/g, '')}%`);
    if (filter.beforeId !== undefined) query = query.where('activity.id', '<', filter.beforeId);
    if (filter.afterId !== undefined) query = query.where('activity.id', '>', filter.afterId);
    if (filter.followerId) {
      const followerId = filter.followerId;
      query = query.where((eb) =>
        eb.or([
          eb('activity.team_id', 'in', eb.selectFrom('follows').select('subject_id').where('user_id', '=', followerId).where('subject_type', '=', 'team')),
          eb('activity.actor_id', 'in', eb.selectFrom('follows').select('subject_id').where('user_id', '=', followerId).where('subject_type', '=', 'user')),
          eb.and([
            eb('activity.subject_type', '=', 'user'),
            eb('activity.subject_id', 'in', eb.selectFrom('follows').select('subject_id').where('user_id', '=', followerId).where('subject_type', '=', 'user')),
          ]),
        ]),
      );
    }
    const order = filter.afterId !== undefined ? 'asc' : 'desc';
    return query.orderBy('activity.id', order).limit(filter.limit).execute();
  },

  async insert(db: Db, row: Insertable<ActivityTable>) {
    return db.insertInto('activity').values(row).returningAll().executeTakeFirstOrThrow();
  },

  // --- follows
  async follow(db: Db, row: { user_id: string; subject_type: string; subject_id: string; label: string; created_at: number }) {
    await db.insertInto('follows').values(row).onConflict((oc) => oc.columns(['user_id', 'subject_type', 'subject_id']).doNothing()).execute();
    return db
      .selectFrom('follows')
      .selectAll()
      .where('user_id', '=', row.user_id)
      .where('subject_type', '=', row.subject_type)
      .where('subject_id', '=', row.subject_id)
      .executeTakeFirstOrThrow();
  },
  async unfollow(db: Db, userId: string, subjectType: string, subjectId: string): Promise<boolean> {
    const result = await db
      .deleteFrom('follows')
      .where('user_id', '=', userId)
      .where('subject_type', '=', subjectType)
      .where('subject_id', '=', subjectId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  },
  async deleteFollowsOf(db: Db, subjectType: string, subjectId: string): Promise<void> {
    await db.deleteFrom('follows').where('subject_type', '=', subjectType).where('subject_id', '=', subjectId).execute();
  },
  async followsOf(db: Db, userId: string) {
    return db.selectFrom('follows').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').execute();
  },
  /** Users who follow the team, the actor or the user the record is about. */
  async followersFor(db: Db, targets: { teamId: string | null; userIds: string[] }): Promise<Array<{ userId: string; role: string }>> {
    const { teamId, userIds } = targets;
    if (!teamId && userIds.length === 0) return [];
    const rows = await db
      .selectFrom('follows')
      .innerJoin('users', 'users.id', 'follows.user_id')
      .select(['follows.user_id', 'users.role'])
      .distinct()
      .where((eb) =>
        eb.or([
          ...(teamId ? [eb.and([eb('subject_type', '=', 'team'), eb('subject_id', '=', teamId)])] : []),
          ...(userIds.length > 0 ? [eb.and([eb('subject_type', '=', 'user'), eb('subject_id', 'in', userIds)])] : []),
        ]),
      )
      .execute();
    return rows.map((row) => ({ userId: row.user_id, role: row.role }));
  },

  // --- inbox
  async insertInbox(db: Db, rows: Insertable<InboxTable>[]): Promise<void> {
    if (rows.length === 0) return;
    await db.insertInto('inbox').values(rows).onConflict((oc) => oc.columns(['user_id', 'activity_id']).doNothing()).execute();
  },
  async inbox(db: Db, userId: string, options: { unread?: boolean; beforeId?: string; limit: number }) {
    let query = db
      .selectFrom('inbox')
      .innerJoin('activity', 'activity.id', 'inbox.activity_id')
      .selectAll('activity')
      .select(['inbox.id as inbox_id', 'inbox.reason', 'inbox.read_at', 'inbox.created_at as inbox_created_at'])
      .where('inbox.user_id', '=', userId);
    if (options.unread) query = query.where('inbox.read_at', 'is', null);
    if (options.beforeId) query = query.where('inbox.id', '<', options.beforeId);
    return query.orderBy('inbox.id', 'desc').limit(options.limit).execute();
  },
  async unreadCount(db: Db, userId: string): Promise<number> {
    const row = await db
      .selectFrom('inbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },
  async markRead(db: Db, userId: string, ids: string[] | undefined, at: number): Promise<number> {
    let query = db.updateTable('inbox').set({ read_at: at }).where('user_id', '=', userId).where('read_at', 'is', null);
    if (ids) {
      if (ids.length === 0) return 0;
      query = query.where('id', 'in', ids);
    }
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows);
  },
};
