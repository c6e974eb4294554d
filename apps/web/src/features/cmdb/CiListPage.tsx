import { Anchor, Button, Group, Select, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { ciStatuses, knownCiTypes } from '@opsloom/api';
import { IconFileImport, IconPlus, IconSearch, IconServer, IconTopologyStar3 } from '@tabler/icons-react';
import { Link } from 'react-router';
import { PageHeader } from '../../ui/PageHeader';
import { RelativeTime } from '../../ui/RelativeTime';
import { EmptyState, ErrorState, LoadingState } from '../../ui/states';
import { useCurrentUser } from '../auth/session';
import { useTeams } from '../teams/team-queries';
import { CriticalityBadge, StatusBadge, TypeBadge } from './CiBadges';
import { CiFormModal } from './CiFormModal';
import { ciPath, typeLabel } from './ci-style';
import { type CiFilters, useCis } from './cmdb-queries';
import { useUrlParams } from '../../ui/use-url-params';

/** The CI inventory: filters live in the URL so a filtered list can be shared. */
export function CiListPage() {
  const [params, set] = useUrlParams({ replace: true });
  const text = params.get('q') ?? '';
  const [q] = useDebouncedValue(text.trim(), 250);
  const filters: CiFilters = {
    q: q || undefined,
    type: params.get('type') ?? undefined,
    team: params.get('team') ?? undefined,
    status: (params.get('status') as CiFilters['status']) ?? undefined,
  };
  const cis = useCis(filters);
  const teams = useTeams();
  const user = useCurrentUser();
  const [creating, create] = useDisclosure(false);
  const rows = cis.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = Boolean(filters.q || filters.type || filters.team || filters.status);

  return (
    <>
      <PageHeader
        title="Configuration items"
        description="Everything the infrastructure is made of, who owns it and how critical it is."
        actions={
          <>
            <Button variant="default" leftSection={<IconTopologyStar3 size={16} />} component={Link} to="/map">Service map</Button>
            <Button variant="default" leftSection={<IconFileImport size={16} />} component={Link} to="/cmdb/import">Import</Button>
            {(user.role === 'admin' || user.role === 'operator') && <Button leftSection={<IconPlus size={16} />} onClick={create.open}>New CI</Button>}
          </>
        }
      />
      {creating && <CiFormModal opened={creating} onClose={create.close} />}
      <Group mb="md" gap="sm" wrap="wrap">
        <TextInput placeholder="Search key or name" leftSection={<IconSearch size={16} />} w={260} value={text} onChange={(e) => set('q', e.currentTarget.value)} aria-label="Search CIs" />
        <Select placeholder="Any type" aria-label="Type" w={170} clearable searchable data={knownCiTypes.map((type) => ({ value: type, label: typeLabel(type) }))} value={filters.type ?? null} onChange={(v) => set('type', v)} />
        <Select placeholder="Any team" aria-label="Team" w={170} clearable searchable data={(teams.data?.items ?? []).map((team) => ({ value: team.slug, label: team.name }))} value={filters.team ?? null} onChange={(v) => set('team', v)} />
        <Select placeholder="Any status" aria-label="Status" w={150} clearable data={[...ciStatuses]} value={filters.status ?? null} onChange={(v) => set('status', v)} />
      </Group>
      {cis.isPending && <LoadingState />}
      {cis.isError && <ErrorState error={cis.error} />}
      {cis.isSuccess && rows.length === 0 && (
        <EmptyState title={filtered ? 'No CI matches' : 'The CMDB is empty'} icon={<IconServer size={22} />}>
          {filtered ? 'Try fewer filters.' : 'Import a catalog (JSON, CSV or Backstage YAML) to fill it.'}
        </EmptyState>
      )}
      {rows.length > 0 && (
        <Table.ScrollContainer minWidth={760}>
          <Table highlightOnHover verticalSpacing="xs" data-testid="ci-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Type</Table.Th>
                <Table.Th>Owner</Table.Th>
                <Table.Th>Criticality</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Updated</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody style={{ opacity: cis.isPlaceholderData ? 0.6 : 1 }}>
              {rows.map((ci) => (
                <Table.Tr key={ci.id} data-testid="ci-row">
                  <Table.Td>
                    <Anchor component={Link} to={ciPath(ci.key)} fw={500} size="sm">{ci.name}</Anchor>
                    <Text size="xs" c="dimmed" ff="monospace">{ci.key}</Text>
                  </Table.Td>
                  <Table.Td><TypeBadge type={ci.type} /></Table.Td>
                  <Table.Td>{ci.team ? <Anchor component={Link} to={`/teams/${ci.team.slug}`} size="sm">{ci.team.name}</Anchor> : <Text size="sm" c="dimmed">—</Text>}</Table.Td>
                  <Table.Td><CriticalityBadge criticality={ci.criticality} /></Table.Td>
                  <Table.Td><StatusBadge status={ci.status} /></Table.Td>
                  <Table.Td><RelativeTime value={ci.updatedAt} /></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {cis.hasNextPage && (
        <Group justify="center" mt="md">
          <Button variant="default" onClick={() => void cis.fetchNextPage()} loading={cis.isFetchingNextPage}>Load more</Button>
        </Group>
      )}
    </>
  );
}
