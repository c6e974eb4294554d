import { createHash } from 'node:crypto';
import { type AlertSeverity, type alertmanagerWebhookBody, type genericEvent, intakeLimits, type pagerDutyEvent } from '@opsloom/api';
import type { z } from 'zod';
import { truncate } from '../../platform/text.js';
import { type CiHintSource, labelHints, type NormalizedAlert } from './normalized.js';

/** Problems found in a batch, each `field: problem`; the batch is rejected whole when any. */
export class IntakeProblems {
  readonly problems: string[] = [];
  private base = 'body';
  private index = -1;

  add(field: string, problem: string): void {
    if (this.problems.length < 20) this.problems.push(`${field}: ${problem}`);
  }

  /**
   * Names the item being checked (`body.alerts`, 3), so `addAt('startsAt', …)` says
   * `body.alerts.3.startsAt`. The path is built only for a problem, not for every alert.
   */
  item(base: string, index = -1): void {
    this.base = base;
    this.index = index;
  }

  addAt(name: string, problem: string): void {
    this.add(this.index < 0 ? `${this.base}.${name}` : `${this.base}.${this.index}.${name}`, problem);
  }

  get ok(): boolean {
    return this.problems.length === 0;
  }
}

const amSeverity: Record<string, AlertSeverity> = {
  critical: 'critical', page: 'critical', emergency: 'critical', high: 'major', error: 'major', major: 'major',
  minor: 'minor', medium: 'minor', warning: 'warning', warn: 'warning', low: 'warning', info: 'info', informational: 'info', none: 'info',
};
const pdSeverity: Record<string, AlertSeverity> = { critical: 'critical', error: 'major', warning: 'warning', info: 'info' };

const hash = (...parts: string[]) => createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);

/**
 * Event time: RFC 3339 (any fraction digits) within the documented bounds, else a problem.
 * `field` is the name within the item being checked (`IntakeProblems.item`).
 */
export function eventTime(value: string | undefined, field: string, arrival: number, problems: IntakeProblems): number {
  if (value === undefined || value === '') return arrival;
  const ms = Date.parse(value);
  if (!Number.isFinite(ms) || !/^\d{4}-\d\d-\d\dT/.test(value)) {
    problems.addAt(field, 'not an RFC 3339 timestamp');
    return arrival;
  }
  if (ms < arrival - intakeLimits.maxPastMs) problems.addAt(field, 'more than one year in the past');
  if (ms > arrival + intakeLimits.maxFutureMs) problems.addAt(field, 'more than one day in the future');
  return ms;
}

/** Alertmanager's zero time (`0001-01-01T00:00:00Z`) means "no end yet". */
function endTime(value: string | undefined): number | null {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) && ms > 0 ? ms : null;
}

export function checkLabels(labels: Record<string, string> | undefined, field: string, problems: IntakeProblems): void {
  if (!labels) return;
  // A loop over the keys, not Object.entries: this runs twice per alert, and the pairs it made were a measurable share of intake's garbage.
  let count = 0;
  for (const name in labels) if (Object.hasOwn(labels, name)) count++;
  if (count > intakeLimits.maxLabels) problems.addAt(field, `more than ${intakeLimits.maxLabels} labels`);
  for (const name in labels) {
    if (!Object.hasOwn(labels, name)) continue;
    const value = labels[name];
    if (name.length > intakeLimits.maxLabelNameLength) problems.addAt(`${field}.${name.slice(0, 40)}…`, `label name longer than ${intakeLimits.maxLabelNameLength}`);
    if (value.length > intakeLimits.maxLabelValueLength) problems.addAt(`${field}.${name}`, `label value longer than ${intakeLimits.maxLabelValueLength}`);
  }
}

type AmBody = z.output<typeof alertmanagerWebhookBody>;

