import { Select, SegmentedControl } from '@mantine/core';
import { PageHeader } from '../../ui/PageHeader';
import { useCurrentUser } from '../auth/session';
import { useUsers } from '../people/people-queries';
import { useTeams } from '../teams/team-queries';
import { ActivityFeed } from './ActivityFeed';
import type { ActivityFilters } from './activity-queries';
import { useUrlParams } from '../../ui/use-url-params';

/** Everything happening across Opsloom. Filters live in the URL so a view can be shared. */
export function ActivityPage() {
  const user = useCurrentUser();
  const [params, setParam] = useUrlParams();
  const teams = useTeams();
  // Requesters may not list people; the person filter is for staff.
  const canListPeople = user.role !== 'requester';
  const people = useUsers({}, { enabled: canListPeople });

  const filters: ActivityFilters = {
    team: params.get('team') ?? undefined,
    actor: params.get('actor') ?? undefined,
    following: params.get('following') === 'true' || undefined,
  };
  const toolbar = (
    <>
      <SegmentedControl
        size="xs"
        value={filters.following ? 'following' : 'all'}
        onChange={(value) => setParam('following', value === 'following' ? 'true' : null)}
        data={[
          { value: 'all', label: 'Everything' },
          { value: 'following', label: 'Following only' },
        ]}
        aria-label="Show"
      />
      <Select
        size="xs"
        w={170}
        placeholder="All teams"
        aria-label="Team"
        clearable
        searchable
        value={filters.team ?? null}
        onChange={(value) => setParam('team', value)}
        data={(teams.data?.items ?? []).map((team) => ({ value: team.slug, label: team.name }))}
      />
      {canListPeople && (
        <Select
          size="xs"
          w={190}
          placeholder="All people"
          aria-label="Person"
          clearable
          searchable
          value={filters.actor ?? null}
          onChange={(value) => setParam('actor', value)}
          data={(people.data?.items ?? []).map((person) => ({ value: person.handle, label: person.name }))}
        />
      )}
    </>
  );

  return (
    <>
      <PageHeader title="Activity" description="Everything every team does, as it happens." />
      <ActivityFeed
        filters={filters}
        toolbar={toolbar}
        emptyText={filters.following ? 'Follow teams and people to see their activity here.' : undefined}
      />
    </>
  );
}
