import type { ModuleDeps } from '../../platform/module-deps.js';
import { createAuthService } from './auth.service.js';
import { createTeamsService } from './teams.service.js';
import { createTokensService } from './tokens.service.js';
import { createUsersService } from './users.service.js';

export { registerIdentityRoutes } from './identity.routes.js';
export { SESSION_COOKIE } from './auth.service.js';

/** Identity: users, teams, memberships, roles, sessions and API tokens. The bottom of the module stack. */
export function createIdentityServices(deps: ModuleDeps) {
  return {
    auth: createAuthService(deps),
    teams: createTeamsService(deps),
    users: createUsersService(deps),
    tokens: createTokensService(deps),
  };
}

export type IdentityServices = ReturnType<typeof createIdentityServices>;
