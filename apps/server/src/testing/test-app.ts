import type { Role } from '@opsloom/api';
import type { FastifyInstance } from 'fastify';
import { buildApp, type Services } from '../app.js';
import { type Config, loadConfig } from '../config.js';
import { systemActor } from '../platform/activity/activity-spine.js';
import type { DatabaseKind } from '../platform/db/database.js';
import { createTestDatabase, type TestDatabase } from './databases.js';

export interface TestApp {
  app: FastifyInstance;
  services: Services;
  database: TestDatabase;
  config: Config;
  /** A bearer token per role, each for its own user (`<role>@test.example`). */
  tokens: Record<Role, string>;
  users: Record<Role, { id: string; handle: string; email: string }>;
  /** Headers for a bearer-token request as `role`. */
  as(role: Role): { authorization: string };
  close(): Promise<void>;
}

export const TEST_PASSWORD = 'correct-horse-battery';

/** A real app over a fresh database, with one user and token per role. */
export async function startTestApp(kind: DatabaseKind, overrides: Partial<Config> = {}, databaseOptions: Parameters<typeof createTestDatabase>[1] = {}): Promise<TestApp> {
  const database = await createTestDatabase(kind, databaseOptions);
  const config = { ...loadConfig({}, { dataDir: database.location.dataDir, logLevel: 'silent' }), ...overrides };
  const { app, services } = await buildApp({ config, database: database.handle, logger: false });
  await app.ready();
  const roles: Role[] = ['admin', 'operator', 'viewer', 'requester'];
  const tokens = {} as Record<Role, string>;
  const users = {} as TestApp['users'];
  for (const role of roles) {
    const user = await services.identity.users.create(systemActor, { email: `${role}@test.example`, name: `Test ${role}`, role, password: TEST_PASSWORD, teams: [] });
    users[role] = { id: user.id, handle: user.handle, email: user.email };
    const principal = { userId: user.id, name: user.name, handle: user.handle, email: user.email, role, via: 'token' as const, sessionId: null, tokenId: null, csrfToken: null };
    tokens[role] = (await services.identity.tokens.create(principal, systemActor, { name: `${role} test token` })).token;
  }
  return {
    app, services, database, config, tokens, users,
    as: (role) => ({ authorization: `Bearer ${tokens[role]}` }),
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}

let sequence = 0;
/** Unique, valid values for factories. */
export const unique = (prefix: string) => `${prefix}-${process.pid}-${++sequence}`;
