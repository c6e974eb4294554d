import { Alert, Button, Group, List, Modal, Stack } from '@mantine/core';
import type { Integration } from '@opsloom/api';
import { useNavigate } from 'react-router';
import { errorMessage } from '../../api/errors';
import { useDisableIntegration } from './alerts-queries';

/** Disabling is how a leaked key is revoked or a decommissioned monitor is cut off; what it keeps is said first. */
export function DisableIntegrationModal({ integration, opened, onClose }: { integration: Integration; opened: boolean; onClose: () => void }) {
  const disable = useDisableIntegration();
  const navigate = useNavigate();
  const close = () => {
    disable.reset();
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title={`Disable ${integration.name}?`}>
      <Stack gap="sm">
        <List size="sm" spacing={4}>
          <List.Item>Its routing key stops working at once: whatever still sends with it is refused (401, or 400 from the PagerDuty endpoint).</List.Item>
          <List.Item>Its alerts and the incidents they opened stay; its open incidents can still be resolved by hand.</List.Item>
          <List.Item>To rotate a key, create a new integration, move the senders to it, then disable this one.</List.Item>
        </List>
        {disable.isError && <Alert color="red" role="alert">{errorMessage(disable.error)}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>Cancel</Button>
          <Button color="red" loading={disable.isPending} onClick={() => disable.mutate(integration.id, { onSuccess: () => void navigate('/integrations', { replace: true }) })}>Disable integration</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
