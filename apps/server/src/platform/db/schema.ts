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
