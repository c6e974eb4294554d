import { describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../app.js';
import { ActivityBus } from '../../platform/activity/activity-bus.js';
import { ActivitySpine } from '../../platform/activity/activity-spine.js';
import { testDatabaseKinds } from '../../testing/databases.js';
import { startTestApp, type TestApp } from '../../testing/test-app.js';
import { AlertRetention } from './alert-retention.js';
import { PRUNE_PASS_EVERY_MS } from './log-retention.js';
import { deliver } from './testing/api-scenario.js';

const DAY_MS = 24 * 3600_000;
interface PrunedData { alerts: number; incidents: number; retentionDays: number }
/** An activity record's data: JSON text on SQLite, jsonb (an object already) on PostgreSQL. */
const prunedData = (data: unknown) => (typeof data === 'string' ? JSON.parse(data) : data) as PrunedData;
const alert = (fingerprint: string, status: 'firing' | 'resolved') => ({
  status, labels: { alertname: 'DiskFull', ci: 'db-01', instance: fingerprint }, annotations: { summary: `disk full ${fingerprint}` },
  startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: status === 'resolved' ? new Date().toISOString() : '0001-01-01T00:00:00Z', fingerprint,
});

describe.each(testDatabaseKinds())('alert retention on %s', (kind) => {
  async function incidentWithAlerts(t: TestApp) {
    await t.app.inject({ method: 'POST', url: '/api/v1/cmdb/import', headers: t.as('admin'), payload: { cis: [{ key: 'db-01', type: 'database', name: 'db-01' }], relationships: [] } });
    const { routingKey } = (await t.app.inject({ method: 'POST', url: '/api/v1/integrations', headers: t.as('admin'), payload: { kind: 'alertmanager', name: 'prometheus' } })).json<{ routingKey: string }>();
    expect(await deliver(t.app, routingKey, ['a1', 'a2', 'a3', 'a4', 'a5'].map((f) => alert(f, 'firing')))).toBe(202);
    expect(await deliver(t.app, routingKey, ['a1', 'a2', 'a3'].map((f) => alert(f, 'resolved')))).toBe(202);
    await t.services.events.drained();
    const incidents = (await t.app.inject({ method: 'GET', url: '/api/v1/incidents?status=all', headers: t.as('viewer') })).json<{ items: Array<{ id: string }> }>().items;
    expect(incidents).toHaveLength(1);
    return { routingKey, incidentId: incidents[0].id };
  }
  const incidentAlerts = async (t: TestApp, id: string) =>
    (await t.app.inject({ method: 'GET', url: `/api/v1/incidents/${id}/alerts`, headers: t.as('viewer') })).json<{ items: Array<{ fingerprint: string; status: string }>; prunedAlerts: number }>();
  const fingerprints = async (t: TestApp) => (await t.database.handle.db.selectFrom('alerts').select('dedup_key').orderBy('dedup_key').execute()).map((row) => row.dedup_key);

  it('deletes resolved alerts last seen before the retention, a chunk at a time, never a firing one, and the incident says how many went', async () => {
    const t = await startTestApp(kind, { alertRetentionDays: 90 });
    try {
      const { routingKey, incidentId } = await incidentWithAlerts(t);
      // a3 resolved but was seen again since: it stays until its last sighting is old.
      await t.database.handle.db.updateTable('alerts').set({ last_seen_at: Date.now() + 5 * DAY_MS }).where('dedup_key', '=', 'a3').execute();
      expect(await deliver(t.app, routingKey, [alert('a6', 'firing')])).toBe(202);
      await t.services.events.drained();

      // Three months and a day on, looking at two alerts per chunk.
      const retention = new AlertRetention({ database: t.database.handle, spine: new ActivitySpine(new ActivityBus()) }, t.services.incidents, 90, 2);
      const now = Date.now() + 91 * DAY_MS;
      expect(await retention.step(now)).toBe(2); // a1, a2
      expect(await retention.step(now)).toBe(0); // a3 (seen since), a4 (firing)
      expect(await retention.step(now)).toBe(0); // a5, a6 (firing)
      expect(await retention.step(now)).toBeNull(); // nothing more: the pass ends
      expect(await retention.step(now + PRUNE_PASS_EVERY_MS - 1)).toBeNull(); // the next waits ten minutes
      expect(await fingerprints(t)).toEqual(['a3', 'a4', 'a5', 'a6']);
      // Six days on, a3's last sighting is past the retention too.
      expect(await retention.step(now + 6 * DAY_MS)).toBe(1);
      expect(await fingerprints(t)).toEqual(['a4', 'a5', 'a6']);

      const listed = await incidentAlerts(t, incidentId);
      expect(listed.items.map((a) => a.fingerprint).sort()).toEqual(['a4', 'a5', 'a6']);
      expect(listed.prunedAlerts).toBe(3);
      // The incident keeps its story: every alert that joined it still counts.
      const detail = (await t.app.inject({ method: 'GET', url: `/api/v1/incidents/${incidentId}`, headers: t.as('viewer') })).json<{ alertCount: number; status: string }>();
      expect(detail).toMatchObject({ alertCount: 6, status: 'open' });
      const records = await t.database.handle.db.selectFrom('activity').select(['summary', 'data']).where('verb', '=', 'alerts.pruned').orderBy('id').execute();
      expect(records.map((record) => prunedData(record.data))).toEqual([
        expect.objectContaining({ alerts: 2, incidents: 1, retentionDays: 90 }),
        expect.objectContaining({ alerts: 1, incidents: 1, retentionDays: 90 }),
      ]);
      expect(records[0].summary).toMatch(/^2 resolved alert\(s\) last seen before .* deleted \(retention: 90 days\)$/);
      // 0 keeps every alert.
      expect(await new AlertRetention({ database: t.database.handle, spine: new ActivitySpine(new ActivityBus()) }, t.services.incidents, 0).step(now + 3650 * DAY_MS)).toBeNull();
      // The firing alerts still dedup and resolve as before.
      expect(await deliver(t.app, routingKey, ['a4', 'a5', 'a6'].map((f) => alert(f, 'resolved')))).toBe(202);
      await t.services.events.drained();
      expect((await incidentAlerts(t, incidentId)).items.map((a) => a.status)).toEqual(['resolved', 'resolved', 'resolved']);
    } finally {
      await t.close();
    }
  });

  it('runs by itself when the pipeline is idle, as configured', async () => {
    const t = await startTestApp(kind, { alertRetentionDays: 30 });
    let app = t.app;
    try {
      const { incidentId } = await incidentWithAlerts(t);
      // Make a1..a3 (resolved) and a4 (firing) 40 days old: ids sort by when they were minted.
      const db = t.database.handle.db;
      const old = Date.now() - 40 * DAY_MS;
      const rows = await db.selectFrom('alerts').select(['id', 'dedup_key']).where('dedup_key', 'in', ['a1', 'a2', 'a3', 'a4']).execute();
      for (const row of rows) {
        const time = old.toString(16).padStart(12, '0');
        await db.updateTable('alerts').set({ id: `${time.slice(0, 8)}-${time.slice(8, 12)}${row.id.slice(13)}`, last_seen_at: old }).where('id', '=', row.id).execute();
      }
      // A pass runs when the pipeline is first idle: a restart runs one now.
      await app.close();
      ({ app } = await buildApp({ config: t.config, database: t.database.handle, logger: false }));
      await app.ready();
      await vi.waitFor(async () => expect(await fingerprints(t)).toEqual(['a4', 'a5']), { timeout: 10_000, interval: 100 });
      const listed = (await app.inject({ method: 'GET', url: `/api/v1/incidents/${incidentId}/alerts`, headers: t.as('viewer') })).json<{ prunedAlerts: number }>();
      expect(listed.prunedAlerts).toBe(3);
    } finally {
      await app.close();
      await t.close();
    }
  });
});
