import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { useCiSearch } from '../cmdb-queries';

/** Picks the CI to centre the map on; the search runs on the server, which knows every CI. */
export function FocusPicker({ value, label, onChange }: { value: string | null; label: string | null; onChange: (key: string | null) => void }) {
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search, 200);
  const results = useCiSearch(q);
  const data = (results.data?.items ?? []).map((ci) => ({ value: ci.key, label: `${ci.name} · ${ci.key}` }));
  if (value && !data.some((item) => item.value === value)) data.unshift({ value, label: label ?? value });
  return (
    <Select
      aria-label="Focus CI"
      placeholder="Whole CMDB — pick a CI to focus"
      leftSection={<IconSearch size={16} />}
      searchable
      clearable
      w={340}
      data={data}
      value={value}
      onChange={onChange}
      searchValue={search}
      onSearchChange={setSearch}
      // The server already matched; do not filter its answer again by the label.
      filter={({ options }) => options}
      nothingFoundMessage="No CI matches"
    />
  );
}
