import { activityApi, type Activity } from '@opsloom/api';
import { type InfiniteData, useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../api/client';

/** Server-side filters of a feed; the same ones drive the list and its live stream. */
export interface ActivityFilters {
  team?: string;
  actor?: string;
  subject?: string;
  following?: boolean;
}

export interface ActivityPage {
  items: Activity[];
  nextCursor: string | null;
}

export type ActivityData = InfiniteData<ActivityPage, string | undefined>;

export function activityKey(filters: ActivityFilters) {
  return ['activity', filters] as const;
}

export function useActivityFeed(filters: ActivityFilters) {
  return useInfiniteQuery({
    queryKey: activityKey(filters),
    queryFn: ({ pageParam }) =>
      api.call(activityApi.listActivity, {
        query: { ...filters, following: filters.following ? 'true' : undefined, limit: 30, cursor: pageParam },
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // The live stream keeps the feed current; refetching would only reorder the screen.
    staleTime: Infinity,
  });
}

/** Puts a live record at the top of a cached feed, once. */
export function prependActivity(data: ActivityData | undefined, item: Activity): ActivityData | undefined {
  if (!data || data.pages.length === 0) return data;
  if (data.pages.some((page) => page.items.some((existing) => existing.id === item.id))) return data;
  const [first, ...rest] = data.pages;
  return { ...data, pages: [{ ...first, items: [item, ...first.items] }, ...rest] };
}
