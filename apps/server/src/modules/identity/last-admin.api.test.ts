import type { User } from '@opsloom/api';
import { afterEach, describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '../../testing/databases.js';
import { call } from '../../testing/http.js';
import { startTestApp, type TestApp, unique } from '../../testing/test-app.js';

/** The last-admin rule under concurrency: two demotions at the same moment cannot leave no admin. */
describe.each(testDatabaseKinds())('last active admin, concurrently, on %s', (kind) => {
  let t: TestApp | null = null;
  afterEach(async () => {
    await t?.close();
    t = null;
  });

  it('of two admins demoted at the same moment, exactly one demotion goes through', async () => {
    for (let round = 0; round < 3; round++) {
      t = await startTestApp(kind);
      const app = t;
      const created = await call(app, 'POST', '/api/v1/users', { as: 'admin', payload: { email: `${unique('second')}@example.com`, name: 'Second Admin', role: 'admin' } });
      expect(created.status).toBe(201);
      const second = created.json<User>();
      const answers = await Promise.all([
        call(app, 'PATCH', `/api/v1/users/${second.handle}`, { as: 'admin', payload: { role: 'viewer' } }),
        call(app, 'PATCH', `/api/v1/users/${app.users.admin.handle}`, { as: 'admin', payload: { role: 'operator' } }),
      ]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
      const admins = await app.database.handle.db.selectFrom('users').select('id').where('role', '=', 'admin').where('disabled_at', 'is', null).execute();
      expect(admins).toHaveLength(1);
      await app.close();
      t = null;
    }
  });
});
