import { Group, Paper, Stack, Text } from '@mantine/core';
import type { GraphResult } from '@opsloom/api';
import { teamColour, typeColour, typeLabel } from '../ci-style';
import type { ColourBy } from './ServiceMapCanvas';

/** Shows only the colours that are on screen, most frequent first. */
export function MapLegend({ graph, colourBy }: { graph: GraphResult; colourBy: ColourBy }) {
  const counts = new Map<string, number>();
  for (const node of graph.nodes) {
    const key = colourBy === 'team' ? (node.team ?? '') : node.type;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const entries = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 14);
  return (
    <Paper withBorder shadow="xs" p="xs" radius="md" style={{ position: 'absolute', left: 12, bottom: 12, zIndex: 2, maxWidth: 220 }} data-testid="map-legend">
      <Text size="xs" fw={600} c="dimmed" tt="uppercase" mb={4}>{colourBy === 'team' ? 'Owner team' : 'Type'}</Text>
      <Stack gap={2}>
        {entries.map(([key, count]) => (
          <Group key={key} gap={6} wrap="nowrap">
            <span style={{ width: 10, height: 10, borderRadius: 5, flex: 'none', background: colourBy === 'team' ? teamColour(key || null) : typeColour(key) }} />
            <Text size="xs" truncate style={{ flex: 1 }}>{colourBy === 'team' ? key || 'no owner' : typeLabel(key)}</Text>
            <Text size="xs" c="dimmed">{count}</Text>
          </Group>
        ))}
      </Stack>
    </Paper>
  );
}
