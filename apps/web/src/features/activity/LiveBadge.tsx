import { Badge } from '@mantine/core';
import type { StreamState } from './live-stream';

const look: Record<StreamState, { color: string; label: string }> = {
  live: { color: 'teal', label: 'Live' },
  connecting: { color: 'gray', label: 'Connecting…' },
  reconnecting: { color: 'orange', label: 'Reconnecting…' },
};

export function LiveBadge({ state }: { state: StreamState }) {
  const { color, label } = look[state];
  return (
    <Badge variant="dot" color={color} size="sm" data-testid="live-status" data-state={state}>
      {label}
    </Badge>
  );
}
