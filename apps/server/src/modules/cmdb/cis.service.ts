import type { Ci, CiDetail, createCiBody, updateCiBody } from '@opsloom/api';
import type { z } from 'zod';
import type { Actor } from '../../platform/activity/activity-spine.js';
import { isUniqueViolation } from '../../platform/db/errors.js';
import type { UnitOfWork } from '../../platform/db/unit-of-work.js';
import { conflict, notFound } from '../../platform/errors.js';
import { newId, now } from '../../platform/ids.js';
import { type ModuleDeps, transact } from '../../platform/module-deps.js';
import type { IdentityServices } from '../identity/index.js';
import { attributesOf, graphCiOf, presentCi, presentRelationship, stateOf, type TeamLookup } from './cmdb.presenter.js';
import { type CiRow, cmdbRepo, type Db } from './cmdb.repo.js';
import type { CmdbGraph, GraphMutation } from './graph/cmdb-graph.js';
import { ciHistoryRow, diffCi, relationshipHistoryRow } from './history.js';
import { loadTeams, resolveTeam } from './teams-lookup.js';
import { decodeNameCursor, encodeNameCursor } from '../../platform/pagination.js';
import { truncate } from '../../platform/text.js';

type CreateCi = z.output<typeof createCiBody>;
type UpdateCi = z.output<typeof updateCiBody>;


export async function requireCi(db: Db, idOrKey: string): Promise<CiRow> {
  const row = await cmdbRepo.findCi(db, idOrKey);
  if (!row) throw notFound('CI', idOrKey);
  return row;
}

/**
 * Opens a CMDB write: the graph update is registered first, so it runs right after commit
 * and before the activity reaches live subscribers (who may ask the graph at once).
 */
export function graphWrite(uow: UnitOfWork, graph: CmdbGraph): GraphMutation[] {
  const mutations: GraphMutation[] = [];
  uow.afterCommit(() => graph.apply(mutations));
  return mutations;
}

