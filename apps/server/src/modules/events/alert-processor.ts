import { newAlertId } from './alert-ids.js';
import type { AlertReason, AlertState, IncidentState } from './correlation-state.js';
import type { Correlator } from './correlator.js';
import { mapCi, type NormalizedAlert } from './normalized.js';
import type { PipelineCommand, ResolveIncidentCommand } from './pipeline-commands.js';
import type { CiInfo, TopologyView } from './topology.js';

export interface NewAlert {
  state: AlertState;
  /** The incident it joined when it arrived; a merge later in the run may have moved it. */
  joined: IncidentState | null;
  alert: NormalizedAlert;
  integrationId: string;
  ci: CiInfo | null;
  teamId: string | null;
  reason: AlertReason | null;
  receivedAt: number;
}

export interface AlertUpdate {
  status: 'firing' | 'resolved';
  endsAt: number | null;
  lastSeenAt: number;
  count: number;
}

/** Everything one run of the pipeline changed, to persist in one transaction. */
export class ChangeSet {
  readonly newAlerts: NewAlert[] = [];
  readonly updates = new Map<string, AlertUpdate>();
  readonly incidents = new Set<IncidentState>();
  readonly merges: Array<{ from: IncidentState; to: IncidentState }> = [];
  readonly opened: IncidentState[] = [];
  readonly resolved: IncidentState[] = [];
  /** Incidents people resolved in this run (pipeline commands), with who and why. */
  readonly resolvedByHand: Array<{ incident: IncidentState; command: ResolveIncidentCommand }> = [];
  /** integration id → deliveries and distinct new alerts. */
  readonly perIntegration = new Map<string, { deliveries: number; alerts: number; lastAt: number }>();
  /** Incident → alerts added in this run, for the activity record. */
  readonly added = new Map<IncidentState, number>();
  /** Additions to the noise figure's running totals (alert_noise_daily), by event day, integration and team. */
  readonly noise = new Map<string, NoiseDelta>();

  /** Counts a delivery (and, when it created one, an alert) for the noise figure. */
  countNoise(alert: { startsAt: number; teamId: string | null }, integrationId: string, created: boolean): void {
    const day = Math.floor(alert.startsAt / DAY_MS);
    const teamKey = alert.teamId ?? '';
    const key = `${day}\u0000${integrationId}\u0000${teamKey}`;
    let delta = this.noise.get(key);
    if (!delta) this.noise.set(key, (delta = { day, integrationId, teamKey, alerts: 0, deliveries: 0 }));
    delta.deliveries++;
    if (created) delta.alerts++;
  }
}

const DAY_MS = 86_400_000;

export interface NoiseDelta {
  day: number;
  integrationId: string;
  /** The team's id, '' for none. */
  teamKey: string;
  alerts: number;
  deliveries: number;
}

/** A resolved alert remembered for late re-deliveries. */
export interface ResolvedAlert {
  id: string;
  startsAt: number;
  count: number;
  teamId: string | null;
}

export interface IntegrationInfo {
  id: string;
  teamId: string | null;
}

/** Why an alert sits in `to` after its incident `from` merged into it. */
export function mergedReason(from: IncidentState, to: IncidentState, ci: string | null): AlertReason {
  return { rule: 'merged', path: [], relatedCi: to.rootCiKey, gapSeconds: 0, ci, via: `#${from.number}` };
}

const keyOf = (integrationId: string, dedupKey: string) => `${integrationId}\u0000${dedupKey}`;

/**
 * Open alerts by integration, then dedup key. Two levels rather than one concatenated key:
 * at a million open alerts, a joined key string per alert (a cons string plus its flattened
 * copy once hashed) cost about a hundred bytes each; the dedup key string is kept anyway.
 */
export class OpenAlerts {
  private readonly byIntegration = new Map<string, Map<string, AlertState>>();
  size = 0;

  get(integrationId: string, dedupKey: string): AlertState | undefined {
    return this.byIntegration.get(integrationId)?.get(dedupKey);
  }

  set(integrationId: string, dedupKey: string, state: AlertState): void {
    let alerts = this.byIntegration.get(integrationId);
    if (!alerts) this.byIntegration.set(integrationId, (alerts = new Map<string, AlertState>()));
    if (!alerts.has(dedupKey)) this.size++;
    alerts.set(dedupKey, state);
  }

  delete(integrationId: string, dedupKey: string): void {
    if (this.byIntegration.get(integrationId)?.delete(dedupKey)) this.size--;
  }
}
/** Recently resolved alerts remembered for late re-deliveries (by count; a restart restores those of the last day). */
export const RECENT_LIMIT = 200_000;

/**
 * Dedup against the open alerts in memory, then correlation for new ones. Holds no I/O:
 * the pipeline feeds it the intake log and persists the ChangeSet it fills.
 */
export class AlertProcessor {
  readonly openAlerts = new OpenAlerts();
  /** Recently resolved alerts: Alertmanager re-sends resolved alerts with each group notification. */
  private readonly recentlyResolved = new Map<string, ResolvedAlert>();
  private latestEventAt = 0;
  private sincePrune = 0;

