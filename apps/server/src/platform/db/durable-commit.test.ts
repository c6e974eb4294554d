import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type DatabaseHandle, openDatabase } from './database.js';
import { holdWalFlushes } from '../../testing/databases.js';
import { committedTransaction } from './durable-commit.js';
import { migrateToLatest } from './migrator.js';

describe('committedTransaction on SQLite at synchronous FULL', () => {
  let handle: DatabaseHandle | null = null;
  let dir = '';
  afterEach(async () => {
    await handle?.close();
    handle = null;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('commits, flushes the WAL before durable resolves, and leaves the connection at FULL', async () => {
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
    const rows = await Promise.all([1, 2, 3].map(async (n) => {
      const { result, durable } = await committedTransaction(handle!, (trx) => trx.insertInto('event_pipeline').values({ name: `t${n}`, processed_id: n, updated_at: n }).returning('name').execute());
      await durable;
      return result;
    }));
    expect(rows.flat().map((r) => r.name).sort()).toEqual(['t1', 't2', 't3']);
    expect(synced).toBe(3);
    expect((await sql<{ synchronous: number }>`pragma synchronous`.execute(handle.db)).rows[0].synchronous).toBe(2);
    await expect(committedTransaction(handle, async (trx) => {
      await trx.insertInto('event_pipeline').values({ name: 'rolled-back', processed_id: 0, updated_at: 0 }).execute();
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect((await sql<{ synchronous: number }>`pragma synchronous`.execute(handle.db)).rows[0].synchronous).toBe(2);
    expect(await handle.db.selectFrom('event_pipeline').select('name').where('name', '=', 'rolled-back').execute()).toEqual([]);
  });

  it('resolves committedTransaction at the commit, visible to readers, and its flush later', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsloom-durable-'));
    handle = openDatabase({ dataDir: dir, sqliteSynchronous: 'FULL' });
    await migrateToLatest(handle.db);
    const release = holdWalFlushes(handle);
    const { result, durable } = await committedTransaction(handle, (trx) => trx.insertInto('event_pipeline').values({ name: 'early', processed_id: 1, updated_at: 1 }).returning('name').execute());
    expect(result).toEqual([{ name: 'early' }]);
    expect(await handle.db.selectFrom('event_pipeline').select('name').where('name', '=', 'early').execute()).toEqual([{ name: 'early' }]);
    let flushed = false;
    void durable.then(() => (flushed = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(flushed).toBe(false);
    release();
    await durable;
    expect(flushed).toBe(true);
  });

  it('shares one WAL flush among the calls made while another runs, each after a flush that started after it', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsloom-durable-'));
    handle = openDatabase({ dataDir: dir, sqliteSynchronous: 'FULL' });
    await migrateToLatest(handle.db);
    await handle.syncWal!();
    // The syncer's descriptor is a FileHandle; count and slow down its flushes.
    const probe = await fs.promises.open(path.join(dir, 'probe'), 'w');
    const prototype = Object.getPrototypeOf(probe) as { datasync: (this: unknown) => Promise<void> };
    await probe.close();
    const started: number[] = [];
    const original = prototype.datasync;
    const spy = vi.spyOn(prototype, 'datasync').mockImplementation(async function (this: unknown) {
      started.push(performance.now());
      await new Promise((resolve) => setTimeout(resolve, 30));
      return original.call(this);
    });
    try {
      const first = handle.syncWal!();
      await new Promise((resolve) => setTimeout(resolve, 5));
      const calledAt = performance.now();
      const resolvedAt: number[] = [];
      await Promise.all([first, ...Array.from({ length: 9 }, () => handle!.syncWal!().then(() => resolvedAt.push(performance.now())))]);
      expect(started).toHaveLength(2);
      expect(started[1]).toBeGreaterThanOrEqual(calledAt);
      expect(resolvedAt).toHaveLength(9);
      await handle.syncWal!();
      expect(started).toHaveLength(3);
    } finally {
      spy.mockRestore();
    }
  });

  it('is a plain transaction at synchronous NORMAL', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsloom-durable-'));
    handle = openDatabase({ dataDir: dir, sqliteSynchronous: 'NORMAL' });
    expect(handle.syncWal).toBeNull();
  });
});
