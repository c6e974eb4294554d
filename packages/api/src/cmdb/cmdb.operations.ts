import { z } from 'zod';
import { cursorQuery, id, limitQuery, noContent, page } from '../common.js';
import { access, defineOperation } from '../contract.js';
import {
  ci,
  ciDetail,
  ciParams,
  ciStatus,
  createCiBody,
  createRelationshipBody,
  exportResult,
  graphResult,
  historyEntry,
  impactResult,
  importBody,
  importResult,
  relationship,
  updateCiBody,
} from './cmdb.schemas.js';

const tag = 'CMDB';
const MiB = 1024 * 1024;
/** A 100,000-CI / 300,000-relationship import is about 40 MiB of JSON; room to spare. */
export const IMPORT_BODY_LIMIT = 128 * MiB;

export const importCmdb = defineOperation({
  id: 'importCmdb', method: 'POST', path: '/api/v1/cmdb/import', tag, status: 200, access: access.operators, bodyLimit: IMPORT_BODY_LIMIT,
  summary: 'Upsert CIs by key and relationships by (from, to, type): atomic and idempotent. A 400 lists every bad row. Body limit 128 MiB.',
  body: importBody, response: importResult,
});
export const exportCmdb = defineOperation({
  id: 'exportCmdb', method: 'GET', path: '/api/v1/cmdb/export', tag, status: 200, access: access.staff,
  summary: 'The whole CMDB in the import formats: JSON (an import body) or CSV (two files as text)',
  query: z.object({ format: z.enum(['json', 'csv']).default('json') }),
  response: exportResult,
});

export const listCis = defineOperation({
  id: 'listCis', method: 'GET', path: '/api/v1/cis', tag, status: 200, access: access.staff,
  summary: 'Configuration items, filtered by type, owner team, status and text, ordered by name',
  query: z.object({
    type: z.string().max(60).optional().describe('Exact CI type'),
    team: z.string().max(100).optional().describe('Owner team id or slug'),
    status: ciStatus.optional(),
    q: z.string().trim().max(100).optional().describe('Matches key or name'),
    limit: limitQuery, cursor: cursorQuery,
  }),
  response: page(ci),
});
export const createCi = defineOperation({
  id: 'createCi', method: 'POST', path: '/api/v1/cis', tag, status: 201, access: access.operators,
  summary: 'Create a CI (409 when the key is taken)', body: createCiBody, response: ci,
});
export const getCi = defineOperation({
  id: 'getCi', method: 'GET', path: '/api/v1/cis/{ci}', tag, status: 200, access: access.staff,
  summary: 'One CI with its relationships both ways and the business services it supports', params: ciParams, response: ciDetail,
});
export const updateCi = defineOperation({
  id: 'updateCi', method: 'PATCH', path: '/api/v1/cis/{ci}', tag, status: 200, access: access.operators,
  summary: 'Change a CI; every changed field lands in its history', params: ciParams, body: updateCiBody, response: ci,
});
export const deleteCi = defineOperation({
  id: 'deleteCi', method: 'DELETE', path: '/api/v1/cis/{ci}', tag, status: 204, access: access.operators,
  summary: 'Delete a CI and its relationships (each removal is recorded in history); to keep it, set status `retired`',
  params: ciParams, response: noContent,
});
export const getCiImpact = defineOperation({
  id: 'getCiImpact', method: 'GET', path: '/api/v1/cis/{ci}/impact', tag, status: 200, access: access.staff,
  summary: 'What breaks if this CI fails: every CI impacted (transitively), nearest first, and the business services among them',
  params: ciParams, response: impactResult,
});
export const getCiDependencies = defineOperation({
  id: 'getCiDependencies', method: 'GET', path: '/api/v1/cis/{ci}/dependencies', tag, status: 200, access: access.staff,
  summary: "What this CI depends on: every CI whose failure impacts it (the reverse of impact)", params: ciParams, response: impactResult,
});
export const getCiHistory = defineOperation({
  id: 'getCiHistory', method: 'GET', path: '/api/v1/cis/{ci}/history', tag, status: 200, access: access.staff,
  summary: 'Every change of this CI and its relationships, newest first',
  params: ciParams, query: z.object({ limit: limitQuery, cursor: cursorQuery }), response: page(historyEntry),
});
export const getCiChanges = defineOperation({
  id: 'getCiChanges', method: 'GET', path: '/api/v1/cis/{ci}/changes', tag, status: 200, access: access.staff,
  summary: 'The change trail: recent changes on this CI and everything it depends on (up to `depth` hops), newest first',
  params: ciParams,
  query: z.object({
    depth: z.coerce.number().int().min(0).max(20).default(5).describe('Dependency hops to include; 0 = the CI alone'),
    since: z.iso.datetime().optional().describe('Only changes after this time'),
    limit: limitQuery,
  }),
  response: z.object({ items: z.array(historyEntry) }),
});

export const getGraph = defineOperation({
  id: 'getGraph', method: 'GET', path: '/api/v1/graph', tag, status: 200, access: access.staff,
  summary: 'Nodes and edges for the service map: the neighbourhood of `focus` within `depth` hops (both directions, every relationship type), or the whole graph up to `limit` nodes',
  query: z.object({
    focus: z.string().max(200).optional().describe('CI key or id to centre on'),
    depth: z.coerce.number().int().min(0).max(10).default(2),
    limit: z.coerce.number().int().min(1).max(20_000).default(2000).describe('Most nodes to answer'),
  }),
  response: graphResult,
});

export const createRelationship = defineOperation({
  id: 'createRelationship', method: 'POST', path: '/api/v1/relationships', tag, status: 201, access: access.operators,
  summary: 'Relate two CIs (409 when the same relationship exists)', body: createRelationshipBody, response: relationship,
});
export const deleteRelationship = defineOperation({
  id: 'deleteRelationship', method: 'DELETE', path: '/api/v1/relationships/{id}', tag, status: 204, access: access.operators,
  summary: 'Remove a relationship', params: z.object({ id }), response: noContent,
});
