import { Alert, Anchor, Badge, Breadcrumbs, Button, Card, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import type { IncidentDetail } from '@opsloom/api';
import { useDisclosure } from '@mantine/hooks';
import { IconCircleCheck, IconTarget, IconTopologyStar3 } from '@tabler/icons-react';
import { Link, useParams } from 'react-router';
import { PageHeader } from '../../ui/PageHeader';
import { RelativeTime } from '../../ui/RelativeTime';
import { ErrorState, LoadingState } from '../../ui/states';
import { severityColour, statusColour } from '../alerts/alert-style';
import { useIncident } from './incident-queries';
import { useAlertLiveUpdates } from '../alerts/use-alert-live-updates';
import { ciPath } from '../cmdb/ci-style';
import { useCurrentUser } from '../auth/session';
import { IncidentAlerts } from './IncidentAlerts';
import { ResolveIncidentModal } from './ResolveIncidentModal';

/** Likelihood relative to the named root, as people read it: "as likely", "2.5× less likely". */
function relativeText(likelihood: number): string {
  if (likelihood >= 0.95) return 'as likely';
  const times = 1 / likelihood;
  return `${times < 10 ? times.toFixed(1) : Math.round(times)}× less likely`;
}

/** The runner-up roots: when one is nearly as likely, the named root is a guess between them. */
function RootCauseAlternatives({ incident }: { incident: IncidentDetail }) {
  const alternatives = incident.rootCauseAlternatives;
  if (alternatives.length === 0) return null;
  return (
    <div data-testid="root-cause-alternatives">
      <Text size="xs" fw={600} c="dimmed" tt="uppercase" mt={4} mb={4}>Other possible causes</Text>
      <Stack gap={6}>
        {alternatives.map((a) => (
          <div key={a.ci.id} data-testid="root-cause-alternative">
            <Group gap={6} wrap="nowrap">
              <Anchor component={Link} to={ciPath(a.ci.key)} size="sm" ff="monospace">{a.ci.key}</Anchor>
              <Badge size="sm" variant="light" color={a.relativeLikelihood >= 0.5 ? 'orange' : 'gray'} tt="none">{relativeText(a.relativeLikelihood)}</Badge>
            </Group>
            <Text size="xs" c="dimmed">{a.explanation}</Text>
          </div>
        ))}
      </Stack>
    </div>
  );
}

function RootCauseCard({ incident }: { incident: IncidentDetail }) {
  const root = incident.rootCause;
  return (
    <Card withBorder radius="md" p="md" data-testid="root-cause" style={{ borderColor: root ? 'var(--mantine-color-red-4)' : undefined }}>
      <Group gap={6} mb="xs"><IconTarget size={18} color="var(--mantine-color-red-6)" /><Text fw={600}>Root-cause candidate</Text></Group>
      {root ? (
        <Stack gap={6}>
          <Anchor component={Link} to={ciPath(root.key)} fw={600} ff="monospace" data-testid="root-cause-key">{root.key}</Anchor>
          <Group gap={6}>
            <Text size="sm" c="dimmed">Owned by</Text>
            {incident.team ? <Anchor component={Link} to={`/teams/${incident.team.slug}`} size="sm" fw={500} data-testid="root-cause-team">{incident.team.name}</Anchor> : <Text size="sm">no team</Text>}
          </Group>
          <Text size="sm">{incident.rootCauseExplanation}</Text>
          <Button size="xs" variant="light" leftSection={<IconTopologyStar3 size={14} />} component={Link} to={`/map?focus=${encodeURIComponent(root.key)}&depth=3`} w="fit-content">Show on the service map</Button>
          <RootCauseAlternatives incident={incident} />
        </Stack>
      ) : (
        <Text size="sm" c="dimmed">{incident.rootCauseExplanation || 'No CI explains these alerts (unmapped alerts, grouped by time and labels).'}</Text>
      )}
    </Card>
  );
}

function ImpactCard({ incident }: { incident: IncidentDetail }) {
  return (
    <Card withBorder radius="md" p="md" data-testid="incident-impact">
      <Text fw={600} mb="xs">Impact</Text>
      <Stack gap="xs">
        <Text size="sm"><Text span fw={700}>{incident.impactedCis}</Text> CIs impacted by the root cause</Text>
        <div>
          <Text size="xs" fw={600} c="dimmed" tt="uppercase" mb={4}>Business services</Text>
          {incident.impactedServices.length === 0 ? <Text size="sm" c="dimmed">None.</Text> : (
            <Group gap={4}>{incident.impactedServices.map((s) => <Badge key={s.id} component={Link} to={ciPath(s.key)} color="orange" variant="light" tt="none" style={{ cursor: 'pointer' }}>{s.name}</Badge>)}</Group>
          )}
        </div>
        <div>
          <Text size="xs" fw={600} c="dimmed" tt="uppercase" mb={4}>Alerting CIs ({incident.cis.length})</Text>
          <Group gap={4}>{incident.cis.map((key) => <Badge key={key} component={Link} to={ciPath(key)} variant="default" tt="none" ff="monospace" style={{ cursor: 'pointer' }}>{key}</Badge>)}</Group>
        </div>
      </Stack>
    </Card>
  );
}

export function IncidentPage() {
  const { id = '' } = useParams();
  const incident = useIncident(id);
  const user = useCurrentUser();
  const [resolving, { open: openResolve, close: closeResolve }] = useDisclosure(false);
  useAlertLiveUpdates();
  if (incident.isPending) return <LoadingState />;
  if (incident.isError) return <ErrorState error={incident.error} title="Could not load this incident" />;
  const data = incident.data;
  const canResolve = data.status === 'open' && !data.mergedInto && (user.role === 'admin' || user.role === 'operator');
  return (
    <>
      <Breadcrumbs mb="xs" separatorMargin={6}>
        <Anchor component={Link} to="/incidents" size="sm">Incidents</Anchor>
        <Text size="sm" c="dimmed">#{data.number}</Text>
      </Breadcrumbs>
      <PageHeader
        title={`#${data.number} ${data.title}`}
        description={
          <Group gap={6} component="span">
            <Badge color={severityColour[data.severity]}>{data.severity}</Badge>
            <Badge variant="light" color={statusColour[data.status]}>{data.status}</Badge>
            <Text span size="sm" c="dimmed">{data.openAlertCount} of {data.alertCount} alerts firing · started</Text>
            <RelativeTime value={data.startedAt} size="sm" />
            {data.resolvedAt && <><Text span size="sm" c="dimmed">· resolved</Text><RelativeTime value={data.resolvedAt} size="sm" /></>}
          </Group>
        }
        actions={canResolve && <Button color="green" variant="light" leftSection={<IconCircleCheck size={16} />} onClick={openResolve}>Resolve</Button>}
      />
      {canResolve && <ResolveIncidentModal incident={data} opened={resolving} onClose={closeResolve} />}
      {data.mergedInto && (
        <Alert color="blue" variant="light" mb="md">Merged into <Anchor component={Link} to={`/incidents/${data.mergedInto.id}`}>#{data.mergedInto.number}</Anchor>.</Alert>
      )}
      {/* Root cause first: it is what the responder acts on; the alerts are the evidence. */}
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md" mb="md">
        <RootCauseCard incident={data} />
        <ImpactCard incident={data} />
      </SimpleGrid>
      <IncidentAlerts id={data.id} />
    </>
  );
}
