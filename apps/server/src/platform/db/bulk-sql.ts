import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DatabaseKind } from './database.js';
import type { Database } from './schema.js';
import { type BatchStatement, sqliteBatch } from './sqlite-writer.js';

/**
 * Bulk writes as ONE bound parameter: the rows travel as a JSON array of arrays and the
 * database unpacks them (SQLite `json_each`, PostgreSQL `jsonb_array_elements`). A
 * multi-row VALUES of 400 rows × 18 columns costs more to build, prepare and bind than
 * the insert itself; this statement is small and the same every time. The dialect
 * branch for bulk JSON rows lives here (used by the alert pipeline: alerts, incidents).
 */
export type ColumnType = 'text' | 'bigint' | 'integer';

function rowsSource(kind: DatabaseKind, json: string): RawBuilder<unknown> {
  return kind === 'postgres' ? sql`jsonb_array_elements(${json}::jsonb) as r(value)` : sql`json_each(${json}) as r`;
}

function column(kind: DatabaseKind, index: number, type: ColumnType): RawBuilder<unknown> {
  const raw = sql`r.value ->> ${sql.lit(index)}`;
  return kind === 'postgres' && type !== 'text' ? sql`(${raw})::${sql.raw(type)}` : raw;
}

export function bulkInsert(kind: DatabaseKind, table: string, columns: ReadonlyArray<readonly [string, ColumnType]>, rows: unknown[][]): RawBuilder<unknown> {
  const names = sql.join(columns.map(([name]) => sql.id(name)));
  const values = sql.join(columns.map(([, type], i) => column(kind, i, type)));
  return sql`insert into ${sql.table(table)} (${names}) select ${values} from ${rowsSource(kind, JSON.stringify(rows))}`;
}

/** `update table set col = row[i] … where key = row[0]` for every row. */
export function bulkUpdate(kind: DatabaseKind, table: string, key: string, columns: ReadonlyArray<readonly [string, ColumnType]>, rows: unknown[][]): RawBuilder<unknown> {
  const sets = sql.join(columns.map(([name, type], i) => sql`${sql.id(name)} = ${column(kind, i + 1, type)}`));
  return sql`update ${sql.table(table)} set ${sets} from ${rowsSource(kind, JSON.stringify(rows))} where ${sql.table(table)}.${sql.id(key)} = ${column(kind, 0, 'text')}`;
}

const SQLITE_ROWS_PER_STATEMENT = [200, 20, 1];
const valuesSql = new Map<string, string>();

/**
 * Inserts many rows. SQLite: multi-row `VALUES` with plain bound parameters in three fixed
 * statement sizes (200, 20 and 1 rows: prepared once each), all sent to the writer thread
 * as one batch, so a run of thousands of rows is one round trip. Extracting 18 columns from
 * one JSON parameter with `->>` re-parses the row for each column and costs more than
 * binding. PostgreSQL: one JSON parameter per 2,000 rows (`bulkInsert`).
 */
export async function insertRows(db: Kysely<Database>, kind: DatabaseKind, table: string, columns: ReadonlyArray<readonly [string, ColumnType]>, rows: unknown[][]): Promise<void> {
  if (kind === 'postgres') {
    for (let i = 0; i < rows.length; i += 2000) await bulkInsert(kind, table, columns, rows.slice(i, i + 2000)).execute(db);
    return;
  }
  const statements: BatchStatement[] = [];
  let at = 0;
  for (const size of SQLITE_ROWS_PER_STATEMENT) {
    for (; at + size <= rows.length; at += size) {
      const parameters: unknown[] = [];
      for (let r = at; r < at + size; r++) for (const value of rows[r]) parameters.push(value ?? null);
      statements.push({ sql: valuesStatement(table, columns, size), parameters });
    }
  }
  if (statements.length > 0) await db.executeQuery(sqliteBatch(statements));
}

function valuesStatement(table: string, columns: ReadonlyArray<readonly [string, ColumnType]>, size: number): string {
  const key = `${table}:${columns.map(([name]) => name).join(',')}:${size}`;
  let text = valuesSql.get(key);
  if (!text) {
    const row = `(${columns.map(() => '?').join(', ')})`;
    text = `insert into "${table}" (${columns.map(([name]) => `"${name}"`).join(', ')}) values ${Array.from({ length: size }, () => row).join(', ')}`;
    valuesSql.set(key, text);
  }
  return text;
}
