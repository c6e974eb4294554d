/**
 * The SQLite writer thread (docs/adr/0009-sqlite-writer-thread.md): a second connection to
 * the database file that runs the statements the main thread sends it, one at a time, in
 * arrival order. Self-contained on purpose (node built-ins and better-sqlite3 only): it is
 * loaded as a worker from source in tests and from dist in production.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { BatchStatement, WriterReply, WriterRequest } from './sqlite-writer-protocol.js';

const { file, synchronous } = workerData as { file: string; synchronous: string };
const db = new Database(file);
db.pragma('journal_mode = WAL');
// At FULL a commit fsyncs the WAL here, on this thread: whoever waits for it is answered
// only once it is on disk, and the main thread never blocks on the disk.
db.pragma(`synchronous = ${synchronous}`);
db.pragma('foreign_keys = ON');
db.pragma('busy_timeout = 10000');
// Checkpoints run between transactions instead (maybeCheckpoint), never inside a commit.
db.pragma('wal_autocheckpoint = 0');

const statements = new Map<string, Database.Statement>();
const decoder = new TextDecoder();
let lastCheckpoint = Date.now();
const CHECKPOINT_EVERY_MS = 250;

function prepared(sql: string): Database.Statement {
  let statement = statements.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    // Bulk statements differ by shape only; a bounded cache keeps memory flat.
    if (statements.size > 500) statements.clear();
    statements.set(sql, statement);
  }
  return statement;
}

function handle(request: WriterRequest): WriterReply {
  switch (request.op) {
    case 'query': {
      const statement = prepared(request.sql);
      const parameters = request.parameters instanceof Uint8Array ? (JSON.parse(decoder.decode(request.parameters)) as unknown[]) : request.parameters;
      if (statement.reader) return { id: request.id, rows: statement.all(parameters) as Array<Record<string, unknown>> };
      const { changes, lastInsertRowid } = statement.run(parameters);
      return { id: request.id, rows: [], changes, lastInsertRowid: Number(lastInsertRowid) };
    }
    case 'batch': {
      // Stops at the first failure; the answer is the last statement's result.
      let reply: WriterReply = { id: request.id, rows: [] };
      for (const { sql, parameters } of JSON.parse(decoder.decode(request.statements)) as BatchStatement[]) {
        const statement = prepared(sql);
        if (statement.reader) reply = { id: request.id, rows: statement.all(parameters) as Array<Record<string, unknown>> };
        else {
          const { changes, lastInsertRowid } = statement.run(parameters);
          reply = { id: request.id, rows: [], changes, lastInsertRowid: Number(lastInsertRowid) };
        }
      }
      return reply;
    }
    case 'close':
      db.close();
      return { id: request.id, rows: [] };
  }
}

/**
 * PASSIVE checkpoints between transactions, at most every 250 ms: they copy the WAL into the
 * database file without waiting for readers, and keep the WAL from growing without bound.
 */
function maybeCheckpoint(): void {
  if (db.inTransaction || !db.open || Date.now() - lastCheckpoint < CHECKPOINT_EVERY_MS) return;
  lastCheckpoint = Date.now();
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or interrupted: the next one catches up.
  }
}

parentPort?.on('message', (request: WriterRequest) => {
  let reply: WriterReply;
  try {
    reply = handle(request);
  } catch (error) {
    const { message, code } = error as { message?: string; code?: string };
    reply = { id: request.id, rows: [], error: { message: message ?? String(error), code: code ?? null } };
  }
  parentPort?.postMessage(reply);
  if (request.op === 'close') process.exit(0);
  maybeCheckpoint();
});
