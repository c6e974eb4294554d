import { Anchor, Avatar, Badge, Card, Group, Stack, Table, Text } from '@mantine/core';
import type { User } from '@opsloom/api';
import { Link } from 'react-router';
import { initials } from '../../ui/initials';
import { UserAdminControls } from '../admin/users/UserAdminControls';

const roleColor: Record<User['role'], string> = { admin: 'red', operator: 'indigo', viewer: 'gray', requester: 'yellow' };

export function RoleBadge({ role }: { role: User['role'] }) {
  return <Badge size="sm" variant="light" color={roleColor[role]}>{role}</Badge>;
}

export function PeopleTable({ people, admin }: { people: User[]; admin: boolean }) {
  return (
    <Card withBorder padding={0} radius="md">
      <Table.ScrollContainer minWidth={640}>
        <Table verticalSpacing={8} horizontalSpacing="md" highlightOnHover data-testid="people-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Teams</Table.Th>
              <Table.Th>Role</Table.Th>
              {admin && <Table.Th>Manage</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {people.map((person) => (
              <Table.Tr key={person.id} opacity={person.disabled ? 0.6 : 1}>
                <Table.Td>
                  <Group gap="sm" wrap="nowrap">
                    <Avatar size={30} radius="xl" color="indigo" variant="light">{initials(person.name)}</Avatar>
                    <Stack gap={0}>
                      <Anchor component={Link} to={`/people/${person.handle}`} size="sm" fw={500} c="inherit">{person.name}</Anchor>
                      <Text size="xs" c="dimmed">@{person.handle} · {person.email}</Text>
                    </Stack>
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {person.teams.length === 0 && <Text size="xs" c="dimmed">—</Text>}
                    {person.teams.map((membership) => (
                      <Badge key={membership.team.id} component={Link} to={`/teams/${membership.team.slug}`} size="sm" variant={membership.role === 'lead' ? 'light' : 'outline'} color="gray" tt="none" style={{ cursor: 'pointer' }}>
                        {membership.team.name}{membership.role === 'lead' ? ' · lead' : ''}
                      </Badge>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    <RoleBadge role={person.role} />
                    {person.disabled && <Badge size="sm" color="red" variant="outline">disabled</Badge>}
                  </Group>
                </Table.Td>
                {admin && (
                  <Table.Td>
                    <UserAdminControls user={person} />
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Card>
  );
}
