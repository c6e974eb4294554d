import { ApiError } from '@opsloom/api';
import { AppError, ConfigError } from '@opsloom/server';

/** Prints one readable line for an error and returns the exit code: 2 for bad input, 1 otherwise. */
export function reportError(error: unknown): number {
  if (error instanceof ConfigError) {
    process.stderr.write(`opsloom: ${error.message}\n`);
    return 2;
  }
  if (error instanceof AppError || error instanceof ApiError) {
    process.stderr.write(`opsloom: ${error.message}\n`);
    // Refused for overload: worth running again later, unlike bad input.
    return error.status < 500 && error.status !== 429 ? 2 : 1;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`opsloom: ${message}\n`);
  return 1;
}
