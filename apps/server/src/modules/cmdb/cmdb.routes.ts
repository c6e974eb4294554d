import { cmdbApi } from '@opsloom/api';
import { actorOf } from '../../platform/http/principal.js';
import type { RegisterOperation } from '../../platform/http/register-operation.js';
import type { CmdbServices } from './index.js';

export function registerCmdbRoutes(register: RegisterOperation, cmdb: CmdbServices): void {
  const { cis, relationships, importer, exporter, queries } = cmdb;

  register(cmdbApi.importCmdb, async ({ body, request }) => importer.run(actorOf(request), body));
  register(cmdbApi.exportCmdb, async ({ query }) => exporter.export(query.format));

  register(cmdbApi.listCis, async ({ query }) => cis.list(query));
  register(cmdbApi.createCi, async ({ body, request }) => cis.create(actorOf(request), body));
  register(cmdbApi.getCi, async ({ params }) => cis.get(params.ci));
  register(cmdbApi.updateCi, async ({ params, body, request }) => cis.update(actorOf(request), params.ci, body));
  register(cmdbApi.deleteCi, async ({ params, request }) => cis.remove(actorOf(request), params.ci));
  register(cmdbApi.getCiImpact, async ({ params }) => queries.impact(params.ci));
  register(cmdbApi.getCiDependencies, async ({ params }) => queries.dependencies(params.ci));
  register(cmdbApi.getCiHistory, async ({ params, query }) => queries.history(params.ci, query));
  register(cmdbApi.getCiChanges, async ({ params, query }) => queries.changes(params.ci, query));
  register(cmdbApi.getGraph, async ({ query }) => queries.map(query));

  register(cmdbApi.createRelationship, async ({ body, request }) => relationships.create(actorOf(request), body));
  register(cmdbApi.deleteRelationship, async ({ params, request }) => relationships.remove(actorOf(request), params.id));
}
