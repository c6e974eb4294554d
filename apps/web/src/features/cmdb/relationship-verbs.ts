import type { RelationshipType } from '@opsloom/api';

/** Relationship types read as sentences both ways: "runs on" / "hosts". */
export const outgoingVerb: Record<RelationshipType, string> = { depends_on: 'depends on', runs_on: 'runs on', part_of: 'is part of', connects_to: 'connects to' };
export const incomingVerb: Record<RelationshipType, string> = { depends_on: 'is depended on by', runs_on: 'hosts', part_of: 'is made of', connects_to: 'is connected to by' };
