import { AppShell, Burger, Group, Text, ThemeIcon } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconTopologyStar3 } from '@tabler/icons-react';
import { Link, Outlet } from 'react-router';
import { CommandPalette, CommandPaletteTrigger } from '../search/CommandPalette';
import { NavLinks } from './NavLinks';
import { ThemeToggle } from './ThemeToggle';
import { UserMenu } from './UserMenu';
import { useShellLiveUpdates } from './use-shell-live-updates';

export function AppLayout() {
  const [opened, { toggle, close }] = useDisclosure(false);
  useShellLiveUpdates();
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 232, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="lg">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Link to="/" aria-label="Opsloom home" style={{ display: 'flex', alignItems: 'center', gap: 8, textDecoration: 'none', color: 'inherit' }}>
              <ThemeIcon size={28} radius="md" variant="gradient" gradient={{ from: 'indigo', to: 'cyan', deg: 135 }}>
                <IconTopologyStar3 size={18} />
              </ThemeIcon>
              <Text fw={700} size="lg" visibleFrom="xs">Opsloom</Text>
            </Link>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <CommandPaletteTrigger />
            <ThemeToggle />
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm">
        <NavLinks onNavigate={close} />
      </AppShell.Navbar>
      <AppShell.Main>
        <div style={{ maxWidth: 1120, margin: '0 auto' }}>
          <Outlet />
        </div>
      </AppShell.Main>
      <CommandPalette />
    </AppShell>
  );
}
