import { Anchor, Badge, Card, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import { absoluteTime } from '../../ui/time';
import { ErrorState, LoadingState } from '../../ui/states';
import { AlertReason } from '../alerts/AlertReason';
import { severityColour, statusColour } from '../alerts/alert-style';
import { useIncidentAlerts } from './incident-queries';
import { ciPath } from '../cmdb/ci-style';

/** The incident's alerts in event-time order, each with why it joined. */
export function IncidentAlerts({ id }: { id: string }) {
  const alerts = useIncidentAlerts(id);
  return (
    <Card withBorder radius="md" p="md" data-testid="incident-alerts">
      <Text fw={600} mb="sm">Alerts{alerts.data ? ` (${alerts.data.items.length})` : ''}</Text>
      {alerts.isPending && <LoadingState />}
      {alerts.isError && <ErrorState error={alerts.error} />}
      {alerts.data && (
        <Table.ScrollContainer minWidth={700}>
          <Table verticalSpacing="xs">
            <Table.Thead><Table.Tr><Table.Th>Event time</Table.Th><Table.Th>Alert</Table.Th><Table.Th>CI</Table.Th><Table.Th>Why it joined</Table.Th><Table.Th ta="right" w={60}>Dups</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {alerts.data.items.map((alert) => (
                <Table.Tr key={alert.id} data-testid="incident-alert">
                  <Table.Td><Text size="xs" style={{ whiteSpace: 'nowrap' }}>{absoluteTime(alert.startsAt)}</Text></Table.Td>
                  <Table.Td>
                    <Text size="sm" lineClamp={2}>{alert.summary}</Text>
                    <Badge size="xs" color={severityColour[alert.severity]} mr={4}>{alert.severity}</Badge>
                    <Badge size="xs" variant="light" color={statusColour[alert.status]}>{alert.status}</Badge>
                  </Table.Td>
                  <Table.Td>{alert.ci ? <Anchor component={Link} to={ciPath(alert.ci)} size="sm" ff="monospace">{alert.ci}</Anchor> : <Badge size="sm" variant="outline" color="gray">unmapped</Badge>}</Table.Td>
                  <Table.Td maw={520}>{alert.reason ? <AlertReason reason={alert.reason} /> : <Text size="xs" c="dimmed">—</Text>}</Table.Td>
                  <Table.Td ta="right">×{alert.count}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {alerts.data && alerts.data.prunedAlerts > 0 && (
        <Text size="xs" c="dimmed" mt="xs" data-testid="incident-alerts-pruned">
          {alerts.data.prunedAlerts} more resolved alert(s) of this incident were deleted once past the alert retention, and are no longer listed.
        </Text>
      )}
    </Card>
  );
}