export function fromAlertmanager(body: AmBody, arrival: number, problems: IntakeProblems): NormalizedAlert[] {
  return body.alerts.map((alert, i) => {
    problems.item('body.alerts', i);
    checkLabels(alert.labels, 'labels', problems);
    checkLabels(alert.annotations, 'annotations', problems);
    const startsAt = eventTime(alert.startsAt, 'startsAt', arrival, problems);
    const labels = alert.labels;
    const summary = alert.annotations?.summary ?? alert.annotations?.description ?? labels.alertname ?? 'alert';
    return {
      dedupKey: alert.fingerprint ?? hash(...Object.entries(labels).sort().flat()),
      status: alert.status,
      severity: amSeverity[(labels.severity ?? '').toLowerCase()] ?? 'warning',
      summary: truncate(summary, intakeLimits.maxSummaryLength),
      // Label values may be 1,024 characters long; a source is at most 255.
      source: truncate(labels.job ?? 'alertmanager', intakeLimits.maxSourceLength),
      labels,
      hints: labelHints(labels),
      startsAt,
      endsAt: alert.status === 'resolved' ? endTime(alert.endsAt) ?? arrival : null,
    };
  });
}

type GenericEvent = z.output<typeof genericEvent>;

export function fromGeneric(events: GenericEvent[], arrival: number, problems: IntakeProblems): NormalizedAlert[] {
  return events.map((event, i) => {
    problems.item('body', i);
    const labels = event.labels ?? {};
    checkLabels(labels, 'labels', problems);
    const startsAt = eventTime(event.occurredAt, 'occurredAt', arrival, problems);
    const extra: Array<[CiHintSource, string]> = [];
    // The event's own `ci` names a CI key or a host: it comes first, then the labels.
    const hints = event.ci ? [['ci', event.ci] as [CiHintSource, string], ['host', event.ci] as [CiHintSource, string], ...labelHints(labels, extra)] : labelHints(labels, extra);
    return {
      dedupKey: event.fingerprint ?? hash(event.source, event.ci ?? '', event.summary),
      status: event.status, severity: event.severity, summary: event.summary, source: event.source, labels, hints, startsAt,
      endsAt: event.status === 'resolved' ? startsAt : null,
    };
  });
}

type PdEvent = z.output<typeof pagerDutyEvent>;

/**
 * Alertmanager's PagerDuty receiver puts the labels only into `custom_details.firing`
 * ("Labels:\n - instance = stor-01:9100 …"); reading them back lets such events map to CIs
 * even when `source` is just "Alertmanager".
 */
export function labelsFromAlertmanagerDetails(details: unknown): Record<string, string> {
  if (!details || typeof details !== 'object') return {};
  const text = (details as Record<string, unknown>).firing || (details as Record<string, unknown>).resolved;
  if (typeof text !== 'string') return {};
  const block = /Labels:\n((?: - [^\n]*\n)+)/.exec(text);
  const labels: Record<string, string> = {};
  for (const line of block?.[1].split('\n') ?? []) {
    const m = /^ - ([A-Za-z_][A-Za-z0-9_]*) = (.*)$/.exec(line);
    if (m) labels[m[1]] = truncate(m[2], intakeLimits.maxLabelValueLength);
  }
  return labels;
}

export function fromPagerDuty(event: PdEvent, dedupKey: string, arrival: number, problems: IntakeProblems): NormalizedAlert {
  const payload = event.payload;
  const detailLabels = labelsFromAlertmanagerDetails(payload?.custom_details);
  const labels: Record<string, string> = { ...detailLabels };
  if (payload?.group) labels.group = payload.group;
  if (payload?.class) labels.class = payload.class;
  if (payload?.component) labels.component = payload.component;
  const extra: Array<[CiHintSource, string]> = [];
  if (payload?.source) extra.push(['source', payload.source]);
  if (payload?.component) extra.push(['component', payload.component]);
  problems.item('payload');
  const startsAt = eventTime(payload?.timestamp, 'timestamp', arrival, problems);
  return {
    dedupKey,
    status: event.event_action === 'resolve' ? 'resolved' : 'firing',
    ...(event.event_action === 'acknowledge' ? { acknowledge: true } : {}),
    severity: pdSeverity[payload?.severity ?? 'warning'] ?? 'warning',
    summary: (payload?.summary ?? dedupKey).replace(/^\[(FIRING|RESOLVED)(:\d+)?\] /, ''),
    source: payload?.source ?? 'pagerduty',
    labels,
    hints: labelHints(detailLabels, extra),
    startsAt,
    endsAt: event.event_action === 'resolve' ? arrival : null,
  };
}
