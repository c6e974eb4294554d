import type { Activity } from '@opsloom/api';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useLiveActivity } from '../activity/live-stream';
import { cmdbKey } from './cmdb-queries';

const cmdbSubjects = new Set(['ci', 'relationship', 'cmdb']);

/** Refetches CMDB views when a CI, relationship or import lands, whoever made it, and when the stream (re)connects. */
export function useCmdbLiveUpdates(): void {
  const queryClient = useQueryClient();
  const onActivity = useCallback(
    (item: Activity) => {
      if (cmdbSubjects.has(item.subject.type)) void queryClient.invalidateQueries({ queryKey: cmdbKey });
    },
    [queryClient],
  );
  const onConnected = useCallback(() => void queryClient.invalidateQueries({ queryKey: cmdbKey }), [queryClient]);
  useLiveActivity({}, { enabled: true, afterId: null, onActivity, onConnected });
}
