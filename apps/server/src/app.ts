import fs from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { operations } from '@opsloom/api';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { Histogram } from 'prom-client';
import type { Config } from './config.js';
import { createActivityService, registerActivityRoutes, StreamRegistry } from './modules/activity/index.js';
import { createCmdbServices, registerCmdbRoutes } from './modules/cmdb/index.js';
import { createEventsServices, impactOf, registerEventsRoutes, topologyFromCmdb } from './modules/events/index.js';
import { createIdentityServices, registerIdentityRoutes } from './modules/identity/index.js';
import { createIncidentsServices, registerIncidentsRoutes } from './modules/incidents/index.js';
import { registerSystemRoutes } from './modules/system/system.routes.js';
import { ActivityBus } from './platform/activity/activity-bus.js';
import { ActivitySpine } from './platform/activity/activity-spine.js';
import { PostgresActivityRelay } from './platform/activity/postgres-relay.js';
import type { DatabaseHandle } from './platform/db/database.js';
import { installErrorHandling } from './platform/http/error-handler.js';
import { parseJsonBody } from './platform/http/json-body.js';
import { CollectAfterBurst } from './platform/garbage-collection.js';
import { createMetricsRegistry, installMetrics } from './platform/http/metrics.js';
import type { Authenticator } from './platform/http/principal.js';
import { createOperationRegistrar } from './platform/http/register-operation.js';
import type { ModuleDeps } from './platform/module-deps.js';
import { OPSLOOM_VERSION } from './version.js';

export interface AppOptions {
  config: Config;
  database: DatabaseHandle;
  logger?: FastifyServerOptions['logger'];
}

export type Services = ReturnType<typeof createServices>;

function createServices(deps: ModuleDeps) {
  const identity = createIdentityServices(deps);
  const activity = createActivityService(deps, identity);
  const cmdb = createCmdbServices(deps, identity);
  // Correlation reads the CMDB graph through a small view of its own (modules/events/topology.ts).
  const topology = topologyFromCmdb(cmdb.graph);
  const incidents = createIncidentsServices(deps, identity, { impact: (rootId) => impactOf(topology, rootId) });
  const events = createEventsServices(deps, identity, incidents, topology, {
    correlation: { autoResolve: deps.config.incidentAutoResolve, windowMs: deps.config.correlationWindowMinutes * 60_000 },
    logRetentionDays: deps.config.intakeLogRetentionDays,
    alertRetentionDays: deps.config.alertRetentionDays,
    maxLagMs: deps.config.intakeMaxLagMs,
  });
  return { identity, activity, cmdb, incidents, events };
}

/** A collection after a burst waits for this long with no work in the process (docs/adr/0009). */
const COLLECT_WHEN_QUIET_MS = 2000;

/** Where the built web app is: OPSLOOM_WEB_DIR, else apps/web/dist beside this package. */
function resolveWebDir(config: Config): string | null {
  const candidate = config.webDir ?? path.resolve(import.meta.dirname, '../../web/dist');
  return fs.existsSync(path.join(candidate, 'index.html')) ? path.resolve(candidate) : null;
}

/**
 * Builds the whole server: storage is opened and migrated by the caller, so tests build
 * apps over their own databases and use `app.inject()` or a real listener.
 */
