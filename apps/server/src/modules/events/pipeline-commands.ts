import type { Actor } from '../../platform/activity/activity-spine.js';

/**
 * Log rows with this integration id carry a command for the pipeline instead of alerts.
 * Commands change correlation state, which has one owner (the pipeline, on one instance):
 * through the log they are applied in order with the alerts around them, on whichever
 * instance runs the pipeline, and survive a restart like an accepted batch.
 */
export const COMMAND_SOURCE = 'opsloom:command';

export interface ResolveIncidentCommand {
  kind: 'resolve_incident';
  incidentId: string;
  actor: Actor;
  note: string | null;
  at: number;
}

export type PipelineCommand = ResolveIncidentCommand;
