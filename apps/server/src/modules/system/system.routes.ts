import { getVersion, search, type SearchResult } from '@opsloom/api';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Registry } from 'prom-client';
import type { RegisterOperation } from '../../platform/http/register-operation.js';
import type { ModuleDeps } from '../../platform/module-deps.js';
import type { CmdbServices } from '../cmdb/index.js';
import type { IdentityServices } from '../identity/index.js';
import { OPSLOOM_VERSION } from '../../version.js';

/** Liveness, readiness, metrics, version and the global search behind the command palette. */
export function registerSystemRoutes(
  app: FastifyInstance,
  register: RegisterOperation,
  deps: ModuleDeps,
  identity: IdentityServices,
  metrics: Registry,
  cmdb?: CmdbServices,
): void {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    try {
      await sql`select 1`.execute(deps.database.db);
      return { status: 'ready', database: deps.database.kind };
    } catch (error) {
      return reply.code(503).send({ error: { code: 'internal', message: `database unreachable: ${(error as Error).message}` } });
    }
  });

  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    void reply.type(metrics.contentType);
    return metrics.metrics();
  });

  register(getVersion, async () => ({ version: OPSLOOM_VERSION, database: deps.database.kind }));

  register(search, async ({ query, principal }) => {
    const teams = await identity.teams.search(query.q, query.limit);
    const items: SearchResult[] = teams.map((team) => ({ type: 'team' as const, id: team.id, title: team.name, subtitle: `@${team.slug} · team`, href: `/teams/${team.slug}` }));
    if (principal.role !== 'requester') {
      const users = await identity.users.list({ q: query.q, limit: query.limit });
      for (const user of users.items) {
        items.push({ type: 'user', id: user.id, title: user.name, subtitle: `@${user.handle} · ${user.role}`, href: `/people/${user.handle}` });
      }
    }
    if (cmdb && principal.role !== 'requester') {
      for (const ci of await cmdb.cis.search(query.q, query.limit)) {
        items.push({ type: 'ci', id: ci.id, title: ci.name, subtitle: `${ci.key} · ${ci.type}`, href: `/cmdb/cis/${encodeURIComponent(ci.key)}` });
      }
    }
    return { items: items.slice(0, query.limit) };
  });
}
