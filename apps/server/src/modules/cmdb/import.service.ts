import type { ImportCi, importBody, ImportResult, RelationshipType } from '@opsloom/api';
import type { z } from 'zod';
import type { Actor } from '../../platform/activity/activity-spine.js';
import { isUniqueViolation } from '../../platform/db/errors.js';
import { AppError, conflict } from '../../platform/errors.js';
import { newId, now } from '../../platform/ids.js';
import { type ModuleDeps, transact } from '../../platform/module-deps.js';
import type { IdentityServices } from '../identity/index.js';
import { graphCiOf, stateOf, type TeamLookup } from './cmdb.presenter.js';
import { type CiRow, cmdbRepo, type NewHistoryRow, type RelationshipRow } from './cmdb.repo.js';
import { graphWrite } from './cis.service.js';
import type { CmdbGraph } from './graph/cmdb-graph.js';
import { ciHistoryRow, diffCi, relationshipHistoryRow } from './history.js';
import { loadTeams } from './teams-lookup.js';

type ImportInput = z.output<typeof importBody>;
export interface ImportIssue {
  path: string;
  message: string;
  section: 'cis' | 'relationships';
  index: number;
}

function rejectIfAny(issues: ImportIssue[]): void {
  if (issues.length === 0) return;
  const first = issues[0];
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  throw new AppError('validation_failed', `${first.path}: ${first.message}${more}; nothing was imported`, { issues });
}

/** Checks that need no database: duplicate keys and self-relationships. */
function checkShape(input: ImportInput, issues: ImportIssue[]): void {
  const firstIndex = new Map<string, number>();
  input.cis.forEach((ci, index) => {
    const seen = firstIndex.get(ci.key);
    if (seen !== undefined) issues.push({ section: 'cis', index, path: `body.cis.${index}.key`, message: `"${ci.key}" is also at cis.${seen}; each key once` });
    else firstIndex.set(ci.key, index);
  });
  input.relationships.forEach((rel, index) => {
    if (rel.from === rel.to) issues.push({ section: 'relationships', index, path: `body.relationships.${index}.to`, message: 'a CI cannot be related to itself' });
  });
}

/** The row an import line leads to: omitted fields keep the current value, or take the default for a new CI. */
function nextRow(ci: ImportCi, teamId: string | null | undefined, before: CiRow | undefined, at: number): CiRow {
  return {
    id: before?.id ?? newId(),
    key: ci.key,
    type: ci.type,
    name: ci.name,
    team_id: teamId === undefined ? (before?.team_id ?? null) : teamId,
    criticality: ci.criticality ?? before?.criticality ?? 3,
    status: ci.status ?? before?.status ?? 'live',
    attributes: ci.attributes ? JSON.stringify(ci.attributes) : (before ? toText(before.attributes) : '{}'),
    tags: ci.tags ? JSON.stringify(ci.tags) : (before ? toText(before.tags) : '[]'),
    created_at: before?.created_at ?? at,
    updated_at: at,
  };
}
/** CIs and relationships in the imports since the last collection that make one worth its pause. */
const IMPORT_ROWS_WORTH_COLLECTING = 50_000;

const toText = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/**
 * `POST /cmdb/import`: upsert CIs by key and relationships by (from, to, type) in one
 * transaction. Every row is checked before anything is written, and every problem is
 * reported at once. A row equal to what is stored is left alone, so importing the same
 * body again writes nothing at all. History gets a row per CI and relationship changed;
 * the activity stream gets one `cmdb.imported` record with the counts (docs/adr/0004).
 */
