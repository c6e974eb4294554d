import { ActionIcon, Alert, Anchor, Breadcrumbs, Button, Card, Code, CopyButton, Grid, Group, SimpleGrid, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconAlertTriangle, IconCheck, IconCopy, IconPlugConnectedX } from '@tabler/icons-react';
import { Link, useParams } from 'react-router';
import { PageHeader } from '../../ui/PageHeader';
import { RelativeTime } from '../../ui/RelativeTime';
import { EmptyState, ErrorState, LoadingState } from '../../ui/states';
import { useCurrentUser } from '../auth/session';
import { useIntegration } from './alerts-queries';
import { kindLabel } from './CreateIntegrationModal';
import { DisableIntegrationModal } from './DisableIntegrationModal';
import { useAlertLiveUpdates } from './use-alert-live-updates';

function Copy({ value, label }: { value: string; label: string }) {
  return (
    <CopyButton value={value} timeout={1500}>
      {({ copied, copy }) => (
        <Tooltip label={copied ? 'Copied' : label} withArrow>
          <ActionIcon variant="subtle" color={copied ? 'teal' : 'gray'} onClick={copy} aria-label={label}>
            {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
          </ActionIcon>
        </Tooltip>
      )}
    </CopyButton>
  );
}

function Field({ label, value, secret = false }: { label: string; value: string; secret?: boolean }) {
  return (
    <Stack gap={2}>
      <Text size="xs" fw={600} c="dimmed" tt="uppercase">{label}</Text>
      <Group gap={4} wrap="nowrap">
        <Code style={{ wordBreak: 'break-all', flex: 1 }} data-testid={secret ? 'routing-key' : 'integration-url'}>{value}</Code>
        <Copy value={value} label={`Copy ${label.toLowerCase()}`} />
      </Group>
    </Stack>
  );
}

function Stat({ label, value, colour }: { label: string; value: number; colour?: string }) {
  return (
    <Card withBorder radius="md" p="sm">
      <Text size="xs" c="dimmed">{label}</Text>
      <Text size="xl" fw={700} c={colour}>{value}</Text>
    </Card>
  );
}

export function IntegrationPage() {
  const { id = '' } = useParams();
  const integration = useIntegration(id);
  const user = useCurrentUser();
  const [disabling, disable] = useDisclosure(false);
  useAlertLiveUpdates();
  if (integration.isPending) return <LoadingState />;
  if (integration.isError) return <ErrorState error={integration.error} title="Could not load this integration" />;
  const data = integration.data;
  return (
    <>
      <Breadcrumbs mb="xs" separatorMargin={6}>
        <Anchor component={Link} to="/integrations" size="sm">Integrations</Anchor>
        <Text size="sm" c="dimmed">{data.name}</Text>
      </Breadcrumbs>
      <PageHeader
        title={data.name}
        description={`${kindLabel[data.kind]}${data.team ? ` · owned by ${data.team.name}` : ''}`}
        actions={user.role === 'admin' && <Button variant="default" size="xs" leftSection={<IconPlugConnectedX size={14} />} onClick={disable.open}>Disable</Button>}
      />
      {disabling && <DisableIntegrationModal integration={data} opened={disabling} onClose={disable.close} />}
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="md">
            <Card withBorder radius="md" p="md">
              <Stack gap="sm">
                <Field label="URL" value={data.url} />
                <Field label="Routing key" value={data.routingKey} secret />
              </Stack>
            </Card>
            <Card withBorder radius="md" p="md">
              <Group justify="space-between" mb="xs">
                <Text fw={600}>Configuration snippet</Text>
                <Copy value={data.configSnippet} label="Copy snippet" />
              </Group>
              <Code block data-testid="config-snippet" style={{ whiteSpace: 'pre', overflowX: 'auto' }}>{data.configSnippet}</Code>
            </Card>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="md">
            <SimpleGrid cols={3} spacing="sm">
              <Stat label="Alerts accepted" value={data.eventCount} />
              <Stat label="Errors" value={data.errorCount} colour={data.errorCount > 0 ? 'red' : undefined} />
              <Card withBorder radius="md" p="sm">
                <Text size="xs" c="dimmed">Last event</Text>
                {data.lastEventAt ? <RelativeTime value={data.lastEventAt} size="sm" fw={600} c="var(--mantine-color-text)" /> : <Text size="sm" fw={600}>never</Text>}
              </Card>
            </SimpleGrid>
            {data.lastError && (
              <Alert color="red" variant="light" radius="md" icon={<IconAlertTriangle size={18} />} data-testid="last-error"
                title={<Group gap={6}>Last error <RelativeTime value={data.lastError.at} size="xs" c="dimmed" /></Group>}>
                <Text size="sm" style={{ wordBreak: 'break-word' }}>{data.lastError.message}</Text>
              </Alert>
            )}
            <Card withBorder radius="md" p="md" data-testid="last-events">
              <Text fw={600} mb="xs">Last events</Text>
              {data.lastEvents.length === 0 ? <EmptyState title="Nothing received yet">Paste the snippet into the sending tool; batches show up here.</EmptyState> : (
                <Table verticalSpacing={4}>
                  <Table.Thead><Table.Tr><Table.Th>When</Table.Th><Table.Th ta="right">Alerts</Table.Th><Table.Th>First alert</Table.Th></Table.Tr></Table.Thead>
                  <Table.Tbody>
                    {data.lastEvents.map((event, i) => (
                      <Table.Tr key={`${event.receivedAt}-${i}`}>
                        <Table.Td><RelativeTime value={event.receivedAt} /></Table.Td>
                        <Table.Td ta="right">{event.alertCount}</Table.Td>
                        <Table.Td><Text size="xs" lineClamp={1}>{event.sample}</Text></Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </Card>
          </Stack>
        </Grid.Col>
      </Grid>
    </>
  );
}
