import { invalid } from './errors.js';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A page cursor that is the id (a UUID) of the last item of the previous page. Anything else
 * did not come from this server: compared as text it would silently page from an arbitrary
 * place (and differently on each database's collation), so it is refused instead.
 */
export function idCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  if (!uuid.test(cursor)) throw invalid('query.cursor', 'not a cursor this server issued');
  return cursor;
}
