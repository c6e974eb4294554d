import type { ActivityRow } from '../../platform/activity/activity-row.js';
import type { Principal } from '../../platform/http/principal.js';

/**
 * Who may see an activity record. Staff see the whole organisation's stream — that is
 * the point of Opsloom; requesters (end users) see only what they did themselves.
 * Later modules extend this (e.g. incidents on services a requester uses).
 */
export function canSeeActivity(principal: Pick<Principal, 'role' | 'userId'>, row: ActivityRow): boolean {
  if (principal.role !== 'requester') return true;
  return row.actor_id === principal.userId;
}

/** The same rule as a list filter, so lists and the live stream agree. */
export function activityScopeFor(principal: Principal): { onlyActorId?: string } {
  return principal.role === 'requester' ? { onlyActorId: principal.userId } : {};
}
