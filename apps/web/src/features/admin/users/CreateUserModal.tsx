import { Alert, Button, Group, Modal, MultiSelect, PasswordInput, Select, Stack, TextInput } from '@mantine/core';
import { roles, type Role } from '@opsloom/api';
import { type FormEvent, useState } from 'react';
import { errorMessage } from '../../../api/errors';
import { notifySuccess } from '../../../ui/notify';
import { useCreateUser } from '../../people/people-queries';
import { useTeams } from '../../teams/team-queries';

const empty = { email: '', name: '', password: '', role: 'viewer' as Role, teams: [] as string[] };

export function CreateUserModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const create = useCreateUser();
  const teams = useTeams();
  const [form, setForm] = useState(empty);
  const close = () => {
    create.reset();
    setForm(empty);
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { email: form.email.trim(), name: form.name.trim(), password: form.password || undefined, role: form.role, teams: form.teams },
      { onSuccess: (user) => { notifySuccess(`${user.name} can now sign in`); close(); } },
    );
  };
  return (
    <Modal opened={opened} onClose={close} title="Create user">
      <form onSubmit={submit}>
        <Stack gap="sm">
          {create.isError && <Alert color="red" variant="light" role="alert">{errorMessage(create.error)}</Alert>}
          <TextInput label="Name" required data-autofocus value={form.name} onChange={(e) => setForm({ ...form, name: e.currentTarget.value })} />
          <TextInput label="E-mail" type="email" required value={form.email} onChange={(e) => setForm({ ...form, email: e.currentTarget.value })} />
          <PasswordInput label="Password" description="At least 10 characters. Leave empty for token-only users." value={form.password} onChange={(e) => setForm({ ...form, password: e.currentTarget.value })} />
          <Select
            label="Role"
            allowDeselect={false}
            data={roles.map((role) => ({ value: role, label: role[0].toUpperCase() + role.slice(1) }))}
            value={form.role}
            onChange={(value) => setForm({ ...form, role: (roles.find((role) => role === value) ?? 'viewer') })}
          />
          <MultiSelect
            label="Teams"
            placeholder="Pick teams"
            searchable
            data={(teams.data?.items ?? []).map((team) => ({ value: team.slug, label: team.name }))}
            value={form.teams}
            onChange={(value) => setForm({ ...form, teams: value })}
          />
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={close}>Cancel</Button>
            <Button type="submit" loading={create.isPending} disabled={!form.name.trim() || !form.email.trim()}>Create user</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
