import { Button } from '@mantine/core';
import { IconMapOff } from '@tabler/icons-react';
import { Link } from 'react-router';
import { EmptyState } from '../../ui/states';

export function NotFoundPage() {
  return (
    <EmptyState title="Page not found" icon={<IconMapOff size={22} />}>
      There is nothing at this address. <Button component={Link} to="/" variant="subtle" size="compact-sm">Back to activity</Button>
    </EmptyState>
  );
}
