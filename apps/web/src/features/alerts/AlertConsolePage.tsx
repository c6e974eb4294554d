import { Anchor, Badge, Button, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import type { Alert } from '@opsloom/api';
import { IconBellOff, IconChartBar, IconPlugConnected } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { PageHeader } from '../../ui/PageHeader';
import { RelativeTime } from '../../ui/RelativeTime';
import { EmptyState, ErrorState, LoadingState } from '../../ui/states';
import { LiveBadge } from '../activity/LiveBadge';
import { ciPath } from '../cmdb/ci-style';
import { AlertFilters } from './AlertFilters';
import { AlertReason } from './AlertReason';
import { severityColour, statusColour } from './alert-style';
import { ALERTS_PAGE_SIZE, type AlertFilters as Filters, useAlerts } from './alerts-queries';
import { useAlertLiveUpdates } from './use-alert-live-updates';

function AlertRow({ alert }: { alert: Alert }) {
  const labels = Object.entries(alert.labels).map(([k, v]) => `${k}=${v}`).join('\n');
  return (
    <Table.Tr data-testid="alert-row" data-fingerprint={alert.fingerprint}>
      <Table.Td>
        <Stack gap={4}>
          <Badge size="sm" color={severityColour[alert.severity]} variant="filled" style={{ overflow: 'visible' }}>{alert.severity}</Badge>
          <Badge size="sm" color={statusColour[alert.status]} variant="light" style={{ overflow: 'visible' }}>{alert.status}</Badge>
        </Stack>
      </Table.Td>
      <Table.Td maw={360}>
        <Tooltip label={labels || 'No labels'} multiline maw={420} style={{ whiteSpace: 'pre-wrap', fontFamily: 'monospace' }} openDelay={400}>
          <Text size="sm" fw={500} lineClamp={2}>{alert.summary}</Text>
        </Tooltip>
        <Text size="xs" c="dimmed">{alert.integration.name}</Text>
      </Table.Td>
      <Table.Td>
        {alert.ci ? <Anchor component={Link} to={ciPath(alert.ci.key)} size="sm" ff="monospace" style={{ whiteSpace: 'nowrap' }}>{alert.ci.key}</Anchor> : <Badge size="sm" variant="outline" color="gray">unmapped</Badge>}
        {alert.team && <Text size="xs" c="dimmed">{alert.team.name}</Text>}
      </Table.Td>
      <Table.Td maw={380}>
        {alert.incident ? (
          <Stack gap={2}>
            <Anchor component={Link} to={`/incidents/${alert.incident.id}`} size="sm" fw={600}>#{alert.incident.number}</Anchor>
            {alert.reason && <AlertReason reason={alert.reason} />}
          </Stack>
        ) : <Text size="sm" c="dimmed">—</Text>}
      </Table.Td>
      <Table.Td ta="right">
        <Tooltip label="Deliveries folded into this alert" openDelay={300}>
          <Text size="sm" fw={alert.count > 1 ? 600 : 400} data-testid="alert-count">×{alert.count}</Text>
        </Tooltip>
      </Table.Td>
      <Table.Td>
        <Stack gap={0}>
          <Group gap={4} wrap="nowrap"><Text size="xs" c="dimmed">first</Text><RelativeTime value={alert.firstSeenAt} /></Group>
          <Group gap={4} wrap="nowrap"><Text size="xs" c="dimmed">last</Text><RelativeTime value={alert.lastSeenAt} /></Group>
        </Stack>
      </Table.Td>
    </Table.Tr>
  );
}

/** Every alert, live, with the incident it joined and why. */
export function AlertConsolePage() {
  const [filters, setFilters] = useState<Filters>({ status: 'all' });
  // Typing a CI key should not fire a request per keystroke.
  const [debounced] = useDebouncedValue(filters, 250);
  const alerts = useAlerts(debounced);
  const live = useAlertLiveUpdates();
  const rows = alerts.data?.pages.flatMap((page) => page.items) ?? [];
  // A short page with a next one: the server searched only part of the alerts (SQLite, large tables).
  const lastPage = alerts.data?.pages.at(-1);
  const searchedPart = !!lastPage && lastPage.items.length < ALERTS_PAGE_SIZE && lastPage.nextCursor !== null;
  return (
    <>
      <PageHeader
        title={<Group gap="sm">Alerts <LiveBadge state={live} /></Group>}
        description="Alerts from every monitoring tool, duplicates folded, grouped into incidents by time and the CMDB graph."
        actions={
          <>
            <Button variant="default" leftSection={<IconChartBar size={16} />} component={Link} to="/alerts/noise">Noise</Button>
            <Button variant="default" leftSection={<IconPlugConnected size={16} />} component={Link} to="/integrations">Integrations</Button>
          </>
        }
      />
      <AlertFilters value={filters} onChange={setFilters} />
      {alerts.isPending && <LoadingState />}
      {alerts.isError && <ErrorState error={alerts.error} />}
      {alerts.isSuccess && rows.length === 0 && !alerts.hasNextPage && (
        <EmptyState title="No alerts" icon={<IconBellOff size={22} />}>Point a monitoring tool at an integration and its alerts show up here as they arrive.</EmptyState>
      )}
      {rows.length > 0 && (
        <Table.ScrollContainer minWidth={980}>
          <Table verticalSpacing="xs" highlightOnHover data-testid="alert-table" style={{ opacity: alerts.isPlaceholderData ? 0.6 : 1 }}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={116}>State</Table.Th>
                <Table.Th>Alert</Table.Th>
                <Table.Th>CI · team</Table.Th>
                <Table.Th>Incident · why it joined</Table.Th>
                <Table.Th ta="right">Dups</Table.Th>
                <Table.Th w={140}>Seen</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>{rows.map((alert) => <AlertRow key={alert.id} alert={alert} />)}</Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {alerts.hasNextPage && (
        <Stack align="center" gap={4} mt="md">
          {searchedPart && <Text size="sm" c="dimmed" data-testid="searched-part">{rows.length === 0 ? 'No matching alerts among the newest ones.' : 'No more matching alerts among the newest ones.'} Load more searches older alerts.</Text>}
          <Button variant="default" onClick={() => void alerts.fetchNextPage()} loading={alerts.isFetchingNextPage}>Load more</Button>
        </Stack>
      )}
    </>
  );
}
