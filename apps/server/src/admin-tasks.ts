import type { Role } from '@opsloom/api';
import { createUserBody } from '@opsloom/api';
import type { Services } from './app.js';
import { systemActor } from './platform/activity/activity-spine.js';
import { invalid, notFound } from './platform/errors.js';

/**
 * What `opsloom admin …` does, straight against the database (no running server needed),
 * through the same services and validation as the API.
 */
export function createAdminTasks(services: Services) {
  const { identity } = services;
  return {
    async createUser(input: { email: string; name: string; password?: string; role?: Role; teams?: string[] }) {
      const parsed = createUserBody.safeParse(input);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw invalid(issue.path.join('.') || 'input', issue.message);
      }
      return identity.users.create(systemActor, parsed.data);
    },

    async createToken(input: { user: string; name: string; expiresInDays?: number }) {
      const user = input.user.includes('@') ? (await identity.users.list({ q: input.user, limit: 5 })).items.find((u) => u.email === input.user.toLowerCase()) : await identity.users.get(input.user);
      if (!user) throw notFound('user', input.user);
      const principal = {
        userId: user.id, name: user.name, handle: user.handle, email: user.email, role: user.role,
        via: 'token' as const, sessionId: null, tokenId: null, csrfToken: null,
      };
      return identity.tokens.create(principal, systemActor, { name: input.name, expiresInDays: input.expiresInDays });
    },
  };
}
