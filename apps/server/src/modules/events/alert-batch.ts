import { type CiHintSource, type GroupingLabels, labelFields, type NormalizedAlert } from './normalized.js';

/**
 * A batch of normalised alerts as one flat array of strings and numbers: how a batch crosses
 * from an intake thread to the main thread (structured clone of primitives costs a fraction
 * of cloning or re-parsing objects) and, as JSON, what the intake log stores (docs/adr/0005).
 * The first element names the layout, so the log can hold older layouts too.
 */
export type FlatBatch = Array<string | number | null>;

const LAYOUT = 'alerts/1';

export function flattenBatch(alerts: NormalizedAlert[]): FlatBatch {
  const flat: FlatBatch = [LAYOUT, alerts.length];
  for (const a of alerts) {
    flat.push(
      a.dedupKey, a.status, a.acknowledge ? 1 : 0, a.severity, a.summary, a.source, a.labelsJson,
      a.grouping.service ?? null, a.grouping.job ?? null, a.grouping.alertname ?? null, a.startsAt, a.endsAt, a.hints.length,
    );
    for (const [by, value] of a.hints) flat.push(by, value);
  }
  return flat;
}

export function unflattenBatch(flat: FlatBatch): NormalizedAlert[] {
  if (flat[0] !== LAYOUT) throw new Error(`unknown alert batch layout ${String(flat[0])}`);
  const count = flat[1] as number;
  const alerts: NormalizedAlert[] = new Array(count);
  let i = 2;
  for (let n = 0; n < count; n++) {
    const grouping: GroupingLabels = {};
    if (flat[i + 7] !== null) grouping.service = flat[i + 7] as string;
    if (flat[i + 8] !== null) grouping.job = flat[i + 8] as string;
    if (flat[i + 9] !== null) grouping.alertname = flat[i + 9] as string;
    const hintCount = flat[i + 12] as number;
    const hints: Array<[CiHintSource, string]> = new Array(hintCount);
    for (let h = 0; h < hintCount; h++) hints[h] = [flat[i + 13 + 2 * h] as CiHintSource, flat[i + 14 + 2 * h] as string];
    alerts[n] = {
      dedupKey: flat[i] as string,
      status: flat[i + 1] as NormalizedAlert['status'],
      ...(flat[i + 2] === 1 ? { acknowledge: true } : {}),
      severity: flat[i + 3] as NormalizedAlert['severity'],
      summary: flat[i + 4] as string,
      source: flat[i + 5] as string,
      labelsJson: flat[i + 6] as string,
      grouping,
      hints,
      startsAt: flat[i + 10] as number,
      endsAt: flat[i + 11] as number | null,
    };
    i += 13 + 2 * hintCount;
  }
  return alerts;
}

/** A log row's body as its batch: this layout, or the objects the first release logged (`labels` as an object). */
export function batchFromLogBody(body: string): NormalizedAlert[] {
  const parsed = JSON.parse(body) as FlatBatch | Array<Omit<NormalizedAlert, 'labelsJson' | 'grouping'> & { labels: Record<string, string> }>;
  if (parsed.length > 0 && typeof parsed[0] === 'object' && parsed[0] !== null) {
    return (parsed as Array<Omit<NormalizedAlert, 'labelsJson' | 'grouping'> & { labels: Record<string, string> }>).map(({ labels, ...alert }) => ({
      ...alert,
      ...labelFields(labels),
    }));
  }
  return parsed.length === 0 ? [] : unflattenBatch(parsed as FlatBatch);
}
