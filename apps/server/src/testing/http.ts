import type { Role } from '@opsloom/api';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import type { Database } from '../platform/db/schema.js';
import type { TestApp } from './test-app.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';

export interface CallOptions {
  /** Bearer token of this role's test user. */
  as?: Role;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string is sent as it is. */
  payload?: unknown;
}

export interface CallResult {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
  json<T = unknown>(): T;
}

/** One request through `app.inject()`, with a role's bearer token when `as` is given. */
export async function call(t: Pick<TestApp, 'app' | 'as'>, method: HttpMethod, url: string, options: CallOptions = {}): Promise<CallResult> {
  const headers: Record<string, string> = { ...(options.as ? t.as(options.as) : {}), ...options.headers };
  const payload = options.payload === undefined ? undefined : typeof options.payload === 'string' ? options.payload : JSON.stringify(options.payload);
  if (payload !== undefined && typeof options.payload !== 'string' && !Object.keys(headers).some((key) => key.toLowerCase() === 'content-type')) {
    headers['content-type'] = 'application/json';
  }
  const response = await t.app.inject({ method, url, headers, payload });
  return {
    status: response.statusCode,
    headers: response.headers,
    body: response.body,
    json: <T>() => JSON.parse(response.body) as T,
  };
}

export interface ErrorShape {
  error: { code: string; message: string; details?: unknown };
}

/** Asserts the `{"error": {"code", "message", "details"}}` shape and returns the error. */
export function expectError(result: CallResult, status: number, code: string, messagePattern?: RegExp): ErrorShape['error'] {
  expect(result.status, result.body).toBe(status);
  expect(String(result.headers['content-type'])).toMatch(/^application\/json/);
  const body = result.json<ErrorShape>();
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  expect(body.error.message.length).toBeGreaterThan(0);
  if (messagePattern) expect(body.error.message).toMatch(messagePattern);
  return body.error;
}

type CountedTable = 'activity' | 'teams' | 'users' | 'memberships' | 'sessions' | 'api_tokens' | 'follows' | 'inbox';

export async function countRows(db: Kysely<Database>, table: CountedTable): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Row counts of every table, to prove a rejected request wrote nothing. */
export async function snapshotCounts(db: Kysely<Database>): Promise<Record<CountedTable, number>> {
  const tables: CountedTable[] = ['activity', 'teams', 'users', 'memberships', 'sessions', 'api_tokens', 'follows', 'inbox'];
  const counts = {} as Record<CountedTable, number>;
  for (const table of tables) counts[table] = await countRows(db, table);
  return counts;
}

/** Activity rows newer than `afterId`, oldest first, straight from the table. */
export async function activitySince(db: Kysely<Database>, afterId: number) {
  return db.selectFrom('activity').selectAll().where('id', '>', afterId).orderBy('id', 'asc').execute();
}

export async function maxActivityId(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('activity')
    .select((eb) => eb.fn.max('id').as('max'))
    .executeTakeFirst();
  return Number(row?.max ?? 0);
}

export interface RouteEntry {
  method: string;
  url: string;
}

/**
 * Every route Fastify has registered, read from `printRoutes({ commonPrefix: false })`: each
 * tree line holds a path segment relative to its parent and the methods it answers.
 */
export function registeredRoutes(app: FastifyInstance): RouteEntry[] {
  const lines = app.printRoutes({ commonPrefix: false }).split('\n').filter((line) => line.trim() !== '');
  const stack: Array<{ depth: number; path: string }> = [];
  const routes: RouteEntry[] = [];
  for (const line of lines) {
    const match = /^([\s│├└─]*?)(?:[├└]── )?(\S+)(?: \(([^)]*)\))?$/.exec(line);
    if (!match) throw new Error(`cannot read route line: ${line}`);
    const depth = line.indexOf(match[2]);
    while (stack.length > 0 && stack[stack.length - 1].depth >= depth) stack.pop();
    const path = `${stack.length > 0 ? stack[stack.length - 1].path : ''}${match[2]}`;
    stack.push({ depth, path });
    for (const method of (match[3] ?? '').split(',').map((m) => m.trim()).filter(Boolean)) routes.push({ method, url: path });
  }
  return routes;
}

/** A message body of `size` bytes that is valid JSON for a team. */
export function oversizedTeamBody(size: number): string {
  const prefix = '{"slug":"big","name":"Big","description":"';
  return `${prefix}${'x'.repeat(size - prefix.length - 2)}"}`;
}

/** Reads Server-Sent Events from a fetch response body. */
export class SseReader {
  private buffer = '';
  private readonly decoder = new TextDecoder();
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  /** A read that outlived a timeout; its chunk must not be lost. */
  private pending: ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']> | null = null;
  readonly events: Array<{ id: string | null; event: string | null; data: string }> = [];

  constructor(body: ReadableStream<Uint8Array>) {
    this.reader = body.getReader();
  }

  /** Reads until `predicate` holds over the events received so far; fails after `timeoutMs`. */
  async until(predicate: (events: SseReader['events']) => boolean, timeoutMs = 5000): Promise<SseReader['events']> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.events)) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`SSE: condition not met in ${timeoutMs} ms; got ${this.events.length} events, the last ${JSON.stringify(this.events.slice(-5).map((e) => e.id))}`);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), remaining);
      });
      this.pending ??= this.reader.read();
      const chunk = await Promise.race([this.pending, timeout]);
      clearTimeout(timer);
      if (chunk === 'timeout') continue;
      this.pending = null;
      if (chunk.done) throw new Error('SSE: stream ended');
      this.buffer += this.decoder.decode(chunk.value, { stream: true });
      this.parse();
    }
    return this.events;
  }

  /** Waits `ms` and returns what arrived meanwhile (to show that nothing else came). */
  async drain(ms: number): Promise<SseReader['events']> {
    const start = this.events.length;
    try {
      await this.until(() => false, ms);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('SSE: condition')) throw error;
    }
    return this.events.slice(start);
  }

  private parse(): void {
    let end = this.buffer.indexOf('\n\n');
    while (end !== -1) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      let id: string | null = null;
      let event: string | null = null;
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'id') id = value;
        else if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
      }
      if (event !== null || data.length > 0) this.events.push({ id, event, data: data.join('\n') });
      end = this.buffer.indexOf('\n\n');
    }
  }

  async cancel(): Promise<void> {
    await this.reader.cancel().catch(() => undefined);
  }
}
