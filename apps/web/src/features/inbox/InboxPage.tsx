import { ActionIcon, Badge, Button, Card, Center, Divider, Group, SegmentedControl, Tooltip } from '@mantine/core';
import { IconAt, IconCheck, IconChecks, IconInbox } from '@tabler/icons-react';
import { Fragment, useState } from 'react';
import { PageHeader } from '../../ui/PageHeader';
import { notifyError } from '../../ui/notify';
import { EmptyState, ErrorState, LoadingState } from '../../ui/states';
import { ActivityItem } from '../activity/ActivityItem';
import { useInbox, useMarkRead } from './inbox-queries';

export function InboxPage() {
  const [unreadOnly, setUnreadOnly] = useState(false);
  const inbox = useInbox(unreadOnly);
  const markRead = useMarkRead();
  const entries = inbox.data?.pages.flatMap((page) => page.items) ?? [];
  const unreadCount = inbox.data?.pages[0]?.unreadCount ?? 0;

  return (
    <>
      <PageHeader
        title="Inbox"
        description="Mentions of you and activity of the teams and people you follow."
        actions={
          <Button size="xs" variant="default" leftSection={<IconChecks size={14} />} disabled={unreadCount === 0} loading={markRead.isPending && markRead.variables === undefined} onClick={() => markRead.mutate(undefined, { onError: (error) => notifyError(error) })}>
            Mark all read
          </Button>
        }
      />
      <Card withBorder padding={0} radius="md">
        <Group justify="space-between" px="md" py="xs">
          <SegmentedControl
            size="xs"
            value={unreadOnly ? 'unread' : 'all'}
            onChange={(value) => setUnreadOnly(value === 'unread')}
            data={[{ value: 'all', label: 'All' }, { value: 'unread', label: `Unread (${unreadCount})` }]}
            aria-label="Show"
          />
        </Group>
        <Divider />
        {inbox.isPending && <LoadingState />}
        {inbox.isError && <Center p="md"><ErrorState error={inbox.error} /></Center>}
        {inbox.isSuccess && entries.length === 0 && (
          <EmptyState title={unreadOnly ? 'All caught up' : 'Your inbox is empty'} icon={<IconInbox size={22} />}>
            When someone mentions you with @handle, or a team or person you follow does something, it lands here.
          </EmptyState>
        )}
        <div data-testid="inbox-list">
          {entries.map((entry, index) => (
            <Fragment key={entry.id}>
              {index > 0 && <Divider variant="dotted" />}
              <Group wrap="nowrap" gap={0} pr="md" data-testid="inbox-entry" data-unread={entry.readAt === null} style={{ borderLeft: `3px solid ${entry.readAt === null ? 'var(--mantine-color-indigo-filled)' : 'transparent'}` }}>
                <div style={{ flex: 1, minWidth: 0 }}>
                  <ActivityItem item={entry.activity} />
                </div>
                <Group gap={6} wrap="nowrap">
                  {entry.reason === 'mention' ? (
                    <Badge size="sm" color="grape" variant="light" leftSection={<IconAt size={12} />}>mention</Badge>
                  ) : (
                    <Badge size="sm" color="gray" variant="light">following</Badge>
                  )}
                  {entry.readAt === null && (
                    <Tooltip label="Mark read">
                      <ActionIcon variant="subtle" aria-label="Mark read" onClick={() => markRead.mutate([entry.id], { onError: (error) => notifyError(error) })}>
                        <IconCheck size={16} />
                      </ActionIcon>
                    </Tooltip>
                  )}
                </Group>
              </Group>
            </Fragment>
          ))}
        </div>
        {inbox.hasNextPage && (
          <Center py="sm">
            <Button variant="subtle" size="xs" loading={inbox.isFetchingNextPage} onClick={() => void inbox.fetchNextPage()}>Load more</Button>
          </Center>
        )}
      </Card>
    </>
  );
}
