import { eventsApi, incidentsApi, intakeLimits } from '@opsloom/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errorAnswerOf } from '../../platform/http/error-handler.js';
import { actorOf } from '../../platform/http/principal.js';
import type { RegisterOperation } from '../../platform/http/register-operation.js';
import type { IntakeFormat } from './events.metrics.js';
import type { EventsServices } from './index.js';
import { pagerDutyThrottled } from './intake.service.js';

const intakeUrls = new Map<string, IntakeFormat>([[eventsApi.ingestAlertmanager.path, 'alertmanager'], [eventsApi.ingestEvents.path, 'generic']]);
const intakeBodyLimits = new Map<string, number>(
  [eventsApi.ingestAlertmanager, eventsApi.ingestEvents, eventsApi.enqueuePagerDuty].map((operation) => [operation.path, operation.bodyLimit ?? intakeLimits.maxBodyBytes]),
);

/** Where integrations should post: OPSLOOM_PUBLIC_URL, else the address this request came to. */
const baseUrlOf = (request: FastifyRequest, publicUrl: string | undefined) => (publicUrl ?? `${request.protocol}://${request.host}`).replace(/\/$/, '');

export function registerEventsRoutes(app: FastifyInstance, register: RegisterOperation, events: EventsServices, publicUrl: string | undefined): void {
  const { integrations, intake, alerts } = events;

  register(eventsApi.createIntegration, async ({ body, request }) => integrations.create(actorOf(request), body, baseUrlOf(request, publicUrl)));
  register(eventsApi.listIntegrations, async ({ request }) => ({ items: await integrations.list(baseUrlOf(request, publicUrl)) }));
  register(eventsApi.getIntegration, async ({ params, request }) => integrations.get(params.id, baseUrlOf(request, publicUrl)));
  register(eventsApi.deleteIntegration, async ({ params, request }) => {
    intake.forget(await integrations.remove(actorOf(request), params.id));
  });

  // Alertmanager's webhook receiver retries 5xx answers only (alertmanager-overload.real.test.ts).
  register(eventsApi.ingestAlertmanager, async ({ body, request }) => intake.alertmanager(request.headers.authorization, body), { overloadAs503: true });
  register(eventsApi.ingestEvents, async ({ body, request }) => intake.generic(request.headers.authorization, body));
  register(eventsApi.enqueuePagerDuty, async ({ body, reply }) => {
    const answer = await intake.pagerDuty(body);
    if (answer.httpStatus === 202) return answer.body;
    // PagerDuty clients expect PagerDuty's error shape, not Opsloom's `{"error": …}`.
    reply.hijack();
    reply.raw.writeHead(answer.httpStatus, {
      'content-type': 'application/json; charset=utf-8',
      ...(answer.httpStatus === 429 ? { 'retry-after': '1' } : {}),
    });
    reply.raw.end(JSON.stringify(answer.body));
    return answer.body;
  }, {
    // Bodies refused before the handler (malformed JSON, too large, wrong type) answer in PagerDuty's shape too.
    errorBody: (status, body) => {
      if (status >= 500) return body;
      events.metrics.rejected('pagerduty', status === 429 ? 'overloaded' : 'invalid');
      return status === 429 ? pagerDutyThrottled : { status: 'invalid event', message: 'Event object is invalid', errors: [body.error.message] };
    },
  });

  register(eventsApi.listAlerts, async ({ query }) => alerts.list(query));
  register(eventsApi.getNoise, async ({ query }) => alerts.noise(query.days));
  register(incidentsApi.listIncidentAlerts, async ({ params }) => alerts.ofIncident(params.id));
  register(incidentsApi.resolveIncident, async ({ params, body, request }) => events.resolveIncident(actorOf(request), params.id, body.note));

  // Before a batch's body is read: room for it among the bodies being received (in-flight-bodies.ts).
  app.addHook('onRequest', async (request, reply) => {
    const bodyLimit = intakeBodyLimits.get(request.routeOptions.url ?? '');
    if (bodyLimit === undefined) return;
    const declared = Number(request.headers['content-length']);
    const bytes = Number.isFinite(declared) && declared > 0 ? Math.min(declared, bodyLimit) : bodyLimit;
    events.inFlight.reserve(bytes);
    reply.raw.once('close', () => events.inFlight.release(bytes));
  });

  // Invalid intake requests count against their integration ("errors" and "last error" in
  // the UI), including those Fastify rejects before a handler runs (schema, size). Recorded
  // one after another, in the order they were answered: the last error is the last answered.
  let recording: Promise<void> = Promise.resolve();
  app.addHook('onResponse', async (request, reply) => {
    const format = intakeUrls.get(request.routeOptions.url ?? '');
    if (reply.statusCode < 400 || !format) return;
    // (PagerDuty's endpoint answers in its own shape, outside this hook; intake counts those.)
    const answer = errorAnswerOf(request);
    const overloaded = reply.statusCode === 429 || answer?.error.code === 'unavailable';
    if (reply.statusCode === 401) events.metrics.rejected(format, 'unauthenticated');
    else if (overloaded) events.metrics.rejected(format, 'overloaded');
    else if (reply.statusCode < 500) events.metrics.rejected(format, 'invalid');
    // A 401 names no integration; overload or a 5xx is not the sender's fault.
    if (reply.statusCode === 401 || overloaded || reply.statusCode >= 500) return;
    const key = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? null;
    const message = `${reply.statusCode}: ${answer?.error.message ?? 'rejected'}`;
    const at = Date.now();
    recording = recording.then(async () => {
      try {
        const integration = await intake.integrationByKey(key);
        if (integration) await integrations.recordError(integration.id, message, at);
      } catch (error) {
        // A statistic: never worth an unhandled error (e.g. while the server shuts down).
        request.log.warn({ err: error }, 'could not count an intake error');
      }
    });
    await recording;
  });
}
