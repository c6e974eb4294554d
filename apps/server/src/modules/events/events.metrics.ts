import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The endpoint an alert came through (not the integration: its count is unbounded, these are three). */
export type IntakeFormat = 'alertmanager' | 'pagerduty' | 'generic';
export type IntakeRejection = 'invalid' | 'unauthenticated' | 'overloaded';

/** What the gauges read when `/metrics` is scraped. */
export interface EventsGaugeSources {
  backlog(): number;
  /** Seconds the oldest batch this process accepted has waited for the pipeline. */
  lagSeconds(): number;
  /** Null where this instance does not run the pipeline (a PostgreSQL follower). */
  pipeline(): { openAlerts: number; openIncidents: number } | null;
}

/**
 * The intake and pipeline figures an operator watches (docs/integrations.md, "Monitoring
 * the intake"): what arrives, what is turned away, how far processing is behind, and what
 * correlation makes of it. Counters move only once the work they count is committed.
 */
export function createEventsMetrics(registry: Registry, sources: EventsGaugeSources) {
  const registers = [registry];
  const deliveries = new Counter({
    name: 'opsloom_alert_deliveries_total', help: 'Alerts accepted by intake (durably logged), re-sends included, by endpoint and status',
    labelNames: ['format', 'status'] as const, registers,
  });
  const rejected = new Counter({
    name: 'opsloom_intake_rejected_total', help: 'Requests turned away whole by intake, by endpoint: invalid (malformed, too large, failing a check: 4xx), unauthenticated (401: no or unknown routing key) or overloaded (429, or 503 on the Alertmanager webhook: backlog full, the pipeline too far behind, or too many bytes in flight)',
    labelNames: ['format', 'reason'] as const, registers,
  });
  const commitSeconds = new Histogram({
    name: 'opsloom_intake_commit_duration_seconds', help: 'Durable intake log commits (one per group of concurrent requests), including the flush',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1], registers,
  });
  const created = new Counter({ name: 'opsloom_alerts_created_total', help: 'Distinct alerts the pipeline stored (deliveries minus duplicates folded into open alerts)', registers });
  const delaySeconds = new Histogram({
    name: 'opsloom_pipeline_delay_seconds', help: 'From a batch being accepted to its alerts being deduplicated, correlated and stored',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers,
  });
  const visibleSeconds = new Histogram({
    name: 'opsloom_intake_visible_delay_seconds', help: 'From a batch this process accepted (committed to the intake log) to the pipeline storing its effects: the "visible in incidents within 1 s" promise',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 10, 30], registers,
  });
  const heldSeconds = new Histogram({
    name: 'opsloom_intake_held_seconds', help: 'How long batches were held before the intake log took them (or refused them), while the pipeline was more than OPSLOOM_INTAKE_MAX_LAG_MS behind',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2], registers,
  });
  const runSeconds = new Histogram({
    name: 'opsloom_pipeline_run_duration_seconds', help: 'One pipeline run: dedup and correlation, then its transaction (not the wait for the run before it to commit)',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1], registers,
  });
  const setAside = new Counter({
    name: 'opsloom_pipeline_set_aside_total', help: 'Intake log batches the database refused to store (a value it cannot hold), set aside so later batches go on', registers,
  });
  const opened = new Counter({ name: 'opsloom_incidents_opened_total', help: 'Incidents correlation opened', registers });
  const merged = new Counter({ name: 'opsloom_incidents_merged_total', help: 'Incidents merged into another because one failure explains both', registers });
  const resolved = new Counter({
    name: 'opsloom_incidents_resolved_total', help: 'Incidents resolved, by all their alerts resolving or by hand', labelNames: ['by'] as const, registers,
  });
  new Gauge({
    name: 'opsloom_intake_backlog_alerts', help: 'Alerts accepted by this process and not yet processed by the pipeline (refused above the limit)', registers,
    collect() {
      this.set(sources.backlog());
    },
  });
  new Gauge({
    name: 'opsloom_intake_lag_seconds', help: 'How long the oldest batch this process accepted has waited for the pipeline (new batches are held above OPSLOOM_INTAKE_MAX_LAG_MS)', registers,
    collect() {
      this.set(sources.lagSeconds());
    },
  });
  const pipelineGauge = (name: string, help: string, read: (state: { openAlerts: number; openIncidents: number }) => number) =>
    new Gauge({
      name, help: `${help} (absent where this instance does not run the pipeline)`, registers,
      collect() {
        const state = sources.pipeline();
        if (state) this.set(read(state));
        else this.reset();
      },
    });
  pipelineGauge('opsloom_alerts_open', 'Firing alerts held for dedup and correlation', (state) => state.openAlerts);
  pipelineGauge('opsloom_incidents_open', 'Open incidents correlation can still add alerts to', (state) => state.openIncidents);

  return {
    accepted(format: IntakeFormat, alerts: ReadonlyArray<{ status: 'firing' | 'resolved' }>): void {
      let firing = 0;
      for (const alert of alerts) if (alert.status === 'firing') firing++;
      if (firing > 0) deliveries.inc({ format, status: 'firing' }, firing);
      if (alerts.length > firing) deliveries.inc({ format, status: 'resolved' }, alerts.length - firing);
    },
    rejected: (format: IntakeFormat, reason: IntakeRejection) => rejected.inc({ format, reason }),
    committed: (seconds: number) => commitSeconds.observe(seconds),
    visible: (seconds: number) => visibleSeconds.observe(seconds),
    held: (seconds: number) => heldSeconds.observe(seconds),
    setAside: () => setAside.inc(),
    /** A pipeline run committed: when its batches arrived, how long it took, what it changed. */
    processed(run: { receivedAt: number[]; seconds: number; created: number; opened: number; merged: number; resolvedByAlerts: number; resolvedByHand: number }): void {
      const now = Date.now();
      for (const at of run.receivedAt) delaySeconds.observe(Math.max(0, now - at) / 1000);
      runSeconds.observe(run.seconds);
      created.inc(run.created);
      opened.inc(run.opened);
      merged.inc(run.merged);
      if (run.resolvedByAlerts > 0) resolved.inc({ by: 'alerts' }, run.resolvedByAlerts);
      if (run.resolvedByHand > 0) resolved.inc({ by: 'hand' }, run.resolvedByHand);
    },
  };
}

export type EventsMetrics = ReturnType<typeof createEventsMetrics>;
