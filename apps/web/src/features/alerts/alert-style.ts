import type { AlertSeverity } from '@opsloom/api';

export const severityColour: Record<AlertSeverity, string> = { critical: 'red', major: 'orange', minor: 'yellow', warning: 'grape', info: 'blue' };
export const statusColour = { firing: 'red', resolved: 'teal', open: 'red' } as const;
