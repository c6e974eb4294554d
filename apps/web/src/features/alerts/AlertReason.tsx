import { Group, Text, Tooltip } from '@mantine/core';
import type { Alert } from '@opsloom/api';
import { IconArrowRight } from '@tabler/icons-react';
import { Fragment } from 'react';
import { Link } from 'react-router';
import { ciPath } from '../cmdb/ci-style';

const ruleLabel: Record<NonNullable<Alert['reason']>['rule'], string> = {
  opened: 'opened the incident',
  same_fingerprint: 'same fingerprint',
  same_ci: 'same CI',
  explained_by_root: 'explained by the root cause',
  upstream_of_root: 'upstream of the root cause',
  common_upstream: 'common upstream CI',
  shared_labels: 'shared labels',
  merged: 'incident merged',
};

/** Why the correlator put this alert in its incident: the rule, its sentence, and the dependency path it followed. */
export function AlertReason({ reason }: { reason: NonNullable<Alert['reason']> }) {
  return (
    <div data-testid="alert-reason">
      <Text size="xs">
        <Tooltip label={`Rule: ${reason.rule}`} openDelay={300}><Text span size="xs" fw={600}>{ruleLabel[reason.rule]}</Text></Tooltip>
        {' — '}{reason.text}
      </Text>
      {reason.path.length > 1 && (
        <Group gap={2} wrap="wrap" mt={2}>
          {reason.path.map((key, i) => (
            <Fragment key={`${key}-${i}`}>
              {i > 0 && <IconArrowRight size={10} color="var(--mantine-color-dimmed)" />}
              <Text component={Link} to={ciPath(key)} size="xs" ff="monospace" c="blue">{key}</Text>
            </Fragment>
          ))}
        </Group>
      )}
    </div>
  );
}
