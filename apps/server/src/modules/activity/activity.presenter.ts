import type { Activity, AuditEntry } from '@opsloom/api';
import type { ActivityRow } from '../../platform/activity/activity-row.js';
import { toIso } from '../../platform/ids.js';

export function presentActivity(row: ActivityRow): Activity {
  return {
    id: String(row.id),
    occurredAt: toIso(row.occurred_at),
    actor: row.actor_id ? { id: row.actor_id, name: row.actor_name ?? '', handle: row.actor_handle ?? '' } : null,
    verb: row.verb,
    subject: { type: row.subject_type, id: row.subject_id, label: row.subject_label },
    team: row.team_id ? { id: row.team_id, slug: row.team_slug ?? '', name: row.team_name ?? '' } : null,
    summary: row.summary,
    data: row.data,
  };
}

export function presentAudit(row: ActivityRow): AuditEntry {
  return { ...presentActivity(row), ip: row.ip, userAgent: row.user_agent, via: row.via as 'session' | 'token' | 'system' };
}
