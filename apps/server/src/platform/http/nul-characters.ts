import { AppError } from '../errors.js';

/**
 * The path (`labels.a`, `alerts.3.summary`) of the first key or string holding U+0000, if any.
 * PostgreSQL text cannot store that character: left in, it fails the write with a 500 on
 * PostgreSQL while SQLite stores it, so both databases refuse it up front instead.
 */
export function findNulCharacter(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNulCharacter(value[i], `${path}.${i}`);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes('\u0000')) return `${path}.${key.replaceAll('\u0000', '\\u0000')}`;
      const found = findNulCharacter(item, `${path}.${key}`);
      if (found) return found;
    }
  }
  return null;
}

export function assertNoNulCharacter(value: unknown, context: string): void {
  const field = findNulCharacter(value, context);
  if (field) throw new AppError('validation_failed', `${field}: contains a NUL character (\\u0000), which text fields cannot hold`, { field });
}
