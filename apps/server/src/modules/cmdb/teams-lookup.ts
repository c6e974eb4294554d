import type { IdentityServices } from '../identity/index.js';
import { invalid } from '../../platform/errors.js';
import type { TeamLookup } from './cmdb.presenter.js';

/** Teams by id and slug through identity's service (the CMDB never reads identity's tables). */
export async function loadTeams(identity: IdentityServices): Promise<TeamLookup> {
  const teams = await identity.teams.list();
  const byId = new Map<string, { id: string; slug: string; name: string }>();
  const bySlug = new Map<string, { id: string; slug: string; name: string }>();
  for (const team of teams) {
    const ref = { id: team.id, slug: team.slug, name: team.name };
    byId.set(team.id, ref);
    bySlug.set(team.slug, ref);
  }
  return { byId, bySlug };
}

/** A team slug (or id) from the API → its id; undefined stays undefined (not given), null clears. */
export function resolveTeam(teams: TeamLookup, value: string | null | undefined, field = 'team'): string | null | undefined {
  if (value === undefined || value === null) return value;
  const team = teams.bySlug.get(value.toLowerCase()) ?? teams.byId.get(value);
  if (!team) throw invalid(field, `no team with slug "${value}"`);
  return team.id;
}
