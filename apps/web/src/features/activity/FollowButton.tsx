import { Button } from '@mantine/core';
import { IconBell, IconBellOff } from '@tabler/icons-react';
import { notifyError } from '../../ui/notify';
import { useToggleFollow } from './follow-queries';

export function FollowButton({ subjectType, subjectId }: { subjectType: 'team' | 'user'; subjectId: string }) {
  const { following, ready, mutation } = useToggleFollow(subjectType, subjectId);
  return (
    <Button
      size="xs"
      variant={following ? 'default' : 'light'}
      leftSection={following ? <IconBellOff size={14} /> : <IconBell size={14} />}
      disabled={!ready}
      loading={mutation.isPending}
      onClick={() => mutation.mutate(undefined, { onError: (error) => notifyError(error) })}
    >
      {following ? 'Unfollow' : 'Follow'}
    </Button>
  );
}
