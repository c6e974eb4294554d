import type { FieldChange } from './cmdb.types.js';
import type { Actor } from '../../platform/activity/activity-spine.js';
import { truncate } from '../../platform/text.js';
import type { CiRow, NewHistoryRow } from './cmdb.repo.js';
import { canonicalJson } from './json.js';

/** A CI as history compares it: the team by slug, so the diff reads without a look-up. */
export interface CiState {
  key: string;
  type: string;
  name: string;
  team: string | null;
  criticality: number;
  status: string;
  attributes: Record<string, unknown>;
  tags: string[];
}

const SCALARS = ['key', 'type', 'name', 'team', 'criticality', 'status'] as const;

/**
 * Field-level diff, old → new. Attributes are compared key by key (`attributes.ip`) so a
 * history entry says which attribute changed, not just that the JSON blob did.
 */
export function diffCi(before: CiState | null, after: CiState | null): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of SCALARS) {
    const from = before ? before[field] : null;
    const to = after ? after[field] : null;
    if (from !== to) changes.push({ field, from, to });
  }
  const fromAttrs = before?.attributes ?? {};
  const toAttrs = after?.attributes ?? {};
  for (const name of [...new Set([...Object.keys(fromAttrs), ...Object.keys(toAttrs)])].sort()) {
    const from = fromAttrs[name] ?? null;
    const to = toAttrs[name] ?? null;
    if (canonicalJson(from) !== canonicalJson(to)) changes.push({ field: `attributes.${name}`, from, to });
  }
  const fromTags = before?.tags ?? [];
  const toTags = after?.tags ?? [];
  if (canonicalJson(fromTags) !== canonicalJson(toTags)) changes.push({ field: 'tags', from: before ? fromTags : null, to: after ? toTags : null });
  return changes;
}

type CiSnapshot = Pick<CiRow, 'id' | 'key' | 'name' | 'type'>;

export function ciHistoryRow(actor: Actor, at: number, action: 'created' | 'updated' | 'deleted', ci: CiSnapshot, changes: FieldChange[], summary: string): NewHistoryRow {
  return {
    at, actor_id: actor.id, actor_name: actor.name ?? 'Opsloom', subject_type: 'ci', action,
    ci_id: ci.id, ci_key: ci.key, ci_name: ci.name, ci_type: ci.type,
    related_ci_id: null, related_ci_key: null, related_ci_name: null, related_ci_type: null, relationship_id: null,
    summary: truncate(summary, 500), changes: JSON.stringify(changes),
  };
}

export function relationshipHistoryRow(
  actor: Actor, at: number, action: 'created' | 'deleted',
  rel: { id: string; type: string }, from: CiSnapshot, to: CiSnapshot, why?: string,
): NewHistoryRow {
  const verb = action === 'created' ? 'related' : 'unrelated';
  const changes: FieldChange[] = [{ field: 'relationship', from: action === 'created' ? null : `${from.key} ${rel.type} ${to.key}`, to: action === 'created' ? `${from.key} ${rel.type} ${to.key}` : null }];
  return {
    at, actor_id: actor.id, actor_name: actor.name ?? 'Opsloom', subject_type: 'relationship', action,
    ci_id: from.id, ci_key: from.key, ci_name: from.name, ci_type: from.type,
    related_ci_id: to.id, related_ci_key: to.key, related_ci_name: to.name, related_ci_type: to.type, relationship_id: rel.id,
    summary: truncate(`${verb} ${from.key} ${rel.type} ${to.key}${why ? ` (${why})` : ''}`, 500), changes: JSON.stringify(changes),
  };
}
