import { List } from '@mantine/core';
import type { Integration } from '@opsloom/api';
import { useNavigate } from 'react-router';
import { ConfirmActionModal } from '../../ui/ConfirmActionModal';
import { useDisableIntegration } from './alerts-queries';

/** Disabling is how a leaked key is revoked or a decommissioned monitor is cut off. */
export function DisableIntegrationModal({ integration, opened, onClose }: { integration: Integration; opened: boolean; onClose: () => void }) {
  const disable = useDisableIntegration();
  const navigate = useNavigate();
  return (
    <ConfirmActionModal
      title={`Disable ${integration.name}?`} opened={opened} onClose={onClose} confirmLabel="Disable integration" action={disable}
      onConfirm={() => disable.mutate(integration.id, { onSuccess: () => void navigate('/integrations', { replace: true }) })}
    >
      <List size="sm" spacing={4}>
        <List.Item>Its routing key stops working at once: whatever still sends with it is refused (401, or 400 from the PagerDuty endpoint).</List.Item>
        <List.Item>Its alerts and the incidents they opened stay; its open incidents can still be resolved by hand.</List.Item>
        <List.Item>To rotate a key, create a new integration, move the senders to it, then disable this one.</List.Item>
      </List>
    </ConfirmActionModal>
  );
}
