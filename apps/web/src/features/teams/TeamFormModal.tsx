import { Alert, Button, Group, Modal, Stack, Textarea, TextInput } from '@mantine/core';
import type { Team } from '@opsloom/api';
import { type FormEvent, useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { errorMessage } from '../../api/errors';
import { notifySuccess } from '../../ui/notify';
import { useCreateTeam, useUpdateTeam } from './team-queries';

/** Turns a display name into the slug the API expects, as a starting suggestion. */
function slugify(name: string): string {
  return name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
}

export function CreateTeamModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const create = useCreateTeam();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [slugEdited, setSlugEdited] = useState(false);
  const [description, setDescription] = useState('');

  const close = () => {
    create.reset();
    setName('');
    setSlug('');
    setSlugEdited(false);
    setDescription('');
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { name: name.trim(), slug, description: description || undefined },
      {
        onSuccess: (team) => {
          notifySuccess(`Team ${team.name} created`);
          close();
          void navigate(`/teams/${team.slug}`);
        },
      },
    );
  };

  return (
    <Modal opened={opened} onClose={close} title="Create team" size="md">
      <form onSubmit={submit}>
        <Stack gap="sm">
          {create.isError && <Alert color="red" variant="light" role="alert">{errorMessage(create.error)}</Alert>}
          <TextInput
            label="Name"
            required
            data-autofocus
            value={name}
            onChange={(e) => {
              const value = e.currentTarget.value;
              setName(value);
              if (!slugEdited) setSlug(slugify(value));
            }}
          />
          <TextInput
            label="Slug"
            description="Lowercase letters, digits and dashes; used in URLs"
            required
            value={slug}
            onChange={(e) => {
              setSlugEdited(true);
              setSlug(e.currentTarget.value);
            }}
          />
          <Textarea label="Description" description="What the team does. Mention people with @handle to notify them." autosize minRows={3} value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={close}>Cancel</Button>
            <Button type="submit" loading={create.isPending} disabled={!name.trim() || !slug}>Create team</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function EditTeamModal({ team, opened, onClose }: { team: Team; opened: boolean; onClose: () => void }) {
  const update = useUpdateTeam(team.slug);
  const [name, setName] = useState(team.name);
  const [description, setDescription] = useState(team.description);
  // Each opening starts from the team as it is now, not from an earlier unsaved edit.
  useEffect(() => {
    if (opened) {
      setName(team.name);
      setDescription(team.description);
    }
  }, [opened, team.name, team.description]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({ name: name.trim(), description }, { onSuccess: () => { notifySuccess('Team updated'); onClose(); } });
  };
  return (
    <Modal opened={opened} onClose={onClose} title={`Edit ${team.name}`}>
      <form onSubmit={submit}>
        <Stack gap="sm">
          {update.isError && <Alert color="red" variant="light" role="alert">{errorMessage(update.error)}</Alert>}
          <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <Textarea label="Description" autosize minRows={3} value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={onClose}>Cancel</Button>
            <Button type="submit" loading={update.isPending} disabled={!name.trim()}>Save</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
