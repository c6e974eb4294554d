import { Avatar, Badge, Group, Menu, Text, UnstyledButton } from '@mantine/core';
import { IconKey, IconLogout, IconUser } from '@tabler/icons-react';
import { useNavigate } from 'react-router';
import { initials } from '../../ui/initials';
import { useCurrentUser, useLogout } from '../auth/session';

export function UserMenu() {
  const user = useCurrentUser();
  const logout = useLogout();
  const navigate = useNavigate();
  return (
    <Menu position="bottom-end" width={220} shadow="md">
      <Menu.Target>
        <UnstyledButton aria-label="User menu">
          <Group gap={8} wrap="nowrap">
            <Avatar size={30} radius="xl" color="indigo">{initials(user.name)}</Avatar>
            <Text size="sm" fw={500} visibleFrom="sm">{user.name}</Text>
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          <Group justify="space-between" wrap="nowrap">
            <Text size="xs" truncate>{user.email}</Text>
            <Badge size="xs" variant="light">{user.role}</Badge>
          </Group>
        </Menu.Label>
        {user.role !== 'requester' && (
          <Menu.Item leftSection={<IconUser size={16} />} onClick={() => void navigate(`/people/${user.handle}`)}>Your profile</Menu.Item>
        )}
        <Menu.Item leftSection={<IconKey size={16} />} onClick={() => void navigate('/tokens')}>API tokens</Menu.Item>
        <Menu.Divider />
        <Menu.Item color="red" leftSection={<IconLogout size={16} />} onClick={() => logout.mutate()}>Sign out</Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
