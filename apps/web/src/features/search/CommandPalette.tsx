import { Group, Kbd, Text, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { Spotlight, spotlight, type SpotlightActionData, type SpotlightActionGroupData } from '@mantine/spotlight';
import { IconActivity, IconClipboardList, IconInbox, IconKey, IconSearch, IconUser, IconUsers, IconUsersGroup } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { useCurrentUser } from '../auth/session';
import { useSearch } from './search-queries';

interface Page {
  to: string;
  label: string;
  icon: ReactNode;
  adminOnly?: boolean;
}

const pages: Page[] = [
  { to: '/', label: 'Activity', icon: <IconActivity size={18} /> },
  { to: '/inbox', label: 'Inbox', icon: <IconInbox size={18} /> },
  { to: '/teams', label: 'Teams', icon: <IconUsersGroup size={18} /> },
  { to: '/people', label: 'People', icon: <IconUsers size={18} /> },
  { to: '/tokens', label: 'API tokens', icon: <IconKey size={18} /> },
  { to: '/admin/users', label: 'Users', icon: <IconUsers size={18} />, adminOnly: true },
  { to: '/admin/audit', label: 'Audit log', icon: <IconClipboardList size={18} />, adminOnly: true },
];

/** Ctrl/Cmd+K: jump to any page, team or person. Results come from the server's search. */
export function CommandPalette() {
  const user = useCurrentUser();
  const navigate = useNavigate();
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query, 150);
  const results = useSearch(debounced);

  const needle = query.trim().toLowerCase();
  const pageActions: SpotlightActionData[] = pages
    .filter((page) => !page.adminOnly || user.role === 'admin')
    .filter((page) => page.to !== '/people' || user.role !== 'requester')
    .filter((page) => !needle || page.label.toLowerCase().includes(needle))
    .map((page) => ({ id: `page:${page.to}`, label: page.label, description: 'Go to page', leftSection: page.icon, onClick: () => void navigate(page.to) }));
  const found: SpotlightActionData[] = needle
    ? (results.data?.items ?? []).map((item) => ({
        id: `${item.type}:${item.id}`,
        label: item.title,
        description: item.subtitle,
        leftSection: item.type === 'team' ? <IconUsersGroup size={18} /> : <IconUser size={18} />,
        onClick: () => void navigate(item.href),
      }))
    : [];
  const actions: SpotlightActionGroupData[] = [
    ...(found.length ? [{ group: 'Results', actions: found }] : []),
    ...(pageActions.length ? [{ group: 'Pages', actions: pageActions }] : []),
  ];

  return (
    <Spotlight
      actions={actions}
      query={query}
      onQueryChange={setQuery}
      // The server already matched the results; only pages are filtered here.
      filter={(_, all) => all}
      nothingFound={results.isFetching ? 'Searching…' : 'Nothing found'}
      highlightQuery
      scrollable
      maxHeight={420}
      shortcut={['mod + K', '/']}
      searchProps={{ leftSection: <IconSearch size={18} />, placeholder: 'Search teams, people, pages…' }}
    />
  );
}

export function CommandPaletteTrigger() {
  return (
    <UnstyledButton
      onClick={() => spotlight.open()}
      aria-label="Open command palette"
      px="sm"
      h={34}
      w={{ base: 40, sm: 280 }}
      style={{ border: '1px solid var(--mantine-color-default-border)', borderRadius: 'var(--mantine-radius-md)', background: 'var(--mantine-color-default)' }}
    >
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Group gap={8} wrap="nowrap">
          <IconSearch size={16} color="var(--mantine-color-dimmed)" />
          <Text size="sm" c="dimmed" visibleFrom="sm">Search…</Text>
        </Group>
        <Group gap={2} visibleFrom="sm" wrap="nowrap">
          <Kbd size="xs">Ctrl</Kbd>
          <Kbd size="xs">K</Kbd>
        </Group>
      </Group>
    </UnstyledButton>
  );
}
