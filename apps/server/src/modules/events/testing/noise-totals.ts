import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from '../../../platform/db/schema.js';

type NoiseRow = { day: number; integration_id: string; team_key: string; alerts: number; deliveries: number };
const byKey = (rows: NoiseRow[]) =>
  rows.map((r) => ({ ...r, day: Number(r.day), alerts: Number(r.alerts), deliveries: Number(r.deliveries) }))
    .sort((a, b) => a.day - b.day || a.integration_id.localeCompare(b.integration_id) || a.team_key.localeCompare(b.team_key));

/**
 * The noise figure two ways: the running totals the pipeline keeps (`alert_noise_daily`), and
 * the alerts table grouped as the Noise page once did (distinct alerts by start day,
 * integration and team; deliveries the sum of their counts). They must agree.
 */
export async function noiseTotals(db: Kysely<Database>): Promise<{ kept: NoiseRow[]; fromAlerts: NoiseRow[] }> {
  const kept = await db.selectFrom('alert_noise_daily').selectAll().execute();
  const fromAlerts = await sql<NoiseRow>`select starts_at / 86400000 as day, integration_id, coalesce(team_id, '') as team_key, count(*) as alerts, sum(count) as deliveries
    from alerts group by starts_at / 86400000, integration_id, coalesce(team_id, '')`.execute(db);
  return { kept: byKey(kept), fromAlerts: byKey(fromAlerts.rows) };
}
