import type { ImportCi, ImportRelationship } from '@opsloom/api';
import { backstageToImport, type ConvertedImport, csvToImport, type FormatIssue } from '@opsloom/api/formats';

export interface LoadedFile {
  name: string;
  text: string;
}

/**
 * Turns the chosen files into one import body with the same converters the CLI uses
 * (packages/api formats), so the browser and `opsloom import` agree on every format:
 * `.json` is an import body, `.csv` a CI or relationship file (told apart by its header),
 * `.yaml`/`.yml` Backstage descriptors.
 */
export function convertFiles(files: LoadedFile[]): ConvertedImport {
  const cis: ImportCi[] = [];
  const relationships: ImportRelationship[] = [];
  const errors: FormatIssue[] = [];
  const warnings: FormatIssue[] = [];
  let unknownReferences: ConvertedImport['unknownReferences'] = 'reject';
  const add = (part: ConvertedImport) => {
    cis.push(...part.cis);
    relationships.push(...part.relationships);
    errors.push(...part.errors);
    warnings.push(...part.warnings);
    if (part.unknownReferences === 'skip') unknownReferences = 'skip';
  };
  const yaml = files.filter((file) => /\.ya?ml$/i.test(file.name));
  if (yaml.length > 0) add(backstageToImport(yaml));
  for (const file of files.filter((f) => /\.csv$/i.test(f.name))) {
    const header = file.text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0].toLowerCase().split(',').map((c) => c.trim());
    const isRelationships = header.includes('from') && header.includes('to') && !header.includes('key');
    add(csvToImport(isRelationships ? { relationships: file.text } : { cis: file.text }));
  }
  for (const file of files.filter((f) => /\.json$/i.test(f.name))) {
    try {
      const body = JSON.parse(file.text) as { cis?: ImportCi[]; relationships?: ImportRelationship[] };
      if (typeof body !== 'object' || body === null || (!Array.isArray(body.cis) && !Array.isArray(body.relationships))) {
        errors.push({ path: file.name, message: 'expected an object with `cis` and/or `relationships` arrays' });
        continue;
      }
      add({ cis: body.cis ?? [], relationships: body.relationships ?? [], unknownReferences: 'reject', errors: [], warnings: [] });
    } catch (error) {
      errors.push({ path: file.name, message: `not valid JSON: ${(error as Error).message}` });
    }
  }
  for (const file of files.filter((f) => !/\.(json|csv|ya?ml)$/i.test(f.name))) {
    errors.push({ path: file.name, message: 'unknown format: use .json, .csv, .yaml or .yml' });
  }
  return { cis, relationships, unknownReferences, errors, warnings };
}

export interface BadRow {
  section: string;
  index: number | null;
  path: string;
  message: string;
}

/** The server's 400 lists issues with paths like `body.cis.3.key`; the row is the index after the section. */
export function badRows(details: unknown): BadRow[] {
  const issues = (details as { issues?: Array<{ path?: string; message?: string; section?: string; index?: number }> } | undefined)?.issues ?? [];
  return issues.map((issue) => {
    const path = issue.path ?? '';
    const match = /(cis|relationships)\.(\d+)/.exec(path);
    return {
      section: issue.section ?? match?.[1] ?? '',
      index: issue.index ?? (match ? Number(match[2]) : null),
      path,
      message: issue.message ?? '',
    };
  });
}
