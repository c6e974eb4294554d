import { CompiledQuery, type Insertable, type Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';

/** Bound values per statement: under SQLite's 32,766 and PostgreSQL's 65,535. */
const VALUES_PER_STATEMENT = 30_000;

/**
 * Inserts many rows in multi-row statements whose SQL is compiled by Kysely once per
 * statement size and then reused with each chunk's values. A 100,000-CI import writes
 * ~800,000 rows (CIs, relationships, history); building and compiling a query tree of
 * millions of values cost more than the database spent inserting them. The SQL still
 * comes from the query builder, so it is right for either database.
 */
export async function insertMany<T extends keyof Database>(
  db: Kysely<Database>,
  table: T,
  columns: ReadonlyArray<keyof Database[T] & string>,
  rows: ReadonlyArray<Insertable<Database[T]>>,
): Promise<void> {
  const perStatement = Math.max(1, Math.floor(VALUES_PER_STATEMENT / columns.length));
  const compiled = new Map<number, string>();
  for (let i = 0; i < rows.length; i += perStatement) {
    const part = rows.slice(i, i + perStatement) as ReadonlyArray<Record<string, unknown>>;
    let text = compiled.get(part.length);
    if (text === undefined) {
      const template = part.map(() => Object.fromEntries(columns.map((column) => [column, '']))) as unknown as Array<Insertable<Database[T]>>;
      const query = db.insertInto(table).values(template).compile();
      if (query.parameters.length !== part.length * columns.length) throw new Error(`insertMany(${table}): unexpected statement shape`);
      text = query.sql;
      compiled.set(part.length, text);
    }
    const parameters: unknown[] = new Array(part.length * columns.length);
    let p = 0;
    for (const row of part) for (const column of columns) parameters[p++] = row[column] ?? null;
    await db.executeQuery(CompiledQuery.raw(text, parameters));
  }
}
