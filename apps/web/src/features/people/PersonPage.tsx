import { Anchor, Avatar, Badge, Breadcrumbs, Card, Divider, Grid, Group, Stack, Text, Title } from '@mantine/core';
import { Link, useParams } from 'react-router';
import { initials } from '../../ui/initials';
import { RelativeTime } from '../../ui/RelativeTime';
import { ErrorState, LoadingState } from '../../ui/states';
import { ActivityFeed } from '../activity/ActivityFeed';
import { FollowButton } from '../activity/FollowButton';
import { UserAdminControls } from '../admin/users/UserAdminControls';
import { useCurrentUser } from '../auth/session';
import { RoleBadge } from './PeopleTable';
import { useUser } from './people-queries';

export function PersonPage() {
  const { handle = '' } = useParams();
  const me = useCurrentUser();
  const person = useUser(handle);
  if (person.isPending) return <LoadingState />;
  if (person.isError) return <ErrorState error={person.error} title="Could not load this person" />;
  const data = person.data;
  const isSelf = data.id === me.id;
  return (
    <>
      <Breadcrumbs mb="xs" separatorMargin={6}>
        <Anchor component={Link} to="/people" size="sm">People</Anchor>
        <Text size="sm" c="dimmed">@{data.handle}</Text>
      </Breadcrumbs>
      <Group justify="space-between" align="flex-start" mb="lg" wrap="wrap">
        <Group gap="md" wrap="nowrap">
          <Avatar size={56} radius="xl" color="indigo">{initials(data.name)}</Avatar>
          <Stack gap={2}>
            <Group gap="xs">
              <Title order={2} size="h3">{data.name}</Title>
              <RoleBadge role={data.role} />
              {data.disabled && <Badge color="red" variant="outline" size="sm">disabled</Badge>}
            </Group>
            <Text size="sm" c="dimmed">@{data.handle} · {data.email}</Text>
          </Stack>
        </Group>
        <Group gap="xs">
          {!isSelf && <FollowButton subjectType="user" subjectId={data.id} />}
          {me.role === 'admin' && !isSelf && <UserAdminControls user={data} />}
        </Group>
      </Group>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 8 }} order={{ base: 2, md: 1 }}>
          <ActivityFeed filters={{ actor: data.handle }} toolbar={<Text fw={600} size="sm">{isSelf ? 'Your activity' : `Activity by ${data.name}`}</Text>} emptyText="No activity from this person yet." />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }} order={{ base: 1, md: 2 }}>
          <Card withBorder padding={0} radius="md">
            <Text fw={600} size="sm" px="md" py="xs">Teams</Text>
            <Divider />
            <Stack gap={0} py={4}>
              {data.teams.length === 0 && <Text size="sm" c="dimmed" px="md" py="sm">Not in any team.</Text>}
              {data.teams.map((membership) => (
                <Group key={membership.team.id} justify="space-between" px="md" py={8}>
                  <Anchor component={Link} to={`/teams/${membership.team.slug}`} size="sm" fw={500}>{membership.team.name}</Anchor>
                  {membership.role === 'lead' && <Badge size="sm" variant="light">Lead</Badge>}
                </Group>
              ))}
            </Stack>
            <Divider />
            <Group gap={4} px="md" py="xs">
              <Text size="xs" c="dimmed">Joined</Text>
              <RelativeTime value={data.createdAt} />
            </Group>
          </Card>
        </Grid.Col>
      </Grid>
    </>
  );
}
