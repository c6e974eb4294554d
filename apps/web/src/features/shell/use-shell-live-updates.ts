import type { Activity } from '@opsloom/api';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { sessionKey } from '../../api/query-client';
import { useLiveActivity } from '../activity/live-stream';

/**
 * One unfiltered stream for the whole app: it keeps the inbox badge and the team and
 * people lists current while feeds on the page run their own filtered streams.
 */
export function useShellLiveUpdates(): void {
  const queryClient = useQueryClient();
  const onActivity = useCallback(
    (item: Activity) => {
      void queryClient.invalidateQueries({ queryKey: ['inbox'] });
      if (item.verb.startsWith('team.') || item.verb.startsWith('membership.')) void queryClient.invalidateQueries({ queryKey: ['teams'] });
      if (item.verb.startsWith('user.') || item.verb.startsWith('membership.')) void queryClient.invalidateQueries({ queryKey: ['users'] });
    },
    [queryClient],
  );
  // Records committed while the stream was down are not replayed to a stream that received
  // none: what it keeps current is fetched again whenever it (re)connects.
  const onConnected = useCallback(() => {
    for (const queryKey of [['inbox'], ['teams'], ['users']]) void queryClient.invalidateQueries({ queryKey });
  }, [queryClient]);
  // A refused stream usually means the session ended: re-checking it sends the user to sign-in at once.
  const onGiveUp = useCallback(() => void queryClient.invalidateQueries({ queryKey: sessionKey }), [queryClient]);
  useLiveActivity({}, { enabled: true, afterId: null, onActivity, onConnected, onGiveUp });
}
