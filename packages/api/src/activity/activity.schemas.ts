import { z } from 'zod';
import { id, timestamp } from '../common.js';
import { teamRef } from '../identity/identity.schemas.js';

export const subjectTypes = ['team', 'user', 'token', 'membership', 'session'] as const;
export const subjectType = z.string().min(1).max(40).describe(`Kind of thing acted on, e.g. ${subjectTypes.join(', ')}`);

export const actorRef = z
  .object({ id: z.string(), name: z.string(), handle: z.string() })
  .meta({ id: 'ActorRef' });

export const activity = z
  .object({
    id: z.string().describe('Monotonic record id'),
    occurredAt: timestamp,
    actor: actorRef.nullable().describe('Who did it; null for the system'),
    verb: z.string().describe('What was done, e.g. `team.created`'),
    subject: z.object({ type: subjectType, id: z.string(), label: z.string() }),
    team: teamRef.nullable().describe('Team the record belongs to, for per-team feeds'),
    summary: z.string().describe('One readable line'),
    data: z.record(z.string(), z.unknown()).describe('Details, e.g. the fields changed'),
  })
  .meta({ id: 'Activity' });
export type Activity = z.infer<typeof activity>;

export const auditEntry = activity
  .extend({
    ip: z.string().nullable().describe('Address the request came from'),
    userAgent: z.string().nullable(),
    via: z.enum(['session', 'token', 'system']).describe('How the actor was authenticated'),
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntry = z.infer<typeof auditEntry>;

export const followSubjectType = z.enum(['team', 'user']);
export const follow = z
  .object({ subjectType: followSubjectType, subjectId: id, label: z.string(), createdAt: timestamp })
  .meta({ id: 'Follow' });
export type Follow = z.infer<typeof follow>;
export const followBody = z.strictObject({ subjectType: followSubjectType, subjectId: id }).meta({ id: 'CreateFollow' });

export const inboxReason = z.enum(['mention', 'follow']);
export const inboxEntry = z
  .object({ id, reason: inboxReason, activity, readAt: timestamp.nullable(), createdAt: timestamp })
  .meta({ id: 'InboxEntry' });
export type InboxEntry = z.infer<typeof inboxEntry>;

