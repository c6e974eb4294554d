import { Text, Tooltip, type TextProps } from '@mantine/core';
import { useEffect, useState } from 'react';
import { absoluteTime, relativeTime } from './time';

/** A relative time that stays current while the page is open; the exact time on hover. */
export function RelativeTime({ value, ...props }: { value: string } & TextProps) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return (
    <Tooltip label={absoluteTime(value)} openDelay={400} withArrow>
      <Text component="time" dateTime={value} size="xs" c="dimmed" {...props}>
        {relativeTime(value, now)}
      </Text>
    </Tooltip>
  );
}
