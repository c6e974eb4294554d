import type { Generated } from 'kysely';

/**
 * Row types of every table, for Kysely. Times are epoch milliseconds (bigint) on both
 * databases and JSON is text on SQLite and jsonb on PostgreSQL; see docs/adr/0003.
 */
export interface Database {
  users: UsersTable;
  teams: TeamsTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  activity: ActivityTable;
  follows: FollowsTable;
  inbox: InboxTable;
  cis: CisTable;
  ci_relationships: CiRelationshipsTable;
  ci_history: CiHistoryTable;
  integrations: IntegrationsTable;
  event_log: EventLogTable;
  event_pipeline: EventPipelineTable;
  alerts: AlertsTable;
  incidents: IncidentsTable;
  incident_cis: IncidentCisTable;
  incident_labels: IncidentLabelsTable;
  alert_noise_daily: AlertNoiseDailyTable;
}

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  handle: string;
  role: string;
  password_hash: string | null;
  disabled_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface TeamsTable {
  id: string;
  slug: string;
  name: string;
  description: string;
  created_at: number;
  updated_at: number;
}

export interface MembershipsTable {
  team_id: string;
  user_id: string;
  role: string;
  created_at: number;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  token_hash: string;
  csrf_token: string;
  created_at: number;
  expires_at: number;
  last_seen_at: number;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  prefix: string;
  token_hash: string;
  created_at: number;
  last_used_at: number | null;
  expires_at: number | null;
  revoked_at: number | null;
}

export interface ActivityTable {
  id: Generated<number>;
  occurred_at: number;
  actor_id: string | null;
  actor_name: string | null;
  actor_handle: string | null;
  via: string;
  verb: string;
  subject_type: string;
  subject_id: string;
  subject_label: string;
  team_id: string | null;
  team_slug: string | null;
  team_name: string | null;
  summary: string;
  data: string;
  ip: string | null;
  user_agent: string | null;
}

export interface FollowsTable {
  user_id: string;
  subject_type: string;
  subject_id: string;
  label: string;
  created_at: number;
}

export interface InboxTable {
  id: string;
  user_id: string;
  activity_id: number;
  reason: string;
  read_at: number | null;
  created_at: number;
}

/** Events and incidents (migration 2026-11-21T22-00_events; docs/adr/0005). */
export interface IntegrationsTable {
  id: string;
  kind: string;
  name: string;
  team_id: string | null;
  routing_key: string;
  event_count: number;
  error_count: number;
  last_event_at: number | null;
  last_error_at: number | null;
  last_error: string | null;
  disabled_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface EventLogTable {
  id: Generated<number>;
  integration_id: string;
  received_at: number;
  alert_count: number;
  /** Summary of the batch's first alert, for the integration's "last events". */
  sample: string;
  body: string;
}

export interface EventPipelineTable {
  name: string;
  processed_id: number;
  updated_at: number;
}

export interface AlertsTable {
  id: string;
  integration_id: string;
  dedup_key: string;
  status: string;
  severity: string;
  summary: string;
  source: string;
  ci_id: string | null;
  ci_key: string | null;
  team_id: string | null;
  labels: string;
  incident_id: string | null;
  reason: string | null;
  count: number;
  starts_at: number;
  ends_at: number | null;
  first_seen_at: number;
  last_seen_at: number;
}

export interface IncidentsTable {
  id: string;
  number: number;
  title: string;
  severity: string;
  status: string;
  team_id: string | null;
  integration_id: string | null;
  root_ci_id: string | null;
  root_ci_key: string | null;
  root_explanation: string;
  /** JSON: RootAlternative[] (incidents.service.ts). */
  root_alternatives: Generated<string>;
  ci_keys: string;
  alert_count: number;
  open_alert_count: number;
  merged_into: string | null;
  started_at: number;
  last_alert_at: number;
  resolved_at: number | null;
  created_at: number;
  updated_at: number;
  /** What correlation needs after a restart (null before 2026-11-22T12-00): the first alert's summary, the integration's team. */
  first_summary: string | null;
  fallback_team_id: string | null;
  /** Alerts of this incident the alert retention deleted (2026-11-22T14-00). */
  pruned_alert_count: Generated<number>;
}

/** An open incident's alerting CIs in the order they joined, with each one's first alert time (events module). */
export interface IncidentCisTable {
  incident_id: string;
  position: number;
  ci_id: string;
  first_alert_at: number;
}

/** Running totals of the noise figure per event day, integration and team ('' for none) (events module). */
export interface AlertNoiseDailyTable {
  /** Days since 1970-01-01 (UTC) of the alerts' start. */
  day: number;
  integration_id: string;
  team_key: string;
  alerts: number;
  deliveries: number;
}

/** The label keys (`job=billing`) unmapped alerts joined an incident by, in order (events module). */
export interface IncidentLabelsTable {
  incident_id: string;
  position: number;
  label: string;
}

/** CMDB. `attributes` (object) and `tags` (array) are JSON: text on SQLite, jsonb on PostgreSQL. */
export interface CisTable {
  id: string;
  key: string;
  type: string;
  name: string;
  team_id: string | null;
  criticality: number;
  status: string;
  attributes: string;
  tags: string;
  created_at: number;
  updated_at: number;
}

export interface CiRelationshipsTable {
  id: string;
  from_id: string;
  to_id: string;
  type: string;
  created_at: number;
}

export interface CiHistoryTable {
  id: Generated<number>;
  at: number;
  actor_id: string | null;
  actor_name: string;
  subject_type: string;
  action: string;
  ci_id: string;
  ci_key: string;
  ci_name: string;
  ci_type: string;
  related_ci_id: string | null;
  related_ci_key: string | null;
  related_ci_name: string | null;
  related_ci_type: string | null;
  relationship_id: string | null;
  summary: string;
  changes: string;
}
