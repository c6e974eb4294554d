import { afterEach, describe, expect, it } from 'vitest';
import { bulkInsert } from '../../platform/db/bulk-sql.js';
import { createTestDatabase, type TestDatabase, testDatabaseKinds } from '../../testing/databases.js';
import { cmdbRepo } from './cmdb.repo.js';

describe.each(testDatabaseKinds())('CMDB repository on %s', (kind) => {
  let database: TestDatabase | null = null;
  afterEach(async () => {
    await database?.drop();
    database = null;
  });

  it('reads every relationship of a CI that has more than a call can take as arguments (a re-import of a hub)', async () => {
    database = await createTestDatabase(kind);
    const { db } = database.handle;
    const leaves = 130_000;
    const ciId = (i: number) => `00000000-0000-7000-8000-${i.toString(16).padStart(12, '0')}`;
    const ci = (i: number) => ({ id: ciId(i), key: `ci-${i}`, type: 'host', name: `ci-${i}`, team_id: null, criticality: 3, status: 'active', attributes: '{}', tags: '[]', created_at: 1, updated_at: 1 });
    const relationshipColumns = [['id', 'text'], ['from_id', 'text'], ['to_id', 'text'], ['type', 'text'], ['created_at', 'bigint']] as const;
    for (let first = 0; first <= leaves; first += 20_000) {
      const ids = Array.from({ length: Math.min(20_000, leaves + 1 - first) }, (_, i) => first + i);
      for (let at = 0; at < ids.length; at += 2_000) await db.insertInto('cis').values(ids.slice(at, at + 2_000).map(ci)).execute();
      const edges = ids.filter((i) => i > 0).map((i) => [`10000000-0000-7000-8000-${i.toString(16).padStart(12, '0')}`, ciId(0), ciId(i), 'depends_on', 1]);
      if (edges.length > 0) await bulkInsert(kind, 'ci_relationships', relationshipColumns, edges).execute(db);
    }
    const rows = await cmdbRepo.relationshipsFrom(db, [ciId(0)]);
    expect(rows).toHaveLength(leaves);
  });
});
