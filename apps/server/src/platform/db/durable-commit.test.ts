import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from './database.js';
import { durableTransaction } from './durable-commit.js';
import { migrateToLatest } from './migrator.js';

describe('durableTransaction on SQLite at synchronous FULL', () => {
  let handle: DatabaseHandle | null = null;
  let dir = '';
  afterEach(async () => {
    await handle?.close();
    handle = null;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('commits, syncs the WAL before resolving, and leaves the connection at FULL', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsloom-durable-'));
    handle = openDatabase({ dataDir: dir, sqliteSynchronous: 'FULL' });
    await migrateToLatest(handle.db);
    expect(handle.syncWal).not.toBeNull();
    let synced = 0;
    const sync = handle.syncWal!;
    handle.syncWal = async () => {
      await sync();
      synced++;
    };
    const rows = await Promise.all([1, 2, 3].map((n) =>
      durableTransaction(handle!, (trx) => trx.insertInto('event_pipeline').values({ name: `t${n}`, processed_id: n, updated_at: n }).returning('name').execute())));
    expect(rows.flat().map((r) => r.name).sort()).toEqual(['t1', 't2', 't3']);
    expect(synced).toBe(3);
    expect((await sql<{ synchronous: number }>`pragma synchronous`.execute(handle.db)).rows[0].synchronous).toBe(2);
    await expect(durableTransaction(handle, async (trx) => {
      await trx.insertInto('event_pipeline').values({ name: 'rolled-back', processed_id: 0, updated_at: 0 }).execute();
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect((await sql<{ synchronous: number }>`pragma synchronous`.execute(handle.db)).rows[0].synchronous).toBe(2);
    expect(await handle.db.selectFrom('event_pipeline').select('name').where('name', '=', 'rolled-back').execute()).toEqual([]);
  });

  it('is a plain transaction at synchronous NORMAL', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsloom-durable-'));
    handle = openDatabase({ dataDir: dir, sqliteSynchronous: 'NORMAL' });
    expect(handle.syncWal).toBeNull();
  });
});
