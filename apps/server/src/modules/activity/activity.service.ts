import type { Activity, AuditEntry, Follow, InboxEntry, Role } from '@opsloom/api';
import type { ActivityInput, Actor } from '../../platform/activity/activity-spine.js';
import type { ActivityRow } from '../../platform/activity/activity-row.js';
import { decodeActivityRow } from '../../platform/activity/activity-row.js';
import type { UnitOfWork } from '../../platform/db/unit-of-work.js';
import { invalid, notFound } from '../../platform/errors.js';
import type { Principal } from '../../platform/http/principal.js';
import { newId, now, toIso, toIsoOrNull } from '../../platform/ids.js';
import { type ModuleDeps, transact } from '../../platform/module-deps.js';
import { decodeIdCursor } from '../../platform/pagination.js';
import type { IdentityServices } from '../identity/index.js';
import { presentActivity, presentAudit } from './activity.presenter.js';
import { activityScopeFor, canSeeActivity } from './activity.policy.js';
import { type ActivityFilter, activityRepo } from './activity.repo.js';
import { extractMentions } from './mentions.js';

export interface ActivityQuery {
  team?: string;
  subject?: string;
  subjectType?: string;
  actor?: string;
  following?: boolean;
}

function parseCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  if (!/^\d{1,15}$/.test(cursor)) throw invalid('query.cursor', 'not a cursor this server issued');
  return Number(cursor);
}

