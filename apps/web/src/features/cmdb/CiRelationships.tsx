import { ActionIcon, Anchor, Button, Card, Divider, Group, Stack, Text, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { CiDetail, Relationship } from '@opsloom/api';
import { IconPlus, IconX } from '@tabler/icons-react';
import { Link } from 'react-router';
import { errorMessage } from '../../api/errors';
import { AddRelationshipModal } from './AddRelationshipModal';
import { TypeBadge } from './CiBadges';
import { ciPath } from './ci-style';
import { useDeleteRelationship } from './cmdb-queries';
import { incomingVerb, outgoingVerb } from './relationship-verbs';

interface SideProps {
  title: string;
  items: Relationship[];
  other: (r: Relationship) => Relationship['from'];
  verbs: Record<Relationship['type'], string>;
  /** Set when the viewer may remove relationships. */
  onRemove?: (r: Relationship) => void;
}

function Side({ title, items, other, verbs, onRemove }: SideProps) {
  return (
    <Stack gap={6}>
      <Text size="xs" fw={600} c="dimmed" tt="uppercase">{title} ({items.length})</Text>
      {items.length === 0 && <Text size="sm" c="dimmed">None.</Text>}
      {items.map((rel) => {
        const ci = other(rel);
        return (
          <Group key={rel.id} gap={6} wrap="nowrap" justify="space-between" data-testid="relationship-row">
            <Text size="sm" truncate>
              <Text span size="xs" c="dimmed">{verbs[rel.type]} </Text>
              <Anchor component={Link} to={ciPath(ci.key)} size="sm">{ci.name}</Anchor>
            </Text>
            <Group gap={4} wrap="nowrap">
              <TypeBadge type={ci.type} />
              {onRemove && (
                <Tooltip label="Remove relationship">
                  <ActionIcon variant="subtle" color="gray" size="sm" aria-label={`Remove: ${verbs[rel.type]} ${ci.name}`} onClick={() => onRemove(rel)}>
                    <IconX size={14} />
                  </ActionIcon>
                </Tooltip>
              )}
            </Group>
          </Group>
        );
      })}
    </Stack>
  );
}

export function CiRelationships({ ci, canEdit }: { ci: CiDetail; canEdit: boolean }) {
  const [adding, { open, close }] = useDisclosure(false);
  const remove = useDeleteRelationship();
  const onRemove = canEdit ? (rel: Relationship) => remove.mutate(rel.id) : undefined;
  return (
    <Card withBorder radius="md" padding="md" data-testid="ci-relationships">
      <Group justify="space-between" mb="sm">
        <Text fw={600}>Relationships</Text>
        {canEdit && <Button variant="default" size="compact-xs" leftSection={<IconPlus size={12} />} onClick={open}>Add</Button>}
      </Group>
      <Side title="This CI" items={ci.outgoing} other={(r) => r.to} verbs={outgoingVerb} onRemove={onRemove} />
      <Divider my="sm" />
      <Side title="Towards this CI" items={ci.incoming} other={(r) => r.from} verbs={incomingVerb} onRemove={onRemove} />
      {remove.isError && <Text size="xs" c="red" mt="xs" role="alert">{errorMessage(remove.error)}</Text>}
      {adding && <AddRelationshipModal ci={ci} opened={adding} onClose={close} />}
    </Card>
  );
}
