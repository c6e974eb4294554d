/** Unique-constraint violations, as each driver reports them. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  const code = error.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * The data itself was refused (too long, wrong type, a constraint), as opposed to the
 * database being unreachable, busy or out of space: retrying the same write fails again.
 * PostgreSQL SQLSTATE classes 22 (data exception) and 23 (integrity constraint); SQLite's
 * constraint, too-big and type-mismatch codes.
 */
export function isDataError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error) || typeof error.code !== 'string') return false;
  const code = error.code;
  return /^2[23][0-9A-Z]{3}$/.test(code) || code.startsWith('SQLITE_CONSTRAINT') || code === 'SQLITE_TOOBIG' || code === 'SQLITE_MISMATCH';
}
