import * as activityOperations from './activity/activity.operations.js';
import * as cmdbOperations from './cmdb/cmdb.operations.js';
import type { Operation } from './contract.js';
import * as eventsOperations from './events/events.operations.js';
import * as identityOperations from './identity/identity.operations.js';
import * as incidentsOperations from './incidents/incidents.operations.js';
import { getVersion, search } from './system/system.operations.js';

function collect(...groups: Record<string, unknown>[]): Operation[] {
  return groups.flatMap((group) => Object.values(group).filter(isOperation));
}

function isOperation(value: unknown): value is Operation {
  return typeof value === 'object' && value !== null && 'method' in value && 'path' in value && 'access' in value;
}

/** Every operation of the API: the server registers each, the route × role test walks them. */
export const operations: readonly Operation[] = collect(identityOperations, activityOperations, { getVersion, search }, cmdbOperations, eventsOperations, incidentsOperations);
