import { Alert, Button, Group, Modal, Select, Stack, TextInput } from '@mantine/core';
import { integrationKinds } from '@opsloom/api';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { errorMessage } from '../../api/errors';
import { useTeams } from '../teams/team-queries';
import { useCreateIntegration } from './alerts-queries';

type Kind = (typeof integrationKinds)[number];
export const kindLabel: Record<Kind, string> = { alertmanager: 'Prometheus Alertmanager (webhook)', 'pagerduty-v2': 'PagerDuty Events API v2', generic: 'Generic JSON events' };

export function CreateIntegrationModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [kind, setKind] = useState<Kind>('alertmanager');
  const [name, setName] = useState('');
  const [team, setTeam] = useState<string | null>(null);
  const teams = useTeams();
  const create = useCreateIntegration();
  const navigate = useNavigate();
  const close = () => {
    create.reset();
    setName('');
    setTeam(null);
    onClose();
  };
  const submit = () =>
    create.mutate({ kind, name: name.trim(), team: team ?? undefined }, {
      onSuccess: (integration) => {
        close();
        void navigate(`/integrations/${integration.id}`);
      },
    });
  return (
    <Modal opened={opened} onClose={close} title="Create integration">
      <form onSubmit={(e) => { e.preventDefault(); submit(); }}>
        <Stack gap="sm">
          <Select label="Kind" data={integrationKinds.map((k) => ({ value: k, label: kindLabel[k] }))} value={kind} onChange={(v) => v && setKind(v)} allowDeselect={false} />
          <TextInput label="Name" placeholder="prometheus-eu" required value={name} onChange={(e) => setName(e.currentTarget.value)} data-autofocus />
          <Select label="Owning team" description="Incidents fall back to it when no CI owner is known." placeholder="None" clearable searchable data={(teams.data?.items ?? []).map((t) => ({ value: t.slug, label: t.name }))} value={team} onChange={setTeam} />
          {create.isError && <Alert color="red" role="alert">{errorMessage(create.error)}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>Cancel</Button>
            <Button type="submit" loading={create.isPending} disabled={!name.trim()}>Create integration</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
