import { Badge, NavLink, Stack, Text } from '@mantine/core';
import { IconActivity, IconAlertTriangle, IconBell, IconClipboardList, IconInbox, IconKey, IconPlugConnected, IconServer, IconTopologyStar3, IconUsers, IconUsersGroup, IconUserShield } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link, useLocation } from 'react-router';
import { useCurrentUser } from '../auth/session';
import { useUnreadCount } from '../inbox/inbox-queries';

interface Item {
  to: string;
  label: string;
  icon: ReactNode;
  badge?: ReactNode;
}

/** Only what is built is in the navigation; later modules add their entries here. */
export function NavLinks({ onNavigate }: { onNavigate?: () => void }) {
  const user = useCurrentUser();
  const unread = useUnreadCount();
  const { pathname } = useLocation();
  const staff = user.role !== 'requester';
  const main: Item[] = [
    { to: '/', label: 'Activity', icon: <IconActivity size={18} /> },
    { to: '/inbox', label: 'Inbox', icon: <IconInbox size={18} />, badge: unread.data ? <Badge size="xs" circle={unread.data < 10} data-testid="inbox-unread">{unread.data}</Badge> : null },
    { to: '/teams', label: 'Teams', icon: <IconUsersGroup size={18} /> },
    ...(staff ? [{ to: '/people', label: 'People', icon: <IconUsers size={18} /> }] : []),
    // Operations views read staff-only APIs (CMDB, alerts, incidents).
    ...(staff
      ? [
          { to: '/incidents', label: 'Incidents', icon: <IconAlertTriangle size={18} /> },
          { to: '/alerts', label: 'Alerts', icon: <IconBell size={18} /> },
          { to: '/map', label: 'Service map', icon: <IconTopologyStar3 size={18} /> },
          { to: '/cmdb', label: 'CMDB', icon: <IconServer size={18} /> },
          { to: '/integrations', label: 'Integrations', icon: <IconPlugConnected size={18} /> },
        ]
      : []),
    { to: '/tokens', label: 'API tokens', icon: <IconKey size={18} /> },
  ];
  const admin: Item[] =
    user.role === 'admin'
      ? [
          { to: '/admin/users', label: 'Users', icon: <IconUserShield size={18} /> },
          { to: '/admin/audit', label: 'Audit log', icon: <IconClipboardList size={18} /> },
        ]
      : [];
  const active = (to: string) => (to === '/' ? pathname === '/' : pathname === to || pathname.startsWith(`${to}/`));
  const render = (item: Item) => (
    <NavLink
      key={item.to}
      component={Link}
      to={item.to}
      label={item.label}
      leftSection={item.icon}
      rightSection={item.badge}
      active={active(item.to)}
      onClick={onNavigate}
      style={{ borderRadius: 'var(--mantine-radius-md)' }}
    />
  );
  return (
    <Stack gap={2} component="nav" aria-label="Main">
      {main.map(render)}
      {admin.length > 0 && (
        <>
          <Text size="xs" fw={600} c="dimmed" tt="uppercase" px="sm" pt="md" pb={4}>Administration</Text>
          {admin.map(render)}
        </>
      )}
    </Stack>
  );
}
