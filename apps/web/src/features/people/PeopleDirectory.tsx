import { Button, TextInput } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { IconSearch, IconUserPlus, IconUsers } from '@tabler/icons-react';
import { useState } from 'react';
import { PageHeader } from '../../ui/PageHeader';
import { EmptyState, ErrorState, LoadingState } from '../../ui/states';
import { CreateUserModal } from '../admin/users/CreateUserModal';
import { useCurrentUser } from '../auth/session';
import { PeopleTable } from './PeopleTable';
import { useUsers } from './people-queries';

/** The people list; the admin Users page is the same list with role and access controls. */
export function PeopleDirectory({ title, description, manage }: { title: string; description: string; manage: boolean }) {
  const user = useCurrentUser();
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q.trim(), 200);
  const people = useUsers({ q: debounced || undefined });
  const [creating, { open, close }] = useDisclosure(false);
  const isAdmin = user.role === 'admin';
  return (
    <>
      <PageHeader title={title} description={description} actions={isAdmin && <Button leftSection={<IconUserPlus size={16} />} onClick={open}>Create user</Button>} />
      <TextInput placeholder="Search by name, handle or e-mail" leftSection={<IconSearch size={16} />} mb="md" maw={360} value={q} onChange={(e) => setQ(e.currentTarget.value)} aria-label="Search people" />
      {people.isPending && <LoadingState />}
      {people.isError && <ErrorState error={people.error} />}
      {people.isSuccess && people.data.items.length === 0 && (
        <EmptyState title={debounced ? 'Nobody matches' : 'No people yet'} icon={<IconUsers size={22} />}>{debounced ? 'Try another name, handle or e-mail.' : undefined}</EmptyState>
      )}
      {people.isSuccess && people.data.items.length > 0 && <PeopleTable people={people.data.items} admin={manage && isAdmin} />}
      {isAdmin && <CreateUserModal opened={creating} onClose={close} />}
    </>
  );
}
