import { Anchor, Badge, Group, Stack, Table, Text } from '@mantine/core';
import type { ImpactResult } from '@opsloom/api';
import { Link } from 'react-router';
import { EmptyState } from '../../ui/states';
import { TypeBadge } from './CiBadges';
import { ciPath } from './ci-style';

/** Impact ("what breaks if this fails?") and dependencies share one shape and one list. */
export function ImpactList({ result, empty, testId }: { result: ImpactResult; empty: string; testId: string }) {
  return (
    <Stack gap="sm" data-testid={testId}>
      {result.services.length > 0 && (
        <Group gap={6}>
          <Text size="sm" fw={600}>Business services:</Text>
          {result.services.map((service) => (
            <Badge key={service.id} component={Link} to={ciPath(service.key)} color="orange" variant="light" style={{ cursor: 'pointer' }}>{service.name}</Badge>
          ))}
        </Group>
      )}
      {result.impacted.length === 0 ? (
        <EmptyState title={empty} />
      ) : (
        <Table verticalSpacing={4}>
          <Table.Thead>
            <Table.Tr><Table.Th>CI</Table.Th><Table.Th>Type</Table.Th><Table.Th ta="right">Hops</Table.Th></Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {result.impacted.map((ci) => (
              <Table.Tr key={ci.id}>
                <Table.Td>
                  <Anchor component={Link} to={ciPath(ci.key)} size="sm">{ci.name}</Anchor>{' '}
                  <Text span size="xs" c="dimmed" ff="monospace">{ci.key}</Text>
                </Table.Td>
                <Table.Td><TypeBadge type={ci.type} /></Table.Td>
                <Table.Td ta="right"><Text size="sm">{ci.distance}</Text></Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