export async function buildApp(options: AppOptions): Promise<{ app: FastifyInstance; services: Services; bus: ActivityBus }> {
  const { config, database } = options;
  const app = Fastify({
    logger: options.logger ?? { level: config.logLevel },
    bodyLimit: config.bodyLimit,
    // Only behind a proxy that sets X-Forwarded-For may it be believed (audit IPs, sign-in limits).
    trustProxy: config.trustProxy,
    forceCloseConnections: true,
    routerOptions: { ignoreTrailingSlash: true },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('principal', null);
  // Only JSON bodies: Fastify's built-in text/plain parser would let a string through to
  // validation (a 400) where a wrong content type deserves a 415.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  installErrorHandling(app);
  await app.register(fastifyCookie);
  app.addHook('onSend', async (_request, reply) => {
    void reply.header('x-content-type-options', 'nosniff').header('referrer-policy', 'same-origin').header('x-frame-options', 'DENY');
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Opsloom API', version: OPSLOOM_VERSION, description: 'Collaborative IT operations management. Authenticate with `Authorization: Bearer <token>`.' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'An API token (`olt_…`) from Settings → API tokens or `opsloom admin create-token`' },
          session: { type: 'apiKey', in: 'cookie', name: 'opsloom_session' },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const bus = new ActivityBus();
  const spine = new ActivitySpine(bus);
  const registry = createMetricsRegistry();
  const collectionPause = new Histogram({
    name: 'opsloom_burst_collection_pause_seconds', help: 'How long each full collection after a burst of work paused the event loop (docs/adr/0009)',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: [registry],
  });
  const collector = new CollectAfterBurst(COLLECT_WHEN_QUIET_MS, (pauseMs) => {
    collectionPause.observe(pauseMs / 1000);
    app.log.info({ pauseMs: Math.round(pauseMs) }, 'collected the garbage of a burst of work');
  });
  const deps: ModuleDeps = { config, database, spine, bus, metrics: registry, collector };
  const services = createServices(deps);
  // Impact analysis answers from memory: the CMDB graph is loaded before the first request.
  await services.cmdb.graph.ready();
  const streams = new StreamRegistry(config.streamHeartbeatSeconds * 1000);
  const metrics = installMetrics(app, deps.metrics, { streamSubscribers: () => streams.size });
  const authenticate: Authenticator = (request) => services.identity.auth.authenticate(request);
  const { register, assertComplete } = createOperationRegistrar(app, authenticate);

  registerIdentityRoutes(register, services.identity, { secure: config.secureCookies });
  registerActivityRoutes(register, services.activity, bus, streams, authenticate);
  registerCmdbRoutes(register, services.cmdb);
  registerIncidentsRoutes(register, services.incidents);
  registerEventsRoutes(app, register, services.events, config.publicUrl);
  registerSystemRoutes(app, register, deps, services.identity, metrics, services.cmdb);
  assertComplete(operations);

  const webDir = resolveWebDir(config);
  if (webDir) {
    await app.register(fastifyStatic, { root: webDir, wildcard: false, index: false });
    const indexHtml = fs.readFileSync(path.join(webDir, 'index.html'), 'utf8');
    // Client-side routes (/teams/network, …) all answer the app's index page.
    app.get('/*', { schema: { hide: true } }, async (request, reply) => {
      const file = path.join(webDir, request.url.split('?')[0]);
      // With the separator: `/srv/dist/../dist-old/x` normalises to a sibling that merely shares the prefix.
      if (file.startsWith(webDir + path.sep) && fs.existsSync(file) && fs.statSync(file).isFile()) {
        return reply.header('cache-control', 'public, max-age=31536000, immutable').sendFile(path.relative(webDir, file));
      }
      if (request.url.startsWith('/api/')) return reply.callNotFound();
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(indexHtml);
    });
  } else {
    app.get('/', { schema: { hide: true } }, async (_request, reply) =>
      reply.type('text/html; charset=utf-8').send('<!doctype html><title>Opsloom</title><p>The web app is not built. Run <code>npm run build</code>.</p>'),
    );
  }

  let relay: PostgresActivityRelay | null = null;
  if (database.postgresUrl) {
    relay = new PostgresActivityRelay(database.postgresUrl, database.db, bus, app.log);
    await relay.start();
  }
  app.addHook('onReady', async () => services.events.start(app.log));
  app.addHook('preClose', async () => {
    await services.events.stop();
    collector.cancel();
    streams.closeAll();
    await relay?.stop();
  });

  return { app, services, bus };
}
