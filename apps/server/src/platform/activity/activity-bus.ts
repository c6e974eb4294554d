import type { ActivityRow } from './activity-row.js';

export type ActivityListener = (row: ActivityRow) => void;

/**
 * In-process fan-out of committed activity records to live subscribers (SSE streams,
 * later webhooks and correlation). Records reach it after commit: directly on SQLite,
 * through PostgreSQL LISTEN/NOTIFY when several server processes share a database.
 */
export class ActivityBus {
  private readonly listeners = new Set<ActivityListener>();

  subscribe(listener: ActivityListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }

  publish(row: ActivityRow): void {
    for (const listener of this.listeners) {
      try {
        listener(row);
      } catch {
        // One broken subscriber must not starve the others; subscribers log their own failures.
      }
    }
  }
}
