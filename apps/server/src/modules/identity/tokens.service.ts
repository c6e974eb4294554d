import type { ApiToken, createTokenBody } from '@opsloom/api';
import type { z } from 'zod';
import type { Actor } from '../../platform/activity/activity-spine.js';
import { systemActor } from '../../platform/activity/activity-spine.js';
import { forbidden, notFound } from '../../platform/errors.js';
import type { Principal } from '../../platform/http/principal.js';
import { newId, now, randomToken, sha256 } from '../../platform/ids.js';
import { type ModuleDeps, transact } from '../../platform/module-deps.js';
import { uniqueHandle } from './handles.js';
import { presentToken } from './identity.presenter.js';
import { identityRepo } from './identity.repo.js';

type CreateToken = z.output<typeof createTokenBody>;

/** `olt_` marks Opsloom tokens so secret scanners and people recognise a leaked one. */
export const TOKEN_PREFIX = 'olt_';
const DAY = 24 * 60 * 60 * 1000;
export const BOOTSTRAP_ADMIN_EMAIL = 'admin@opsloom.invalid';

export function createTokensService(deps: ModuleDeps) {
  const db = deps.database.db;

  async function issue(userId: string, actor: Actor, name: string, secret: string, expiresAt: number | null) {
    return transact(deps, async (uow) => {
      const row = await identityRepo.insertToken(uow.trx, {
        id: newId(), user_id: userId, name, prefix: secret.slice(0, 8), token_hash: sha256(secret),
        created_at: now(), last_used_at: null, expires_at: expiresAt, revoked_at: null,
      });
      await deps.spine.record(uow, actor, {
        verb: 'token.created',
        subject: { type: 'token', id: row.id, label: name },
        summary: `created API token "${name}"`,
        data: { prefix: row.prefix, ownerId: userId, expiresAt },
      });
      return row;
    });
  }

  return {
    async list(principal: Principal, all: boolean): Promise<ApiToken[]> {
      if (all && principal.role !== 'admin') throw forbidden('only admins list everyone’s tokens');
      const rows = await identityRepo.listTokens(db, all ? null : principal.userId);
      return rows.map(presentToken);
    },

    async create(principal: Principal, actor: Actor, input: CreateToken): Promise<ApiToken & { token: string }> {
      const secret = `${TOKEN_PREFIX}${randomToken(32)}`;
      const expiresAt = input.expiresInDays ? now() + input.expiresInDays * DAY : null;
      const row = await issue(principal.userId, actor, input.name, secret, expiresAt);
      return {
        ...presentToken({ ...row, owner_name: principal.name, owner_handle: principal.handle, owner_email: principal.email }),
        token: secret,
      };
    },

    async revoke(principal: Principal, actor: Actor, id: string): Promise<void> {
      await transact(deps, async (uow) => {
        const row = await identityRepo.findToken(uow.trx, id);
        if (!row || (row.user_id !== principal.userId && principal.role !== 'admin')) throw notFound('token', id);
        if (row.revoked_at !== null) return;
        await identityRepo.revokeToken(uow.trx, id, now());
        await deps.spine.record(uow, actor, {
          verb: 'token.revoked',
          subject: { type: 'token', id: row.id, label: row.name },
          summary: `revoked API token "${row.name}"`,
          data: { prefix: row.prefix, ownerId: row.user_id },
        });
      });
    },

    /**
     * OPSLOOM_ADMIN_TOKEN: make sure a live admin token with exactly this secret exists,
     * owned by the built-in bootstrap admin. Idempotent across restarts.
     */
    async ensureBootstrapToken(secret: string): Promise<void> {
      const existing = await identityRepo.findTokenByHash(db, sha256(secret));
      if (existing && existing.revoked_at === null && existing.role === 'admin' && existing.disabled_at === null) return;
      const ownerId = await transact(deps, async (uow) => {
        let owner = await identityRepo.findUserByEmail(uow.trx, BOOTSTRAP_ADMIN_EMAIL);
        if (!owner) {
          const at = now();
          owner = await identityRepo.insertUser(uow.trx, {
            id: newId(), email: BOOTSTRAP_ADMIN_EMAIL, name: 'Bootstrap admin', role: 'admin',
            // Someone may already be @bootstrap-admin; a start must not fail on that.
            handle: await uniqueHandle('bootstrap-admin', (h) => identityRepo.handleTaken(uow.trx, h)),
            password_hash: null, disabled_at: null, created_at: at, updated_at: at,
          });
          await deps.spine.record(uow, systemActor, {
            verb: 'user.created',
            subject: { type: 'user', id: owner.id, label: owner.name },
            summary: 'created the bootstrap admin for OPSLOOM_ADMIN_TOKEN',
            data: { email: owner.email, role: 'admin' },
          });
        } else if (owner.role !== 'admin' || owner.disabled_at !== null) {
          owner = await identityRepo.updateUser(uow.trx, owner.id, { role: 'admin', disabled_at: null, updated_at: now() });
        }
        if (existing) {
          // The secret was used before and revoked: a new start with it re-issues it.
          await identityRepo.deleteToken(uow.trx, existing.token_id);
        }
        return owner.id;
      });
      await issue(ownerId, systemActor, 'OPSLOOM_ADMIN_TOKEN', secret, null);
    },
  };
}

export type TokensService = ReturnType<typeof createTokensService>;
