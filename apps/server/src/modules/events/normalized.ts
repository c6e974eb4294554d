import type { AlertSeverity } from '@opsloom/api';
import type { CiInfo, TopologyView } from './topology.js';

/** Where a CI name came from, in the mapping order. */
export type CiHintSource = 'ci' | 'instance' | 'host' | 'hostname' | 'source' | 'component' | 'service';

/**
 * One alert in Opsloom's own shape, whatever sent it: what the intake log stores and the
 * pipeline consumes. Event times are epoch milliseconds.
 */
export interface NormalizedAlert {
  dedupKey: string;
  status: 'firing' | 'resolved';
  /** PagerDuty `acknowledge`: counted, changes nothing else. */
  acknowledge?: boolean;
  severity: AlertSeverity;
  summary: string;
  source: string;
  labels: Record<string, string>;
  hints: Array<[CiHintSource, string]>;
  startsAt: number;
  endsAt: number | null;
}

/** `host:9100`, `[::1]:9100` → the host part; a bare IPv6 address stays whole. */
export function stripPort(instance: string): string {
  if (instance.startsWith('[')) {
    const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(instance);
    if (bracketed) return bracketed[1];
  }
  // Searched, not split: this runs for every alert with an `instance` label.
  const colon = instance.indexOf(':');
  if (colon < 0 || instance.includes(':', colon + 1) || colon === instance.length - 1) return instance;
  for (let i = colon + 1; i < instance.length; i++) {
    const ch = instance.charCodeAt(i);
    if (ch < 0x30 || ch > 0x39) return instance;
  }
  return instance.slice(0, colon);
}

/** CI hints from labels, in the contract's order: `ci`, `instance` (port stripped), `host`, `hostname`, then `service` last. */
export function labelHints(labels: Record<string, string>, extra: Array<[CiHintSource, string]> = []): Array<[CiHintSource, string]> {
  const hints: Array<[CiHintSource, string]> = [];
  if (labels.ci) hints.push(['ci', labels.ci]);
  if (labels.instance) hints.push(['instance', stripPort(labels.instance)]);
  if (labels.host) hints.push(['host', labels.host]);
  if (labels.hostname) hints.push(['hostname', labels.hostname]);
  hints.push(...extra);
  if (labels.service) hints.push(['service', labels.service]);
  return hints;
}

/** The first hint that names a CI wins; `ci` is a key only, `service` only a service CI. */
export function mapCi(hints: Array<[CiHintSource, string]>, topology: TopologyView): CiInfo | null {
  for (const [by, value] of hints) {
    if (by === 'ci') {
      const ci = topology.ciByKey(value);
      if (ci) return ci;
    } else if (by === 'service') {
      const ci = topology.ciByKey(value);
      if (ci && ci.type === 'service') return ci;
    } else {
      const ci = topology.ciByKey(value) ?? topology.findByHost(value);
      if (ci) return ci;
    }
  }
  return null;
}
