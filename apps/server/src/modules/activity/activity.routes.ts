import { activityApi } from '@opsloom/api';
import type { ActivityBus } from '../../platform/activity/activity-bus.js';
import { invalid } from '../../platform/errors.js';
import { actorOf, type Authenticator } from '../../platform/http/principal.js';
import type { RegisterOperation } from '../../platform/http/register-operation.js';
import type { ActivityService } from './activity.service.js';
import { serveStream, type StreamRegistry } from './activity.stream.js';

function parseLastEventId(header: string | string[] | undefined, query: string | undefined): number | null {
  const value = typeof header === 'string' ? header : query;
  if (value === undefined || value === '') return null;
  if (!/^\d{1,15}$/.test(value)) throw invalid('last-event-id', 'must be an activity id');
  return Number(value);
}

export function registerActivityRoutes(
  register: RegisterOperation,
  activity: ActivityService,
  bus: ActivityBus,
  streams: StreamRegistry,
  authenticate: Authenticator,
): void {
  register(activityApi.listActivity, async ({ principal, query }) => activity.list(principal, query));

  register(activityApi.streamActivity, async ({ principal, query, request, reply }) => {
    const filter = await activity.resolveFilter(principal, query);
    const lastEventId = parseLastEventId(request.headers['last-event-id'], query.lastEventId);
    let followed = null;
    if (query.following) {
      const follows = await activity.follows(principal);
      followed = {
        teamIds: new Set(follows.filter((f) => f.subjectType === 'team').map((f) => f.subjectId)),
        userIds: new Set(follows.filter((f) => f.subjectType === 'user').map((f) => f.subjectId)),
      };
    }
    await serveStream(reply, { principal, filter, followed }, bus, streams, {
      lastEventId,
      catchUp: (afterId, limit) => activity.since(filter, afterId, limit),
      stillAuthorized: async () => (await authenticate(request).catch(() => null))?.userId === principal.userId,
    });
    return '';
  });

  register(activityApi.listAudit, async ({ query }) => activity.audit(query));

  register(activityApi.listFollows, async ({ principal }) => ({ items: await activity.follows(principal) }));
  register(activityApi.createFollow, async ({ principal, body, request }) => activity.follow(principal, actorOf(request), body.subjectType, body.subjectId));
  register(activityApi.deleteFollow, async ({ principal, params, request }) => activity.unfollow(principal, actorOf(request), params.subjectType, params.subjectId));

  register(activityApi.listInbox, async ({ principal, query }) => activity.inbox(principal, query));
  register(activityApi.markInboxRead, async ({ principal, body }) => ({ updated: await activity.markRead(principal, body.ids) }));
}
