import type { ErrorCode } from '@opsloom/api';

const statusByCode: Record<ErrorCode, number> = {
  validation_failed: 400,
  malformed_json: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
};

/** The one error type services throw; the HTTP error handler maps it to the error shape. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = statusByCode[code];
  }
}

export const notFound = (what: string, key: string) => new AppError('not_found', `${what} not found: ${key}`);
export const conflict = (message: string, details?: unknown) => new AppError('conflict', message, details);
export const forbidden = (message = 'you are not allowed to do this') => new AppError('forbidden', message);
export const unauthenticated = (message = 'sign in or send a valid bearer token') => new AppError('unauthenticated', message);
export const invalid = (field: string, problem: string) =>
  new AppError('validation_failed', `${field}: ${problem}`, { issues: [{ path: field, message: problem }] });
