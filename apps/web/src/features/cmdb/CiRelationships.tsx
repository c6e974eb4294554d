import { Anchor, Card, Divider, Group, Stack, Text } from '@mantine/core';
import type { CiDetail, Relationship } from '@opsloom/api';
import { Link } from 'react-router';
import { TypeBadge } from './CiBadges';
import { ciPath } from './ci-style';

/** Relationship types read as sentences both ways: "runs on" / "runs here". */
const outgoingVerb: Record<Relationship['type'], string> = { depends_on: 'depends on', runs_on: 'runs on', part_of: 'is part of', connects_to: 'connects to' };
const incomingVerb: Record<Relationship['type'], string> = { depends_on: 'is depended on by', runs_on: 'hosts', part_of: 'is made of', connects_to: 'is connected to by' };

function Side({ title, items, other, verbs }: { title: string; items: Relationship[]; other: (r: Relationship) => Relationship['from']; verbs: Record<Relationship['type'], string> }) {
  return (
    <Stack gap={6}>
      <Text size="xs" fw={600} c="dimmed" tt="uppercase">{title} ({items.length})</Text>
      {items.length === 0 && <Text size="sm" c="dimmed">None.</Text>}
      {items.map((rel) => {
        const ci = other(rel);
        return (
          <Group key={rel.id} gap={6} wrap="nowrap" justify="space-between">
            <Text size="sm" truncate>
              <Text span size="xs" c="dimmed">{verbs[rel.type]} </Text>
              <Anchor component={Link} to={ciPath(ci.key)} size="sm">{ci.name}</Anchor>
            </Text>
            <TypeBadge type={ci.type} />
          </Group>
        );
      })}
    </Stack>
  );
}

export function CiRelationships({ ci }: { ci: CiDetail }) {
  return (
    <Card withBorder radius="md" padding="md" data-testid="ci-relationships">
      <Text fw={600} mb="sm">Relationships</Text>
      <Side title="This CI" items={ci.outgoing} other={(r) => r.to} verbs={outgoingVerb} />
      <Divider my="sm" />
      <Side title="Towards this CI" items={ci.incoming} other={(r) => r.from} verbs={incomingVerb} />
    </Card>
  );
}
