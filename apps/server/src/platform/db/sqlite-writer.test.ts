import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { insertRows } from './bulk-sql.js';
import { type DatabaseHandle, openDatabase } from './database.js';
import { isUniqueViolation } from './errors.js';
import { migrateToLatest } from './migrator.js';
import { relaxedTransaction, writeBehindTransaction } from './relaxed-commit.js';

const synchronousOf = async (handle: DatabaseHandle) =>
  handle.db.transaction().execute(async (trx) => (await sql<{ synchronous: number }>`pragma synchronous`.execute(trx)).rows[0].synchronous);
const names = async (handle: DatabaseHandle) => (await handle.db.selectFrom('event_pipeline').select('name').orderBy('name').execute()).map((r) => r.name);
const row = (name: string, id = 0) => ({ name, processed_id: id, updated_at: 0 });

describe('SQLite with a writer thread', () => {
  let handle: DatabaseHandle | null = null;
  let dir = '';

  async function open(synchronous: 'FULL' | 'NORMAL' = 'FULL'): Promise<DatabaseHandle> {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opsloom-writer-'));
    handle = openDatabase({ dataDir: dir, sqliteSynchronous: synchronous });
    await migrateToLatest(handle.db);
    return handle;
  }

  afterEach(async () => {
    await handle?.close();
    handle = null;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes on the writer, reads committed data on the main connection, and a transaction reads its own writes', async () => {
    const db = (await open()).db;
    await db.insertInto('event_pipeline').values(row('autocommit')).execute();
    expect(await names(handle!)).toEqual(['autocommit']);
    let seenInside: string[] = [];
    let seenOutside: string[] = [];
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('event_pipeline').values(row('in-transaction')).execute();
      seenInside = (await trx.selectFrom('event_pipeline').select('name').orderBy('name').execute()).map((r) => r.name);
      seenOutside = await names(handle!);
    });
    expect(seenInside).toEqual(['autocommit', 'in-transaction']);
    expect(seenOutside).toEqual(['autocommit']);
    expect(await names(handle!)).toEqual(['autocommit', 'in-transaction']);
  });

  it('runs one transaction at a time: concurrent ones and autocommit writes never interleave', async () => {
    const db = (await open()).db;
    const counts = await Promise.all(Array.from({ length: 8 }, (_, i) => db.transaction().execute(async (trx) => {
      const before = Number((await trx.selectFrom('event_pipeline').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      await new Promise((resolve) => setTimeout(resolve, 2));
      await trx.insertInto('event_pipeline').values(row(`t${i}`, before)).execute();
      return before;
    })));
    await db.insertInto('event_pipeline').values(row('last')).execute();
    expect([...counts].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(await names(handle!)).toHaveLength(9);
  });

  it('rolls back on error and reports SQLite codes, so unique violations map as before', async () => {
    const db = (await open()).db;
    await db.insertInto('event_pipeline').values(row('a')).execute();
    const duplicate = await db.insertInto('event_pipeline').values(row('a')).execute().catch((error: unknown) => error);
    expect(isUniqueViolation(duplicate)).toBe(true);
    await expect(db.transaction().execute(async (trx) => {
      await trx.insertInto('event_pipeline').values(row('rolled-back')).execute();
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect(await names(handle!)).toEqual(['a']);
  });

  it('relaxes only relaxed transactions, and restores the configured level after them, even when they fail', async () => {
    const h = await open('FULL');
    expect(await synchronousOf(h)).toBe(2);
    const inside = await relaxedTransaction(h, async (uow) => (await sql<{ synchronous: number }>`pragma synchronous`.execute(uow.trx)).rows[0].synchronous);
    expect(inside).toBe(1);
    expect(await synchronousOf(h)).toBe(2);
    await expect(relaxedTransaction(h, async (uow) => {
      await uow.trx.insertInto('event_pipeline').values(row('x')).execute();
      await uow.trx.insertInto('event_pipeline').values(row('x')).execute();
    })).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
    expect(await synchronousOf(h)).toBe(2);
    expect(await names(h)).toEqual([]);
  });

  it('sends write-behind statements with the next read or the commit; a queued failure fails the whole transaction', async () => {
    const h = await open();
    const ids = await writeBehindTransaction(h, async (trx) => {
      await trx.insertInto('event_pipeline').values(row('q1')).execute();
      await insertRows(trx, 'sqlite', 'event_pipeline', [['name', 'text'], ['processed_id', 'bigint'], ['updated_at', 'bigint']],
        Array.from({ length: 245 }, (_, i) => [`bulk${String(i).padStart(3, '0')}`, i, 0]));
      return trx.selectFrom('event_pipeline').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    });
    expect(Number(ids.n)).toBe(246);
    await expect(writeBehindTransaction(h, async (trx) => {
      await trx.insertInto('event_pipeline').values(row('new')).execute();
      await trx.insertInto('event_pipeline').values(row('q1')).execute();
    })).rejects.toSatisfy(isUniqueViolation);
    expect(await names(h)).not.toContain('new');
    await h.db.insertInto('event_pipeline').values(row('after')).execute();
    expect(await names(h)).toContain('after');
  });
});
