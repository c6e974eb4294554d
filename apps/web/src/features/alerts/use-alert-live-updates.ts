import type { Activity } from '@opsloom/api';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef } from 'react';
import { useLiveActivity, type StreamState } from '../activity/live-stream';
import { incidentsKey } from '../incidents/incident-queries';
import { alertsKey, integrationsKey } from './alerts-queries';

/**
 * Keeps the alert console, incidents and integrations current from the activity stream:
 * an accepted batch is recorded on its integration (`alerts.received`), incidents on
 * themselves. A storm sends many records a second, so refetches are coalesced to one
 * every 500 ms instead of one per record. Each time the stream goes live (first connection,
 * or back after a drop) everything is fetched again: records committed while it was not
 * connected are not replayed to a client that had received none yet.
 */
export function useAlertLiveUpdates(): StreamState {
  const queryClient = useQueryClient();
  const pending = useRef(new Set<string>());
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const flush = useCallback(() => {
    timer.current = null;
    const keys = [...pending.current];
    pending.current.clear();
    for (const key of keys) void queryClient.invalidateQueries({ queryKey: [key] });
  }, [queryClient]);
  const onActivity = useCallback(
    (item: Activity) => {
      const type = item.subject.type;
      if (type === 'integration') pending.current.add(alertsKey[0]).add(integrationsKey[0]);
      else if (type === 'incident') pending.current.add(incidentsKey[0]).add(alertsKey[0]);
      else return;
      timer.current ??= setTimeout(flush, 500);
    },
    [flush],
  );
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);
  const onConnected = useCallback(() => {
    pending.current.add(alertsKey[0]).add(integrationsKey[0]).add(incidentsKey[0]);
    timer.current ??= setTimeout(flush, 0);
  }, [flush]);
  return useLiveActivity({}, { enabled: true, afterId: null, onActivity, onConnected });
}
