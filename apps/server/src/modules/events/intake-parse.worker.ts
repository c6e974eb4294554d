/**
 * An intake thread (intake-parser.ts): parses batch bodies off the main thread and answers
 * with the normalised alerts as a flat batch (alert-batch.ts) and as that batch's JSON, which
 * is what the intake log stores.
 */
import { parentPort } from 'node:worker_threads';
import { type FlatBatch, flattenBatch } from './alert-batch.js';
import { type IntakeKind, parseIntake } from './intake-parse.js';

export interface ParseRequest { id: number; kind: IntakeKind; text: string; arrival: number }
export type ParseReply =
  | { id: number; ok: true; flat: FlatBatch; body: string }
  | { id: number; ok: false; error: { code: string; message: string; details?: unknown } };

parentPort?.on('message', (request: ParseRequest) => {
  let reply: ParseReply;
  try {
    const parsed = parseIntake(request.kind, request.text, request.arrival);
    if (parsed.ok) {
      const flat = flattenBatch(parsed.alerts);
      reply = { id: request.id, ok: true, flat, body: JSON.stringify(flat) };
    } else reply = { id: request.id, ...parsed };
  } catch (error) {
    reply = { id: request.id, ok: false, error: { code: 'internal', message: (error as Error).message ?? String(error) } };
  }
  parentPort?.postMessage(reply);
});
