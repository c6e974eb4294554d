import { Badge, Button, Card, Group, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconPlus, IconSearch, IconUsersGroup } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { PageHeader } from '../../ui/PageHeader';
import { RelativeTime } from '../../ui/RelativeTime';
import { EmptyState, ErrorState, LoadingState } from '../../ui/states';
import { useCurrentUser } from '../auth/session';
import { useTeams } from './team-queries';
import { CreateTeamModal } from './TeamFormModal';

export function TeamsPage() {
  const user = useCurrentUser();
  const teams = useTeams();
  const [filter, setFilter] = useState('');
  const [creating, { open, close }] = useDisclosure(false);
  const needle = filter.trim().toLowerCase();
  const shown = (teams.data?.items ?? []).filter((team) => !needle || `${team.name} ${team.slug} ${team.description}`.toLowerCase().includes(needle));

  return (
    <>
      <PageHeader
        title="Teams"
        description="Who runs what. Open a team to see its people and what it is doing."
        actions={user.role === 'admin' && <Button leftSection={<IconPlus size={16} />} onClick={open}>Create team</Button>}
      />
      <TextInput placeholder="Filter teams" leftSection={<IconSearch size={16} />} mb="md" maw={320} value={filter} onChange={(e) => setFilter(e.currentTarget.value)} aria-label="Filter teams" />
      {teams.isPending && <LoadingState />}
      {teams.isError && <ErrorState error={teams.error} />}
      {teams.isSuccess && shown.length === 0 && (
        <EmptyState title={needle ? 'No team matches' : 'No teams yet'} icon={<IconUsersGroup size={22} />}>
          {needle ? 'Try another name.' : user.role === 'admin' ? 'Create the first team to organise people.' : 'An admin has not created any team yet.'}
        </EmptyState>
      )}
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md">
        {shown.map((team) => (
          <Card key={team.id} withBorder padding="md" radius="md" component={Link} to={`/teams/${team.slug}`} data-testid="team-card">
            <Stack gap={6}>
              <Group justify="space-between" wrap="nowrap">
                <Text fw={600} truncate>{team.name}</Text>
                <Badge variant="light" color="gray" size="sm">{team.memberCount} {team.memberCount === 1 ? 'member' : 'members'}</Badge>
              </Group>
              <Text size="sm" c="dimmed" lineClamp={2} mih={38}>{team.description || 'No description.'}</Text>
              <Group gap={4}>
                <Text size="xs" c="dimmed" ff="monospace">{team.slug}</Text>
                <Text size="xs" c="dimmed">· created</Text>
                <RelativeTime value={team.createdAt} />
              </Group>
            </Stack>
          </Card>
        ))}
      </SimpleGrid>
      <CreateTeamModal opened={creating} onClose={close} />
    </>
  );
}
