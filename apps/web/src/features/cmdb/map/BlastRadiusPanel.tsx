import { Anchor, Badge, Button, Card, Group, ScrollArea, Stack, Text, UnstyledButton } from '@mantine/core';
import type { GraphResult } from '@opsloom/api';
import { IconExternalLink } from '@tabler/icons-react';
import { Link } from 'react-router';
import { TypeBadge } from '../CiBadges';
import { ciPath } from '../ci-style';
import { useCiImpact } from '../cmdb-queries';

type Node = GraphResult['nodes'][number];

/**
 * The selected node and what fails with it. The highlight on the map covers what is drawn;
 * the business services come from the server's impact query, which sees the whole CMDB.
 */
export function BlastRadiusPanel({ node, hit, onSelect }: { node: Node | null; hit: Node[]; onSelect: (id: string) => void }) {
  const impact = useCiImpact(node?.key ?? null);
  if (!node) {
    return (
      <Card withBorder radius="md" p="md">
        <Text fw={600} mb={4}>Blast radius</Text>
        <Text size="sm" c="dimmed">Click a node to light up everything that fails with it and the business services hit. Double-click a node to open it.</Text>
      </Card>
    );
  }
  const services = impact.data?.services ?? hit.filter((n) => n.type === 'service');
  return (
    <Card withBorder radius="md" p="md" data-testid="blast-radius">
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Stack gap={2} style={{ minWidth: 0 }}>
            <Text fw={600} truncate>{node.name}</Text>
            <Text size="xs" c="dimmed" ff="monospace" truncate>{node.key}</Text>
          </Stack>
          <Button size="compact-xs" variant="light" component={Link} to={ciPath(node.key)} rightSection={<IconExternalLink size={12} />}>Open</Button>
        </Group>
        <Group gap={6}><TypeBadge type={node.type} />{node.team && <Text size="xs" c="dimmed">owned by {node.team}</Text>}</Group>
        <Text size="sm" fw={600} data-testid="blast-radius-count">
          {hit.length === 0 ? 'Nothing else on the map fails with it' : `${hit.length} ${hit.length === 1 ? 'CI fails' : 'CIs fail'} with it`}
        </Text>
        <div data-testid="blast-radius-services">
          <Text size="xs" fw={600} c="dimmed" tt="uppercase" mb={4}>Business services hit</Text>
          {services.length === 0 ? <Text size="sm" c="dimmed">None.</Text> : (
            <Group gap={4}>
              {services.map((service) => (
                <Badge key={service.id} color="orange" variant="light" tt="none" component={Link} to={ciPath(service.key)} style={{ cursor: 'pointer' }}>{service.name}</Badge>
              ))}
            </Group>
          )}
        </div>
        {hit.length > 0 && (
          <ScrollArea.Autosize mah={300} type="auto">
            <Stack gap={2} data-testid="blast-radius-list">
              {hit.map((n) => (
                <UnstyledButton key={n.id} onClick={() => onSelect(n.id)} title="Select on the map">
                  <Group gap={6} wrap="nowrap">
                    <Anchor component="span" size="xs" truncate style={{ flex: 1 }}>{n.name}</Anchor>
                    <Text size="xs" c="dimmed">{n.type.replace(/_/g, ' ')}</Text>
                  </Group>
                </UnstyledButton>
              ))}
            </Stack>
          </ScrollArea.Autosize>
        )}
      </Stack>
    </Card>
  );
}
