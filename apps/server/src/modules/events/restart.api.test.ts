import { describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { systemActor } from '../../platform/activity/activity-spine.js';
import { testDatabaseKinds } from '../../testing/databases.js';
import { startTestApp } from '../../testing/test-app.js';
import { eventsRepo } from './events.repo.js';
import { WATERMARK } from './pipeline-writes.js';
import { deliver, loadScenario, readPlacements } from './testing/api-scenario.js';
import { generateDeepScenario } from './testing/deep-scenario-generator.js';
import { groupingOf, replayPlacements } from './testing/replay-scenario.js';
import { noiseTotals } from './testing/noise-totals.js';
import { generateScenario } from './testing/scenario-generator.js';

const RESTARTS = Number(process.env.OPSLOOM_TEST_RESTARTS ?? 60);
// The deep scenario's alerts also arrive up to 15 minutes late, out of event-time order.
const cases = testDatabaseKinds().flatMap((kind) => [[kind, 'varied', 11], [kind, 'deep', 5], [kind, 'deep-delayed', 4]] as const);

/**
 * A restart (a deploy, a crash) in the middle of the alerts changes nothing: every alert
 * ends up in the same incident, with the same root, as when the server ran throughout.
 * Everything correlation knew comes back from storage, and the batches accepted while the
 * pipeline was already stopped are replayed from the intake log at the next start.
 */
describe.each(cases)('correlation across restarts on %s: %s, seed %i', (kind, variant, seed) => {
  it(`groups as an uninterrupted run does, with up to ${RESTARTS} restarts during the alerts`, async () => {
    const t = await startTestApp(kind);
    let { app, services } = t;
    try {
      const scenario = variant === 'varied' ? generateScenario(seed, { variant }) : generateDeepScenario(seed, variant === 'deep-delayed' ? { arrivalDelayMs: 15 * 60_000 } : {});
      const routingKey = await loadScenario(t, scenario);
      // At least three deliveries apart: the pipeline stops two deliveries before each restart.
      const every = Math.max(3, Math.ceil(scenario.deliveries.length / (RESTARTS + 1)));
      let replayed = 0;
      let keptAtRestarts = 0;
      for (const [i, alerts] of scenario.deliveries.entries()) {
        // Those two deliveries are accepted while the pipeline is stopped, then replayed from the log.
        if (i % every === every - 2) await services.events.stop();
        if (i > 0 && i % every === 0) {
          await app.close();
          const db = t.database.handle.db;
          if ((await eventsRepo.lastLogId(db)) > (await eventsRepo.watermark(db, WATERMARK))) replayed++;
          keptAtRestarts += (await db.selectFrom('incident_cis').select('incident_id').execute()).length;
          ({ app, services } = await buildApp({ config: t.config, database: t.database.handle, logger: false }));
          await app.ready();
        }
        expect(await deliver(app, routingKey, alerts)).toBe(202);
      }
      await services.events.drained();
      expect(replayed).toBe(Math.floor((scenario.deliveries.length - 1) / every));
      const { placed } = await readPlacements(app, t.as('viewer'));
      expect(groupingOf(placed)).toEqual(groupingOf(replayPlacements(scenario).placed));
      // What a restart needs was there at the restarts, and is kept for open incidents only: a closed incident's rows went with it.
      expect(keptAtRestarts).toBeGreaterThan(0);
      const db = t.database.handle.db;
      const open = new Set((await db.selectFrom('incidents').select('id').where('status', '=', 'open').execute()).map((row) => row.id));
      const kept = (await db.selectFrom('incident_cis').select('incident_id').distinct().execute()).map((row) => row.incident_id);
      expect(kept.filter((id) => !open.has(id))).toEqual([]);
      // The noise figure's running totals, kept across the restarts, agree with the alerts stored.
      const noise = await noiseTotals(db);
      expect(noise.kept.length).toBeGreaterThan(0);
      expect(noise.kept).toEqual(noise.fromAlerts);
    } finally {
      await app.close();
      await t.close();
    }
  }, 180_000);
});

describe.each(testDatabaseKinds())('what correlation knows of an open incident survives a restart on %s', (kind) => {
  it('groups unmapped alerts by label as before, and gives an incident whose root has no team to the integration\'s team', async () => {
    const t = await startTestApp(kind);
    let { app, services } = t;
    try {
      for (const slug of ['ops', 'apps']) await t.services.identity.teams.create(systemActor, { slug, name: slug });
      const imported = await app.inject({
        method: 'POST', url: '/api/v1/cmdb/import', headers: t.as('admin'),
        payload: {
          cis: [{ key: 'vm-1', type: 'vm', name: 'VM 1' }, { key: 'app-1', type: 'application', name: 'App 1', team: 'apps' }],
          relationships: [{ from: 'app-1', to: 'vm-1', type: 'runs_on' }],
        },
      });
      expect(imported.statusCode).toBe(200);
      const { routingKey } = (await app.inject({ method: 'POST', url: '/api/v1/integrations', headers: t.as('admin'), payload: { kind: 'alertmanager', name: 'prometheus', team: 'ops' } }))
        .json<{ routingKey: string }>();
      const at = Date.now() - 10 * 60_000;
      const alert = (fingerprint: string, labels: Record<string, string>, startsAt: number) => ({ status: 'firing', labels, startsAt: new Date(startsAt).toISOString(), fingerprint });
      expect(await deliver(app, routingKey, [alert('a1', { alertname: 'Http5xx', ci: 'app-1' }, at), alert('q1', { alertname: 'QueueBacklog', job: 'billing' }, at)])).toBe(202);
      await services.events.drained();

      await app.close();
      ({ app, services } = await buildApp({ config: t.config, database: t.database.handle, logger: false }));
      await app.ready();
      // vm-1 alerted before app-1: now the root, and vm-1 has no team.
      expect(await deliver(app, routingKey, [alert('v1', { alertname: 'InstanceDown', ci: 'vm-1' }, at - 20_000), alert('q2', { alertname: 'QueueLag', job: 'billing' }, at + 30_000)])).toBe(202);
      await services.events.drained();

      const incidents = (await app.inject({ method: 'GET', url: '/api/v1/incidents?status=open', headers: t.as('viewer') }))
        .json<{ items: Array<{ rootCause: { key: string } | null; team: { slug: string } | null; alertCount: number }> }>();
      expect(incidents.items.map((i) => [i.rootCause?.key ?? null, i.team?.slug ?? null, i.alertCount]).sort()).toEqual([['vm-1', 'ops', 2], [null, 'ops', 2]].sort());
    } finally {
      await app.close();
      await t.close();
    }
  });
});
