import { Alert, Button, Group, Modal, Select, Stack } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { errorMessage } from '../../api/errors';
import { notifySuccess } from '../../ui/notify';
import { useUsers } from '../people/people-queries';
import { usePutMember } from './team-queries';

export function AddMemberModal({ slug, existing, opened, onClose }: { slug: string; existing: ReadonlySet<string>; opened: boolean; onClose: () => void }) {
  const people = useUsers({}, { enabled: opened });
  const put = usePutMember(slug);
  const [user, setUser] = useState<string | null>(null);
  const [role, setRole] = useState<'member' | 'lead'>('member');
  const close = () => {
    put.reset();
    setUser(null);
    setRole('member');
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!user) return;
    put.mutate({ user, role }, { onSuccess: () => { notifySuccess('Member added'); close(); } });
  };
  const options = (people.data?.items ?? [])
    .filter((person) => !existing.has(person.id) && !person.disabled)
    .map((person) => ({ value: person.handle, label: `${person.name} (@${person.handle})` }));
  return (
    <Modal opened={opened} onClose={close} title="Add member">
      <form onSubmit={submit}>
        <Stack gap="sm">
          {put.isError && <Alert color="red" variant="light" role="alert">{errorMessage(put.error)}</Alert>}
          <Select label="Person" placeholder="Search people" searchable required data={options} value={user} onChange={setUser} nothingFoundMessage="Nobody else to add" />
          <Select
            label="Team role"
            required
            allowDeselect={false}
            data={[{ value: 'member', label: 'Member' }, { value: 'lead', label: 'Lead' }]}
            value={role}
            onChange={(value) => setRole(value === 'lead' ? 'lead' : 'member')}
          />
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={close}>Cancel</Button>
            <Button type="submit" loading={put.isPending} disabled={!user}>Add</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
