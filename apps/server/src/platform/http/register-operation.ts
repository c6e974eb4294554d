import type { ErrorBody, Operation, OperationResult } from '@opsloom/api';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { checkAccess, checkCsrf } from './access.js';
import { overloadAsUnavailable, sendErrorAnswer } from './error-handler.js';
import { assertStorableText } from './storable-text.js';
import type { Authenticator, Principal } from './principal.js';

type Parsed<T, K extends keyof T> = T[K] extends z.ZodType ? z.output<T[K]> : undefined;

export interface HandlerContext<T extends Operation> {
  params: Parsed<T, 'params'>;
  query: Parsed<T, 'query'>;
  body: Parsed<T, 'body'>;
  /** Non-null on every operation whose access is not public. */
  principal: T['access'] extends { kind: 'public' } ? Principal | null : Principal;
  request: FastifyRequest;
  reply: FastifyReply;
}

export type OperationHandler<T extends Operation> = (
  context: HandlerContext<T>,
) => Promise<T['status'] extends 204 ? void : OperationResult<T>>;

export interface OperationOptions {
  /** Reshapes the `{"error": …}` answer for a route that speaks another protocol's error format (PagerDuty's). */
  errorBody?: (status: number, body: ErrorBody) => unknown;
  /**
   * Answers overload (`rate_limited`, 429) as `unavailable` (503), both with `Retry-After`, for
   * a route whose senders retry only 5xx answers (Alertmanager's webhook receiver drops a
   * notification answered 429 until the group's next notification, minutes later).
   */
  overloadAs503?: boolean;
}

export type RegisterOperation = <T extends Operation>(operation: T, handler: OperationHandler<T>, options?: OperationOptions) => void;

/** `/api/v1/teams/{team}` → `/api/v1/teams/:team`. */
export const toFastifyPath = (path: string): string => path.replace(/\{(\w+)\}/g, ':$1');

/**
 * Registers an operation from its contract: the zod schemas validate and type the request,
 * feed the OpenAPI document, and the declared access is enforced before anything else runs.
 */
export function createOperationRegistrar(app: FastifyInstance, authenticate: Authenticator) {
  const registered = new Set<string>();

  const register: RegisterOperation = (operation, handler, options = {}) => {
    const { errorBody, overloadAs503 } = options;
    if (registered.has(operation.id)) throw new Error(`operation ${operation.id} registered twice`);
    registered.add(operation.id);
    const jsonResponse = operation.status !== 204 && !operation.produces;
    app.withTypeProvider<ZodTypeProvider>().route({
      method: operation.method,
      url: toFastifyPath(operation.path),
      bodyLimit: operation.bodyLimit,
      schema: {
        operationId: operation.id,
        summary: operation.summary,
        tags: [operation.tag],
        ...(operation.params ? { params: operation.params } : {}),
        ...(operation.query ? { querystring: operation.query } : {}),
        ...(operation.body ? { body: operation.body } : {}),
        ...(operation.access.kind === 'public' ? {} : { security: [{ bearer: [] }, { session: [] }] }),
        ...(jsonResponse ? { response: { [operation.status]: operation.response } } : {}),
      },
      config: { access: operation.access },
      errorHandler: errorBody || overloadAs503
        ? (error, request, reply) => sendErrorAnswer(overloadAs503 ? overloadAsUnavailable(error) : error, request, reply, errorBody)
        : undefined,
      onRequest: async (request) => {
        request.principal = operation.access.kind === 'public' ? null : await authenticate(request);
        checkAccess(operation.access, request.principal);
        checkCsrf(request.method, request.principal, request.headers['x-csrf-token']);
      },
      // `%00` in a path or query string (bodies are checked as they are parsed, json-body.ts).
      preValidation: async (request) => {
        assertStorableText(request.params, 'params');
        assertStorableText(request.query, 'query');
      },
      handler: async (request, reply) => {
        const context = {
          params: request.params,
          query: request.query,
          body: request.body,
          principal: request.principal,
          request,
          reply,
        } as HandlerContext<typeof operation>;
        const result = await handler(context);
        if (operation.produces) return reply;
        void reply.code(operation.status);
        return operation.status === 204 ? reply.send() : result;
      },
    });
  };

  function assertComplete(operations: readonly Operation[]): void {
    const missing = operations.filter((operation) => !registered.has(operation.id)).map((operation) => operation.id);
    if (missing.length > 0) throw new Error(`operations without a handler: ${missing.join(', ')}`);
  }

  return { register, assertComplete };
}
