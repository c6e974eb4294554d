import { Anchor, Badge, Button, Group, SegmentedControl, Table, Text } from '@mantine/core';
import { IconFlame } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { PageHeader } from '../../ui/PageHeader';
import { RelativeTime } from '../../ui/RelativeTime';
import { EmptyState, ErrorState, LoadingState } from '../../ui/states';
import { LiveBadge } from '../activity/LiveBadge';
import { severityColour, statusColour } from '../alerts/alert-style';
import { useIncidents } from './incident-queries';
import { useAlertLiveUpdates } from '../alerts/use-alert-live-updates';
import { ciPath } from '../cmdb/ci-style';

type Status = 'open' | 'resolved' | 'all';

export function IncidentsPage() {
  const [status, setStatus] = useState<Status>('open');
  const incidents = useIncidents(status);
  const live = useAlertLiveUpdates();
  const rows = incidents.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      <PageHeader
        title={<Group gap="sm">Incidents <LiveBadge state={live} /></Group>}
        description="Opened automatically when alerts arrive; each names its most likely root cause and the team that owns it."
        actions={<SegmentedControl size="xs" aria-label="Status" value={status} onChange={(v) => setStatus(v)} data={[{ value: 'open', label: 'Open' }, { value: 'resolved', label: 'Resolved' }, { value: 'all', label: 'All' }]} />}
      />
      {incidents.isPending && <LoadingState />}
      {incidents.isError && <ErrorState error={incidents.error} />}
      {incidents.isSuccess && rows.length === 0 && <EmptyState title={status === 'open' ? 'No open incidents' : 'No incidents'} icon={<IconFlame size={22} />}>Incidents appear here when alerts arrive.</EmptyState>}
      {rows.length > 0 && (
        <Table.ScrollContainer minWidth={860}>
          <Table highlightOnHover verticalSpacing="xs" data-testid="incident-table" style={{ opacity: incidents.isPlaceholderData ? 0.6 : 1 }}>
            <Table.Thead>
              <Table.Tr><Table.Th w={70}>#</Table.Th><Table.Th>Incident</Table.Th><Table.Th>Root cause</Table.Th><Table.Th>Team</Table.Th><Table.Th ta="right">Alerts</Table.Th><Table.Th>Opened</Table.Th></Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((incident) => (
                <Table.Tr key={incident.id} data-testid="incident-row">
                  <Table.Td><Anchor component={Link} to={`/incidents/${incident.id}`} fw={600}>#{incident.number}</Anchor></Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/incidents/${incident.id}`} size="sm" c="var(--mantine-color-text)" fw={500}>{incident.title}</Anchor>
                    <Group gap={4} mt={2}>
                      <Badge size="xs" color={severityColour[incident.severity]}>{incident.severity}</Badge>
                      <Badge size="xs" variant="light" color={statusColour[incident.status]}>{incident.status}</Badge>
                      <Text size="xs" c="dimmed">{incident.cis.length} alerting {incident.cis.length === 1 ? 'CI' : 'CIs'}</Text>
                    </Group>
                  </Table.Td>
                  <Table.Td>{incident.rootCause ? <Anchor component={Link} to={ciPath(incident.rootCause.key)} size="sm" ff="monospace">{incident.rootCause.key}</Anchor> : <Text size="sm" c="dimmed">unknown</Text>}</Table.Td>
                  <Table.Td><Text size="sm">{incident.team?.name ?? '—'}</Text></Table.Td>
                  <Table.Td ta="right">{incident.alertCount}</Table.Td>
                  <Table.Td><RelativeTime value={incident.createdAt} /></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {incidents.hasNextPage && <Group justify="center" mt="md"><Button variant="default" onClick={() => void incidents.fetchNextPage()} loading={incidents.isFetchingNextPage}>Load more</Button></Group>}
    </>
  );
}
