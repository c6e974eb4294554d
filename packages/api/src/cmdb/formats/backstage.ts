import { parseAllDocuments } from 'yaml';
import type { ImportCi, ImportRelationship, RelationshipType } from '../cmdb.schemas.js';
import type { ConvertedImport, FormatIssue } from './types.js';

/**
 * Backstage `catalog-info.yaml` descriptors → CMDB import (mapping documented in
 * docs/cmdb.md). Keys are entity refs, `kind:namespace/name`, lowercased as Backstage
 * compares them. Component, System, Resource, API and Domain become CIs; Group, User and
 * Location describe people and files, not infrastructure, and are skipped with a note.
 * Owners are matched to teams by slug on the server; references to entities defined in
 * another catalog are skipped, not refused (`unknownReferences: 'skip'`), because
 * catalogs routinely point at each other.
 */
const NAME = /^[a-zA-Z0-9]+(?:[-_.][a-zA-Z0-9]+)*$/;
const TAG = /^[a-z0-9:+#]+(?:-[a-z0-9:+#]+)*$/;
const CI_KINDS = new Set(['component', 'system', 'resource', 'api', 'domain']);
const SKIPPED_KINDS = new Set(['group', 'user', 'location', 'template']);

interface Entity {
  kind: string;
  namespace: string;
  name: string;
  metadata: Record<string, unknown>;
  spec: Record<string, unknown>;
}

const asRecord = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
const asStrings = (value: unknown): string[] =>
  (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]).filter((item): item is string => typeof item === 'string');

/** `[kind:][namespace/]name` with the given defaults → the CI key. */
export function entityRefKey(ref: string, defaultKind: string, defaultNamespace = 'default'): string {
  const colon = ref.indexOf(':');
  const kind = colon > 0 ? ref.slice(0, colon) : defaultKind;
  const rest = colon > 0 ? ref.slice(colon + 1) : ref;
  const slash = rest.indexOf('/');
  const namespace = slash > 0 ? rest.slice(0, slash) : defaultNamespace;
  const name = slash > 0 ? rest.slice(slash + 1) : rest;
  return `${kind}:${namespace}/${name}`.toLowerCase();
}

function ciType(entity: Entity): string {
  switch (entity.kind) {
    case 'component': return 'application';
    case 'system': return 'service';
    case 'api': return 'api';
    case 'domain': return 'domain';
    default: {
      const type = typeof entity.spec.type === 'string' ? entity.spec.type.toLowerCase() : '';
      if (type === 'database') return 'database';
      if (/bucket|storage|volume|disk/.test(type)) return 'storage';
      return 'cloud_resource';
    }
  }
}

function validate(doc: Record<string, unknown>, where: string, errors: FormatIssue[]): Entity | null {
  const before = errors.length;
  const metadata = asRecord(doc.metadata);
  const kind = typeof doc.kind === 'string' ? doc.kind : '';
  if (typeof doc.apiVersion !== 'string' || !doc.apiVersion) errors.push({ path: `${where}: apiVersion`, message: 'is required' });
  if (!kind) errors.push({ path: `${where}: kind`, message: 'is required' });
  const name = typeof metadata.name === 'string' ? metadata.name : '';
  const label = `${where} (${kind || '?'} "${name}")`;
  if (!name) errors.push({ path: `${label}: metadata.name`, message: 'is required' });
  else if (name.length > 63 || !NAME.test(name)) {
    errors.push({ path: `${label}: metadata.name`, message: 'must be 1–63 letters, digits and single - _ . between them (Backstage naming rules)' });
  }
  const namespace = metadata.namespace === undefined ? 'default' : metadata.namespace;
  if (typeof namespace !== 'string' || namespace.length > 63 || !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(namespace)) {
    errors.push({ path: `${label}: metadata.namespace`, message: 'must be lowercase letters, digits and single dashes' });
  }
  for (const tag of asStrings(metadata.tags)) {
    if (tag.length > 63 || !TAG.test(tag)) errors.push({ path: `${label}: metadata.tags`, message: `"${tag}" is not a valid tag (lowercase letters, digits, : + # and single dashes)` });
  }
  if (errors.length > before) return null;
  return { kind: kind.toLowerCase(), namespace: namespace as string, name, metadata, spec: asRecord(doc.spec) };
}

