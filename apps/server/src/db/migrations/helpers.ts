import { type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * The few places where SQLite and PostgreSQL DDL differ, in one file so migrations stay
 * dialect-neutral. Migrations import only this and Kysely, never application code.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run against the schema as it was, not the current types
export type MigrationDb = Kysely<any>;

export function isPostgres(db: MigrationDb): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** A 64-bit auto-incrementing primary key. */
export function withSerialId<T extends string, C extends string>(db: MigrationDb, table: CreateTableBuilder<T, C>, column: string) {
  return isPostgres(db)
    ? table.addColumn(column, 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    : table.addColumn(column, 'integer', (col) => col.primaryKey().autoIncrement());
}

/** jsonb on PostgreSQL, text on SQLite. */
export function jsonType(db: MigrationDb) {
  return isPostgres(db) ? sql`jsonb` : sql`text`;
}

export const notNull = (col: ColumnDefinitionBuilder) => col.notNull();

/** Makes a table append-only: any UPDATE or DELETE fails inside the database itself. */
export async function makeAppendOnly(db: MigrationDb, table: string): Promise<void> {
  if (isPostgres(db)) {
    await sql`create or replace function opsloom_append_only() returns trigger language plpgsql as $$
      begin raise exception '% is append-only', TG_TABLE_NAME; end $$`.execute(db);
    await sql`create trigger ${sql.raw(`${table}_append_only`)} before update or delete on ${sql.table(table)}
      for each row execute function opsloom_append_only()`.execute(db);
    return;
  }
  for (const action of ['update', 'delete']) {
    await sql`create trigger ${sql.raw(`${table}_no_${action}`)} before ${sql.raw(action)} on ${sql.table(table)}
      begin select raise(abort, ${sql.lit(`${table} is append-only`)}); end`.execute(db);
  }
}
