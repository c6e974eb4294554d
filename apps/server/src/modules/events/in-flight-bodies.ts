import { AppError } from '../../platform/errors.js';

/** Intake request bodies being received or parsed at once, per process (docs/adr/0005). */
export const DEFAULT_MAX_IN_FLIGHT_BYTES = 64 * 1024 * 1024;

/**
 * Bounds the memory intake requests hold before they are answered: a 5 MiB batch takes
 * several times that once parsed, so a flood of large batches would otherwise exhaust the
 * heap long before the backlog limit applies. A request that does not fit is answered 429
 * with `Retry-After` before its body is read. Counted by declared length (the route's body
 * limit when none is declared) and released when its connection finishes or drops.
 */
export class InFlightBodies {
  bytes = 0;

  constructor(public limit = DEFAULT_MAX_IN_FLIGHT_BYTES) {}

  /** Reserves `bytes` or throws the 429; `release` must be called once for a reservation. */
  reserve(bytes: number): void {
    // One request alone always fits: a lone large batch within the body limit is never refused.
    if (this.bytes > 0 && this.bytes + bytes > this.limit) {
      throw new AppError('rate_limited', `intake is receiving ${Math.round(this.bytes / 1024)} KiB of batches already; retry after a second`, { inFlightBytes: this.bytes });
    }
    this.bytes += bytes;
  }

  release(bytes: number): void {
    this.bytes = Math.max(0, this.bytes - bytes);
  }
}
