import { Anchor, Badge, Button, Card, Center, Code, Select, Table, Text, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { activityApi, type AuditEntry } from '@opsloom/api';
import { IconClipboardList, IconFilter } from '@tabler/icons-react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { useCurrentUser } from '../auth/session';
import { PageHeader } from '../../ui/PageHeader';
import { RelativeTime } from '../../ui/RelativeTime';
import { EmptyState, ErrorState, LoadingState } from '../../ui/states';

const viaColor: Record<AuditEntry['via'], string> = { session: 'indigo', token: 'grape', system: 'gray' };
const verbPrefixes = ['session.', 'team.', 'membership.', 'user.', 'token.', 'follow.'];

function useAudit(verb: string) {
  return useInfiniteQuery({
    queryKey: ['audit', verb],
    queryFn: ({ pageParam }) => api.call(activityApi.listAudit, { query: { verb: verb || undefined, limit: 50, cursor: pageParam } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** The append-only audit log. The server decides who may read it; the page only hides its link. */
export function AuditPage() {
  const user = useCurrentUser();
  const [verb, setVerb] = useState('');
  const [debounced] = useDebouncedValue(verb.trim(), 250);
  const audit = useAudit(debounced);
  const entries = audit.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <>
      <PageHeader title="Audit log" description="Who did what, when and from where. Entries cannot be edited or removed." />
      {user.role === 'admin' && (
        <Select
          mb="md"
          maw={320}
          searchable
          clearable
          leftSection={<IconFilter size={16} />}
          placeholder="Filter by verb, e.g. token."
          aria-label="Verb filter"
          data={verbPrefixes}
          searchValue={verb}
          onSearchChange={setVerb}
          value={verbPrefixes.includes(verb) ? verb : null}
          onChange={(value) => setVerb(value ?? '')}
        />
      )}
      {audit.isPending && <LoadingState />}
      {audit.isError && <ErrorState error={audit.error} title="Could not load the audit log" />}
      {audit.isSuccess && entries.length === 0 && <EmptyState title="No entries" icon={<IconClipboardList size={22} />}>Nothing matches this filter.</EmptyState>}
      {entries.length > 0 && (
        <Card withBorder padding={0} radius="md">
          <Table.ScrollContainer minWidth={900}>
            <Table verticalSpacing={6} horizontalSpacing="sm" striped highlightOnHover data-testid="audit-table" fz="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={110}>Time</Table.Th>
                  <Table.Th>Actor</Table.Th>
                  <Table.Th>Verb</Table.Th>
                  <Table.Th>Summary</Table.Th>
                  <Table.Th>IP</Table.Th>
                  <Table.Th>User agent</Table.Th>
                  <Table.Th>Via</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {entries.map((entry) => (
                  <Table.Tr key={entry.id} data-testid="audit-row">
                    <Table.Td><RelativeTime value={entry.occurredAt} /></Table.Td>
                    <Table.Td>
                      {entry.actor ? <Anchor component={Link} to={`/people/${entry.actor.handle}`} size="xs">{entry.actor.name}</Anchor> : <Text size="xs" c="dimmed">system</Text>}
                    </Table.Td>
                    <Table.Td><Code fz="xs">{entry.verb}</Code></Table.Td>
                    <Table.Td><Text size="xs" lineClamp={2}>{entry.summary}</Text></Table.Td>
                    <Table.Td><Text size="xs" ff="monospace">{entry.ip ?? '—'}</Text></Table.Td>
                    <Table.Td maw={220}>
                      <Tooltip label={entry.userAgent ?? ''} disabled={!entry.userAgent} multiline w={320}>
                        <Text size="xs" c="dimmed" truncate>{entry.userAgent ?? '—'}</Text>
                      </Tooltip>
                    </Table.Td>
                    <Table.Td><Badge size="xs" variant="light" color={viaColor[entry.via]}>{entry.via}</Badge></Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {audit.hasNextPage && (
            <Center py="sm">
              <Button variant="subtle" size="xs" loading={audit.isFetchingNextPage} onClick={() => void audit.fetchNextPage()}>Load more</Button>
            </Center>
          )}
        </Card>
      )}
    </>
  );
}
