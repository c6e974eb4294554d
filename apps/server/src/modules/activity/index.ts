export { createActivityService, type ActivityService } from './activity.service.js';
export { registerActivityRoutes } from './activity.routes.js';
export { StreamRegistry } from './activity.stream.js';
