import { Anchor, Badge, Code, Group, Stack, Text, Timeline } from '@mantine/core';
import type { HistoryEntry } from '@opsloom/api';
import { Link } from 'react-router';
import { RelativeTime } from '../../ui/RelativeTime';
import { ciPath } from './ci-style';

const actionColour = { created: 'teal', updated: 'blue', deleted: 'red' } as const;

function show(value: unknown): string {
  if (value === undefined || value === null || value === '') return '∅';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Field-level diffs, old → new: what an incident responder reads to spot the change that hurt. */
export function HistoryList({ entries, showCi = false, testId }: { entries: HistoryEntry[]; showCi?: boolean; testId?: string }) {
  return (
    <Timeline bulletSize={12} lineWidth={2} data-testid={testId}>
      {entries.map((entry) => (
        <Timeline.Item key={entry.id} color={actionColour[entry.action]} data-testid="history-entry">
          <Stack gap={4}>
            <Group gap={6} wrap="wrap">
              <Badge size="xs" variant="light" color={actionColour[entry.action]}>{entry.subjectType} {entry.action}</Badge>
              {showCi && <Anchor component={Link} to={ciPath(entry.ci.key)} size="sm" fw={500}>{entry.ci.name}</Anchor>}
              <Text size="sm">{entry.summary}</Text>
            </Group>
            <Group gap={4}>
              <Text size="xs" c="dimmed">{entry.actor.name} ·</Text>
              <RelativeTime value={entry.at} />
            </Group>
            {entry.changes.length > 0 && (
              <Stack gap={2}>
                {entry.changes.map((change) => (
                  <Group key={change.field} gap={6} wrap="nowrap" align="flex-start">
                    <Text size="xs" fw={600} miw={90}>{change.field}</Text>
                    <Code style={{ textDecoration: 'line-through', opacity: 0.7, wordBreak: 'break-all' }}>{show(change.from)}</Code>
                    <Text size="xs" c="dimmed">→</Text>
                    <Code color="teal.1" style={{ wordBreak: 'break-all' }}>{show(change.to)}</Code>
                  </Group>
                ))}
              </Stack>
            )}
          </Stack>
        </Timeline.Item>
      ))}
    </Timeline>
  );
}
