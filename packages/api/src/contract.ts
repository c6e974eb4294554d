import type { z } from 'zod';

/** Roles, from most to least privileged. `requester` is an end user of the help desk. */
export const roles = ['admin', 'operator', 'viewer', 'requester'] as const;
export type Role = (typeof roles)[number];

/**
 * Who may call an operation. Declared once per operation, enforced by the server before
 * the handler runs and walked by the route × role test, so the rule lives in one place.
 */
export type Access = { readonly kind: 'public' } | { readonly kind: 'roles'; readonly roles: readonly Role[] };

export const access = {
  public: { kind: 'public' },
  signedIn: { kind: 'roles', roles: roles },
  staff: { kind: 'roles', roles: ['admin', 'operator', 'viewer'] },
  operators: { kind: 'roles', roles: ['admin', 'operator'] },
  admins: { kind: 'roles', roles: ['admin'] },
} as const satisfies Record<string, Access>;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * One API operation: the single declaration from which the server validates and types
 * its handler, the OpenAPI document is generated and the typed client is derived.
 */
export interface Operation {
  readonly id: string;
  readonly method: HttpMethod;
  /** OpenAPI-style path, e.g. `/api/v1/teams/{teamIdOrSlug}`. */
  readonly path: string;
  readonly summary: string;
  readonly tag: string;
  readonly access: Access;
  readonly status: 200 | 201 | 202 | 204;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly body?: z.ZodType;
  readonly response: z.ZodType;
  /** Set for operations that answer something other than JSON, e.g. a live stream. */
  readonly produces?: 'text/event-stream';
  /** Per-operation body limit in bytes where the default is not right. */
  readonly bodyLimit?: number;
}

export function defineOperation<const T extends Operation>(operation: T): T {
  return operation;
}

type Field<T, K extends keyof T> = T[K] extends z.ZodType ? T[K] : never;
type MaybeInput<T, K extends keyof T, Name extends string> = [Field<T, K>] extends [never]
  ? object
  : { [P in Name]: z.input<Field<T, K>> };

/** What a caller passes to an operation: `params`, `query` and `body` where it has them. */
export type OperationInput<T extends Operation> = MaybeInput<T, 'params', 'params'> &
  Partial<MaybeInput<T, 'query', 'query'>> &
  MaybeInput<T, 'body', 'body'>;

export type OperationResult<T extends Operation> = z.output<T['response']>;
