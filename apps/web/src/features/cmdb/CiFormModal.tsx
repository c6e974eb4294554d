import { Alert, Autocomplete, Button, Group, JsonInput, Modal, Select, SimpleGrid, Stack, TagsInput, TextInput } from '@mantine/core';
import { type CiDetail, type CiStatus, ciStatuses, knownCiTypes, type UpdateCi } from '@opsloom/api';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { errorMessage } from '../../api/errors';
import { useTeams } from '../teams/team-queries';
import { ciPath } from './ci-style';
import { useCreateCi, useUpdateCi } from './cmdb-queries';

const criticalityOptions = [
  { value: '1', label: '1 — most critical' },
  { value: '2', label: '2 — high' },
  { value: '3', label: '3 — normal' },
  { value: '4', label: '4 — least critical' },
];

interface Draft {
  key: string;
  name: string;
  type: string;
  team: string | null;
  status: CiStatus;
  criticality: number;
  tags: string[];
  attributes: string;
}

const draftOf = (ci: CiDetail | undefined): Draft => ({
  key: ci?.key ?? '',
  name: ci?.name ?? '',
  type: ci?.type ?? '',
  team: ci?.team?.slug ?? null,
  status: ci?.status ?? 'live',
  criticality: ci?.criticality ?? 3,
  tags: ci?.tags ?? [],
  attributes: JSON.stringify(ci?.attributes ?? {}, null, 2),
});

/** The attributes box must hold a JSON object; anything else is said here, before the server is asked. */
function parseAttributes(text: string): { value: Record<string, unknown> } | { error: string } {
  if (text.trim() === '') return { value: {} };
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: 'Attributes must be a JSON object, e.g. {"hostname": "mail-01"}' };
    return { value: value as Record<string, unknown> };
  } catch {
    return { error: 'Not valid JSON' };
  }
}

/** Only what the form changed, so the CI's history records the edit and nothing else. */
function changesOf(ci: CiDetail, draft: Draft, attributes: Record<string, unknown>): UpdateCi {
  const changes: UpdateCi = {};
  if (draft.key.trim() !== ci.key) changes.key = draft.key.trim();
  if (draft.name.trim() !== ci.name) changes.name = draft.name.trim();
  if (draft.type.trim() !== ci.type) changes.type = draft.type.trim();
  if (draft.team !== (ci.team?.slug ?? null)) changes.team = draft.team;
  if (draft.status !== ci.status) changes.status = draft.status;
  if (draft.criticality !== ci.criticality) changes.criticality = draft.criticality;
  if (JSON.stringify(draft.tags) !== JSON.stringify(ci.tags)) changes.tags = draft.tags;
  if (JSON.stringify(attributes) !== JSON.stringify(ci.attributes)) changes.attributes = attributes;
  return changes;
}

/** Creates a CI (no `ci`) or edits one; the server's answer (a taken key, an unknown team) shows in the form. */
export function CiFormModal({ ci, opened, onClose }: { ci?: CiDetail; opened: boolean; onClose: () => void }) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(ci));
  // As it was opened: a save renames the CI before the modal has finished closing.
  const [title] = useState(() => (ci ? `Edit ${ci.name}` : 'New configuration item'));
  const teams = useTeams();
  const create = useCreateCi();
  const update = useUpdateCi(ci?.key ?? '');
  const mutation = ci ? update : create;
  const navigate = useNavigate();
  const attributes = parseAttributes(draft.attributes);
  const set = <K extends keyof Draft>(field: K, value: Draft[K]) => {
    setDraft((d) => ({ ...d, [field]: value }));
    // The server's last objection is about the old values; it goes once they change.
    if (mutation.isError) mutation.reset();
  };

  const close = () => {
    create.reset();
    update.reset();
    setDraft(draftOf(ci));
    onClose();
  };
  const submit = () => {
    if ('error' in attributes) return;
    const done = (saved: { key: string }) => {
      close();
      if (saved.key !== ci?.key) void navigate(ciPath(saved.key), { replace: Boolean(ci) });
    };
    if (ci) {
      update.mutate(changesOf(ci, draft, attributes.value), { onSuccess: done });
    } else {
      create.mutate({
        key: draft.key.trim(), name: draft.name.trim(), type: draft.type.trim(), team: draft.team ?? undefined,
        status: draft.status, criticality: draft.criticality, tags: draft.tags, attributes: attributes.value,
      }, { onSuccess: done });
    }
  };
  const complete = draft.key.trim() !== '' && draft.name.trim() !== '' && draft.type.trim() !== '';

  return (
    <Modal opened={opened} onClose={close} title={title} size="lg">
      <form onSubmit={(e) => { e.preventDefault(); submit(); }}>
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label="Name" description="What people call it" required value={draft.name} onChange={(e) => set('name', e.currentTarget.value)} data-autofocus />
            <TextInput
              label="Key" required styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }} placeholder="host:mail-01.dc1" value={draft.key} onChange={(e) => set('key', e.currentTarget.value)}
              description={ci ? 'Imports and alerts find the CI by its key' : 'Stable and unique: imports and alerts find the CI by it'}
            />
            <Autocomplete label="Type" required placeholder="host" data={[...knownCiTypes]} value={draft.type} onChange={(v) => set('type', v)} description="A known type or another lowercase word" />
            <Select label="Owner team" placeholder="No owner team" clearable searchable data={(teams.data?.items ?? []).map((t) => ({ value: t.slug, label: t.name }))} value={draft.team} onChange={(v) => set('team', v)} />
            <Select label="Status" data={[...ciStatuses]} value={draft.status} onChange={(v) => v && set('status', v)} allowDeselect={false} />
            <Select label="Criticality" data={criticalityOptions} value={String(draft.criticality)} onChange={(v) => v && set('criticality', Number(v))} allowDeselect={false} />
          </SimpleGrid>
          <TagsInput label="Tags" placeholder="Type a tag and press Enter" value={draft.tags} onChange={(v) => set('tags', v)} clearable />
          <JsonInput
            label="Attributes" description="A JSON object; hostname, ip and addresses let alerts find this CI" autosize minRows={3} maxRows={12}
            value={draft.attributes} onChange={(v) => set('attributes', v)} error={'error' in attributes ? attributes.error : undefined} formatOnBlur
          />
          {mutation.isError && <Alert color="red" role="alert">{errorMessage(mutation.error)}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>Cancel</Button>
            <Button type="submit" loading={mutation.isPending} disabled={!complete || 'error' in attributes}>{ci ? 'Save changes' : 'Create CI'}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
