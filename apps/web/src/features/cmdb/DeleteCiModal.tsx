import { Text } from '@mantine/core';
import type { CiDetail } from '@opsloom/api';
import { useNavigate } from 'react-router';
import { ConfirmActionModal } from '../../ui/ConfirmActionModal';
import { useDeleteCi } from './cmdb-queries';

export function DeleteCiModal({ ci, opened, onClose }: { ci: CiDetail; opened: boolean; onClose: () => void }) {
  const remove = useDeleteCi(ci.key);
  const navigate = useNavigate();
  const relationships = ci.outgoing.length + ci.incoming.length;
  return (
    <ConfirmActionModal
      title={`Delete ${ci.name}?`} opened={opened} onClose={onClose} confirmLabel="Delete CI" action={remove}
      onConfirm={() => remove.mutate(undefined, { onSuccess: () => void navigate('/cmdb', { replace: true }) })}
    >
      <Text size="sm">
        {relationships > 0 ? `Its ${relationships} relationship${relationships === 1 ? '' : 's'} go with it, so what depended on it no longer shows as impacted. ` : ''}
        The history of the CI and of those relationships stays in the activity log. Alerts that name its key will show as unmapped.
      </Text>
      <Text size="sm" c="dimmed">Retiring a CI (status “retired”) keeps it and its relationships on record instead.</Text>
    </ConfirmActionModal>
  );
}
