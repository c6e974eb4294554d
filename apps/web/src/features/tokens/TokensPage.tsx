import { Badge, Button, Card, Code, Group, Table, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ApiToken } from '@opsloom/api';
import { IconKey, IconPlus } from '@tabler/icons-react';
import { PageHeader } from '../../ui/PageHeader';
import { RelativeTime } from '../../ui/RelativeTime';
import { notifyError, notifySuccess } from '../../ui/notify';
import { EmptyState, ErrorState, LoadingState } from '../../ui/states';
import { CreateTokenModal } from './CreateTokenModal';
import { useRevokeToken, useTokens } from './token-queries';

function TokenStatus({ token }: { token: ApiToken }) {
  if (token.revokedAt) return <Badge size="sm" color="gray" variant="outline">revoked</Badge>;
  if (token.expiresAt && new Date(token.expiresAt).getTime() < Date.now()) return <Badge size="sm" color="orange" variant="light">expired</Badge>;
  return <Badge size="sm" color="teal" variant="light">active</Badge>;
}

export function TokensPage() {
  const tokens = useTokens();
  const revoke = useRevokeToken();
  const [creating, { open, close }] = useDisclosure(false);
  const items = tokens.data?.items ?? [];
  return (
    <>
      <PageHeader
        title="API tokens"
        description="Tokens let scripts, the CLI and integrations act as you. Treat them like passwords."
        actions={<Button leftSection={<IconPlus size={16} />} onClick={open}>Create token</Button>}
      />
      {tokens.isPending && <LoadingState />}
      {tokens.isError && <ErrorState error={tokens.error} />}
      {tokens.isSuccess && items.length === 0 && (
        <EmptyState title="No API tokens" icon={<IconKey size={22} />}>Create one for a script or an integration such as Alertmanager.</EmptyState>
      )}
      {items.length > 0 && (
        <Card withBorder padding={0} radius="md">
          <Table.ScrollContainer minWidth={720}>
            <Table verticalSpacing={8} horizontalSpacing="md" data-testid="tokens-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Prefix</Table.Th>
                  <Table.Th>Created</Table.Th>
                  <Table.Th>Last used</Table.Th>
                  <Table.Th>Expires</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((token) => (
                  <Table.Tr key={token.id} data-testid="token-row" opacity={token.revokedAt ? 0.6 : 1}>
                    <Table.Td><Text size="sm" fw={500}>{token.name}</Text></Table.Td>
                    <Table.Td><Code>{token.prefix}…</Code></Table.Td>
                    <Table.Td><RelativeTime value={token.createdAt} size="sm" /></Table.Td>
                    <Table.Td>{token.lastUsedAt ? <RelativeTime value={token.lastUsedAt} size="sm" /> : <Text size="sm" c="dimmed">never</Text>}</Table.Td>
                    <Table.Td>{token.expiresAt ? <RelativeTime value={token.expiresAt} size="sm" /> : <Text size="sm" c="dimmed">never</Text>}</Table.Td>
                    <Table.Td><TokenStatus token={token} /></Table.Td>
                    <Table.Td>
                      <Group justify="flex-end">
                        {!token.revokedAt && (
                          <Button
                            size="xs"
                            variant="subtle"
                            color="red"
                            loading={revoke.isPending && revoke.variables === token.id}
                            onClick={() => {
                              if (window.confirm(`Revoke "${token.name}"? Anything using it stops working.`)) {
                                revoke.mutate(token.id, { onSuccess: () => notifySuccess(`Token "${token.name}" revoked`), onError: (error) => notifyError(error) });
                              }
                            }}
                          >
                            Revoke
                          </Button>
                        )}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      )}
      <CreateTokenModal opened={creating} onClose={close} />
    </>
  );
}
