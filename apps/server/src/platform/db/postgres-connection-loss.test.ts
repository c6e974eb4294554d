import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, testDatabaseKinds } from '../../testing/databases.js';

/**
 * A PostgreSQL backend that goes away (a restart, a failover, an administrator's
 * pg_terminate_backend) must fail the query running on it, not the whole process: pg also
 * emits the error as an event, which crashes Node when nobody listens.
 */
describe.skipIf(!testDatabaseKinds().includes('postgres'))('losing a PostgreSQL connection', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('postgres', { migrate: false });
  });
  afterAll(async () => database?.drop());

  it('fails the query in flight, and the next query gets a working connection', async () => {
    const { db } = database.handle;
    const admin = new pg.Client({ connectionString: database.location.databaseUrl });
    await admin.connect();
    try {
      // Its outcome is taken at once: the rejection may come before the terminate call returns.
      const sleeping = sql`select pg_sleep(30)`.execute(db).then(() => null, (error: unknown) => error);
      let pid: number | undefined;
      for (let attempt = 0; attempt < 100 && pid === undefined; attempt++) {
        pid = (await admin.query<{ pid: number }>(`select pid from pg_stat_activity where query = 'select pg_sleep(30)' and state = 'active'`)).rows[0]?.pid;
        if (pid === undefined) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(pid).toBeDefined();
      await admin.query('select pg_terminate_backend($1)', [pid]);
      expect(await sleeping).toMatchObject({ code: '57P01' });
      // Idle connections lost too: the pool forgets them and opens new ones.
      await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const answer = await sql<{ one: number }>`select 1 as one`.execute(db);
      expect(answer.rows).toEqual([{ one: 1 }]);
    } finally {
      await admin.end();
    }
  });
});
