import type { AlertReason as ApiAlertReason } from '@opsloom/api';
import type { AlertReason } from './correlation-state.js';

/** The console's sentence for a stored reason: why this alert joined this incident. */
export function presentReason(stored: AlertReason): ApiAlertReason {
  const within = `${stored.gapSeconds}s from the incident's previous alert, within the correlation window`;
  const path = stored.path.join(' → ');
  const text = {
    opened: 'first alert of a new incident: no open incident within the window is related',
    same_fingerprint: `same fingerprint as an alert already in the incident; ${within}`,
    same_ci: `same CI ${stored.ci} as alerts already in the incident; ${within}`,
    explained_by_root: `${stored.ci} is impacted by the root cause ${stored.relatedCi} (dependency path ${path}); ${within}`,
    upstream_of_root: `${stored.ci} is upstream of the incident's other CIs and became its root cause (path ${path}); ${within}`,
    common_upstream: `${stored.ci} and the incident's CIs share the upstream CI ${stored.via}` +
      (stored.relatedCi === stored.via ? `, now the root cause (path ${path}); ${within}` : `; the root cause is ${stored.relatedCi}, which does not impact ${stored.ci}; ${within}`),
    shared_labels: `unmapped alert sharing ${stored.via} with the incident's alerts; ${within}`,
    merged: `moved here when incident ${stored.via ?? ''} merged into this one` +
      (stored.relatedCi ? `: its root cause ${stored.relatedCi} explains the alerts of both` : ''),
  }[stored.rule];
  return { rule: stored.rule, text, path: stored.path, relatedCi: stored.relatedCi, gapSeconds: stored.gapSeconds };
}

export const decodeReason = (json: string | null) => (json ? presentReason(JSON.parse(json) as AlertReason) : null);
