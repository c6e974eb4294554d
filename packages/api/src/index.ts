export * from './contract.js';
export * from './common.js';
export * from './client.js';
export * from './identity/identity.schemas.js';
export * as identityApi from './identity/identity.operations.js';
export * from './activity/activity.schemas.js';
export * as activityApi from './activity/activity.operations.js';
export * from './system/system.operations.js';
export { operations } from './operations.js';
