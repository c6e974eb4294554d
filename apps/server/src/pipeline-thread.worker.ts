/**
 * The alert pipeline thread's entry point (modules/events/pipeline-thread.ts, ADR 0010): its
 * own connection to the SQLite database, the modules' services over it, the intake log's
 * appends and the pipeline. Answers the main thread's requests in the order they came.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Fastify from 'fastify';
import type { FromPipelineThread, PipelineThreadData, ToPipelineThread } from './modules/events/pipeline-thread-protocol.js';
import { ActivityBus } from './platform/activity/activity-bus.js';
import { ActivitySpine } from './platform/activity/activity-spine.js';
import { openDatabase } from './platform/db/database.js';
import type { ModuleDeps } from './platform/module-deps.js';
import { createServices } from './services.js';

if (!parentPort) throw new Error('pipeline-thread.worker: run as a worker thread');
const port = parentPort;
const post = (message: FromPipelineThread) => port.postMessage(message);
const { config, database } = workerData as PipelineThreadData;

// Same log format and level as the main thread's, on the same standard output.
const logger = Fastify({ logger: { level: config.logLevel, base: { thread: 'pipeline' } } }).log;
const handle = openDatabase(database);
const bus = new ActivityBus();
const deps: ModuleDeps = { config, database: handle, spine: new ActivitySpine(bus), bus };
const services = createServices(deps, { onPipelineThread: true });
const log = services.events.intakeLog;
// The main thread enforces the backlog limit; it counts what it sent here.
log.maxBacklog = Number.POSITIVE_INFINITY;
log.onProcessed = (processedId, alerts) => post({ op: 'progress', processedId, alerts });

let fromMain = false;
bus.subscribe((row) => {
  if (!fromMain) post({ op: 'activity', row });
});

const ready = (async () => {
  await services.cmdb.graph.ready();
  await services.events.start(logger);
  post({ op: 'ready', processedId: services.events.pipeline?.processedId ?? 0 });
})();

async function answer(request: Exclude<ToPipelineThread, { op: 'activity' }>): Promise<number | null> {
  switch (request.op) {
    case 'append':
      return log.append(request.integrationId, JSON.parse(request.body) as Parameters<typeof log.append>[1], request.receivedAt, request.body);
    case 'command':
      return log.appendCommand(request.command);
    case 'drain':
      await services.events.drained();
      return null;
    case 'close':
      await services.events.stop();
      services.cmdb.graph.stop();
      await handle.close();
      return null;
  }
}

port.on('message', (request: ToPipelineThread) => {
  if (request.op === 'activity') {
    fromMain = true;
    try {
      bus.publish(request.row);
    } finally {
      fromMain = false;
    }
    return;
  }
  // Appends are queued in arrival order: every request waits for the same start-up, then runs in turn.
  void ready
    .then(() => answer(request))
    .then(
      (logId) => post({ op: 'done', id: request.id, logId }),
      (error: unknown) => {
        const { message, code } = error as { message?: string; code?: string };
        post({ op: 'failed', id: request.id, error: { message: message ?? String(error), code: code ?? null } });
      },
    )
    .finally(() => {
      if (request.op === 'close') port.close();
    });
});
