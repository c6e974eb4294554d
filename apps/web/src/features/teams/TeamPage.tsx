import { Anchor, Breadcrumbs, Button, Grid, Group, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconPencil, IconTrash } from '@tabler/icons-react';
import { Link, useParams } from 'react-router';
import { PageHeader } from '../../ui/PageHeader';
import { ErrorState, LoadingState } from '../../ui/states';
import { ActivityFeed } from '../activity/ActivityFeed';
import { FollowButton } from '../activity/FollowButton';
import { useCurrentUser } from '../auth/session';
import { DeleteTeamModal } from './DeleteTeamModal';
import { MembersCard } from './MembersCard';
import { useTeam } from './team-queries';
import { EditTeamModal } from './TeamFormModal';

export function TeamPage() {
  const { slug = '' } = useParams();
  const user = useCurrentUser();
  const team = useTeam(slug);
  const [editing, { open, close }] = useDisclosure(false);
  const [deleting, del] = useDisclosure(false);
  const isAdmin = user.role === 'admin';

  if (team.isPending) return <LoadingState />;
  if (team.isError) return <ErrorState error={team.error} title="Could not load this team" />;
  const data = team.data;
  return (
    <>
      <Breadcrumbs mb="xs" separatorMargin={6}>
        <Anchor component={Link} to="/teams" size="sm">Teams</Anchor>
        <Text size="sm" c="dimmed">{data.slug}</Text>
      </Breadcrumbs>
      <PageHeader
        title={data.name}
        description={data.description || 'No description.'}
        actions={
          <Group gap="xs">
            <FollowButton subjectType="team" subjectId={data.id} />
            {isAdmin && <Button size="xs" variant="default" leftSection={<IconPencil size={14} />} onClick={open}>Edit</Button>}
            {isAdmin && <Button size="xs" variant="default" leftSection={<IconTrash size={14} />} onClick={del.open}>Delete</Button>}
          </Group>
        }
      />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 8 }} order={{ base: 2, md: 1 }}>
          <ActivityFeed filters={{ team: data.slug }} toolbar={<Text fw={600} size="sm">Team activity</Text>} emptyText="Nothing has happened in this team yet." />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }} order={{ base: 1, md: 2 }}>
          <MembersCard slug={data.slug} canManage={isAdmin} />
        </Grid.Col>
      </Grid>
      {isAdmin && <EditTeamModal team={data} opened={editing} onClose={close} />}
      {deleting && <DeleteTeamModal team={data} opened={deleting} onClose={del.close} />}
    </>
  );
}
