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
