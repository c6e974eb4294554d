import type { Role, User } from '@opsloom/api';
import type { FastifyRequest } from 'fastify';
import { type Actor, systemActor } from '../../platform/activity/activity-spine.js';
import { AppError, unauthenticated } from '../../platform/errors.js';
import type { Principal } from '../../platform/http/principal.js';
import { newId, now, randomToken, sha256 } from '../../platform/ids.js';
import { type ModuleDeps, transact } from '../../platform/module-deps.js';
import { presentUser } from './identity.presenter.js';
import { identityRepo, type UserRow } from './identity.repo.js';
import { verifyPassword } from './passwords.js';

export const SESSION_COOKIE = 'opsloom_session';
const HOUR = 60 * 60 * 1000;
/** Sliding expiry is written at most this often, not on every request. */
const TOUCH_INTERVAL = 5 * 60 * 1000;
/** Sign-in attempts allowed per e-mail and address in a window, against password guessing. */
export const LOGIN_ATTEMPT_LIMIT = 10;
const LOGIN_WINDOW = 15 * 60 * 1000;

function principalOf(user: UserRow, via: 'session' | 'token', ids: { sessionId?: string; tokenId?: string; csrfToken?: string }): Principal {
  return {
    userId: user.id, name: user.name, handle: user.handle, email: user.email, role: user.role as Role, via,
    sessionId: ids.sessionId ?? null, tokenId: ids.tokenId ?? null, csrfToken: ids.csrfToken ?? null,
  };
}

function bearerOf(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw unauthenticated('authorization: expected "Bearer <token>"');
  return match[1];
}

export function createAuthService(deps: ModuleDeps) {
  const db = deps.database.db;
  const sessionTtl = deps.config.sessionTtlHours * HOUR;
  const failedLogins = new Map<string, { count: number; windowStart: number }>();

  function checkLoginRate(key: string): void {
    const entry = failedLogins.get(key);
    if (entry && now() - entry.windowStart < LOGIN_WINDOW && entry.count >= LOGIN_ATTEMPT_LIMIT) {
      const retryAfterSeconds = Math.ceil((entry.windowStart + LOGIN_WINDOW - now()) / 1000);
      throw new AppError('rate_limited', `too many failed sign-ins; try again in ${Math.ceil(retryAfterSeconds / 60)} minute(s)`, { retryAfterSeconds });
    }
  }
  function noteFailedLogin(key: string): void {
    const entry = failedLogins.get(key);
    if (!entry || now() - entry.windowStart >= LOGIN_WINDOW) failedLogins.set(key, { count: 1, windowStart: now() });
    else entry.count++;
    if (failedLogins.size > 10_000) failedLogins.clear();
  }

  return {
    sessionTtlMs: sessionTtl,

    async login(email: string, password: string, request: FastifyRequest): Promise<{ user: User; sessionToken: string; csrfToken: string }> {
      const rateKey = `${request.ip}|${email}`;
      checkLoginRate(rateKey);
      const user = await identityRepo.findUserByEmail(db, email);
      const valid = await verifyPassword(user?.password_hash ?? null, password);
      if (!user || !valid || user.disabled_at !== null) {
        noteFailedLogin(rateKey);
        throw unauthenticated('email or password is wrong, or the account is disabled');
      }
      failedLogins.delete(rateKey);
      const sessionToken = randomToken(32);
      const csrfToken = randomToken(24);
      const at = now();
      const actor: Actor = { id: user.id, name: user.name, handle: user.handle, via: 'session', ip: request.ip, userAgent: request.headers['user-agent'] ?? null };
      await transact(deps, async (uow) => {
        const sessionId = newId();
        await identityRepo.insertSession(uow.trx, {
          id: sessionId, user_id: user.id, token_hash: sha256(sessionToken), csrf_token: csrfToken, created_at: at,
          expires_at: at + sessionTtl, last_seen_at: at, ip: request.ip, user_agent: request.headers['user-agent']?.slice(0, 300) ?? null,
        });
        await deps.spine.record(uow, actor, {
          verb: 'session.created',
          subject: { type: 'user', id: user.id, label: user.name },
          summary: `${user.name} signed in`,
          data: { sessionId },
        });
      });
      return { user: presentUser(user, await identityRepo.membershipsOf(db, [user.id])), sessionToken, csrfToken };
    },

    async logout(principal: Principal, actor: Actor): Promise<void> {
      if (!principal.sessionId) return;
      const sessionId = principal.sessionId;
      await transact(deps, async (uow) => {
        await identityRepo.deleteSession(uow.trx, sessionId);
        await deps.spine.record(uow, actor, {
          verb: 'session.ended',
          subject: { type: 'user', id: principal.userId, label: principal.name },
          summary: `${principal.name} signed out`,
          data: { sessionId },
        });
      });
    },

    async currentUser(principal: Principal): Promise<User> {
      const row = await identityRepo.findUser(db, principal.userId);
      if (!row) throw unauthenticated();
      return presentUser(row, await identityRepo.membershipsOf(db, [row.id]));
    },

    /** Bearer token first (scripts), then the session cookie (web app). */
    async authenticate(request: FastifyRequest): Promise<Principal | null> {
      const bearer = bearerOf(request);
      if (bearer !== null) {
        const found = await identityRepo.findTokenByHash(db, sha256(bearer));
        if (!found) throw unauthenticated('bearer token is not valid');
        if (found.revoked_at !== null) throw unauthenticated('bearer token was revoked');
        if (found.expires_at !== null && found.expires_at <= now()) throw unauthenticated('bearer token has expired');
        if (found.disabled_at !== null) throw unauthenticated('the token’s user is disabled');
        if (found.last_used_at === null || now() - found.last_used_at > 60_000) await identityRepo.markTokenUsed(db, found.token_id, now());
        return principalOf(found, 'token', { tokenId: found.token_id });
      }
      const cookie = request.cookies?.[SESSION_COOKIE];
      if (!cookie) return null;
      const session = await identityRepo.findSessionByHash(db, sha256(cookie));
      if (!session) throw unauthenticated('session is not valid; sign in again');
      const at = now();
      if (session.expires_at <= at) {
        await identityRepo.deleteSession(db, session.session_id);
        throw unauthenticated('session expired; sign in again');
      }
      if (session.disabled_at !== null) throw unauthenticated('account is disabled');
      if (at - session.last_seen_at > TOUCH_INTERVAL) await identityRepo.touchSession(db, session.session_id, at, at + sessionTtl);
      return principalOf(session, 'session', { sessionId: session.session_id, csrfToken: session.csrf_token });
    },

    async purgeExpiredSessions(): Promise<number> {
      return identityRepo.deleteExpiredSessions(db, now());
    },

    systemActor,
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
