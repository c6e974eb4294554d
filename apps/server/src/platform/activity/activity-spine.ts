import { sql } from 'kysely';
import { now } from '../ids.js';
import type { UnitOfWork } from '../db/unit-of-work.js';
import type { ActivityBus } from './activity-bus.js';
import { type ActivityRow, decodeActivityRow } from './activity-row.js';

export const ACTIVITY_CHANNEL = 'opsloom_activity';

/** Who did something, as the activity record and the audit log keep it. */
export interface Actor {
  id: string | null;
  name: string | null;
  handle: string | null;
  via: 'session' | 'token' | 'system';
  ip: string | null;
  userAgent: string | null;
}

export const systemActor: Actor = { id: null, name: 'Opsloom', handle: null, via: 'system', ip: null, userAgent: null };

export interface ActivityInput {
  verb: string;
  subject: { type: string; id: string; label: string };
  team?: { id: string; slug: string; name: string } | null;
  summary: string;
  data?: Record<string, unknown>;
  /** Free text written by the actor; `@handle` mentions in it notify those people. */
  mentionText?: string[];
}

/** Work done inside the writing transaction for each record, e.g. inbox fan-out. */
export type ActivityProcessor = (uow: UnitOfWork, row: ActivityRow, input: ActivityInput) => Promise<void>;

/**
 * The activity spine: every write calls `record` inside its own transaction, so the
 * record commits or rolls back with the change it describes.
 */
export class ActivitySpine {
  private readonly processors: ActivityProcessor[] = [];

  constructor(private readonly bus: ActivityBus) {}

  addProcessor(processor: ActivityProcessor): void {
    this.processors.push(processor);
  }

  async record(uow: UnitOfWork, actor: Actor, input: ActivityInput): Promise<ActivityRow> {
    const stored = await uow.trx
      .insertInto('activity')
      .values({
        occurred_at: now(),
        actor_id: actor.id,
        actor_name: actor.name,
        actor_handle: actor.handle,
        via: actor.via,
        verb: input.verb,
        subject_type: input.subject.type,
        subject_id: input.subject.id,
        subject_label: input.subject.label.slice(0, 300),
        team_id: input.team?.id ?? null,
        team_slug: input.team?.slug ?? null,
        team_name: input.team?.name ?? null,
        summary: input.summary.slice(0, 500),
        data: JSON.stringify(input.data ?? {}),
        ip: actor.ip,
        user_agent: actor.userAgent?.slice(0, 300) ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const row = decodeActivityRow(stored);
    for (const processor of this.processors) await processor(uow, row, input);
    if (uow.kind === 'postgres') {
      // NOTIFY is transactional: every instance (this one included) hears it only on commit.
      await sql`select pg_notify(${ACTIVITY_CHANNEL}, ${String(row.id)})`.execute(uow.trx);
    } else {
      uow.afterCommit(() => this.bus.publish(row));
    }
    return row;
  }
}
