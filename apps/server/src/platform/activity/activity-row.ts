import type { Selectable } from 'kysely';
import type { ActivityTable } from '../db/schema.js';

/** An activity record as stored, with `data` decoded. */
export type ActivityRow = Omit<Selectable<ActivityTable>, 'data'> & { data: Record<string, unknown> };

/** jsonb arrives decoded from PostgreSQL and as text from SQLite. */
export function decodeJson(value: unknown): Record<string, unknown> {
  if (typeof value === 'string') return JSON.parse(value) as Record<string, unknown>;
  return (value ?? {}) as Record<string, unknown>;
}

export function decodeActivityRow(row: Selectable<ActivityTable>): ActivityRow {
  return { ...row, data: decodeJson(row.data) };
}
