import type { createUserBody, updateUserBody, User } from '@opsloom/api';
import type { z } from 'zod';
import type { Actor } from '../../platform/activity/activity-spine.js';
import { isUniqueViolation } from '../../platform/db/errors.js';
import { AppError, conflict, forbidden, invalid, notFound } from '../../platform/errors.js';
import type { Principal } from '../../platform/http/principal.js';
import { newId, now } from '../../platform/ids.js';
import { type ModuleDeps, transact } from '../../platform/module-deps.js';
import { handleFromEmail, uniqueHandle } from './handles.js';
import { presentUser } from './identity.presenter.js';
import { type Db, identityRepo, type UserRow } from './identity.repo.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { teamRef } from './teams.service.js';
import { decodeNameCursor, encodeNameCursor } from '../../platform/pagination.js';

type CreateUser = z.output<typeof createUserBody>;
type UpdateUser = z.output<typeof updateUserBody>;


export function createUsersService(deps: ModuleDeps) {
  const db = deps.database.db;

  async function present(executor: Db, row: UserRow): Promise<User> {
    return presentUser(row, await identityRepo.membershipsOf(executor, [row.id]));
  }

  async function require(executor: Db, idOrHandle: string): Promise<UserRow> {
    const row = await identityRepo.findUser(executor, idOrHandle);
    if (!row) throw notFound('user', idOrHandle);
    return row;
  }

  return {
    require: (idOrHandle: string) => require(db, idOrHandle),
    findIdsByHandles: (executor: Db, handles: string[]) => identityRepo.findUsersByHandles(executor, handles),

    async get(idOrHandle: string): Promise<User> {
      return present(db, await require(db, idOrHandle));
    },

    async list(filter: { q?: string; team?: string; limit: number; cursor?: string }): Promise<{ items: User[]; nextCursor: string | null }> {
      let teamId: string | undefined;
      if (filter.team) {
        const team = await identityRepo.findTeam(db, filter.team);
        if (!team) throw notFound('team', filter.team);
        teamId = team.id;
      }
      const rows = await identityRepo.listUsers(db, {
        q: filter.q, teamId, limit: filter.limit + 1, afterName: filter.cursor ? decodeNameCursor(filter.cursor) : undefined,
      });
      const pageRows = rows.slice(0, filter.limit);
      const memberships = await identityRepo.membershipsOf(db, pageRows.map((row) => row.id));
      return {
        items: pageRows.map((row) => presentUser(row, memberships)),
        nextCursor: rows.length > filter.limit ? encodeNameCursor(pageRows[pageRows.length - 1]) : null,
      };
    },

    async create(actor: Actor, input: CreateUser): Promise<User> {
      const passwordHash = input.password ? await hashPassword(input.password) : null;
      try {
        return await transact(deps, async (uow) => {
          if (await identityRepo.findUserByEmail(uow.trx, input.email)) throw conflict(`email: a user with e-mail ${input.email} already exists`);
          const teams = await identityRepo.findTeamsBySlugs(uow.trx, [...new Set(input.teams)]);
          const unknown = input.teams.filter((slug) => !teams.some((team) => team.slug === slug));
          if (unknown.length > 0) throw invalid('teams', `unknown team ${unknown.map((s) => `"${s}"`).join(', ')}`);
          const at = now();
          const handle = await uniqueHandle(handleFromEmail(input.email), (h) => identityRepo.handleTaken(uow.trx, h));
          const row = await identityRepo.insertUser(uow.trx, {
            id: newId(), email: input.email, name: input.name, handle, role: input.role, password_hash: passwordHash,
            disabled_at: null, created_at: at, updated_at: at,
          });
          await deps.spine.record(uow, actor, {
            verb: 'user.created',
            subject: { type: 'user', id: row.id, label: row.name },
            summary: `created user ${row.name} (@${row.handle}, ${row.role})`,
            data: { email: row.email, handle: row.handle, role: row.role, teams: teams.map((t) => t.slug) },
          });
          for (const team of teams) {
            await identityRepo.upsertMembership(uow.trx, { team_id: team.id, user_id: row.id, role: 'member', created_at: at });
            await deps.spine.record(uow, actor, {
              verb: 'membership.added',
              subject: { type: 'user', id: row.id, label: row.name },
              team: teamRef(team),
              summary: `added ${row.name} to ${team.name} as member`,
              data: { userId: row.id, role: 'member', previousRole: null },
            });
          }
          return present(uow.trx, row);
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict(`email: a user with e-mail ${input.email} already exists`);
        throw error;
      }
    },

    async update(principal: Principal, actor: Actor, idOrHandle: string, patch: UpdateUser): Promise<User> {
      const isAdmin = principal.role === 'admin';
      const target = await require(db, idOrHandle);
      const self = target.id === principal.userId;
      if (!isAdmin && !self) throw forbidden('only admins change other users');
      if (!isAdmin && (patch.role !== undefined || patch.disabled !== undefined)) throw forbidden('only admins change roles and disable users');
      if (patch.password !== undefined && self) {
        if (!patch.currentPassword) throw invalid('currentPassword', 'required to change your own password');
        if (!(await verifyPassword(target.password_hash, patch.currentPassword))) throw invalid('currentPassword', 'does not match');
      }
      const passwordHash = patch.password ? await hashPassword(patch.password) : undefined;
      return transact(deps, async (uow) => {
        const before = await require(uow.trx, target.id);
        // Only an active admin counts: demoting or disabling an already disabled admin leaves the others be.
        const demotesAdmin = before.role === 'admin' && before.disabled_at === null && ((patch.role && patch.role !== 'admin') || patch.disabled === true);
        if (demotesAdmin && (await identityRepo.lockActiveAdmins(uow.trx, uow.kind)) <= 1) {
          throw new AppError('conflict', 'role: this is the last active admin; make someone else admin first');
        }
        const changes: Record<string, { from: unknown; to: unknown }> = {};
        if (patch.name !== undefined && patch.name !== before.name) changes.name = { from: before.name, to: patch.name };
        if (patch.role !== undefined && patch.role !== before.role) changes.role = { from: before.role, to: patch.role };
        const wasDisabled = before.disabled_at !== null;
        if (patch.disabled !== undefined && patch.disabled !== wasDisabled) changes.disabled = { from: wasDisabled, to: patch.disabled };
        if (passwordHash) changes.password = { from: '***', to: '***' };
        if (Object.keys(changes).length === 0) return present(uow.trx, before);
        const at = now();
        const row = await identityRepo.updateUser(uow.trx, before.id, {
          name: patch.name,
          role: patch.role,
          disabled_at: patch.disabled === undefined ? undefined : patch.disabled ? at : null,
          password_hash: passwordHash,
          updated_at: at,
        });
        if (patch.disabled === true || passwordHash) await identityRepo.deleteSessionsOf(uow.trx, row.id);
        await deps.spine.record(uow, actor, {
          verb: changes.disabled ? (patch.disabled ? 'user.disabled' : 'user.enabled') : 'user.updated',
          subject: { type: 'user', id: row.id, label: row.name },
          summary: `updated user ${row.name} (${Object.keys(changes).join(', ')})`,
          data: { changes },
        });
        return present(uow.trx, row);
      });
    },
  };

}

export type UsersService = ReturnType<typeof createUsersService>;
