import { AppError } from '../errors.js';

/**
 * The path (`labels.a`, `alerts.3.summary`) of the first key or string holding U+0000, if any.
 * PostgreSQL text cannot store that character: left in, it fails the write with a 500 on
 * PostgreSQL while SQLite stores it, so both databases refuse it up front instead. Walks with
 * its own stack: a body may nest far deeper than the call stack goes.
 */
export function findNulCharacter(root: unknown, rootPath: string): string | null {
  const pending: Array<[unknown, string]> = [[root, rootPath]];
  while (pending.length > 0) {
    const [value, path] = pending.pop() as [unknown, string];
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return path;
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) pending.push([value[i], `${path}.${i}`]);
    } else if (value && typeof value === 'object') {
      const entries: Array<[string, unknown]> = Object.entries(value);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, item] = entries[i];
        if (key.includes('\u0000')) return `${path}.${key.replaceAll('\u0000', '\\u0000')}`;
        pending.push([item, `${path}.${key}`]);
      }
    }
  }
  return null;
}

export function assertNoNulCharacter(value: unknown, context: string): void {
  const found = findNulCharacter(value, context);
  // A path through a deeply nested body can be longer than the body is worth quoting.
  const field = found && found.length > 200 ? `${found.slice(0, 200)}…` : found;
  if (field) throw new AppError('validation_failed', `${field}: contains a NUL character (\\u0000), which text fields cannot hold`, { field });
}
