import type { ErrorBody, ErrorCode } from '@opsloom/api';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError } from '../errors.js';

interface FieldIssue {
  path: string;
  message: string;
}

/** `body.teams.0: Invalid input` → one readable `field: problem` line per issue. */
function describeIssue(context: string, instancePath: string, keyword: string, message: string, params: Record<string, unknown>): FieldIssue {
  const field = [context, ...instancePath.split('/').filter(Boolean)].join('.');
  if (keyword === 'unrecognized_keys' && Array.isArray(params.keys)) {
    return { path: field, message: `unknown field${params.keys.length > 1 ? 's' : ''} ${params.keys.map((k) => `"${String(k)}"`).join(', ')}` };
  }
  return { path: field, message: message.replace(/^Invalid input: /, '') };
}

const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'validation_failed',
  FST_ERR_VALIDATION: 'validation_failed',
};

function send(reply: FastifyReply, status: number, body: unknown): void {
  void reply.code(status).type('application/json; charset=utf-8').send(body);
}

/**
 * The one place where errors become HTTP answers: the status and `{"error": {...}}` body for
 * an error (and `Retry-After` on the reply for a 429). Routes speaking another protocol's
 * error shape (PagerDuty's) reshape this answer, never re-derive it.
 */
function errorAnswer(error: FastifyError, request: FastifyRequest, reply: FastifyReply): { status: number; body: ErrorBody } {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const context = error.validationContext ?? 'body';
    const issues = error.validation.map((issue) =>
      describeIssue(context, issue.instancePath, issue.keyword, issue.message ?? 'invalid', issue.params),
    );
    const first = issues[0];
    const message = issues.length === 1 ? `${first.path}: ${first.message}` : `${first.path}: ${first.message} (and ${issues.length - 1} more)`;
    return { status: 400, body: { error: { code: 'validation_failed', message, details: { issues } } } };
  }
  if (error instanceof AppError) {
    if (error.code === 'rate_limited' || error.code === 'unavailable') {
      // Tell the client when the limit really lifts; a too-early retry only meets another refusal.
      const retryAfter = (error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
      void reply.header('retry-after', String(typeof retryAfter === 'number' && retryAfter > 0 ? Math.ceil(retryAfter) : 1));
    }
    return { status: error.status, body: { error: { code: error.code, message: error.message, details: error.details } } };
  }
  const mapped = error.code ? fastifyCodes[error.code] : undefined;
  if (mapped) {
    const status = error.statusCode ?? 400;
    const message = mapped === 'payload_too_large' ? `body: larger than the limit of ${reply.routeOptions.bodyLimit ?? 'the server'} bytes` : `body: ${error.message}`;
    return { status, body: { error: { code: mapped, message } } };
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return { status: error.statusCode, body: { error: { code: 'validation_failed', message: error.message } } };
  }
  request.log.error({ err: error }, 'unhandled error');
  return { status: 500, body: { error: { code: 'internal', message: 'internal error; the server logged the details' } } };
}

const answered = new WeakMap<FastifyRequest, ErrorBody>();

/** An overload refusal as a 503 (`unavailable`) instead of a 429, same message and details; other errors as they are. */
export function overloadAsUnavailable(error: FastifyError): FastifyError {
  if (!(error instanceof AppError) || error.code !== 'rate_limited') return error;
  return new AppError('unavailable', error.message, error.details);
}

/** The error answer this request was sent, if any (before any reshaping): for hooks that record refusals. */
export const errorAnswerOf = (request: FastifyRequest): ErrorBody | undefined => answered.get(request);

/** Sends the answer for `error`, reshaped by `reshape` on a route that speaks another protocol's error format. */
export function sendErrorAnswer(error: FastifyError, request: FastifyRequest, reply: FastifyReply, reshape?: (status: number, body: ErrorBody) => unknown): void {
  const { status, body } = errorAnswer(error, request, reply);
  answered.set(request, body);
  send(reply, status, reshape ? reshape(status, body) : body);
}

/** Every route's errors in the `{"error": {...}}` shape, and unknown routes as 404. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => sendErrorAnswer(error, request, reply));

  app.setNotFoundHandler((request, reply) => {
    send(reply, 404, { error: { code: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` } });
  });
}