  constructor(
    private readonly topology: TopologyView,
    readonly correlator: Correlator,
  ) {}

  restoreAlert(integrationId: string, dedupKey: string, state: AlertState): void {
    this.openAlerts.set(integrationId, dedupKey, state);
    if (state.incident) state.incident.alerts.add(state);
  }

  /** Puts back a recently resolved alert after a restart, so its late re-deliveries fold into it as before. */
  restoreResolved(integrationId: string, dedupKey: string, alert: ResolvedAlert): void {
    this.remember(keyOf(integrationId, dedupKey), alert);
  }

  process(integration: IntegrationInfo, alerts: NormalizedAlert[], receivedAt: number, changes: ChangeSet): void {
    const stats = changes.perIntegration.get(integration.id) ?? { deliveries: 0, alerts: 0, lastAt: 0 };
    changes.perIntegration.set(integration.id, stats);
    stats.lastAt = receivedAt;
    for (const alert of alerts) {
      stats.deliveries++;
      const open = this.openAlerts.get(integration.id, alert.dedupKey);
      if (open) {
        open.count++;
        changes.countNoise(open, integration.id, false);
        if (alert.status === 'resolved') {
          this.openAlerts.delete(integration.id, alert.dedupKey);
          this.remember(keyOf(integration.id, alert.dedupKey), { id: open.id, startsAt: open.startsAt, count: open.count, teamId: open.teamId });
          changes.updates.set(open.id, { status: 'resolved', endsAt: alert.endsAt ?? receivedAt, lastSeenAt: receivedAt, count: open.count });
          const incident = this.correlator.release(open, alert.endsAt ?? receivedAt);
          if (open.incident) changes.incidents.add(open.incident);
          if (incident) changes.resolved.push(incident);
        } else {
          changes.updates.set(open.id, { status: 'firing', endsAt: null, lastSeenAt: receivedAt, count: open.count });
        }
        continue;
      }
      const recent = this.recentlyResolved.size > 0 ? this.recentlyResolved.get(keyOf(integration.id, alert.dedupKey)) : undefined;
      if (recent && (alert.status === 'resolved' || recent.startsAt === alert.startsAt)) {
        // A late re-delivery of an alert that already resolved: fold it, change nothing else.
        recent.count++;
        changes.countNoise(recent, integration.id, false);
        changes.updates.set(recent.id, { status: 'resolved', endsAt: alert.endsAt ?? receivedAt, lastSeenAt: receivedAt, count: recent.count });
        continue;
      }
      if (alert.acknowledge) continue;
      stats.alerts++;
      this.admit(integration, alert, receivedAt, changes);
    }
  }

  /** Applies a command from the log (pipeline-commands.ts), in order with the alerts around it. */
  apply(command: PipelineCommand, changes: ChangeSet): void {
    const incident = this.correlator.resolveByHand(command.incidentId, command.at);
    if (!incident) return;
    changes.incidents.add(incident);
    changes.resolvedByHand.push({ incident, command });
  }

  private admit(integration: IntegrationInfo, alert: NormalizedAlert, receivedAt: number, changes: ChangeSet): void {
    const ci = mapCi(alert.hints, this.topology);
    const teamId = ci?.teamId ?? integration.teamId;
    const state: AlertState = { id: newAlertId(), incident: null, ciId: ci?.id ?? null, teamId, startsAt: alert.startsAt, count: 1 };
    changes.countNoise(state, integration.id, true);
    let reason: AlertReason | null = null;
    if (alert.status === 'firing') {
      const result = this.correlator.correlate({
        ci, labels: alert.labels, eventAt: alert.startsAt, severity: alert.severity, summary: alert.summary,
        integrationId: integration.id, integrationTeamId: integration.teamId,
      });
      state.incident = result.incident;
      result.incident.alerts.add(state);
      reason = result.reason;
      changes.incidents.add(result.incident);
      changes.added.set(result.incident, (changes.added.get(result.incident) ?? 0) + 1);
      if (result.incident.isNew && result.reason.rule === 'opened') changes.opened.push(result.incident);
      for (const from of result.merged) {
        changes.merges.push({ from, to: result.incident });
        changes.incidents.add(from);
      }
      this.openAlerts.set(integration.id, alert.dedupKey, state);
      this.latestEventAt = Math.max(this.latestEventAt, alert.startsAt);
      if (++this.sincePrune >= 10_000) {
        this.sincePrune = 0;
        this.correlator.prune(this.latestEventAt);
      }
    } else {
      // A resolve for an alert never seen firing: kept for the record, joins nothing.
      this.remember(keyOf(integration.id, alert.dedupKey), { id: state.id, startsAt: state.startsAt, count: 1, teamId });
    }
    changes.newAlerts.push({ state, joined: state.incident, alert, integrationId: integration.id, ci, teamId, reason, receivedAt });
  }

  private remember(key: string, alert: ResolvedAlert): void {
    if (this.recentlyResolved.size >= RECENT_LIMIT) {
      const oldest = this.recentlyResolved.keys().next().value;
      if (oldest !== undefined) this.recentlyResolved.delete(oldest);
    }
    this.recentlyResolved.set(key, alert);
  }
}
