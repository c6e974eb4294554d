import type { ZodFastifySchemaValidationError } from 'fastify-type-provider-zod';

export interface FieldIssue {
  path: string;
  message: string;
}

/** `body.teams.0: Invalid input` → one readable `field: problem` line per issue. */
function describeIssue(context: string, issue: ZodFastifySchemaValidationError): FieldIssue {
  const field = [context, ...issue.instancePath.split('/').filter(Boolean)].join('.');
  const params = issue.params;
  if (issue.keyword === 'unrecognized_keys' && Array.isArray(params.keys)) {
    return { path: field, message: `unknown field${params.keys.length > 1 ? 's' : ''} ${params.keys.map((k) => `"${String(k)}"`).join(', ')}` };
  }
  return { path: field, message: (issue.message ?? 'invalid').replace(/^Invalid input: /, '') };
}

/**
 * The `validation_failed` answer for schema issues: the first issue in the message, all of
 * them in `details.issues`. Used by the error handler and by intake parsing off the main thread.
 */
export function validationFailure(context: string, validation: ZodFastifySchemaValidationError[]): { message: string; details: { issues: FieldIssue[] } } {
  const issues = validation.map((issue) => describeIssue(context, issue));
  const first = issues[0];
  const message = issues.length === 1 ? `${first.path}: ${first.message}` : `${first.path}: ${first.message} (and ${issues.length - 1} more)`;
  return { message, details: { issues } };
}
