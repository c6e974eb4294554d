import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { ciStatuses, type ImportCi, type ImportRelationship, relationshipTypes } from '../cmdb.schemas.js';
import type { ConvertedImport, FormatIssue, ProgressCallback } from './types.js';

/**
 * CMDB as two CSV files (RFC 4180, header row, UTF-8):
 * - CIs: `key,type,name,team,criticality,status,tags,attributes` — `tags` separated by `;`,
 *   `attributes` a JSON object; an empty cell means "not given" (keeps the current value).
 * - relationships: `from,to,type` with CI keys.
 * The export writes the same columns, so an export imports back unchanged.
 */
export const CI_CSV_COLUMNS = ['key', 'type', 'name', 'team', 'criticality', 'status', 'tags', 'attributes'] as const;
export const RELATIONSHIP_CSV_COLUMNS = ['from', 'to', 'type'] as const;

interface Row {
  record: Record<string, string>;
  line: number;
}

function readRows(text: string, file: string, required: readonly string[], errors: FormatIssue[]): Row[] {
  let parsed: Array<{ record: Record<string, string>; info: { lines: number } }>;
  try {
    parsed = parse(text, { columns: true, bom: true, trim: true, skip_empty_lines: true, info: true, relax_column_count: false });
  } catch (error) {
    errors.push({ path: file, message: `not valid CSV: ${(error as Error).message}` });
    return [];
  }
  const header = parsed[0] ? Object.keys(parsed[0].record) : [];
  const missing = required.filter((column) => parsed.length > 0 && !header.includes(column));
  if (missing.length > 0) {
    errors.push({ path: file, message: `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (header: ${header.join(',')})` });
    return [];
  }
  return parsed.map((row) => ({ record: row.record, line: row.info.lines }));
}

function ciFromRow(row: Row, file: string, errors: FormatIssue[]): ImportCi | null {
  const r = row.record;
  const at = (column: string) => `${file} line ${row.line}: ${column}`;
  const before = errors.length;
  const ci: ImportCi = { key: r.key ?? '', type: r.type ?? '', name: r.name ?? '' };
  if (r.team) ci.team = r.team === '-' ? null : r.team;
  if (r.criticality) {
    const n = Number(r.criticality);
    if (!Number.isInteger(n) || n < 1 || n > 4) errors.push({ path: at('criticality'), message: `must be 1, 2, 3 or 4, not "${r.criticality}"` });
    else ci.criticality = n;
  }
  if (r.status) {
    if (!(ciStatuses as readonly string[]).includes(r.status)) errors.push({ path: at('status'), message: `must be one of ${ciStatuses.join(', ')}` });
    else ci.status = r.status as ImportCi['status'];
  }
  if (r.tags) ci.tags = r.tags.split(';').map((tag) => tag.trim()).filter(Boolean);
  if (r.attributes) {
    try {
      const value: unknown = JSON.parse(r.attributes);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
      ci.attributes = value as Record<string, unknown>;
    } catch (error) {
      errors.push({ path: at('attributes'), message: `must be a JSON object (${(error as Error).message})` });
    }
  }
  return errors.length === before ? ci : null;
}

/** Parses the two CSV files into an import body; `errors` name the file, line and column. */
export function csvToImport(files: { cis?: string; relationships?: string }, onProgress?: ProgressCallback): ConvertedImport {
  const errors: FormatIssue[] = [];
  const ciRows = files.cis ? readRows(files.cis, 'cis.csv', ['key', 'type', 'name'], errors) : [];
  const relRows = files.relationships ? readRows(files.relationships, 'relationships.csv', RELATIONSHIP_CSV_COLUMNS, errors) : [];
  const total = ciRows.length + relRows.length;
  const cis: ImportCi[] = [];
  ciRows.forEach((row, index) => {
    const ci = ciFromRow(row, 'cis.csv', errors);
    if (ci) cis.push(ci);
    if (index % 5000 === 0) onProgress?.(index, total);
  });
  const relationships: ImportRelationship[] = [];
  relRows.forEach((row, index) => {
    const type = row.record.type ?? '';
    if (!(relationshipTypes as readonly string[]).includes(type)) {
      errors.push({ path: `relationships.csv line ${row.line}: type`, message: `must be one of ${relationshipTypes.join(', ')}` });
    } else {
      relationships.push({ from: row.record.from ?? '', to: row.record.to ?? '', type: type as ImportRelationship['type'] });
    }
    if (index % 5000 === 0) onProgress?.(ciRows.length + index, total);
  });
  onProgress?.(total, total);
  return { cis, relationships, unknownReferences: 'reject', errors, warnings: [] };
}

/** The export side: the same columns the import reads. */
export function importToCsv(body: { cis: ImportCi[]; relationships: ImportRelationship[] }): { cis: string; relationships: string } {
  const cis = stringify(
    body.cis.map((ci) => [
      ci.key, ci.type, ci.name, ci.team ?? '', ci.criticality ?? '', ci.status ?? '',
      (ci.tags ?? []).join(';'), ci.attributes && Object.keys(ci.attributes).length > 0 ? JSON.stringify(ci.attributes) : '',
    ]),
    { header: true, columns: [...CI_CSV_COLUMNS] },
  );
  const relationships = stringify(
    body.relationships.map((rel) => [rel.from, rel.to, rel.type]),
    { header: true, columns: [...RELATIONSHIP_CSV_COLUMNS] },
  );
  return { cis, relationships };
}
