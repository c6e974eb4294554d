import { activityApi } from '@opsloom/api';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';

export const inboxKey = ['inbox'] as const;

export function useUnreadCount() {
  return useQuery({
    queryKey: [...inboxKey, 'unread'],
    queryFn: () => api.call(activityApi.listInbox, { query: { unread: 'true', limit: 1 } }),
    select: (data) => data.unreadCount,
    refetchInterval: 60_000,
  });
}

export function useInbox(unreadOnly: boolean) {
  return useInfiniteQuery({
    queryKey: [...inboxKey, 'list', unreadOnly],
    queryFn: ({ pageParam }) => api.call(activityApi.listInbox, { query: { unread: unreadOnly ? 'true' : undefined, limit: 30, cursor: pageParam } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useMarkRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (ids?: string[]) => api.call(activityApi.markInboxRead, { body: { ids } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: inboxKey }),
  });
}
