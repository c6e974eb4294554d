import { List, Text } from '@mantine/core';
import type { Team } from '@opsloom/api';
import { useNavigate } from 'react-router';
import { ConfirmActionModal } from '../../ui/ConfirmActionModal';
import { useDeleteTeam } from './team-queries';

/** Deleting a team is for teams that no longer exist. */
export function DeleteTeamModal({ team, opened, onClose }: { team: Team; opened: boolean; onClose: () => void }) {
  const remove = useDeleteTeam(team.slug);
  const navigate = useNavigate();
  return (
    <ConfirmActionModal
      title={`Delete team ${team.name}?`} opened={opened} onClose={onClose} confirmLabel="Delete team" action={remove}
      onConfirm={() => remove.mutate(undefined, { onSuccess: () => void navigate('/teams', { replace: true }) })}
    >
      <List size="sm" spacing={4}>
        <List.Item>Its members stay in Opsloom; they are no longer members of {team.name}.</List.Item>
        <List.Item>CIs and integrations it owned are left without an owner team until someone assigns one.</List.Item>
        <List.Item>Its history stays in the activity and audit logs.</List.Item>
      </List>
      <Text size="sm" c="dimmed">To rename it or change what it does, edit it instead.</Text>
    </ConfirmActionModal>
  );
}
