import type { createRelationshipBody, Relationship } from '@opsloom/api';
import type { z } from 'zod';
import type { Actor } from '../../platform/activity/activity-spine.js';
import { isUniqueViolation } from '../../platform/db/errors.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import { newId, now } from '../../platform/ids.js';
import { type ModuleDeps, transact } from '../../platform/module-deps.js';
import { presentRelationship } from './cmdb.presenter.js';
import { type CiRow, cmdbRepo } from './cmdb.repo.js';
import { graphWrite, requireCi } from './cis.service.js';
import type { CmdbGraph } from './graph/cmdb-graph.js';
import { relationshipHistoryRow } from './history.js';

type CreateRelationship = z.output<typeof createRelationshipBody>;

const view = (rel: { id: string; from_id: string; to_id: string; type: string; created_at: number }, from: CiRow, to: CiRow) => ({
  ...rel, from_key: from.key, from_name: from.name, from_type: from.type, to_key: to.key, to_name: to.name, to_type: to.type,
});

export function createRelationshipsService(deps: ModuleDeps, graph: CmdbGraph) {
  return {
    async create(actor: Actor, input: CreateRelationship): Promise<Relationship> {
      try {
        return await transact(deps, async (uow) => {
          const mutations = graphWrite(uow, graph);
          const from = await cmdbRepo.findCi(uow.trx, input.from);
          const to = await cmdbRepo.findCi(uow.trx, input.to);
          if (!from) throw invalid('from', `no CI with id or key "${input.from}"`);
          if (!to) throw invalid('to', `no CI with id or key "${input.to}"`);
          if (from.id === to.id) throw invalid('to', 'a CI cannot be related to itself');
          if (await cmdbRepo.findEdge(uow.trx, from.id, to.id, input.type)) throw conflict(`${from.key} ${input.type} ${to.key} already exists`);
          const at = now();
          const rel = { id: newId(), from_id: from.id, to_id: to.id, type: input.type, created_at: at };
          await cmdbRepo.insertRelationships(uow.trx, [rel]);
          await cmdbRepo.insertHistory(uow.trx, [relationshipHistoryRow(actor, at, 'created', rel, from, to)]);
          const activity = await deps.spine.record(uow, actor, {
            verb: 'relationship.created', subject: { type: 'relationship', id: rel.id, label: `${from.key} ${input.type} ${to.key}` },
            summary: `related ${from.name} ${input.type.replace('_', ' ')} ${to.name}`,
            data: { from: from.key, to: to.key, type: input.type, fromId: from.id, toId: to.id },
          });
          graph.noteOwnActivity(activity.id);
          mutations.push({ kind: 'relationship', edge: { id: rel.id, fromId: from.id, toId: to.id, type: input.type } });
          return presentRelationship(view(rel, from, to));
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict(`${input.from} ${input.type} ${input.to} already exists`);
        throw error;
      }
    },

    async remove(actor: Actor, id: string): Promise<void> {
      await transact(deps, async (uow) => {
        const mutations = graphWrite(uow, graph);
        const rel = await cmdbRepo.findRelationship(uow.trx, id);
        if (!rel) throw notFound('relationship', id);
        const [from, to] = await Promise.all([requireCi(uow.trx, rel.from_id), requireCi(uow.trx, rel.to_id)]);
        await cmdbRepo.deleteRelationship(uow.trx, rel.id);
        await cmdbRepo.insertHistory(uow.trx, [relationshipHistoryRow(actor, now(), 'deleted', rel, from, to)]);
        const activity = await deps.spine.record(uow, actor, {
          verb: 'relationship.deleted', subject: { type: 'relationship', id: rel.id, label: `${from.key} ${rel.type} ${to.key}` },
          summary: `removed ${from.name} ${rel.type.replace('_', ' ')} ${to.name}`,
          data: { from: from.key, to: to.key, type: rel.type, fromId: from.id, toId: to.id },
        });
        graph.noteOwnActivity(activity.id);
        mutations.push({ kind: 'relationship-removed', id: rel.id });
      });
    },
  };
}

export type RelationshipsService = ReturnType<typeof createRelationshipsService>;
