import { Checkbox, Group, SegmentedControl, Select, TextInput } from '@mantine/core';
import { alertSeverities } from '@opsloom/api';
import { useTeams } from '../teams/team-queries';
import { type AlertFilters as Filters, useIntegrations } from './alerts-queries';

export function AlertFilters({ value, onChange }: { value: Filters; onChange: (next: Filters) => void }) {
  const teams = useTeams();
  const integrations = useIntegrations();
  const set = <K extends keyof Filters>(name: K, v: Filters[K]) => onChange({ ...value, [name]: v ?? undefined });
  return (
    <Group mb="md" gap="sm" wrap="wrap">
      <SegmentedControl size="sm" aria-label="Status" value={value.status} onChange={(v) => set('status', v)} data={[{ value: 'firing', label: 'Firing' }, { value: 'resolved', label: 'Resolved' }, { value: 'all', label: 'All' }]} />
      <Select aria-label="Severity" placeholder="Any severity" w={150} clearable data={[...alertSeverities]} value={value.severity ?? null} onChange={(v) => set('severity', (v as Filters['severity']) ?? undefined)} />
      <Select aria-label="Integration" placeholder="Any integration" w={190} clearable data={(integrations.data?.items ?? []).map((i) => ({ value: i.id, label: i.name }))} value={value.integration ?? null} onChange={(v) => set('integration', v ?? undefined)} />
      <Select aria-label="Team" placeholder="Any team" w={170} clearable searchable data={(teams.data?.items ?? []).map((t) => ({ value: t.slug, label: t.name }))} value={value.team ?? null} onChange={(v) => set('team', v ?? undefined)} />
      <TextInput aria-label="CI key" placeholder="CI key" w={180} value={value.ci ?? ''} onChange={(e) => set('ci', e.currentTarget.value.trim() || undefined)} />
      <Checkbox label="Unmapped only" checked={value.unmapped ?? false} onChange={(e) => set('unmapped', e.currentTarget.checked || undefined)} />
    </Group>
  );
}
