import { invalid } from './errors.js';

/**
 * Keyset cursors for lists sorted by name then id: opaque to clients, stable under inserts
 * (no offset drift), and cheap for the database (an index range scan).
 */
export function encodeNameCursor(row: { name: string; id: string }): string {
  return Buffer.from(JSON.stringify([row.name, row.id])).toString('base64url');
}

export function decodeNameCursor(cursor: string): { name: string; id: string } {
  try {
    const [name, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [unknown, unknown];
    if (typeof name === 'string' && typeof id === 'string') return { name, id };
  } catch {
    // fall through to the error below
  }
  throw invalid('query.cursor', 'not a cursor this server issued');
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A keyset cursor for lists sorted by id (UUIDv7, so newest first): the id of the last item
 * of the previous page. Anything else did not come from this server; compared as text it
 * would page from an arbitrary place (differently under each database's collation), so it
 * is refused instead.
 */
export function decodeIdCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  if (!uuid.test(cursor)) throw invalid('query.cursor', 'not a cursor this server issued');
  return cursor;
}
