import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The Prometheus registry of one app (tests build many apps in one process), with Node's default metrics. */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'opsloom_' });
  return registry;
}

/** HTTP and live-stream metrics on the app's registry; modules add theirs (e.g. events.metrics.ts). */
export function installMetrics(app: FastifyInstance, registry: Registry, gauges: { streamSubscribers: () => number }): Registry {
  const requests = new Counter({
    name: 'opsloom_http_requests_total', help: 'HTTP requests by route, method and status',
    labelNames: ['route', 'method', 'status'] as const, registers: [registry],
  });
  const duration = new Histogram({
    name: 'opsloom_http_request_duration_seconds', help: 'HTTP request duration by route',
    labelNames: ['route', 'method'] as const, buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: [registry],
  });
  new Gauge({
    name: 'opsloom_stream_subscribers', help: 'Open live-stream (SSE) connections', registers: [registry],
    collect() {
      this.set(gauges.streamSubscribers());
    },
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ route, method: request.method, status: String(reply.statusCode) });
    duration.observe({ route, method: request.method }, reply.elapsedTime / 1000);
  });
  return registry;
}
