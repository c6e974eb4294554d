import { Button, Group, SegmentedControl, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { EmptyState, ErrorState, LoadingState } from '../../ui/states';
import { useCiChanges, useCiDependencies, useCiHistory, useCiImpact } from './cmdb-queries';
import { HistoryList } from './HistoryList';
import { ImpactList } from './ImpactList';

export function CiImpactTab({ ciKey }: { ciKey: string }) {
  const impact = useCiImpact(ciKey);
  if (impact.isPending) return <LoadingState />;
  if (impact.isError) return <ErrorState error={impact.error} />;
  return <ImpactList result={impact.data} empty="Nothing else fails with this CI" testId="ci-impact" />;
}

export function CiDependenciesTab({ ciKey }: { ciKey: string }) {
  const deps = useCiDependencies(ciKey);
  if (deps.isPending) return <LoadingState />;
  if (deps.isError) return <ErrorState error={deps.error} />;
  return <ImpactList result={deps.data} empty="This CI depends on nothing recorded" testId="ci-dependencies" />;
}

/** The change trail incident responders ask for first: this CI and what it depends on. */
export function CiChangesTab({ ciKey }: { ciKey: string }) {
  const [depth, setDepth] = useState('5');
  const changes = useCiChanges(ciKey, Number(depth));
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">Changes on this CI and everything it depends on, newest first.</Text>
        <SegmentedControl size="xs" value={depth} onChange={setDepth} data={[{ value: '0', label: 'This CI' }, { value: '1', label: '1 hop' }, { value: '5', label: '5 hops' }, { value: '20', label: 'All' }]} aria-label="Dependency hops" />
      </Group>
      {changes.isPending && <LoadingState />}
      {changes.isError && <ErrorState error={changes.error} />}
      {changes.isSuccess && (changes.data.items.length === 0 ? <EmptyState title="No recent changes" /> : <HistoryList entries={changes.data.items} showCi testId="ci-changes" />)}
    </Stack>
  );
}

export function CiHistoryTab({ ciKey }: { ciKey: string }) {
  const history = useCiHistory(ciKey);
  if (history.isPending) return <LoadingState />;
  if (history.isError) return <ErrorState error={history.error} />;
  const entries = history.data.pages.flatMap((page) => page.items);
  return (
    <Stack gap="sm">
      {entries.length === 0 ? <EmptyState title="No history" /> : <HistoryList entries={entries} testId="ci-history" />}
      {history.hasNextPage && <Button variant="default" size="xs" onClick={() => void history.fetchNextPage()} loading={history.isFetchingNextPage}>Older changes</Button>}
    </Stack>
  );
}
