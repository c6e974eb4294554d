import { Alert, Button, Group, Modal, Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import { errorMessage } from '../api/errors';

interface ConfirmActionModalProps {
  title: string;
  opened: boolean;
  onClose: () => void;
  /** The red button's words: say the action ("Delete CI"), never just "OK". */
  confirmLabel: string;
  onConfirm: () => void;
  /** The mutation the button runs: its progress and failure show here, and closing forgets them. */
  action: { isPending: boolean; error: unknown; reset: () => void };
  /** What the action does and what it leaves behind, said before, not discovered after. */
  children: ReactNode;
}

/** A destructive action, confirmed: its consequences, Cancel, and a red button naming the action. */
export function ConfirmActionModal({ title, opened, onClose, confirmLabel, onConfirm, action, children }: ConfirmActionModalProps) {
  const close = () => {
    action.reset();
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title={title}>
      <Stack gap="sm">
        {children}
        {action.error !== null && action.error !== undefined && <Alert color="red" role="alert">{errorMessage(action.error)}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>Cancel</Button>
          <Button color="red" loading={action.isPending} onClick={onConfirm}>{confirmLabel}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
