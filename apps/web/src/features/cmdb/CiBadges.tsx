import { Badge, Group } from '@mantine/core';
import type { CiStatus } from '@opsloom/api';
import { criticalityColour, criticalityLabel, statusColour, typeColour, typeLabel } from './ci-style';

export function TypeBadge({ type }: { type: string }) {
  return (
    <Badge variant="dot" color={typeColour(type)} size="sm" tt="none">{typeLabel(type)}</Badge>
  );
}

export function StatusBadge({ status }: { status: CiStatus }) {
  return <Badge variant="light" color={statusColour[status]} size="sm">{status}</Badge>;
}

export function CriticalityBadge({ criticality }: { criticality: number }) {
  return (
    <Badge variant="outline" color={criticalityColour[criticality] ?? 'gray'} size="sm" title="Criticality: 1 = most critical … 4">
      C{criticality} · {criticalityLabel[criticality] ?? '?'}
    </Badge>
  );
}

export function CiBadges({ type, status, criticality }: { type: string; status: CiStatus; criticality: number }) {
  return (
    <Group gap={6}>
      <TypeBadge type={type} />
      <CriticalityBadge criticality={criticality} />
      <StatusBadge status={status} />
    </Group>
  );
}
