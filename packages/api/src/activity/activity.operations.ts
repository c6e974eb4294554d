import { z } from 'zod';
import { cursorQuery, id, limitQuery, noContent, page } from '../common.js';
import { access, defineOperation } from '../contract.js';
import { activity, auditEntry, follow, followBody, followSubjectType, inboxEntry } from './activity.schemas.js';

const tag = 'Activity';

export const activityFilters = z.object({
  team: z.string().max(100).optional().describe('Team id or slug'),
  subject: z.string().max(100).optional().describe('Subject id'),
  subjectType: z.string().max(40).optional().describe('Subject type, e.g. `team`'),
  actor: z.string().max(254).optional().describe('Actor user id or handle'),
  following: z.stringbool().optional().describe('Only records about teams and people you follow'),
});

export const listActivity = defineOperation({
  id: 'listActivity', method: 'GET', path: '/api/v1/activity', tag, status: 200, access: access.signedIn,
  summary: 'The activity stream, newest first',
  query: activityFilters.extend({ limit: limitQuery, cursor: cursorQuery }),
  response: page(activity),
});

export const streamActivity = defineOperation({
  id: 'streamActivity', method: 'GET', path: '/api/v1/stream', tag, status: 200, access: access.signedIn,
  summary: 'Live activity as Server-Sent Events (`event: activity`, `data`: an Activity). Send `Last-Event-ID` to resume.',
  query: activityFilters.extend({ lastEventId: z.string().max(20).optional().describe('Resume after this id (for clients that cannot send the `Last-Event-ID` header)') }),
  produces: 'text/event-stream',
  response: z.string().describe('text/event-stream'),
});

export const listAudit = defineOperation({
  id: 'listAudit', method: 'GET', path: '/api/v1/audit', tag, status: 200, access: access.admins,
  summary: 'The audit log: who did what, when and from where. It is append-only.',
  query: z.object({
    actor: z.string().max(254).optional().describe('Actor user id or handle'),
    verb: z.string().max(80).optional().describe('Exact verb or a prefix ending in `.`, e.g. `token.`'),
    limit: limitQuery, cursor: cursorQuery,
  }),
  response: page(auditEntry),
});

export const listFollows = defineOperation({
  id: 'listFollows', method: 'GET', path: '/api/v1/follows', tag, status: 200, access: access.signedIn,
  summary: 'Teams and people you follow', response: z.object({ items: z.array(follow) }),
});
export const createFollow = defineOperation({
  id: 'createFollow', method: 'POST', path: '/api/v1/follows', tag, status: 201, access: access.signedIn,
  summary: 'Follow a team or a person: their activity lands in your inbox', body: followBody, response: follow,
});
export const deleteFollow = defineOperation({
  id: 'deleteFollow', method: 'DELETE', path: '/api/v1/follows/{subjectType}/{subjectId}', tag, status: 204, access: access.signedIn,
  summary: 'Stop following', params: z.object({ subjectType: followSubjectType, subjectId: id }), response: noContent,
});

export const listInbox = defineOperation({
  id: 'listInbox', method: 'GET', path: '/api/v1/inbox', tag, status: 200, access: access.signedIn,
  summary: 'Your notifications: mentions and activity of what you follow',
  query: z.object({ unread: z.stringbool().optional(), limit: limitQuery, cursor: cursorQuery }),
  response: page(inboxEntry).extend({ unreadCount: z.number().int() }),
});
export const markInboxRead = defineOperation({
  id: 'markInboxRead', method: 'POST', path: '/api/v1/inbox/read', tag, status: 200, access: access.signedIn,
  summary: 'Mark entries read (all of yours when `ids` is omitted)',
  body: z.strictObject({ ids: z.array(id).max(500).optional() }),
  response: z.object({ updated: z.number().int() }),
});
