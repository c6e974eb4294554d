import { AppError } from '../errors.js';
import { hasUnpairedSurrogate } from '../text.js';

/**
 * The path (`labels.a`, `alerts.3.summary`) of the first key or string the databases cannot
 * both store, and why: U+0000 (PostgreSQL text cannot hold it) or half of a surrogate pair
 * (not Unicode; PostgreSQL's jsonb refuses it). Left in, such text fails its write with a 500
 * on PostgreSQL while SQLite stores it, so both refuse it up front. Walks with its own stack:
 * a body may nest far deeper than the call stack goes.
 */
export function findUnstorableText(root: unknown, rootPath: string): { path: string; problem: string } | null {
  const problemOf = (text: string) =>
    text.includes('\u0000') ? 'contains a NUL character (\\u0000), which text fields cannot hold'
      : hasUnpairedSurrogate(text) ? 'contains half of a UTF-16 surrogate pair (an unpaired \\ud800–\\udfff escape), which is not Unicode text'
        : null;
  const pending: Array<[unknown, string]> = [[root, rootPath]];
  while (pending.length > 0) {
    const [value, path] = pending.pop() as [unknown, string];
    if (typeof value === 'string') {
      const problem = problemOf(value);
      if (problem) return { path, problem };
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) pending.push([value[i], `${path}.${i}`]);
    } else if (value && typeof value === 'object') {
      const entries: Array<[string, unknown]> = Object.entries(value);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, item] = entries[i];
        const problem = problemOf(key);
        if (problem) return { path: `${path}.${JSON.stringify(key).slice(1, -1)}`, problem };
        pending.push([item, `${path}.${key}`]);
      }
    }
  }
  return null;
}

/** Such text can only arrive as a JSON escape; the walk runs only for a body with one. */
export function mayHoldUnstorableText(json: string): boolean {
  return json.includes('\\u0000') || /\\u[dD][89a-fA-F]/.test(json);
}

export function assertStorableText(value: unknown, context: string): void {
  const found = findUnstorableText(value, context);
  if (!found) return;
  // A path through a deeply nested body can be longer than the body is worth quoting.
  const field = found.path.length > 200 ? `${found.path.slice(0, 200)}…` : found.path;
  throw new AppError('validation_failed', `${field}: ${found.problem}`, { field });
}
