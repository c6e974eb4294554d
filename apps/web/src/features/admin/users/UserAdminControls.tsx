import { Button, Group, Select } from '@mantine/core';
import { roles, type User } from '@opsloom/api';
import { notifyError, notifySuccess } from '../../../ui/notify';
import { useUpdateUser } from '../../people/people-queries';

/** Role and access of one user, for admins. The server refuses what an admin may not do (e.g. demote themself). */
export function UserAdminControls({ user, size = 'xs' }: { user: User; size?: 'xs' | 'sm' }) {
  const update = useUpdateUser(user.handle);
  return (
    <Group gap={6} wrap="nowrap">
      <Select
        size={size}
        w={120}
        aria-label={`Role of ${user.name}`}
        allowDeselect={false}
        data={roles.map((role) => ({ value: role, label: role[0].toUpperCase() + role.slice(1) }))}
        value={user.role}
        onChange={(value) => {
          const role = roles.find((candidate) => candidate === value);
          if (role) update.mutate({ role }, { onSuccess: () => notifySuccess(`${user.name} is now ${role}`), onError: (error) => notifyError(error) });
        }}
      />
      <Button
        size={size}
        variant={user.disabled ? 'light' : 'default'}
        color={user.disabled ? 'teal' : 'red'}
        loading={update.isPending}
        onClick={() =>
          update.mutate(
            { disabled: !user.disabled },
            { onSuccess: () => notifySuccess(user.disabled ? `${user.name} can sign in again` : `${user.name} is disabled`), onError: (error) => notifyError(error) },
          )
        }
      >
        {user.disabled ? 'Enable' : 'Disable'}
      </Button>
    </Group>
  );
}
