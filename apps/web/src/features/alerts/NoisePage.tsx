import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { Anchor, Breadcrumbs, Card, Group, SegmentedControl, SimpleGrid, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { PageHeader } from '../../ui/PageHeader';
import { EmptyState, ErrorState, LoadingState } from '../../ui/states';
import { useNoise } from './alerts-queries';
import { useAlertLiveUpdates } from './use-alert-live-updates';

const series = [
  { name: 'deliveries', label: 'Deliveries', color: 'gray.4' },
  { name: 'alerts', label: 'Alerts (after dedup)', color: 'orange.6' },
  { name: 'incidents', label: 'Incidents opened', color: 'blue.6' },
];

function reduction(alerts: number, incidents: number): string {
  return incidents === 0 ? '—' : `${(alerts / incidents).toFixed(1)} : 1`;
}

function Breakdown({ title, rows, testId }: { title: string; rows: Array<{ key: string; label: string; alerts: number; deliveries: number; incidents: number }>; testId: string }) {
  return (
    <Card withBorder radius="md" p="md" data-testid={testId}>
      <Text fw={600} mb="sm">{title}</Text>
      {rows.length === 0 ? <Text size="sm" c="dimmed">Nothing in this period.</Text> : (
        <BarChart h={Math.max(140, rows.length * 44)} data={rows} dataKey="label" orientation="vertical" yAxisProps={{ width: 120 }} series={series} withLegend={false} tickLine="none" gridAxis="none" />
      )}
    </Card>
  );
}

/** Alerts received vs incidents opened: how much noise correlation takes off people's plates. */
export function NoisePage() {
  const [days, setDays] = useState('30');
  const noise = useNoise(Number(days));
  useAlertLiveUpdates();
  return (
    <>
      <Breadcrumbs mb="xs" separatorMargin={6}>
        <Anchor component={Link} to="/alerts" size="sm">Alerts</Anchor>
        <Text size="sm" c="dimmed">Noise</Text>
      </Breadcrumbs>
      <PageHeader
        title="Noise"
        description="Alerts received against incidents opened, by event time."
        actions={<SegmentedControl size="xs" aria-label="Period" value={days} onChange={setDays} data={[{ value: '7', label: '7 days' }, { value: '30', label: '30 days' }, { value: '90', label: '90 days' }]} />}
      />
      {noise.isPending && <LoadingState />}
      {noise.isError && <ErrorState error={noise.error} />}
      {noise.isSuccess && (
        <Stack gap="md">
          <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm" data-testid="noise-totals">
            {[
              ['Deliveries', noise.data.totals.deliveries],
              ['Alerts', noise.data.totals.alerts],
              ['Incidents', noise.data.totals.incidents],
            ].map(([label, value]) => (
              <Card key={label} withBorder radius="md" p="sm"><Text size="xs" c="dimmed">{label}</Text><Text size="xl" fw={700}>{value}</Text></Card>
            ))}
            <Card withBorder radius="md" p="sm"><Text size="xs" c="dimmed">Alerts per incident</Text><Text size="xl" fw={700}>{reduction(noise.data.totals.alerts, noise.data.totals.incidents)}</Text></Card>
          </SimpleGrid>
          <Card withBorder radius="md" p="md" data-testid="noise-by-day">
            <Group justify="space-between" mb="sm"><Text fw={600}>Per day</Text></Group>
            {noise.data.byDay.length === 0 ? <EmptyState title="No alerts in this period" /> : (
              <BarChart h={260} data={noise.data.byDay} dataKey="label" series={series} withLegend legendProps={{ verticalAlign: 'bottom' }} tickLine="y" />
            )}
          </Card>
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
            <Breakdown title="Per integration" rows={noise.data.byIntegration} testId="noise-by-integration" />
            <Breakdown title="Per team" rows={noise.data.byTeam} testId="noise-by-team" />
          </SimpleGrid>
        </Stack>
      )}
    </>
  );
}
