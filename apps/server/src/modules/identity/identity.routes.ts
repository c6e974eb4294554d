import { identityApi } from '@opsloom/api';
import type { FastifyReply } from 'fastify';
import { actorOf } from '../../platform/http/principal.js';
import type { RegisterOperation } from '../../platform/http/register-operation.js';
import { SESSION_COOKIE } from './auth.service.js';
import type { IdentityServices } from './index.js';

export function registerIdentityRoutes(register: RegisterOperation, services: IdentityServices, cookie: { secure: boolean }): void {
  const { auth, teams, users, tokens } = services;

  function setSessionCookie(reply: FastifyReply, value: string, maxAgeMs: number): void {
    void reply.setCookie(SESSION_COOKIE, value, {
      path: '/', httpOnly: true, sameSite: 'lax', secure: cookie.secure, maxAge: Math.floor(maxAgeMs / 1000),
    });
  }

  register(identityApi.login, async ({ body, request, reply }) => {
    const { user, sessionToken, csrfToken } = await auth.login(body.email, body.password, request);
    setSessionCookie(reply, sessionToken, auth.sessionTtlMs);
    return { user, csrfToken };
  });
  register(identityApi.logout, async ({ principal, request, reply }) => {
    await auth.logout(principal, actorOf(request));
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
  });
  register(identityApi.getSession, async ({ principal }) => ({ user: await auth.currentUser(principal), csrfToken: principal.csrfToken }));

  register(identityApi.listTeams, async () => ({ items: await teams.list() }));
  register(identityApi.createTeam, async ({ body, request }) => teams.create(actorOf(request), body));
  register(identityApi.getTeam, async ({ params }) => teams.get(params.team));
  register(identityApi.updateTeam, async ({ params, body, request }) => teams.update(actorOf(request), params.team, body));
  register(identityApi.deleteTeam, async ({ params, request }) => teams.remove(actorOf(request), params.team));
  register(identityApi.listTeamMembers, async ({ params }) => ({ items: await teams.members(params.team) }));
  register(identityApi.putTeamMember, async ({ params, body, request }) => teams.putMember(actorOf(request), params.team, params.user, body));
  register(identityApi.removeTeamMember, async ({ params, request }) => teams.removeMember(actorOf(request), params.team, params.user));

  register(identityApi.listUsers, async ({ query }) => users.list(query));
  register(identityApi.createUser, async ({ body, request }) => users.create(actorOf(request), body));
  register(identityApi.getUser, async ({ params }) => users.get(params.user));
  register(identityApi.updateUser, async ({ params, body, principal, request }) => users.update(principal, actorOf(request), params.user, body));

  register(identityApi.listTokens, async ({ query, principal }) => ({ items: await tokens.list(principal, query.all) }));
  register(identityApi.createToken, async ({ body, principal, request }) => tokens.create(principal, actorOf(request), body));
  register(identityApi.revokeToken, async ({ params, principal, request }) => tokens.revoke(principal, actorOf(request), params.id));
}
