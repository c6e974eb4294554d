import { alertmanagerWebhookBody, type ErrorCode, genericEventsBody } from '@opsloom/api';
import { validatorCompiler, type ZodFastifySchemaValidationError } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import { parseJsonBody } from '../../platform/http/json-body.js';
import { validationFailure } from '../../platform/http/validation-issues.js';
import type { NormalizedAlert } from './normalized.js';
import { fromAlertmanager, fromGeneric, IntakeProblems } from './wire-formats.js';

/** The batch endpoints whose bodies are parsed by `parseIntake` (on an intake thread when there are any). */
export type IntakeKind = 'alertmanager' | 'generic';

export type ParsedIntake =
  | { ok: true; alerts: NormalizedAlert[] }
  | { ok: false; error: { code: ErrorCode; message: string; details?: unknown } };

// The route's own schemas through the same compiler Fastify uses, so the answers read exactly as for any route.
const validators = {
  alertmanager: validatorCompiler({ schema: alertmanagerWebhookBody, method: 'POST', url: '/api/v1/integrations/alertmanager', httpPart: 'body' }),
  generic: validatorCompiler({ schema: genericEventsBody, method: 'POST', url: '/api/v1/events', httpPart: 'body' }),
};

function rejectBatch(problems: IntakeProblems): ParsedIntake {
  const issues = problems.problems.map((p) => ({ path: p.slice(0, p.indexOf(':')), message: p.slice(p.indexOf(':') + 2) }));
  const extra = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return { ok: false, error: { code: 'validation_failed', message: `${problems.problems[0]}${extra}; nothing of the batch was accepted`, details: { issues } } };
}

/**
 * A batch request's body, from text to normalised alerts: JSON (duplicate and prototype
 * keys refused), the operation's schema, then the wire format's own checks. The whole
 * batch or nothing. Pure and self-contained, so it runs on an intake thread as well.
 */
export function parseIntake(kind: IntakeKind, text: string, arrival: number): ParsedIntake {
  let json: unknown;
  try {
    json = parseJsonBody(text);
  } catch (error) {
    if (error instanceof AppError) return { ok: false, error: { code: error.code, message: error.message, details: error.details } };
    throw error;
  }
  const checked = validators[kind](json) as { value?: unknown; error?: ZodFastifySchemaValidationError[] };
  if (checked.error) return { ok: false, error: { code: 'validation_failed', ...validationFailure('body', checked.error) } };
  const problems = new IntakeProblems();
  const alerts = kind === 'alertmanager'
    ? fromAlertmanager(checked.value as z.output<typeof alertmanagerWebhookBody>, arrival, problems)
    : fromGeneric(checked.value as z.output<typeof genericEventsBody>, arrival, problems);
  return problems.ok ? { ok: true, alerts } : rejectBatch(problems);
}