export function createCisService(deps: ModuleDeps, identity: IdentityServices, graph: CmdbGraph) {
  const db = deps.database.db;

  async function record(uow: UnitOfWork, actor: Actor, input: Parameters<typeof deps.spine.record>[2]): Promise<void> {
    const row = await deps.spine.record(uow, actor, input);
    graph.noteOwnActivity(row.id);
  }

  return {
    loadTeams: (): Promise<TeamLookup> => loadTeams(identity),
    require: (idOrKey: string) => requireCi(db, idOrKey),

    async get(idOrKey: string): Promise<CiDetail> {
      const row = await requireCi(db, idOrKey);
      const [teams, relationships] = await Promise.all([loadTeams(identity), cmdbRepo.relationshipsOf(db, row.id)]);
      const services = graph.impacted(row.id).flatMap((reached) => {
        const ci = graph.ciById(reached.id);
        return ci?.type === 'service' ? [{ id: ci.id, key: ci.key, name: ci.name }] : [];
      });
      return {
        ...presentCi(row, teams),
        outgoing: relationships.filter((rel) => rel.from_id === row.id).map(presentRelationship),
        incoming: relationships.filter((rel) => rel.to_id === row.id).map(presentRelationship),
        services,
      };
    },

    async list(query: { type?: string; team?: string; status?: string; q?: string; limit: number; cursor?: string }): Promise<{ items: Ci[]; nextCursor: string | null }> {
      const teams = await loadTeams(identity);
      let teamId: string | undefined;
      if (query.team) {
        teamId = (teams.bySlug.get(query.team.toLowerCase()) ?? teams.byId.get(query.team))?.id;
        if (!teamId) throw notFound('team', query.team);
      }
      const rows = await cmdbRepo.listCis(db, {
        type: query.type, teamId, status: query.status, q: query.q, limit: query.limit + 1,
        after: query.cursor ? decodeNameCursor(query.cursor) : undefined,
      });
      const pageRows = rows.slice(0, query.limit);
      return { items: pageRows.map((row) => presentCi(row, teams)), nextCursor: rows.length > query.limit ? encodeNameCursor(pageRows[pageRows.length - 1]) : null };
    },

    async create(actor: Actor, input: CreateCi): Promise<Ci> {
      const teams = await loadTeams(identity);
      const teamId = resolveTeam(teams, input.team) ?? null;
      try {
        return await transact(deps, async (uow) => {
          const mutations = graphWrite(uow, graph);
          if (await cmdbRepo.findCi(uow.trx, input.key)) throw conflict(`key: a CI with key "${input.key}" already exists`);
          const at = now();
          const row: CiRow = {
            id: newId(), key: input.key, type: input.type, name: input.name, team_id: teamId, criticality: input.criticality,
            status: input.status, attributes: JSON.stringify(input.attributes), tags: JSON.stringify(input.tags), created_at: at, updated_at: at,
          };
          await cmdbRepo.insertCis(uow.trx, [row]);
          const changes = diffCi(null, stateOf(row, teams));
          await cmdbRepo.insertHistory(uow.trx, [ciHistoryRow(actor, at, 'created', row, changes, `created ${row.type} ${row.key}`)]);
          await record(uow, actor, {
            verb: 'ci.created', subject: { type: 'ci', id: row.id, label: row.name }, team: teamId ? teams.byId.get(teamId) : null,
            summary: `created ${row.type} ${row.name} (${row.key})`, data: { key: row.key, type: row.type },
          });
          mutations.push({ kind: 'ci', ci: graphCiOf(row, input.attributes) });
          return presentCi(row, teams);
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict(`key: a CI with key "${input.key}" already exists`);
        throw error;
      }
    },

    async update(actor: Actor, idOrKey: string, patch: UpdateCi): Promise<Ci> {
      const teams = await loadTeams(identity);
      const teamId = resolveTeam(teams, patch.team);
      try {
        return await transact(deps, async (uow) => {
          const mutations = graphWrite(uow, graph);
          const before = await requireCi(uow.trx, idOrKey);
          const next: CiRow = {
            ...before,
            key: patch.key ?? before.key, type: patch.type ?? before.type, name: patch.name ?? before.name,
            team_id: teamId === undefined ? before.team_id : teamId, criticality: patch.criticality ?? before.criticality,
            status: patch.status ?? before.status,
            attributes: patch.attributes ? JSON.stringify(patch.attributes) : before.attributes,
            tags: patch.tags ? JSON.stringify(patch.tags) : before.tags,
          };
          const changes = diffCi(stateOf(before, teams), stateOf(next, teams));
          if (changes.length === 0) return presentCi(before, teams);
          if (next.key !== before.key && (await cmdbRepo.findCi(uow.trx, next.key))) throw conflict(`key: a CI with key "${next.key}" already exists`);
          const at = now();
          const row = await cmdbRepo.updateCi(uow.trx, before.id, {
            key: next.key, type: next.type, name: next.name, team_id: next.team_id, criticality: next.criticality,
            status: next.status, attributes: typeof next.attributes === 'string' ? next.attributes : JSON.stringify(next.attributes),
            tags: typeof next.tags === 'string' ? next.tags : JSON.stringify(next.tags), updated_at: at,
          });
          const fields = changes.map((change) => change.field).join(', ');
          await cmdbRepo.insertHistory(uow.trx, [ciHistoryRow(actor, at, 'updated', row, changes, `changed ${fields}`)]);
          await record(uow, actor, {
            verb: 'ci.updated', subject: { type: 'ci', id: row.id, label: row.name }, team: row.team_id ? teams.byId.get(row.team_id) : null,
            summary: truncate(`updated ${row.name} (${fields})`, 500), data: { key: row.key, changes },
          });
          mutations.push({ kind: 'ci', ci: graphCiOf(row, attributesOf(row)) });
          return presentCi(row, teams);
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict(`key: a CI with key "${patch.key}" already exists`);
        throw error;
      }
    },

    /** Deletes a CI; each of its relationships is removed first and recorded in history as removed with it. */
    async remove(actor: Actor, idOrKey: string): Promise<void> {
      const teams = await loadTeams(identity);
      await transact(deps, async (uow) => {
        const mutations = graphWrite(uow, graph);
        const row = await requireCi(uow.trx, idOrKey);
        const relationships = await cmdbRepo.relationshipsOf(uow.trx, row.id);
        const at = now();
        const history = relationships.map((rel) =>
          relationshipHistoryRow(actor, at, 'deleted', rel, { id: rel.from_id, key: rel.from_key, name: rel.from_name, type: rel.from_type },
            { id: rel.to_id, key: rel.to_key, name: rel.to_name, type: rel.to_type }, `${row.key} was deleted`),
        );
        for (const rel of relationships) await cmdbRepo.deleteRelationship(uow.trx, rel.id);
        await cmdbRepo.deleteCi(uow.trx, row.id);
        const suffix = relationships.length > 0 ? ` and its ${relationships.length} relationship${relationships.length > 1 ? 's' : ''}` : '';
        history.push(ciHistoryRow(actor, at, 'deleted', row, diffCi(stateOf(row, teams), null), `deleted ${row.type} ${row.key}${suffix}`));
        await cmdbRepo.insertHistory(uow.trx, history);
        await record(uow, actor, {
          verb: 'ci.deleted', subject: { type: 'ci', id: row.id, label: row.name }, team: row.team_id ? teams.byId.get(row.team_id) : null,
          summary: `deleted ${row.name} (${row.key})${suffix}`, data: { key: row.key, relationshipsRemoved: relationships.map((rel) => rel.id) },
        });
        mutations.push({ kind: 'ci-removed', id: row.id });
      });
    },

    async search(q: string, limit: number) {
      return cmdbRepo.searchCis(db, q, limit);
    },
  };
}

export type CisService = ReturnType<typeof createCisService>;
