import { Anchor, Badge, Breadcrumbs, Button, Card, Code, Grid, Group, Stack, Table, Tabs, Text } from '@mantine/core';
import type { CiDetail } from '@opsloom/api';
import { useDisclosure } from '@mantine/hooks';
import { IconPencil, IconTopologyStar3, IconTrash } from '@tabler/icons-react';
import { Link, useParams } from 'react-router';
import { PageHeader } from '../../ui/PageHeader';
import { ErrorState, LoadingState } from '../../ui/states';
import { useCurrentUser } from '../auth/session';
import { CiBadges } from './CiBadges';
import { CiFormModal } from './CiFormModal';
import { CiHistoryTab, CiChangesTab, CiDependenciesTab, CiImpactTab } from './CiTabs';
import { CiRelationships } from './CiRelationships';
import { ciPath } from './ci-style';
import { useCi } from './cmdb-queries';
import { DeleteCiModal } from './DeleteCiModal';
import { useCmdbLiveUpdates } from './use-cmdb-live-updates';

function AttributesCard({ ci }: { ci: CiDetail }) {
  const entries = Object.entries(ci.attributes);
  return (
    <Card withBorder radius="md" padding="md" data-testid="ci-attributes">
      <Text fw={600} mb="sm">Attributes</Text>
      <Table verticalSpacing={4}>
        <Table.Tbody>
          <Table.Tr>
            <Table.Td w={110}><Text size="sm" c="dimmed">Owner</Text></Table.Td>
            <Table.Td>{ci.team ? <Anchor component={Link} to={`/teams/${ci.team.slug}`} size="sm">{ci.team.name}</Anchor> : <Text size="sm" c="dimmed">No owner team</Text>}</Table.Td>
          </Table.Tr>
          {entries.map(([name, value]) => (
            <Table.Tr key={name}>
              <Table.Td><Text size="sm" c="dimmed">{name}</Text></Table.Td>
              <Table.Td><Text size="sm" style={{ wordBreak: 'break-all' }}>{typeof value === 'string' ? value : <Code>{JSON.stringify(value)}</Code>}</Text></Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {ci.tags.length > 0 && (
        <Group gap={4} mt="sm">
          {ci.tags.map((tag) => <Badge key={tag} variant="default" size="sm" tt="none">{tag}</Badge>)}
        </Group>
      )}
    </Card>
  );
}

function ServicesCard({ ci }: { ci: CiDetail }) {
  return (
    <Card withBorder radius="md" padding="md" data-testid="ci-services">
      <Text fw={600} mb={4}>Business services supported</Text>
      <Text size="xs" c="dimmed" mb="sm">Impacted when this CI fails.</Text>
      {ci.services.length === 0 ? <Text size="sm" c="dimmed">None.</Text> : (
        <Group gap={6}>
          {ci.services.map((service) => (
            <Badge key={service.id} component={Link} to={ciPath(service.key)} color="orange" variant="light" size="lg" tt="none" style={{ cursor: 'pointer' }}>{service.name}</Badge>
          ))}
        </Group>
      )}
    </Card>
  );
}

export function CiPage() {
  const { key = '' } = useParams();
  const ci = useCi(key);
  const user = useCurrentUser();
  const [editing, edit] = useDisclosure(false);
  const [deleting, del] = useDisclosure(false);
  useCmdbLiveUpdates();
  if (ci.isPending) return <LoadingState />;
  if (ci.isError) return <ErrorState error={ci.error} title="Could not load this CI" />;
  const data = ci.data;
  const canEdit = user.role === 'admin' || user.role === 'operator';
  return (
    <>
      <Breadcrumbs mb="xs" separatorMargin={6}>
        <Anchor component={Link} to="/cmdb" size="sm">Configuration items</Anchor>
        <Text size="sm" c="dimmed" ff="monospace">{data.key}</Text>
      </Breadcrumbs>
      <PageHeader
        title={data.name}
        description={<Stack gap={6} component="span"><CiBadges type={data.type} status={data.status} criticality={data.criticality} /></Stack>}
        actions={
          <Group gap="xs">
            <Button variant="default" size="xs" leftSection={<IconTopologyStar3 size={14} />} component={Link} to={`/map?focus=${encodeURIComponent(data.key)}`}>Show on map</Button>
            {canEdit && <Button variant="default" size="xs" leftSection={<IconPencil size={14} />} onClick={edit.open}>Edit</Button>}
            {canEdit && <Button variant="default" color="red" size="xs" leftSection={<IconTrash size={14} />} onClick={del.open}>Delete</Button>}
          </Group>
        }
      />
      {editing && <CiFormModal ci={data} opened={editing} onClose={edit.close} />}
      {deleting && <DeleteCiModal ci={data} opened={deleting} onClose={del.close} />}
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Tabs defaultValue="impact" keepMounted={false}>
            <Tabs.List mb="md">
              <Tabs.Tab value="impact">What breaks if this fails?</Tabs.Tab>
              <Tabs.Tab value="dependencies">What does this depend on?</Tabs.Tab>
              <Tabs.Tab value="changes">Recent changes</Tabs.Tab>
              <Tabs.Tab value="history">History</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="impact"><CiImpactTab ciKey={data.key} /></Tabs.Panel>
            <Tabs.Panel value="dependencies"><CiDependenciesTab ciKey={data.key} /></Tabs.Panel>
            <Tabs.Panel value="changes"><CiChangesTab ciKey={data.key} /></Tabs.Panel>
            <Tabs.Panel value="history"><CiHistoryTab ciKey={data.key} /></Tabs.Panel>
          </Tabs>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="md">
            <ServicesCard ci={data} />
            <AttributesCard ci={data} />
            <CiRelationships ci={data} canEdit={canEdit} />
          </Stack>
        </Grid.Col>
      </Grid>
    </>
  );
}
