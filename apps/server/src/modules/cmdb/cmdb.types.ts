import type { CiStatus, RelationshipType } from '@opsloom/api';

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

export const isRelationshipType = (value: string): value is RelationshipType =>
  value === 'depends_on' || value === 'runs_on' || value === 'part_of' || value === 'connects_to';
export const asStatus = (value: string): CiStatus => value as CiStatus;