/** Converts descriptor files; every document is checked and each problem names its file and document. */
export function backstageToImport(files: Array<{ name: string; text: string }>): ConvertedImport {
  const errors: FormatIssue[] = [];
  const warnings: FormatIssue[] = [];
  const cis = new Map<string, { ci: ImportCi; where: string }>();
  const relationships = new Map<string, ImportRelationship>();
  const relate = (from: string, to: string, type: RelationshipType) => {
    if (from !== to) relationships.set(`${from}\u0000${to}\u0000${type}`, { from, to, type });
  };

  for (const file of files) {
    const docs = parseAllDocuments(file.text);
    const list = Array.isArray(docs) ? docs : [docs];
    list.forEach((doc, index) => {
      const where = list.length > 1 ? `${file.name} document ${index + 1}` : file.name;
      if (doc.errors.length > 0) {
        errors.push({ path: where, message: `not valid YAML: ${doc.errors[0].message.split('\n')[0]}` });
        return;
      }
      const value: unknown = doc.toJS();
      if (value === null || value === undefined) return;
      if (typeof value !== 'object' || Array.isArray(value)) {
        errors.push({ path: where, message: 'is not a Backstage entity (expected a mapping with apiVersion, kind, metadata)' });
        return;
      }
      const entity = validate(value as Record<string, unknown>, where, errors);
      if (!entity) return;
      if (SKIPPED_KINDS.has(entity.kind)) {
        const why = entity.kind === 'group' ? 'groups map to Opsloom teams by slug; create the team to own CIs' : entity.kind === 'location' ? 'locations are not followed; pass the files themselves' : 'people are managed in Opsloom';
        warnings.push({ path: where, message: `${entity.kind} "${entity.name}" skipped: ${why}` });
        return;
      }
      if (!CI_KINDS.has(entity.kind)) {
        warnings.push({ path: where, message: `kind ${entity.kind} is not imported` });
        return;
      }
      const key = `${entity.kind}:${entity.namespace}/${entity.name}`.toLowerCase();
      const { spec, metadata } = entity;
      const ci: ImportCi = {
        key,
        type: ciType(entity),
        name: (typeof metadata.title === 'string' && metadata.title.trim()) || entity.name,
        status: spec.lifecycle === 'experimental' ? 'planned' : 'live',
        tags: asStrings(metadata.tags),
        attributes: {
          backstage: {
            kind: entity.kind, namespace: entity.namespace, name: entity.name,
            ...(typeof metadata.description === 'string' ? { description: metadata.description } : {}),
            ...(typeof spec.type === 'string' ? { type: spec.type } : {}),
            ...(typeof spec.lifecycle === 'string' ? { lifecycle: spec.lifecycle } : {}),
            ...(typeof spec.owner === 'string' ? { owner: spec.owner } : {}),
          },
        },
      };
      if (typeof spec.owner === 'string') {
        const ownerKey = entityRefKey(spec.owner, 'group', entity.namespace);
        const [ownerKind, ownerPath] = ownerKey.split(':');
        const slug = ownerPath.split('/')[1];
        if (ownerKind === 'group' && /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(slug)) ci.team = slug;
        else warnings.push({ path: `${where}: spec.owner`, message: `"${spec.owner}" is not a group; ${key} is imported without an owner team` });
      }
      const previous = cis.get(key);
      if (previous && JSON.stringify(previous.ci) !== JSON.stringify(ci)) {
        errors.push({ path: where, message: `${key} is also defined, differently, in ${previous.where}` });
        return;
      }
      cis.set(key, { ci, where });
      const ns = entity.namespace;
      for (const ref of asStrings(spec.system)) relate(key, entityRefKey(ref, 'system', ns), 'part_of');
      for (const ref of asStrings(spec.domain)) relate(key, entityRefKey(ref, 'domain', ns), 'part_of');
      for (const ref of asStrings(spec.subdomainOf)) relate(key, entityRefKey(ref, 'domain', ns), 'part_of');
      for (const ref of asStrings(spec.subcomponentOf)) relate(key, entityRefKey(ref, 'component', ns), 'part_of');
      for (const ref of asStrings(spec.partOf)) relate(key, entityRefKey(ref, entity.kind, ns), 'part_of');
      for (const ref of asStrings(spec.dependsOn)) relate(key, entityRefKey(ref, 'component', ns), 'depends_on');
      for (const ref of asStrings(spec.dependencyOf)) relate(entityRefKey(ref, 'component', ns), key, 'depends_on');
      // An API fails with the component that provides it; a consumer fails with the API it uses.
      for (const ref of asStrings(spec.providesApis)) relate(entityRefKey(ref, 'api', ns), key, 'depends_on');
      for (const ref of asStrings(spec.consumesApis)) relate(key, entityRefKey(ref, 'api', ns), 'depends_on');
    });
  }
  return {
    cis: [...cis.values()].map((entry) => entry.ci),
    relationships: [...relationships.values()],
    unknownReferences: 'skip',
    errors,
    warnings,
  };
}
