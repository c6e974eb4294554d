import { type RawBuilder, sql } from 'kysely';
import type { DatabaseKind } from './database.js';

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

/** `update table set col = col + row[1] where key = row[0]` for every row: counters. */
export function bulkAdd(kind: DatabaseKind, table: string, key: string, counter: string, rows: Array<[string, number]>): RawBuilder<unknown> {
  return sql`update ${sql.table(table)} set ${sql.id(counter)} = ${sql.table(table)}.${sql.id(counter)} + ${column(kind, 1, 'integer')} from ${rowsSource(kind, JSON.stringify(rows))} where ${sql.table(table)}.${sql.id(key)} = ${column(kind, 0, 'text')}`;
}
