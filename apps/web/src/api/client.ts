import { createClient } from '@opsloom/api';

/**
 * The CSRF token of the current session. The session cookie is httpOnly, so the token
 * comes from the login / session responses and is kept here for every write.
 */
let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** The one API client of the web app: same origin, session cookie, CSRF header on writes. */
export const api = createClient({ baseUrl: '', csrfToken: () => csrfToken });
