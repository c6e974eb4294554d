import { z } from 'zod';
import { id, timestamp } from '../common.js';
import { teamRef } from '../identity/identity.schemas.js';

/** Types the product knows and draws; any other lowercase word is accepted (the set is extensible). */
export const knownCiTypes = [
  'service', 'application', 'database', 'host', 'vm', 'container', 'network_device',
  'storage', 'load_balancer', 'cloud_resource', 'site',
] as const;
export const ciStatuses = ['planned', 'live', 'maintenance', 'retired'] as const;
export const relationshipTypes = ['depends_on', 'runs_on', 'part_of', 'connects_to'] as const;

export const ciKey = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/@+-]*$/, 'must start with a letter or digit and use letters, digits and . _ : / @ + -')
  .describe('Stable external id, unique; used for upserts, e.g. `host:mail-01.dc1`');
export const ciType = z
  .string()
  .min(1)
  .max(60)
  .regex(/^[a-z][a-z0-9_]*$/, 'must be lowercase letters, digits and underscores')
  .describe(`CI type: ${knownCiTypes.join(', ')}, or another lowercase word`);
export const ciStatus = z.enum(ciStatuses).describe('Lifecycle status');
export const criticality = z.number().int().min(1).max(4).describe('1 = most critical … 4 = least');
export const relationshipType = z
  .enum(relationshipTypes)
  .describe('`A depends_on B` / `A runs_on B`: A is impacted when B is; `A part_of B`: B is impacted when A is; `connects_to`: no propagation');
export const ciAttributes = z.record(z.string(), z.unknown()).describe('Free JSON object, e.g. `hostname`, `ip`, `addresses`');
export const ciTags = z.array(z.string().trim().min(1).max(60)).max(50).describe('Free labels');
export type CiStatus = z.infer<typeof ciStatus>;
export type RelationshipType = z.infer<typeof relationshipType>;

export const ciSummary = z.object({ id, key: z.string(), type: z.string(), name: z.string() }).meta({ id: 'CiSummary' });
export type CiSummary = z.infer<typeof ciSummary>;

