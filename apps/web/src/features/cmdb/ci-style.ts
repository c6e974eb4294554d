import type { CiStatus } from '@opsloom/api';

/**
 * One colour per CI type and per team, shared by badges, the map and its legend so a
 * colour means the same thing everywhere. Hex values, because the map draws on a canvas
 * that cannot read Mantine's CSS variables.
 */
const typeColours: Record<string, string> = {
  service: '#e8590c',
  application: '#7048e8',
  database: '#1971c2',
  host: '#2f9e44',
  vm: '#66a80f',
  container: '#0c8599',
  network_device: '#f08c00',
  storage: '#c2255c',
  load_balancer: '#9c36b5',
  cloud_resource: '#1098ad',
  site: '#495057',
};
// Twelve hues far apart, so two teams rarely look alike on the map.
const palette = ['#1c7ed6', '#e03131', '#2f9e44', '#f59f00', '#7048e8', '#0ca678', '#d6336c', '#74b816', '#e8590c', '#1098ad', '#862e9c', '#868e96'];

function hashed(value: string): string {
  let hash = 0;
  for (const char of value) hash = (hash * 31 + char.charCodeAt(0)) | 0;
  return palette[Math.abs(hash) % palette.length];
}

export function typeColour(type: string): string {
  return typeColours[type] ?? hashed(type);
}

export function teamColour(team: string | null): string {
  return team ? hashed(team) : '#adb5bd';
}

export const statusColour: Record<CiStatus, string> = { planned: 'blue', live: 'teal', maintenance: 'yellow', retired: 'gray' };

export const criticalityLabel: Record<number, string> = { 1: 'Critical', 2: 'High', 3: 'Medium', 4: 'Low' };
export const criticalityColour: Record<number, string> = { 1: 'red', 2: 'orange', 3: 'blue', 4: 'gray' };

export function typeLabel(type: string): string {
  return type.replace(/_/g, ' ');
}

/** The map and links address a CI by key: stable, readable, and what people paste. */
export function ciPath(key: string): string {
  return `/cmdb/cis/${encodeURIComponent(key)}`;
}
