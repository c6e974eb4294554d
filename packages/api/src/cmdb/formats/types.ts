import type { ImportCi, ImportRelationship } from '../cmdb.schemas.js';

/** A problem in an input file, with where it is (`cis.csv line 4: criticality`). */
export interface FormatIssue {
  path: string;
  message: string;
}

/** What every format converts to: the body of `POST /api/v1/cmdb/import`, plus what it found wrong. */
export interface ConvertedImport {
  cis: ImportCi[];
  relationships: ImportRelationship[];
  unknownReferences: 'reject' | 'skip';
  /** Refusals: when any is present the import must not be sent. */
  errors: FormatIssue[];
  /** Notes about input that was deliberately not imported. */
  warnings: FormatIssue[];
}

export type ProgressCallback = (done: number, total: number) => void;
