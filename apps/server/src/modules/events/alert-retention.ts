import { systemActor } from '../../platform/activity/activity-spine.js';
import type { ModuleDeps } from '../../platform/module-deps.js';
import type { IncidentsService } from '../incidents/index.js';
import { alertIdFloor } from './alert-ids.js';
import { eventsRepo } from './events.repo.js';
import { PRUNE_PASS_EVERY_MS } from './log-retention.js';
import { relaxedTransaction } from './relaxed-commit.js';

const DAY_MS = 24 * 3600_000;
/** Alerts looked at per transaction, so a chunk never holds the one connection for long. */
export const PRUNE_SCAN = 2_000;
/** Before any alert id: the scan's starting point. */
const FIRST_ID = '';

/**
 * Deletes resolved alerts last seen before the retention (docs/adr/0005, "Alert retention").
 * Without it the `alerts` table grew by about a kilobyte per distinct alert, forever: a
 * restart and the console's scans grew with it. Incidents stay, with their counts, root cause
 * and timeline; the noise figure is kept as running totals (alert_noise_daily); each incident
 * counts the alerts it lost, so its page says so. Firing alerts are never deleted, however old.
 *
 * Alert ids sort by the time they were minted, and an alert is last seen at or after it was
 * minted, so only ids minted before the cut-off can qualify: a pass walks them oldest first,
 * a chunk per idle moment of the pipeline, and skips the ones still firing or seen since.
 */
export class AlertRetention {
  private nextPassAt = 0;
  /** Where the pass in progress goes on: the last alert id it looked at. */
  private scannedThrough = FIRST_ID;

  constructor(
    private readonly deps: Pick<ModuleDeps, 'database' | 'spine'>,
    private readonly incidents: Pick<IncidentsService, 'countPrunedAlerts'>,
    /** 0 keeps every alert. */
    private readonly retentionDays: number,
    private readonly scan = PRUNE_SCAN,
  ) {}

  /**
   * Looks at the next `scan` alerts minted before the cut-off and deletes those resolved and
   * last seen before it; returns how many it deleted, or null when it had nothing to look at
   * (no pass due, or the pass just ended). The pipeline calls it when idle, and again at its
   * next idle moment while it returns a number.
   */
  async step(now = Date.now()): Promise<number | null> {
    if (this.retentionDays <= 0 || now < this.nextPassAt) return null;
    const lastSeenBefore = now - this.retentionDays * DAY_MS;
    const from = this.scannedThrough;
    const { looked, lastId, deleted } = await relaxedTransaction(this.deps, async (uow) => {
      const rows = await eventsRepo.alertsForRetention(uow.trx, from, alertIdFloor(lastSeenBefore), this.scan);
      const perIncident = new Map<string, number>();
      let expired = 0;
      for (const row of rows) {
        if (row.status !== 'resolved' || Number(row.last_seen_at) >= lastSeenBefore) continue;
        expired++;
        if (row.incident_id) perIncident.set(row.incident_id, (perIncident.get(row.incident_id) ?? 0) + 1);
      }
      const throughId = rows.at(-1)?.id ?? from;
      if (expired > 0) {
        // A deletion lost to a crash leaves the alerts, and the incidents' counts, for the next pass.
        await eventsRepo.deleteResolvedAlerts(uow.trx, from, throughId, lastSeenBefore);
        await this.incidents.countPrunedAlerts(uow, perIncident);
        await this.deps.spine.record(uow, systemActor, {
          verb: 'alerts.pruned',
          subject: { type: 'alerts', id: 'alerts', label: 'alerts' },
          summary: `${expired} resolved alert(s) last seen before ${new Date(lastSeenBefore).toISOString()} deleted (retention: ${this.retentionDays} days)`,
          data: { alerts: expired, incidents: perIncident.size, throughId, lastSeenBefore, retentionDays: this.retentionDays },
        });
      }
      return { looked: rows.length, lastId: throughId, deleted: expired };
    });
    if (looked < this.scan) {
      // The pass reached the alerts minted since the cut-off: the next starts from the oldest again.
      this.scannedThrough = FIRST_ID;
      this.nextPassAt = now + PRUNE_PASS_EVERY_MS;
    } else this.scannedThrough = lastId;
    return looked === 0 ? null : deleted;
  }
}