export function createImporter(deps: ModuleDeps, identity: IdentityServices, graph: CmdbGraph) {
  return {
    async run(actor: Actor, input: ImportInput): Promise<ImportResult> {
      // A large import leaves its parsed body and working sets behind as garbage, collected
      // once the process is quiet, never in the middle of an import (docs/adr/0009).
      const done = deps.collector.begin();
      try {
        return await runImport(actor, input);
      } catch (error) {
        // Two imports creating the same key at once: the loser rolls back whole and may retry.
        if (isUniqueViolation(error)) throw conflict('a concurrent write created some of these CIs or relationships; nothing was imported, retry');
        throw error;
      } finally {
        done(input.cis.length + input.relationships.length, IMPORT_ROWS_WORTH_COLLECTING);
      }
    },
  };

  async function runImport(actor: Actor, input: ImportInput): Promise<ImportResult> {
    const skip = input.unknownReferences === 'skip';
    const issues: ImportIssue[] = [];
    const warnings: ImportResult['warnings'] = [];
    checkShape(input, issues);
    rejectIfAny(issues);
    const teams: TeamLookup = await loadTeams(identity);
    const teamIds: Array<string | null | undefined> = input.cis.map((ci, index) => {
      if (ci.team === undefined || ci.team === null) return ci.team;
      const team = teams.bySlug.get(ci.team.toLowerCase());
      if (team) return team.id;
      const problem = { path: `body.cis.${index}.team`, message: `no team with slug "${ci.team}"` };
      if (skip) warnings.push({ ...problem, message: `${problem.message}; owner left unchanged` });
      else issues.push({ ...problem, section: 'cis', index });
      return undefined;
    });

    return transact(deps, async (uow) => {
      const mutations = graphWrite(uow, graph);
      const referenced = new Set<string>(input.cis.map((ci) => ci.key));
      for (const rel of input.relationships) referenced.add(rel.from).add(rel.to);
      const existing = new Map((await cmdbRepo.findCisByKeys(uow.trx, [...referenced])).map((row) => [row.key, row]));
      const at = now();
      const rows = input.cis.map((ci, index) => ({ next: nextRow(ci, teamIds[index], existing.get(ci.key), at), before: existing.get(ci.key), ci }));
      const idByKey = new Map<string, CiRow>([...existing].map(([key, row]) => [key, row]));
      for (const { next } of rows) idByKey.set(next.key, next);

      const wanted = new Map<string, { fromRow: CiRow; toRow: CiRow; type: RelationshipType }>();
      input.relationships.forEach((rel, index) => {
        const fromRow = idByKey.get(rel.from);
        const toRow = idByKey.get(rel.to);
        for (const [end, row] of [['from', fromRow], ['to', toRow]] as const) {
          if (row) continue;
          const problem = { path: `body.relationships.${index}.${end}`, message: `no CI with key "${rel[end]}" in this import or the CMDB` };
          if (skip) warnings.push({ ...problem, message: `${problem.message}; relationship left out` });
          else issues.push({ ...problem, section: 'relationships', index });
        }
        if (fromRow && toRow) wanted.set(`${fromRow.id}|${toRow.id}|${rel.type}`, { fromRow, toRow, type: rel.type });
      });
      rejectIfAny(issues);

      const history: NewHistoryRow[] = [];
      const inserts: CiRow[] = [];
      const counts: ImportResult = { cis: { created: 0, updated: 0, unchanged: 0 }, relationships: { created: 0, updated: 0, unchanged: 0 }, warnings };
      for (const { next, before, ci } of rows) {
        const changes = diffCi(before ? stateOf(before, teams) : null, stateOf(next, teams));
        if (before && changes.length === 0) {
          counts.cis.unchanged++;
          continue;
        }
        if (before) {
          counts.cis.updated++;
          const { id, created_at: _created, ...patch } = next;
          await cmdbRepo.updateCi(uow.trx, id, patch);
          history.push(ciHistoryRow(actor, at, 'updated', next, changes, `import changed ${changes.map((c) => c.field).join(', ')}`));
        } else {
          counts.cis.created++;
          inserts.push(next);
          history.push(ciHistoryRow(actor, at, 'created', next, changes, `import created ${next.type} ${next.key}`));
        }
        mutations.push({ kind: 'ci', ci: graphCiOf(next, ci.attributes ?? (JSON.parse(next.attributes) as Record<string, unknown>)) });
      }
      await cmdbRepo.insertCis(uow.trx, inserts);

      const knownFromIds = [...new Set([...wanted.values()].filter((w) => existing.has(w.fromRow.key)).map((w) => w.fromRow.id))];
      const stored = new Set((await cmdbRepo.relationshipsFrom(uow.trx, knownFromIds)).map((r: RelationshipRow) => `${r.from_id}|${r.to_id}|${r.type}`));
      const newRelationships: RelationshipRow[] = [];
      for (const [edgeKey, { fromRow, toRow, type }] of wanted) {
        if (stored.has(edgeKey)) {
          counts.relationships.unchanged++;
          continue;
        }
        const rel = { id: newId(), from_id: fromRow.id, to_id: toRow.id, type, created_at: at };
        newRelationships.push(rel);
        history.push(relationshipHistoryRow(actor, at, 'created', rel, fromRow, toRow, 'import'));
        mutations.push({ kind: 'relationship', edge: { id: rel.id, fromId: rel.from_id, toId: rel.to_id, type } });
      }
      counts.relationships.created = newRelationships.length;
      await cmdbRepo.insertRelationships(uow.trx, newRelationships);
      await cmdbRepo.insertHistory(uow.trx, history);

      if (history.length > 0) {
        // One record for the whole import, not one per row: a 100,000-row import would
        // otherwise flood every feed, inbox and live stream (docs/adr/0004). Per-row detail is in ci_history.
        const { cis, relationships } = counts;
        const activity = await deps.spine.record(uow, actor, {
          verb: 'cmdb.imported', subject: { type: 'cmdb', id: 'import', label: 'CMDB import' },
          summary: `imported the CMDB: ${cis.created} CIs created, ${cis.updated} updated, ${cis.unchanged} unchanged; ${relationships.created} relationships created, ${relationships.unchanged} unchanged`,
          data: { cis, relationships: { created: relationships.created, unchanged: relationships.unchanged }, warnings: warnings.length },
        });
        graph.noteOwnActivity(activity.id);
      }
      return counts;
    });
  }
}

export type Importer = ReturnType<typeof createImporter>;
