import type { Access } from '@opsloom/api';
import { forbidden, unauthenticated } from '../errors.js';
import type { Principal } from './principal.js';

/** The route-level rule: declared on the operation, checked before the body is even read. */
export function checkAccess(access: Access, principal: Principal | null): void {
  if (access.kind === 'public') return;
  if (!principal) throw unauthenticated();
  if (!access.roles.includes(principal.role)) {
    throw forbidden(`requires role ${access.roles.join(' or ')}; you are ${principal.role}`);
  }
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cookie sessions are CSRF-prone: writes made with one must carry the session's token in a
 * header, which a cross-site form cannot set. Bearer-token calls are immune and need none.
 */
export function checkCsrf(method: string, principal: Principal | null, header: string | string[] | undefined): void {
  if (!principal || principal.via !== 'session' || safeMethods.has(method)) return;
  if (typeof header !== 'string' || header !== principal.csrfToken) {
    throw forbidden('x-csrf-token: missing or does not match the session');
  }
}
