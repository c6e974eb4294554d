import type { FastifyReply } from 'fastify';
import type { ActivityBus } from '../../platform/activity/activity-bus.js';
import type { ActivityRow } from '../../platform/activity/activity-row.js';
import type { Principal } from '../../platform/http/principal.js';
import { presentActivity } from './activity.presenter.js';
import { canSeeActivity } from './activity.policy.js';
import type { ActivityFilter } from './activity.repo.js';

/** A subscriber this far behind is cut off rather than buffering without bound; it reconnects and resumes. */
export const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const CATCH_UP_LIMIT = 500;

/** One JSON encoding per record, however many subscribers it reaches. */
const frames = new WeakMap<ActivityRow, string>();
function frameOf(row: ActivityRow): string {
  let frame = frames.get(row);
  if (!frame) {
    frame = `id: ${row.id}\nevent: activity\ndata: ${JSON.stringify(presentActivity(row))}\n\n`;
    frames.set(row, frame);
  }
  return frame;
}

export interface StreamSubscription {
  principal: Principal;
  filter: Omit<ActivityFilter, 'limit'>;
  /** Subject ids the subscriber follows, when the stream is restricted to them. */
  followed: { teamIds: Set<string>; userIds: Set<string> } | null;
}

export function matchesSubscription(subscription: StreamSubscription, row: ActivityRow): boolean {
  const { filter, followed } = subscription;
  if (!canSeeActivity(subscription.principal, row)) return false;
  if (filter.teamId && row.team_id !== filter.teamId) return false;
  if (filter.subjectId && row.subject_id !== filter.subjectId) return false;
  if (filter.subjectType && row.subject_type !== filter.subjectType) return false;
  if (filter.actorId && row.actor_id !== filter.actorId) return false;
  if (followed) {
    const viaTeam = row.team_id !== null && followed.teamIds.has(row.team_id);
    const viaActor = row.actor_id !== null && followed.userIds.has(row.actor_id);
    const viaSubject = row.subject_type === 'user' && followed.userIds.has(row.subject_id);
    if (!viaTeam && !viaActor && !viaSubject) return false;
  }
  return true;
}

/** Open SSE connections, so shutdown can end them instead of waiting on them. */
export class StreamRegistry {
  private readonly open = new Set<FastifyReply>();

  /** How often each stream sends a keep-alive comment and re-checks its credentials. */
  constructor(readonly heartbeatMs = 20_000) {}
  get size(): number {
    return this.open.size;
  }
  add(reply: FastifyReply): void {
    this.open.add(reply);
  }
  delete(reply: FastifyReply): void {
    this.open.delete(reply);
  }
  closeAll(): void {
    for (const reply of this.open) reply.raw.end();
    this.open.clear();
  }
}

/**
 * Serves one Server-Sent-Events connection: catch up from `Last-Event-ID`, then live
 * records as the bus delivers them. Live records that arrive during catch-up are held
 * and de-duplicated by id, so a reconnecting client misses nothing and sees nothing twice.
 */
export async function serveStream(
  reply: FastifyReply,
  subscription: StreamSubscription,
  bus: ActivityBus,
  registry: StreamRegistry,
  options: {
    lastEventId: number | null;
    catchUp: (afterId: number, limit: number) => Promise<ActivityRow[]>;
    /** Re-checks the subscriber's credentials; a revoked token or a disabled user loses the stream. */
    stillAuthorized: () => Promise<boolean>;
  },
): Promise<void> {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  raw.write('retry: 3000\n: connected\n\n');
  registry.add(reply);

  let held: ActivityRow[] | null = options.lastEventId !== null ? [] : null;
  let lastSentId = options.lastEventId ?? 0;
  const send = (row: ActivityRow) => {
    if (raw.destroyed) return;
    if (row.id <= lastSentId && options.lastEventId !== null) return;
    lastSentId = Math.max(lastSentId, row.id);
    raw.write(frameOf(row));
    if (raw.writableLength > MAX_BUFFERED_BYTES) raw.destroy();
  };
  const unsubscribe = bus.subscribe((row) => {
    if (!matchesSubscription(subscription, row)) return;
    if (held) held.push(row);
    else send(row);
  });
  const heartbeat = setInterval(() => {
    options.stillAuthorized().then(
      (ok) => (ok ? raw.write(': ping\n\n') : raw.end()),
      () => raw.end(),
    );
  }, registry.heartbeatMs);
  raw.on('close', () => {
    clearInterval(heartbeat);
    unsubscribe();
    registry.delete(reply);
  });

  if (options.lastEventId !== null) {
    // Batch after batch until caught up: stopping after one would skip straight to the
    // held live records and leave a silent gap. A client too far behind is cut off by the
    // buffer limit in `send` and resumes from what it got.
    let afterId = options.lastEventId;
    for (;;) {
      const missed = await options.catchUp(afterId, CATCH_UP_LIMIT);
      for (const row of missed) if (canSeeActivity(subscription.principal, row)) send(row);
      if (missed.length < CATCH_UP_LIMIT || raw.destroyed) break;
      afterId = missed[missed.length - 1].id;
    }
    const pending = held ?? [];
    held = null;
    for (const row of pending) send(row);
  }
}
