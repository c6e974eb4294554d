/** Messages between the main thread and the SQLite writer thread (sqlite-writer.worker.ts). */
export type WriterRequest =
  /**
   * `parameters` as UTF-8 JSON in a transferred buffer when they are all strings, finite
   * numbers or null (nearly always): moving one buffer costs a fraction of structured-cloning
   * thousands of values or megabytes of string. Otherwise (bigint, Buffer) the array itself.
   */
  | { id: number; op: 'query'; sql: string; parameters: readonly unknown[] | Uint8Array }
  /** Several statements (UTF-8 JSON of `BatchStatement[]`) run in order, no rows returned: one round trip for a bulk write. */
  | { id: number; op: 'batch'; statements: Uint8Array }
  | { id: number; op: 'close' };

/** A statement of a batch; `statements` above is a JSON array of these. */
export interface BatchStatement {
  sql: string;
  parameters: unknown[];
}

export interface WriterReply {
  id: number;
  rows: Array<Record<string, unknown>>;
  changes?: number;
  lastInsertRowid?: number;
  /** A failed statement: the SQLite message and code (`SQLITE_CONSTRAINT_UNIQUE`, ...). */
  error?: { message: string; code: string | null };
}
