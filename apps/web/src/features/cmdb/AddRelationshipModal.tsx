import { Alert, Button, Group, Modal, SegmentedControl, Select, Stack, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { type CiDetail, type RelationshipType, relationshipTypes } from '@opsloom/api';
import { useState } from 'react';
import { errorMessage } from '../../api/errors';
import { useCiSearch, useCreateRelationship } from './cmdb-queries';
import { outgoingVerb } from './relationship-verbs';

type Direction = 'outgoing' | 'incoming';

/** Relates this CI to another, read as a sentence: "mail-01 runs on esx-01" or "esx-01 hosts mail-01". */
export function AddRelationshipModal({ ci, opened, onClose }: { ci: CiDetail; opened: boolean; onClose: () => void }) {
  const [direction, setDirection] = useState<Direction>('outgoing');
  const [type, setType] = useState<RelationshipType>('depends_on');
  const [other, setOther] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search, 200);
  const found = useCiSearch(q);
  const create = useCreateRelationship();
  const close = () => {
    create.reset();
    setOther(null);
    setSearch('');
    onClose();
  };
  const submit = () => {
    if (!other) return;
    const [from, to] = direction === 'outgoing' ? [ci.key, other] : [other, ci.key];
    create.mutate({ from, to, type }, { onSuccess: close });
  };
  const options = (found.data?.items ?? []).filter((c) => c.key !== ci.key).map((c) => ({ value: c.key, label: `${c.name} (${c.key})` }));
  return (
    <Modal opened={opened} onClose={close} title={`Relate ${ci.name}`}>
      <form onSubmit={(e) => { e.preventDefault(); submit(); }}>
        <Stack gap="sm">
          <SegmentedControl
            aria-label="Direction" value={direction} onChange={(v) => setDirection(v)}
            data={[{ value: 'outgoing', label: `${ci.name} → other CI` }, { value: 'incoming', label: `Other CI → ${ci.name}` }]}
          />
          <Select
            label="Relationship" data={relationshipTypes.map((t) => ({ value: t, label: outgoingVerb[t] }))} value={type}
            onChange={(v) => v && setType(v)} allowDeselect={false}
          />
          <Select
            label="Other CI" placeholder="Search by name or key" searchable clearable data={options} value={other} onChange={setOther}
            searchValue={search} onSearchChange={setSearch} filter={({ options: all }) => all} nothingFoundMessage={found.isFetching ? 'Searching…' : 'No CI matches'}
          />
          <Text size="sm" c="dimmed" data-testid="relationship-sentence">
            {direction === 'outgoing' ? `${ci.name} ${outgoingVerb[type]} ${other ?? '…'}` : `${other ?? '…'} ${outgoingVerb[type]} ${ci.name}`}
          </Text>
          {create.isError && <Alert color="red" role="alert">{errorMessage(create.error)}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>Cancel</Button>
            <Button type="submit" loading={create.isPending} disabled={!other}>Add relationship</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
