import { activityApi, buildQuery, type Activity } from '@opsloom/api';
import { useEffect, useRef, useState } from 'react';
import type { ActivityFilters } from './activity-queries';

export type StreamState = 'connecting' | 'live' | 'reconnecting';

/**
 * Subscribes to the server's Server-Sent-Events stream with the given filters.
 * EventSource reconnects by itself and sends `Last-Event-ID`, so the server replays
 * what was missed; `afterId` closes the gap between the first page load and the connection.
 * Without either (no record received yet, no `afterId`) nothing is replayed: `onConnected`,
 * called each time the stream opens, is where such a caller fetches its data again.
 */
export function useLiveActivity(
  filters: ActivityFilters,
  options: { enabled: boolean; afterId: string | null; onActivity: (item: Activity) => void; onConnected?: () => void; onGiveUp?: () => void },
): StreamState {
  const [state, setState] = useState<StreamState>('connecting');
  const onActivity = useRef(options.onActivity);
  onActivity.current = options.onActivity;
  const onGiveUp = useRef(options.onGiveUp);
  onGiveUp.current = options.onGiveUp;
  const onConnected = useRef(options.onConnected);
  onConnected.current = options.onConnected;
  const afterId = useRef(options.afterId);
  afterId.current = options.afterId;
  const filterKey = JSON.stringify(filters);
  // Bumped to open a new connection when the browser gave up on the old one (e.g. a 5xx).
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!options.enabled) return undefined;
    const parsed = JSON.parse(filterKey) as ActivityFilters;
    const url = `${activityApi.streamActivity.path}${buildQuery({
      ...parsed,
      following: parsed.following ? 'true' : undefined,
      lastEventId: afterId.current ?? undefined,
    })}`;
    const source = new EventSource(url, { withCredentials: true });
    setState('connecting');
    source.onopen = () => {
      setState('live');
      onConnected.current?.();
    };
    let retry: ReturnType<typeof setTimeout> | undefined;
    source.onerror = () => {
      setState('reconnecting');
      if (source.readyState === EventSource.CLOSED) {
        // The browser stops retrying on an HTTP error such as 401; let the caller check why.
        onGiveUp.current?.();
        retry = setTimeout(() => setAttempt((n) => n + 1), 5000);
      }
    };
    source.addEventListener('activity', (event) => {
      try {
        onActivity.current(JSON.parse((event as MessageEvent<string>).data) as Activity);
      } catch {
        // A malformed frame is skipped; the next one still arrives.
      }
    });
    return () => {
      clearTimeout(retry);
      source.close();
    };
  }, [filterKey, options.enabled, attempt]);

  return state;
}