export function createActivityService(deps: ModuleDeps, identity: IdentityServices) {
  const db = deps.database.db;

  /** In the writing transaction: mentioned people and followers get an inbox entry. */
  async function fanOutToInbox(uow: UnitOfWork, row: ActivityRow, input: ActivityInput): Promise<void> {
    const at = now();
    const handles = extractMentions(input.mentionText ?? []);
    const mentioned = handles.length > 0 ? await identity.users.findIdsByHandles(uow.trx, handles) : [];
    const userTargets = [row.actor_id, row.subject_type === 'user' ? row.subject_id : null].filter((id): id is string => id !== null);
    const followers = await activityRepo.followersFor(uow.trx, { teamId: row.team_id, userIds: userTargets });
    const entries = new Map<string, 'mention' | 'follow'>();
    for (const user of mentioned) entries.set(user.id, 'mention');
    // Following does not widen what someone may see: the same policy as lists and the stream.
    for (const follower of followers) {
      if (!entries.has(follower.userId) && canSeeActivity({ userId: follower.userId, role: follower.role as Role }, row)) entries.set(follower.userId, 'follow');
    }
    if (row.actor_id) entries.delete(row.actor_id);
    await activityRepo.insertInbox(
      uow.trx,
      [...entries].map(([userId, reason]) => ({ id: newId(), user_id: userId, activity_id: row.id, reason, read_at: null, created_at: at })),
    );
  }
  deps.spine.addProcessor(fanOutToInbox);

  /** A deleted team cannot be followed any more: its follows go in the same transaction. */
  deps.spine.addProcessor(async (uow, row) => {
    if (row.verb === 'team.deleted') await activityRepo.deleteFollowsOf(uow.trx, 'team', row.subject_id);
  });

  /** Turns API filters (slugs, handles) into ids; unknown ones are a 404, not an empty page. */
  async function resolveFilter(principal: Principal, query: ActivityQuery): Promise<Omit<ActivityFilter, 'limit'>> {
    const filter: Omit<ActivityFilter, 'limit'> = { ...activityScopeFor(principal) };
    if (query.team) filter.teamId = (await identity.teams.require(query.team)).id;
    if (query.actor) filter.actorId = (await identity.users.require(query.actor)).id;
    if (query.subject) filter.subjectId = query.subject;
    if (query.subjectType) filter.subjectType = query.subjectType;
    if (query.following) filter.followerId = principal.userId;
    return filter;
  }

  return {
    resolveFilter,

    async list(principal: Principal, query: ActivityQuery & { limit: number; cursor?: string }): Promise<{ items: Activity[]; nextCursor: string | null }> {
      const filter = await resolveFilter(principal, query);
      const rows = await activityRepo.list(db, { ...filter, beforeId: parseCursor(query.cursor), limit: query.limit + 1 });
      const items = rows.slice(0, query.limit).map((row) => presentActivity(decodeActivityRow(row)));
      return { items, nextCursor: rows.length > query.limit ? items[items.length - 1].id : null };
    },

    /** Records after `afterId`, oldest first: how a reconnecting stream catches up. */
    async since(filter: Omit<ActivityFilter, 'limit'>, afterId: number, limit: number): Promise<ActivityRow[]> {
      const rows = await activityRepo.list(db, { ...filter, afterId, limit });
      return rows.map(decodeActivityRow);
    },

    async audit(query: { actor?: string; verb?: string; limit: number; cursor?: string }): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
      const filter: ActivityFilter = { limit: query.limit + 1, beforeId: parseCursor(query.cursor) };
      if (query.actor) filter.actorId = (await identity.users.require(query.actor)).id;
      if (query.verb?.endsWith('.')) filter.verbPrefix = query.verb;
      else if (query.verb) filter.verb = query.verb;
      const rows = await activityRepo.list(db, filter);
      const items = rows.slice(0, query.limit).map((row) => presentAudit(decodeActivityRow(row)));
      return { items, nextCursor: rows.length > query.limit ? items[items.length - 1].id : null };
    },

    async follows(principal: Principal): Promise<Follow[]> {
      const rows = await activityRepo.followsOf(db, principal.userId);
      return rows.map((row) => ({ subjectType: row.subject_type as Follow['subjectType'], subjectId: row.subject_id, label: row.label, createdAt: toIso(row.created_at) }));
    },

    async follow(principal: Principal, actor: Actor, subjectType: 'team' | 'user', subjectId: string): Promise<Follow> {
      const target = subjectType === 'team' ? await identity.teams.require(subjectId) : await identity.users.require(subjectId);
      return transact(deps, async (uow) => {
        const row = await activityRepo.follow(uow.trx, { user_id: principal.userId, subject_type: subjectType, subject_id: target.id, label: target.name, created_at: now() });
        await deps.spine.record(uow, actor, {
          verb: 'follow.created',
          subject: { type: subjectType, id: target.id, label: target.name },
          summary: `${principal.name} follows ${target.name}`,
          data: { followerId: principal.userId },
        });
        return { subjectType, subjectId: target.id, label: row.label, createdAt: toIso(row.created_at) };
      });
    },

    async unfollow(principal: Principal, actor: Actor, subjectType: string, subjectId: string): Promise<void> {
      await transact(deps, async (uow) => {
        const existing = (await activityRepo.followsOf(uow.trx, principal.userId)).find((f) => f.subject_type === subjectType && f.subject_id === subjectId);
        if (!existing || !(await activityRepo.unfollow(uow.trx, principal.userId, subjectType, subjectId))) throw notFound('follow', `${subjectType}/${subjectId}`);
        await deps.spine.record(uow, actor, {
          verb: 'follow.deleted',
          subject: { type: subjectType, id: subjectId, label: existing.label },
          summary: `${principal.name} stopped following ${existing.label}`,
          data: { followerId: principal.userId },
        });
      });
    },

    async inbox(principal: Principal, query: { unread?: boolean; limit: number; cursor?: string }) {
      const rows = await activityRepo.inbox(db, principal.userId, { unread: query.unread, beforeId: decodeIdCursor(query.cursor), limit: query.limit + 1 });
      const items: InboxEntry[] = rows.slice(0, query.limit).map((row) => ({
        id: row.inbox_id,
        reason: row.reason as InboxEntry['reason'],
        readAt: toIsoOrNull(row.read_at),
        createdAt: toIso(row.inbox_created_at),
        activity: presentActivity(decodeActivityRow(row)),
      }));
      return {
        items,
        nextCursor: rows.length > query.limit ? items[items.length - 1].id : null,
        unreadCount: await activityRepo.unreadCount(db, principal.userId),
      };
    },

    async markRead(principal: Principal, ids: string[] | undefined): Promise<number> {
      return activityRepo.markRead(db, principal.userId, ids, now());
    },
  };
}

export type ActivityService = ReturnType<typeof createActivityService>;
export type { Actor };
