import { ActionIcon, Anchor, Avatar, Badge, Button, Card, Divider, Group, Select, Stack, Text, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconUserMinus, IconUserPlus } from '@tabler/icons-react';
import { Link } from 'react-router';
import { initials } from '../../ui/initials';
import { notifyError, notifySuccess } from '../../ui/notify';
import { EmptyState, ErrorState, LoadingState } from '../../ui/states';
import { AddMemberModal } from './AddMemberModal';
import { usePutMember, useRemoveMember, useTeamMembers } from './team-queries';

export function MembersCard({ slug, canManage }: { slug: string; canManage: boolean }) {
  const members = useTeamMembers(slug);
  const put = usePutMember(slug);
  const remove = useRemoveMember(slug);
  const [adding, { open, close }] = useDisclosure(false);
  const items = members.data?.items ?? [];

  return (
    <Card withBorder padding={0} radius="md">
      <Group justify="space-between" px="md" py="xs">
        <Text fw={600} size="sm">Members {members.isSuccess && <Text span c="dimmed" size="sm">· {items.length}</Text>}</Text>
        {canManage && <Button size="xs" variant="light" leftSection={<IconUserPlus size={14} />} onClick={open}>Add</Button>}
      </Group>
      <Divider />
      {members.isPending && <LoadingState />}
      {members.isError && <ErrorState error={members.error} />}
      {members.isSuccess && items.length === 0 && <EmptyState title="No members yet" />}
      <Stack gap={0} data-testid="team-members">
        {items.map((member) => (
          <Group key={member.user.id} px="md" py={8} gap="sm" wrap="nowrap" justify="space-between">
            <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
              <Avatar size={28} radius="xl" color="indigo" variant="light">{initials(member.user.name)}</Avatar>
              <Stack gap={0} style={{ minWidth: 0 }}>
                <Anchor component={Link} to={`/people/${member.user.handle}`} size="sm" fw={500} c="inherit" truncate>{member.user.name}</Anchor>
                <Text size="xs" c="dimmed" truncate>@{member.user.handle}</Text>
              </Stack>
            </Group>
            {canManage ? (
              <Group gap={4} wrap="nowrap">
                <Select
                  size="xs"
                  w={96}
                  aria-label={`Team role of ${member.user.name}`}
                  allowDeselect={false}
                  data={[{ value: 'member', label: 'Member' }, { value: 'lead', label: 'Lead' }]}
                  value={member.role}
                  onChange={(value) =>
                    put.mutate({ user: member.user.handle, role: value === 'lead' ? 'lead' : 'member' }, { onSuccess: () => notifySuccess('Role changed'), onError: (error) => notifyError(error) })
                  }
                />
                <Tooltip label="Remove from team">
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    aria-label={`Remove ${member.user.name}`}
                    onClick={() => remove.mutate(member.user.handle, { onSuccess: () => notifySuccess(`${member.user.name} removed`), onError: (error) => notifyError(error) })}
                  >
                    <IconUserMinus size={16} />
                  </ActionIcon>
                </Tooltip>
              </Group>
            ) : (
              member.role === 'lead' && <Badge size="sm" variant="light">Lead</Badge>
            )}
          </Group>
        ))}
      </Stack>
      {canManage && <AddMemberModal slug={slug} existing={new Set(items.map((m) => m.user.id))} opened={adding} onClose={close} />}
    </Card>
  );
}
