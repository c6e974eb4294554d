import type { Insertable } from 'kysely';
import type { AlertsTable } from '../../../platform/db/schema.js';
import type { TestApp } from '../../../testing/test-app.js';
import { newAlertId } from '../alert-ids.js';
import { eventsRepo } from '../events.repo.js';

/**
 * Stores alert rows straight into the database, as the pipeline would, oldest first: `total`
 * firing alerts of a new Alertmanager integration on CIs `busy-0` … `busy-99`, except those at
 * the positions in `rareAt`, which are on `rareCi`. For tests of large consoles, where posting
 * a hundred thousand alerts through intake would take most of the test. Returns the rare
 * alerts' ids, newest first.
 */
export async function seedAlertRows(t: TestApp, options: { total: number; rareAt: number[]; rareCi: string }): Promise<string[]> {
  const integration = (await t.app.inject({ method: 'POST', url: '/api/v1/integrations', headers: t.as('admin'), payload: { kind: 'alertmanager', name: 'seeded' } }))
    .json<{ id: string }>().id;
  const rows: Array<Insertable<AlertsTable>> = [];
  const rare: string[] = [];
  const at = Date.now();
  for (let i = 0; i < options.total; i++) {
    const isRare = options.rareAt.includes(i);
    const id = newAlertId();
    if (isRare) rare.push(id);
    rows.push({
      id, integration_id: integration, dedup_key: `seeded-${i}`, status: 'firing', severity: 'warning', summary: isRare ? `${options.rareCi} alert ${i}` : `alert ${i}`,
      source: 'node', ci_id: null, ci_key: isRare ? options.rareCi : `busy-${i % 100}`, team_id: null, labels: '{}', incident_id: null, reason: null,
      count: 1, starts_at: at, ends_at: null, first_seen_at: at, last_seen_at: at,
    });
  }
  const { handle } = t.database;
  for (let i = 0; i < rows.length; i += 20_000) {
    await handle.db.transaction().execute((trx) => eventsRepo.insertAlerts(trx, handle.kind, rows.slice(i, i + 20_000), handle.sqlite));
  }
  return rare.reverse();
}
