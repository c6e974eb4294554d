import type { Ci, CiSummary, HistoryEntry, Relationship, TeamRef } from '@opsloom/api';
import { toIso } from '../../platform/ids.js';
import type { CiRow, HistoryRow, RelationshipView } from './cmdb.repo.js';
import { asStatus, type FieldChange, isRelationshipType } from './cmdb.types.js';
import type { GraphCiInput } from './graph/graph-index.js';
import type { CiState } from './history.js';
import { decodeJsonValue } from './json.js';

/** Teams by id and by slug, loaded once per request (there are few). */
export interface TeamLookup {
  byId: Map<string, TeamRef>;
  bySlug: Map<string, TeamRef>;
}

export const ciSummaryOf = (row: Pick<CiRow, 'id' | 'key' | 'type' | 'name'>): CiSummary => ({ id: row.id, key: row.key, type: row.type, name: row.name });

export function attributesOf(row: CiRow): Record<string, unknown> {
  return decodeJsonValue<Record<string, unknown>>(row.attributes, {});
}
export function tagsOf(row: CiRow): string[] {
  return decodeJsonValue<string[]>(row.tags, []);
}

export function presentCi(row: CiRow, teams: TeamLookup): Ci {
  return {
    id: row.id,
    key: row.key,
    type: row.type,
    name: row.name,
    team: row.team_id ? (teams.byId.get(row.team_id) ?? null) : null,
    criticality: row.criticality,
    status: asStatus(row.status),
    attributes: attributesOf(row),
    tags: tagsOf(row),
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
  };
}

export function stateOf(row: CiRow, teams: TeamLookup): CiState {
  return {
    key: row.key, type: row.type, name: row.name,
    team: row.team_id ? (teams.byId.get(row.team_id)?.slug ?? row.team_id) : null,
    criticality: row.criticality, status: row.status, attributes: attributesOf(row), tags: tagsOf(row),
  };
}

export function presentRelationship(view: RelationshipView): Relationship {
  if (!isRelationshipType(view.type)) throw new Error(`unknown relationship type ${view.type}`);
  return {
    id: view.id,
    type: view.type,
    from: { id: view.from_id, key: view.from_key, name: view.from_name, type: view.from_type },
    to: { id: view.to_id, key: view.to_key, name: view.to_name, type: view.to_type },
    createdAt: toIso(view.created_at),
  };
}

export function presentHistory(row: HistoryRow): HistoryEntry {
  return {
    id: String(row.id),
    at: toIso(row.at),
    actor: { id: row.actor_id, name: row.actor_name },
    subjectType: row.subject_type as HistoryEntry['subjectType'],
    action: row.action as HistoryEntry['action'],
    ci: { id: row.ci_id, key: row.ci_key, name: row.ci_name, type: row.ci_type },
    relatedCi: row.related_ci_id
      ? { id: row.related_ci_id, key: row.related_ci_key ?? '', name: row.related_ci_name ?? '', type: row.related_ci_type ?? '' }
      : null,
    relationshipId: row.relationship_id,
    summary: row.summary,
    changes: decodeJsonValue<FieldChange[]>(row.changes, []),
  };
}

/** The host names and addresses a CI answers to, for alert matching: hostname, fqdn, ip, addresses[]. */
export function hostsOf(attributes: Record<string, unknown>): string[] {
  const hosts: string[] = [];
  for (const field of ['hostname', 'fqdn', 'ip']) {
    const value = attributes[field];
    if (typeof value === 'string') hosts.push(value);
  }
  const addresses = attributes.addresses;
  if (Array.isArray(addresses)) for (const value of addresses) if (typeof value === 'string') hosts.push(value);
  return hosts;
}

type GraphRow = Pick<CiRow, 'id' | 'key' | 'type' | 'name' | 'team_id' | 'status' | 'criticality' | 'attributes'>;
export function graphCiOf(row: GraphRow, attributes: Record<string, unknown> = decodeJsonValue<Record<string, unknown>>(row.attributes, {})): GraphCiInput {
  return {
    id: row.id, key: row.key, type: row.type, name: row.name, teamId: row.team_id,
    status: row.status, criticality: row.criticality, hosts: hostsOf(attributes),
  };
}
