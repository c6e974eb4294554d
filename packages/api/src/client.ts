import type { ErrorBody } from './common.js';
import type { Operation, OperationInput, OperationResult } from './contract.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** From a refusal's `Retry-After` (429, 503): when the server expects to take the request. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ClientOptions {
  /** Origin of the Opsloom server, e.g. `http://localhost:8080`; empty for same-origin. */
  baseUrl: string;
  /** API token for scripts and the CLI. */
  token?: string;
  /** The session's CSRF token, for the web app's writes. */
  csrfToken?: () => string | null;
  fetch?: typeof fetch;
}

/** A path or query value as text; objects have no URL form and would become "[object Object]". */
function urlValue(name: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return value.toISOString();
  throw new Error(`parameter ${name}: cannot put a ${typeof value} in a URL`);
}

export function buildPath(path: string, params: Record<string, unknown> | undefined): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === null) throw new Error(`missing path parameter ${name}`);
    return encodeURIComponent(urlValue(name, value));
  });
}

export function buildQuery(query: Record<string, unknown> | undefined): string {
  if (!query) return '';
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, urlValue(key, value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export type ApiClient = ReturnType<typeof createClient>;

/** The typed client used by the web app and the CLI: `client.call(createTeam, { body })`. */
export function createClient(options: ClientOptions) {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);

  async function call<T extends Operation>(operation: T, input: OperationInput<T>): Promise<OperationResult<T>> {
    const parts = input as { params?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown };
    const url = `${options.baseUrl}${buildPath(operation.path, parts.params)}${buildQuery(parts.query)}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const csrf = options.csrfToken?.();
    if (csrf && operation.method !== 'GET') headers['x-csrf-token'] = csrf;
    let body: string | undefined;
    if (parts.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(parts.body);
    }
    const response = await doFetch(url, { method: operation.method, headers, body, credentials: 'same-origin' });
    if (response.status === 204) return undefined as OperationResult<T>;
    const text = await response.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (!response.ok) {
      const error = (parsed as Partial<ErrorBody> | undefined)?.error;
      const retryAfter = Number(response.headers.get('retry-after') ?? Number.NaN);
      throw new ApiError(response.status, error?.code ?? 'http_error', error?.message ?? `HTTP ${response.status}`, error?.details, Number.isFinite(retryAfter) ? retryAfter : undefined);
    }
    return parsed as OperationResult<T>;
  }

  return { call, options };
}
