import { Anchor, Badge, Button, Table, Text, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconPlugConnected, IconPlus } from '@tabler/icons-react';
import { Link } from 'react-router';
import { PageHeader } from '../../ui/PageHeader';
import { RelativeTime } from '../../ui/RelativeTime';
import { EmptyState, ErrorState, LoadingState } from '../../ui/states';
import { useCurrentUser } from '../auth/session';
import { useIntegrations } from './alerts-queries';
import { CreateIntegrationModal, kindLabel } from './CreateIntegrationModal';
import { useAlertLiveUpdates } from './use-alert-live-updates';

export function IntegrationsPage() {
  const user = useCurrentUser();
  const integrations = useIntegrations();
  const [creating, { open, close }] = useDisclosure(false);
  useAlertLiveUpdates();
  const items = integrations.data?.items ?? [];
  return (
    <>
      <PageHeader
        title="Integrations"
        description="Where alerts come from: Alertmanager, anything that speaks PagerDuty Events v2, scripts posting JSON."
        actions={user.role === 'admin' && <Button leftSection={<IconPlus size={16} />} onClick={open}>Create integration</Button>}
      />
      {integrations.isPending && <LoadingState />}
      {integrations.isError && <ErrorState error={integrations.error} />}
      {integrations.isSuccess && items.length === 0 && (
        <EmptyState title="No integrations yet" icon={<IconPlugConnected size={22} />}>{user.role === 'admin' ? 'Create one and paste its snippet into your monitoring tool.' : 'An admin has not connected any monitoring tool yet.'}</EmptyState>
      )}
      {items.length > 0 && (
        <Table highlightOnHover verticalSpacing="xs" data-testid="integration-table">
          <Table.Thead>
            <Table.Tr><Table.Th>Name</Table.Th><Table.Th>Kind</Table.Th><Table.Th>Team</Table.Th><Table.Th ta="right">Alerts</Table.Th><Table.Th ta="right">Errors</Table.Th><Table.Th>Last event</Table.Th></Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((i) => (
              <Table.Tr key={i.id}>
                <Table.Td><Anchor component={Link} to={`/integrations/${i.id}`} fw={500} size="sm">{i.name}</Anchor></Table.Td>
                <Table.Td><Text size="sm">{kindLabel[i.kind]}</Text></Table.Td>
                <Table.Td><Text size="sm">{i.team?.name ?? '—'}</Text></Table.Td>
                <Table.Td ta="right">{i.eventCount}</Table.Td>
                <Table.Td ta="right">
                  {i.errorCount > 0 ? (
                    <Tooltip label={i.lastError ? `Last: ${i.lastError.message}` : 'Refused requests'} multiline w={360} withArrow>
                      <Badge color="red" variant="light" data-testid="integration-errors">{i.errorCount}</Badge>
                    </Tooltip>
                  ) : 0}
                </Table.Td>
                <Table.Td>{i.lastEventAt ? <RelativeTime value={i.lastEventAt} /> : <Text size="xs" c="dimmed">never</Text>}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <CreateIntegrationModal opened={creating} onClose={close} />
    </>
  );
}
