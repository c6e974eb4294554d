import { Anchor, Avatar, Badge, Group, Stack, Text } from '@mantine/core';
import type { Activity } from '@opsloom/api';
import { Link } from 'react-router';
import { initials } from '../../ui/initials';
import { RelativeTime } from '../../ui/RelativeTime';

/**
 * Some summaries start with the actor's name ("Ana Silva signed in"), others read after
 * it ("created team Network"). Either way the actor is shown once, as a link.
 */
function restOfSummary(item: Activity): string {
  const name = item.actor?.name;
  return name && item.summary.startsWith(name) ? item.summary.slice(name.length).trimStart() : item.summary;
}

export function ActivityItem({ item, fresh = false }: { item: Activity; fresh?: boolean }) {
  return (
    <Group
      gap="sm"
      wrap="nowrap"
      align="flex-start"
      px="md"
      py={9}
      className={fresh ? 'activity-row activity-row--fresh' : 'activity-row'}
      data-testid="activity-item"
      data-activity-id={item.id}
    >
      <Avatar size={28} radius="xl" color={item.actor ? 'indigo' : 'gray'} variant="light" mt={2}>
        {item.actor ? initials(item.actor.name) : 'OL'}
      </Avatar>
      <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
        <Text size="sm" lh={1.45}>
          {item.actor ? (
            <Anchor component={Link} to={`/people/${item.actor.handle}`} fw={600} c="inherit">{item.actor.name}</Anchor>
          ) : (
            <Text span fw={600}>Opsloom</Text>
          )}{' '}
          {restOfSummary(item)}
        </Text>
        <Group gap={8}>
          <RelativeTime value={item.occurredAt} />
          {item.team && (
            <Badge component={Link} to={`/teams/${item.team.slug}`} size="xs" variant="light" color="indigo" tt="none" style={{ cursor: 'pointer' }}>
              {item.team.name}
            </Badge>
          )}
          <Text size="xs" c="dimmed" ff="monospace">{item.verb}</Text>
        </Group>
      </Stack>
    </Group>
  );
}