export const ci = z
  .object({
    id,
    key: z.string(),
    type: z.string(),
    name: z.string(),
    team: teamRef.nullable().describe('Owner team'),
    criticality: z.number().int(),
    status: ciStatus,
    attributes: ciAttributes,
    tags: z.array(z.string()),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Ci' });
export type Ci = z.infer<typeof ci>;

export const relationship = z
  .object({ id, type: relationshipType, from: ciSummary, to: ciSummary, createdAt: timestamp })
  .meta({ id: 'Relationship' });
export type Relationship = z.infer<typeof relationship>;

export const serviceRef = z.object({ id, key: z.string(), name: z.string() }).meta({ id: 'ServiceRef' });
export const ciDetail = ci
  .extend({
    outgoing: z.array(relationship).describe('Relationships where this CI is `from`'),
    incoming: z.array(relationship).describe('Relationships where this CI is `to`'),
    services: z.array(serviceRef).describe('Business services impacted when this CI fails'),
  })
  .meta({ id: 'CiDetail' });
export type CiDetail = z.infer<typeof ciDetail>;

const teamSlugInput = z.string().min(1).max(100).nullable().describe('Owner team slug; null for none');

export const createCiBody = z
  .strictObject({
    key: ciKey, type: ciType, name: z.string().trim().min(1).max(200),
    team: teamSlugInput.optional(), criticality: criticality.default(3), status: ciStatus.default('live'),
    attributes: ciAttributes.default({}), tags: ciTags.default([]),
  })
  .meta({ id: 'CreateCi' });
export type CreateCi = z.input<typeof createCiBody>;

export const updateCiBody = z
  .strictObject({
    key: ciKey.optional(), type: ciType.optional(), name: z.string().trim().min(1).max(200).optional(),
    team: teamSlugInput.optional(), criticality: criticality.optional(), status: ciStatus.optional(),
    attributes: ciAttributes.optional().describe('Replaces the whole attributes object'), tags: ciTags.optional(),
  })
  .meta({ id: 'UpdateCi' });
export type UpdateCi = z.input<typeof updateCiBody>;

export const createRelationshipBody = z
  .strictObject({
    from: z.string().min(1).max(200).describe('CI id or key'),
    to: z.string().min(1).max(200).describe('CI id or key'),
    type: relationshipType,
  })
  .meta({ id: 'CreateRelationship' });
export type CreateRelationship = z.input<typeof createRelationshipBody>;

export const importCi = z.strictObject({
  key: ciKey, type: ciType, name: z.string().trim().min(1).max(200),
  team: teamSlugInput.optional().describe('Owner team slug; omitted keeps the current owner of an existing CI'),
  criticality: criticality.optional().describe('Default 3 for a new CI; omitted keeps the current value'),
  status: ciStatus.optional().describe('Default `live` for a new CI; omitted keeps the current value'),
  attributes: ciAttributes.optional().describe('Replaces the attributes when given'),
  tags: ciTags.optional().describe('Replaces the tags when given'),
});
export type ImportCi = z.infer<typeof importCi>;
export const importRelationship = z.strictObject({ from: ciKey.describe('Key of the `from` CI'), to: ciKey.describe('Key of the `to` CI'), type: relationshipType });
export type ImportRelationship = z.infer<typeof importRelationship>;

export const importBody = z
  .strictObject({
    cis: z.array(importCi).max(1_000_000).default([]),
    relationships: z.array(importRelationship).max(5_000_000).default([]),
    unknownReferences: z
      .enum(['reject', 'skip'])
      .default('reject')
      .describe('A team slug or relationship endpoint that exists nowhere. `reject` (default): the import fails listing each; `skip`: the team is left unset (kept on an existing CI), the relationship left out, and each is reported in `warnings` — for catalogs that refer to entities kept elsewhere'),
  })
  .meta({ id: 'CmdbImport' });
export type ImportBody = z.input<typeof importBody>;

const counts = z.object({ created: z.number().int(), updated: z.number().int(), unchanged: z.number().int() });
export const importResult = z
  .object({
    cis: counts,
    relationships: counts.describe('Relationships have no fields to update: `updated` is always 0'),
    warnings: z.array(z.object({ path: z.string(), message: z.string() })).describe('What `unknownReferences: skip` left out'),
  })
  .meta({ id: 'CmdbImportResult' });
export type ImportResult = z.infer<typeof importResult>;

export const impactedCi = ciSummary.extend({ distance: z.number().int().describe('Hops from the CI asked about') }).meta({ id: 'ImpactedCi' });
export const impactResult = z
  .object({
    ci: ciSummary,
    impacted: z.array(impactedCi).describe('Nearest first'),
    services: z.array(serviceRef).describe('Business services (`type: service`) among them'),
  })
  .meta({ id: 'ImpactResult' });
export type ImpactResult = z.infer<typeof impactResult>;

export const fieldChange = z.object({ field: z.string(), from: z.unknown(), to: z.unknown() }).meta({ id: 'FieldChange' });
export const historyEntry = z
  .object({
    id: z.string(),
    at: timestamp,
    actor: z.object({ id: z.string().nullable(), name: z.string() }),
    subjectType: z.enum(['ci', 'relationship']),
    action: z.enum(['created', 'updated', 'deleted']),
    ci: ciSummary.describe('The CI (for a relationship: its `from` CI)'),
    relatedCi: ciSummary.nullable().describe('For a relationship: its `to` CI'),
    relationshipId: z.string().nullable(),
    summary: z.string(),
    changes: z.array(fieldChange).describe('Field-level diff, old → new'),
  })
  .meta({ id: 'CiHistoryEntry' });
export type HistoryEntry = z.infer<typeof historyEntry>;

export const graphNode = z
  .object({ id, key: z.string(), type: z.string(), name: z.string(), team: z.string().nullable().describe('Owner team slug'), status: ciStatus, criticality: z.number().int() })
  .meta({ id: 'GraphNode' });
export const graphEdge = z.object({ id, from: id, to: id, type: relationshipType }).meta({ id: 'GraphEdge' });
export const graphResult = z
  .object({ nodes: z.array(graphNode), edges: z.array(graphEdge), truncated: z.boolean().describe('True when `limit` cut the node set') })
  .meta({ id: 'Graph' });
export type GraphResult = z.infer<typeof graphResult>;

export const exportResult = z
  .union([
    z.object({ cis: z.array(importCi), relationships: z.array(importRelationship) }).describe('format=json: a body `POST /cmdb/import` takes back as it is'),
    z.object({ cis: z.string(), relationships: z.string() }).describe('format=csv: the two CSV files as text, in the columns the CSV import reads'),
  ])
  .meta({ id: 'CmdbExport' });

export const ciParams = z.object({ ci: z.string().min(1).max(200).describe('CI id or key') });
