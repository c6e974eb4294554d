import { describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../app.js';
import { ActivityBus } from '../../platform/activity/activity-bus.js';
import { ActivitySpine } from '../../platform/activity/activity-spine.js';
import { testDatabaseKinds } from '../../testing/databases.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';
import { eventsRepo } from './events.repo.js';
import { LogRetention, PRUNE_PASS_EVERY_MS } from './log-retention.js';
import { WATERMARK } from './pipeline-writes.js';
import { deliver } from './testing/api-scenario.js';

const DAY_MS = 24 * 3600_000;
interface PrunedData { batches: number; alerts: number; throughBatch: number }
/** An activity record's data: JSON text on SQLite, jsonb (an object already) on PostgreSQL. */
const prunedData = (data: unknown) => (typeof data === 'string' ? JSON.parse(data) : data) as PrunedData;
const batch = (name: string) => [0, 1].map((i) => ({
  status: 'firing' as const, labels: { alertname: 'DiskFull', instance: `${name}-${i}` }, annotations: { summary: `${name} ${i}` },
  startsAt: new Date().toISOString(), endsAt: '0001-01-01T00:00:00Z', fingerprint: `${name}-${i}`,
}));

describe.each(testDatabaseKinds())('intake log retention on %s', (kind) => {
  const logIds = async (t: TestApp) => (await t.database.handle.db.selectFrom('event_log').select('id').orderBy('id').execute()).map((row) => Number(row.id));
  const age = (t: TestApp, ids: number[]) =>
    t.database.handle.db.updateTable('event_log').set({ received_at: Date.now() - 8 * DAY_MS }).where('id', 'in', ids).execute();
  const fingerprints = async (t: TestApp) => (await t.database.handle.db.selectFrom('alerts').select('dedup_key').orderBy('dedup_key').execute()).map((row) => row.dedup_key);

  it('deletes processed batches older than the retention, oldest first and a chunk at a time, never one still to process', async () => {
    const t = await startTestApp(kind, { intakeLogRetentionDays: 7 });
    try {
      const { routingKey } = (await t.app.inject({ method: 'POST', url: '/api/v1/integrations', headers: t.as('admin'), payload: { kind: 'alertmanager', name: 'prometheus' } })).json<{ routingKey: string }>();
      for (const name of ['b1', 'b2', 'b3', 'b4']) expect(await deliver(t.app, routingKey, batch(name))).toBe(202);
      await t.services.events.drained();
      // The pipeline stops: the fifth batch is accepted and waits in the log, unprocessed.
      await t.services.events.stop();
      expect(await deliver(t.app, routingKey, batch('b5'))).toBe(202);
      const ids = await logIds(t);
      const watermark = await eventsRepo.watermark(t.database.handle.db, WATERMARK);
      expect(ids).toHaveLength(5);
      expect(watermark).toBe(ids[3]);
      // All old but the fourth, which arrived within the retention.
      await age(t, [ids[0], ids[1], ids[2], ids[4]]);

      const retention = new LogRetention({ database: t.database.handle, spine: new ActivitySpine(new ActivityBus()) }, 7, 2);
      const now = Date.now();
      expect(await retention.step(watermark, now)).toBe(2);
      expect(await retention.step(watermark, now)).toBe(1);
      // Up to date: the next pass waits, and then finds the fourth batch still within the retention.
      expect(await retention.step(watermark, now)).toBe(0);
      expect(await retention.step(watermark, now + PRUNE_PASS_EVERY_MS)).toBe(0);
      expect(await logIds(t)).toEqual([ids[3], ids[4]]);
      // Once the fourth is old too it goes, and the fifth, as old but not processed, stays.
      await age(t, [ids[3]]);
      expect(await retention.step(watermark, now + 2 * PRUNE_PASS_EVERY_MS)).toBe(1);
      expect(await logIds(t)).toEqual([ids[4]]);
      expect(await new LogRetention({ database: t.database.handle, spine: new ActivitySpine(new ActivityBus()) }, 0).step(ids[4], now + 30 * DAY_MS)).toBe(0);

      const records = await t.database.handle.db.selectFrom('activity').select(['summary', 'data']).where('verb', '=', 'alerts.log_pruned').orderBy('id').execute();
      expect(records.map((record) => prunedData(record.data))).toEqual([
        expect.objectContaining({ batches: 2, alerts: 4, throughBatch: ids[1] }),
        expect.objectContaining({ batches: 1, alerts: 2, throughBatch: ids[2] }),
        expect.objectContaining({ batches: 1, alerts: 2, throughBatch: ids[3] }),
      ]);
      expect(records[0].summary).toMatch(/^2 intake batch\(es\) with 4 alert deliveries, received before .*, deleted \(retention: 7 days\)$/);
      // What the pipeline derived from the deleted batches stays.
      expect(await fingerprints(t)).toEqual(['b1-0', 'b1-1', 'b2-0', 'b2-1', 'b3-0', 'b3-1', 'b4-0', 'b4-1']);
    } finally {
      await t.close();
    }
  });

  it('prunes by itself when idle, and a log emptied by retention takes new batches after it', async () => {
    const t = await startTestApp(kind, { intakeLogRetentionDays: 7 });
    let app = t.app;
    try {
      const { routingKey } = (await app.inject({ method: 'POST', url: '/api/v1/integrations', headers: t.as('admin'), payload: { kind: 'alertmanager', name: 'prometheus' } })).json<{ routingKey: string }>();
      for (const name of ['c1', 'c2']) expect(await deliver(app, routingKey, batch(name))).toBe(202);
      await t.services.events.drained();
      const old = await logIds(t);
      await age(t, old);
      // A pass runs when the pipeline is first idle, then every 10 minutes: a restart runs one now.
      await app.close();
      ({ app } = await buildApp({ config: t.config, database: t.database.handle, logger: false }));
      await app.ready();
      await vi.waitFor(async () => expect(await logIds(t)).toEqual([]), { timeout: 10_000, interval: 100 });
      expect(await deliver(app, routingKey, batch('c3'))).toBe(202);
      // Ids are never reused, so the new batch lies beyond the watermark and is processed.
      expect((await logIds(t))[0]).toBeGreaterThan(old[1]);
      await vi.waitFor(async () => expect(await fingerprints(t)).toEqual(['c1-0', 'c1-1', 'c2-0', 'c2-1', 'c3-0', 'c3-1']), { timeout: 10_000, interval: 100 });
      const records = await t.database.handle.db.selectFrom('activity').select('data').where('verb', '=', 'alerts.log_pruned').execute();
      expect(records.map((record) => prunedData(record.data).batches)).toEqual([2]);
    } finally {
      await app.close();
      await t.close();
    }
  });
});
