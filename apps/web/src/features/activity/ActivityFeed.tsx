import { Button, Card, Center, Divider, Group, Text } from '@mantine/core';
import type { Activity } from '@opsloom/api';
import { useQueryClient } from '@tanstack/react-query';
import { Fragment, useCallback, useRef, useState, type ReactNode } from 'react';
import { EmptyState, ErrorState, LoadingState } from '../../ui/states';
import { activityKey, type ActivityData, type ActivityFilters, prependActivity, useActivityFeed } from './activity-queries';
import { ActivityItem } from './ActivityItem';
import { LiveBadge } from './LiveBadge';
import { useLiveActivity } from './live-stream';

/** A feed of activity for the given filters: first page, "load more", and live records on top. */
export function ActivityFeed({ filters, toolbar, emptyText }: { filters: ActivityFilters; toolbar?: ReactNode; emptyText?: string }) {
  const queryClient = useQueryClient();
  const feed = useActivityFeed(filters);
  const [freshIds, setFreshIds] = useState<ReadonlySet<string>>(new Set());

  // Callers pass a new filters object per render; the ref keeps the callback stable.
  const filtersRef = useRef(filters);
  filtersRef.current = filters;
  const onActivity = useCallback(
    (item: Activity) => {
      queryClient.setQueryData<ActivityData>(activityKey(filtersRef.current), (data) => prependActivity(data, item));
      setFreshIds((ids) => new Set(ids).add(item.id));
    },
    [queryClient],
  );
  const newestId = feed.data?.pages[0]?.items[0]?.id ?? (feed.isSuccess ? '0' : null);
  const state = useLiveActivity(filters, {
    enabled: feed.isSuccess,
    // The stream's catch-up does not apply the following filter, so only replay unfiltered feeds.
    afterId: filters.following ? null : newestId,
    onActivity,
  });

  const items = feed.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Card withBorder padding={0} radius="md">
      <Group justify="space-between" px="md" py="xs" wrap="wrap" gap="xs">
        <Group gap="xs">{toolbar}</Group>
        <LiveBadge state={state} />
      </Group>
      <Divider />
      {feed.isPending && <LoadingState label="Loading activity…" />}
      {feed.isError && (
        <Center p="md">
          <ErrorState error={feed.error} title="Could not load activity" />
        </Center>
      )}
      {feed.isSuccess && items.length === 0 && <EmptyState title="No activity yet">{emptyText ?? 'What people do here will show up as it happens.'}</EmptyState>}
      <div data-testid="activity-feed">
        {items.map((item, index) => (
          <Fragment key={item.id}>
            {index > 0 && <Divider variant="dotted" />}
            <ActivityItem item={item} fresh={freshIds.has(item.id)} />
          </Fragment>
        ))}
      </div>
      {feed.hasNextPage && (
        <>
          <Divider />
          <Center py="sm">
            <Button variant="subtle" size="xs" loading={feed.isFetchingNextPage} onClick={() => void feed.fetchNextPage()}>
              Load more
            </Button>
          </Center>
        </>
      )}
      {feed.isSuccess && !feed.hasNextPage && items.length > 0 && (
        <Text size="xs" c="dimmed" ta="center" py="sm">That is everything.</Text>
      )}
    </Card>
  );
}
