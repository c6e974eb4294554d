import type { ImportCi, ImportRelationship } from '@opsloom/api';
import type { ModuleDeps } from '../../platform/module-deps.js';
import type { IdentityServices } from '../identity/index.js';
import { attributesOf, tagsOf } from './cmdb.presenter.js';
import { cmdbRepo } from './cmdb.repo.js';
import { asStatus } from './cmdb.types.js';
import { loadTeams } from './teams-lookup.js';

/**
 * The whole CMDB in the import formats, so an export imports back unchanged (and an
 * import of it is a no-op). CSV comes back as the two files' text in one JSON answer,
 * rather than a zip, so the typed client and `curl | jq -r .cis` both read it.
 */
export function createExporter(deps: ModuleDeps, identity: IdentityServices) {
  const db = deps.database.db;

  async function asImportBody(): Promise<{ cis: ImportCi[]; relationships: ImportRelationship[] }> {
    const [teams, cis, relationships] = await Promise.all([loadTeams(identity), cmdbRepo.allCis(db), cmdbRepo.allRelationships(db)]);
    const keyOf = new Map(cis.map((row) => [row.id, row.key]));
    return {
      cis: cis.map((row) => ({
        key: row.key, type: row.type, name: row.name,
        team: row.team_id ? (teams.byId.get(row.team_id)?.slug ?? null) : null,
        criticality: row.criticality, status: asStatus(row.status), attributes: attributesOf(row), tags: tagsOf(row),
      })),
      relationships: relationships
        .map((row) => ({ from: keyOf.get(row.from_id) ?? '', to: keyOf.get(row.to_id) ?? '', type: row.type as ImportRelationship['type'] }))
        .sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to) || a.type.localeCompare(b.type)),
    };
  }

  return {
    asImportBody,
    async export(format: 'json' | 'csv') {
      const body = await asImportBody();
      if (format === 'json') return body;
      // The CSV writer is loaded on first use: most servers never export CSV, and start-up stays lean.
      const { importToCsv } = await import('@opsloom/api/formats');
      return importToCsv(body);
    },
  };
}
