import { Alert, Button, Group, List, Modal, Stack, Text } from '@mantine/core';
import type { Team } from '@opsloom/api';
import { useNavigate } from 'react-router';
import { errorMessage } from '../../api/errors';
import { useDeleteTeam } from './team-queries';

/** Deleting a team is for teams that no longer exist; what it leaves behind is said before, not discovered after. */
export function DeleteTeamModal({ team, opened, onClose }: { team: Team; opened: boolean; onClose: () => void }) {
  const remove = useDeleteTeam(team.slug);
  const navigate = useNavigate();
  const close = () => {
    remove.reset();
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title={`Delete team ${team.name}?`}>
      <Stack gap="sm">
        <List size="sm" spacing={4}>
          <List.Item>Its members stay in Opsloom; they are no longer members of {team.name}.</List.Item>
          <List.Item>CIs and integrations it owned are left without an owner team until someone assigns one.</List.Item>
          <List.Item>Its history stays in the activity and audit logs.</List.Item>
        </List>
        <Text size="sm" c="dimmed">To rename it or change what it does, edit it instead.</Text>
        {remove.isError && <Alert color="red" role="alert">{errorMessage(remove.error)}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>Cancel</Button>
          <Button color="red" loading={remove.isPending} onClick={() => remove.mutate(undefined, { onSuccess: () => void navigate('/teams', { replace: true }) })}>Delete team</Button>
        </Group>
      </Stack>
    </Modal>
  );
}
