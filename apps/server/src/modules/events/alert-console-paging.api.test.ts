import { describe, expect, it } from 'vitest';
import { testDatabaseKinds } from '../../testing/databases.js';
import { startTestApp } from '../../testing/test-app.js';
import { seedAlertRows } from './testing/seed-alert-rows.js';

const OTHERS = 120_000;
interface AlertPage { items: Array<{ id: string }>; nextCursor: string | null }

describe.each(testDatabaseKinds())('alert console pages on %s', (kind) => {
  it('finds every alert a rare filter matches, page by page; on SQLite a page searches at most 100,000 alerts', async () => {
    const t = await startTestApp(kind);
    try {
      // Two matches among the oldest alerts, one 5,000 alerts from the newest.
      const rare = await seedAlertRows(t, { total: OTHERS + 3, rareAt: [0, 1, OTHERS - 5_000], rareCi: 'rare-01' });
      const pages: AlertPage[] = [];
      const fetchPage = async (cursor: string | null): Promise<AlertPage> => {
        const res = await t.app.inject({ method: 'GET', url: `/api/v1/alerts?ci=rare-01&status=all&limit=50${cursor ? `&cursor=${cursor}` : ''}`, headers: t.as('viewer') });
        expect(res.statusCode, res.body).toBe(200);
        return res.json<AlertPage>();
      };
      let cursor: string | null = null;
      do {
        const page = await fetchPage(cursor);
        pages.push(page);
        cursor = page.nextCursor;
      } while (cursor && pages.length < 20);
      // Every match once, newest first, whatever the pages.
      expect(pages.flatMap((page) => page.items.map((item) => item.id))).toEqual(rare);
      if (kind === 'sqlite') {
        // The first page looked at 100,000 alerts at most: the newest match only, then a cursor.
        expect(pages[0].items.map((item) => item.id)).toEqual([rare[0]]);
        expect(pages[0].nextCursor).not.toBeNull();
        expect(pages.length).toBe(2);
      } else expect(pages).toHaveLength(1);

      // A filter that matches often fills its pages as before.
      const busy = (await t.app.inject({ method: 'GET', url: '/api/v1/alerts?ci=busy-7&limit=50', headers: t.as('viewer') })).json<AlertPage>();
      expect(busy.items).toHaveLength(50);
      expect(busy.nextCursor).toBe(busy.items[49].id);
    } finally {
      await t.close();
    }
  }, 120_000);
});
