import { Alert, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import type { IncidentDetail } from '@opsloom/api';
import { useState } from 'react';
import { errorMessage } from '../../api/errors';
import { useResolveIncident } from './incident-queries';

/** Resolving by hand: for incidents that do not resolve with their alerts, or that someone knows are over. */
export function ResolveIncidentModal({ incident, opened, onClose }: { incident: IncidentDetail; opened: boolean; onClose: () => void }) {
  const [note, setNote] = useState('');
  const resolve = useResolveIncident(incident.id);
  const close = () => {
    resolve.reset();
    setNote('');
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title={`Resolve incident #${incident.number}`}>
      <form onSubmit={(e) => { e.preventDefault(); resolve.mutate(note.trim(), { onSuccess: close }); }}>
        <Stack gap="sm">
          {incident.openAlertCount > 0 && (
            <Text size="sm">
              {incident.openAlertCount} of its alerts are still firing. They stay with this incident; alerts that start after now open a new one.
            </Text>
          )}
          <Textarea label="Note" description="Why it is over: it goes on the activity record." placeholder="Replaced the failed controller; latency back to normal." maxLength={1000} autosize minRows={2} value={note} onChange={(e) => setNote(e.currentTarget.value)} data-autofocus />
          {resolve.isError && <Alert color="red" role="alert">{errorMessage(resolve.error)}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>Cancel</Button>
            <Button type="submit" color="green" loading={resolve.isPending}>Resolve incident</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
