import type { createTeamBody, putMemberBody, Team, TeamMember, TeamRef, updateTeamBody } from '@opsloom/api';
import type { z } from 'zod';
import type { Actor } from '../../platform/activity/activity-spine.js';
import { isUniqueViolation } from '../../platform/db/errors.js';
import { conflict, notFound } from '../../platform/errors.js';
import { newId, now, toIso } from '../../platform/ids.js';
import { type ModuleDeps, transact } from '../../platform/module-deps.js';
import { presentTeam } from './identity.presenter.js';
import { type Db, identityRepo, type TeamRow } from './identity.repo.js';

type CreateTeam = z.output<typeof createTeamBody>;
type UpdateTeam = z.output<typeof updateTeamBody>;
type PutMember = z.output<typeof putMemberBody>;

export const teamRef = (row: TeamRow): TeamRef => ({ id: row.id, slug: row.slug, name: row.name });

export function createTeamsService(deps: ModuleDeps) {
  const db = deps.database.db;

  async function require(executor: Db, idOrSlug: string): Promise<TeamRow> {
    const row = await identityRepo.findTeam(executor, idOrSlug);
    if (!row) throw notFound('team', idOrSlug);
    return row;
  }

  return {
    find: (idOrSlug: string) => identityRepo.findTeam(db, idOrSlug),
    require: (idOrSlug: string) => require(db, idOrSlug),

    async list(): Promise<Team[]> {
      const rows = await identityRepo.listTeams(db);
      return rows.map((row) => presentTeam(row, row.member_count));
    },

    async search(q: string, limit: number): Promise<TeamRow[]> {
      return identityRepo.searchTeams(db, q, limit);
    },

    async get(idOrSlug: string): Promise<Team> {
      const row = await require(db, idOrSlug);
      return presentTeam(row, await identityRepo.countMembers(db, row.id));
    },

    async create(actor: Actor, input: CreateTeam): Promise<Team> {
      try {
        return await transact(deps, async (uow) => {
          if (await identityRepo.findTeam(uow.trx, input.slug)) throw conflict(`slug: a team with slug "${input.slug}" already exists`);
          const at = now();
          const row = await identityRepo.insertTeam(uow.trx, {
            id: newId(), slug: input.slug, name: input.name, description: input.description ?? '', created_at: at, updated_at: at,
          });
          await deps.spine.record(uow, actor, {
            verb: 'team.created',
            subject: { type: 'team', id: row.id, label: row.name },
            team: teamRef(row),
            summary: `created team ${row.name}`,
            data: { slug: row.slug, name: row.name, description: row.description },
            mentionText: [row.description],
          });
          return presentTeam(row, 0);
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict(`slug: a team with slug "${input.slug}" already exists`);
        throw error;
      }
    },

    async update(actor: Actor, idOrSlug: string, patch: UpdateTeam): Promise<Team> {
      return transact(deps, async (uow) => {
        const before = await require(uow.trx, idOrSlug);
        const changes: Record<string, { from: string; to: string }> = {};
        if (patch.name !== undefined && patch.name !== before.name) changes.name = { from: before.name, to: patch.name };
        if (patch.description !== undefined && patch.description !== before.description) {
          changes.description = { from: before.description, to: patch.description };
        }
        const memberCount = await identityRepo.countMembers(uow.trx, before.id);
        if (Object.keys(changes).length === 0) return presentTeam(before, memberCount);
        const row = await identityRepo.updateTeam(uow.trx, before.id, { name: patch.name, description: patch.description, updated_at: now() });
        await deps.spine.record(uow, actor, {
          verb: 'team.updated',
          subject: { type: 'team', id: row.id, label: row.name },
          team: teamRef(row),
          summary: `updated team ${row.name} (${Object.keys(changes).join(', ')})`,
          data: { changes },
          mentionText: changes.description ? [changes.description.to] : [],
        });
        return presentTeam(row, memberCount);
      });
    },

    async remove(actor: Actor, idOrSlug: string): Promise<void> {
      await transact(deps, async (uow) => {
        const row = await require(uow.trx, idOrSlug);
        await identityRepo.deleteTeam(uow.trx, row.id);
        await deps.spine.record(uow, actor, {
          verb: 'team.deleted',
          subject: { type: 'team', id: row.id, label: row.name },
          team: teamRef(row),
          summary: `deleted team ${row.name}`,
          data: { slug: row.slug },
        });
      });
    },

    async members(idOrSlug: string): Promise<TeamMember[]> {
      const team = await require(db, idOrSlug);
      const rows = await identityRepo.membersOf(db, team.id);
      return rows.map((row) => ({
        user: { id: row.id, name: row.name, handle: row.handle, email: row.email },
        role: row.role as PutMember['role'],
        since: toIso(row.created_at),
      }));
    },

    async putMember(actor: Actor, idOrSlug: string, userIdOrHandle: string, input: PutMember): Promise<TeamMember> {
      return transact(deps, async (uow) => {
        const team = await require(uow.trx, idOrSlug);
        const user = await identityRepo.findUser(uow.trx, userIdOrHandle);
        if (!user) throw notFound('user', userIdOrHandle);
        const existing = await identityRepo.findMembership(uow.trx, team.id, user.id);
        const since = existing?.created_at ?? now();
        if (existing?.role !== input.role) {
          await identityRepo.upsertMembership(uow.trx, { team_id: team.id, user_id: user.id, role: input.role, created_at: since });
          await deps.spine.record(uow, actor, {
            verb: existing ? 'membership.updated' : 'membership.added',
            subject: { type: 'user', id: user.id, label: user.name },
            team: teamRef(team),
            summary: existing ? `made ${user.name} ${input.role} of ${team.name}` : `added ${user.name} to ${team.name} as ${input.role}`,
            data: { userId: user.id, role: input.role, previousRole: existing?.role ?? null },
          });
        }
        return { user: { id: user.id, name: user.name, handle: user.handle, email: user.email }, role: input.role, since: toIso(since) };
      });
    },

    async removeMember(actor: Actor, idOrSlug: string, userIdOrHandle: string): Promise<void> {
      await transact(deps, async (uow) => {
        const team = await require(uow.trx, idOrSlug);
        const user = await identityRepo.findUser(uow.trx, userIdOrHandle);
        if (!user) throw notFound('user', userIdOrHandle);
        if (!(await identityRepo.deleteMembership(uow.trx, team.id, user.id))) throw notFound('membership', `${user.handle} in ${team.slug}`);
        await deps.spine.record(uow, actor, {
          verb: 'membership.removed',
          subject: { type: 'user', id: user.id, label: user.name },
          team: teamRef(team),
          summary: `removed ${user.name} from ${team.name}`,
          data: { userId: user.id },
        });
      });
    },
  };
}

export type TeamsService = ReturnType<typeof createTeamsService>;
