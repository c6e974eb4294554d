import { Alert, Box, Group, SegmentedControl, Stack, Text, useComputedColorScheme } from '@mantine/core';
import { useCallback, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { PageHeader } from '../../../ui/PageHeader';
import { EmptyState, ErrorState, LoadingState } from '../../../ui/states';
import { ciPath } from '../ci-style';
import { useGraph } from '../cmdb-queries';
import { useCmdbLiveUpdates } from '../use-cmdb-live-updates';
import { blastRadius } from './blast-radius';
import { BlastRadiusPanel } from './BlastRadiusPanel';
import { FocusPicker } from './FocusPicker';
import { MapLegend } from './MapLegend';
import { type ColourBy, ServiceMapCanvas } from './ServiceMapCanvas';
import { useUrlParams } from '../../../ui/use-url-params';

const hopChoices = ['1', '2', '3', '4', '6'];

export function ServiceMapPage() {
  const [params, set] = useUrlParams({ replace: true });
  const navigate = useNavigate();
  const dark = useComputedColorScheme('light') === 'dark';
  const focus = params.get('focus');
  const depth = params.get('depth') ?? '2';
  const colourBy: ColourBy = params.get('colour') === 'type' ? 'type' : 'team';
  const graph = useGraph(focus, Number(depth));
  const [selected, setSelected] = useState<string | null>(null);
  useCmdbLiveUpdates();

  const data = graph.data;
  const byId = useMemo(() => new Map((data?.nodes ?? []).map((node) => [node.id, node])), [data]);
  const focusNode = data?.nodes.find((node) => node.key === focus) ?? null;
  const selectedNode = selected ? (byId.get(selected) ?? null) : null;
  const highlighted = useMemo(() => (selectedNode && data ? blastRadius(selectedNode.id, data.edges) : new Set<string>()), [selectedNode, data]);
  const hit = useMemo(() => [...highlighted].flatMap((id) => byId.get(id) ?? []).sort((a, b) => a.name.localeCompare(b.name)), [highlighted, byId]);
  const onOpen = useCallback((key: string) => void navigate(ciPath(key)), [navigate]);

  return (
    <>
      <PageHeader title="Service map" description="How the infrastructure holds together: what depends on what, who owns it, and what fails when one piece does." />
      <Group mb="sm" gap="sm" wrap="wrap">
        <FocusPicker value={focus} label={focusNode ? `${focusNode.name} · ${focusNode.key}` : null} onChange={(key) => { setSelected(null); set('focus', key); }} />
        <Group gap={6}>
          <Text size="sm" c="dimmed">Hops</Text>
          <SegmentedControl size="xs" aria-label="Hops" disabled={!focus} value={depth} onChange={(v) => set('depth', v)} data={hopChoices} />
        </Group>
        <Group gap={6}>
          <Text size="sm" c="dimmed">Colour by</Text>
          <SegmentedControl size="xs" aria-label="Colour by" value={colourBy} onChange={(v) => set('colour', v)} data={[{ value: 'team', label: 'Team' }, { value: 'type', label: 'Type' }]} />
        </Group>
        {data && <Text size="sm" c="dimmed" data-testid="map-counts">{data.nodes.length} CIs · {data.edges.length} relationships</Text>}
      </Group>
      {data?.truncated && <Alert color="yellow" variant="light" mb="sm" py={6}>Only the first {data.nodes.length} CIs are drawn. Focus on a CI to see its neighbourhood.</Alert>}
      {graph.isPending && <LoadingState label="Loading the map…" />}
      {graph.isError && <ErrorState error={graph.error} title="Could not load the map" />}
      {data && data.nodes.length === 0 && <EmptyState title="Nothing to draw">Import CIs and relationships to see the map.</EmptyState>}
      {data && data.nodes.length > 0 && (
        <Group align="stretch" gap="md" wrap="nowrap">
          <Box pos="relative" style={{ flex: 1, height: 'max(480px, calc(100vh - 230px))', border: '1px solid var(--mantine-color-default-border)', borderRadius: 'var(--mantine-radius-md)', overflow: 'hidden', background: 'var(--mantine-color-body)' }}>
            <ServiceMapCanvas graph={data} colourBy={colourBy} dark={dark} focusId={focusNode?.id ?? null} selectedId={selectedNode?.id ?? null} highlighted={highlighted} onSelect={setSelected} onOpen={onOpen} />
            <MapLegend graph={data} colourBy={colourBy} />
          </Box>
          <Stack w={300} gap="md" style={{ flex: 'none' }}>
            <BlastRadiusPanel node={selectedNode} hit={hit} onSelect={setSelected} />
          </Stack>
        </Group>
      )}
    </>
  );
}
