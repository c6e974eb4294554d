import type { Role } from '@opsloom/api';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../activity/activity-spine.js';

/** The authenticated caller of a request. */
export interface Principal {
  userId: string;
  name: string;
  handle: string;
  email: string;
  role: Role;
  via: 'session' | 'token';
  sessionId: string | null;
  tokenId: string | null;
  csrfToken: string | null;
}

/** Resolves credentials on a request; null when there are none. Throws for bad ones. */
export type Authenticator = (request: FastifyRequest) => Promise<Principal | null>;

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export function actorOf(request: FastifyRequest): Actor {
  const principal = request.principal;
  return {
    id: principal?.userId ?? null,
    name: principal?.name ?? null,
    handle: principal?.handle ?? null,
    via: principal?.via ?? 'system',
    ip: request.ip ?? null,
    userAgent: request.headers['user-agent'] ?? null,
  };
}

export function requirePrincipal(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error('route declared signed-in access but has no principal');
  return request.principal;
}
