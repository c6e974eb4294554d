import type { ApiToken, Role, Team, User } from '@opsloom/api';
import { toIso, toIsoOrNull } from '../../platform/ids.js';
import type { MembershipView, TeamRow, TokenRow, UserRow } from './identity.repo.js';

export function presentTeam(row: TeamRow, memberCount: number): Team {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    memberCount,
    createdAt: toIso(row.created_at),
  };
}

export function presentUser(row: UserRow, memberships: MembershipView[]): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    handle: row.handle,
    role: row.role as Role,
    teams: memberships
      .filter((m) => m.user_id === row.id)
      .map((m) => ({ team: { id: m.team_id, slug: m.team_slug, name: m.team_name }, role: m.role as 'member' | 'lead' })),
    disabled: row.disabled_at !== null,
    createdAt: toIso(row.created_at),
  };
}

export function presentToken(row: TokenRow & { owner_name: string; owner_handle: string; owner_email: string }): ApiToken {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    owner: { id: row.user_id, name: row.owner_name, handle: row.owner_handle, email: row.owner_email },
    createdAt: toIso(row.created_at),
    lastUsedAt: toIsoOrNull(row.last_used_at),
    expiresAt: toIsoOrNull(row.expires_at),
    revokedAt: toIsoOrNull(row.revoked_at),
  };
}
