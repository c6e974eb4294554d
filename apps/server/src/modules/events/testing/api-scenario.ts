import type { FastifyInstance } from 'fastify';
import { systemActor } from '../../../platform/activity/activity-spine.js';
import type { TestApp } from '../../../testing/test-app.js';
import type { Placements } from './replay-scenario.js';
import { occurrence, type Scenario } from './scenario-generator.js';

interface AlertItem { fingerprint: string; startsAt: string; incident: { id: string } | null }
interface IncidentItem { id: string; rootCause: { key: string } | null }
type Headers = { authorization: string };

/** The scenario's teams and CMDB through `/api/v1/cmdb/import`, and an Alertmanager integration; its routing key. */
export async function loadScenario(t: TestApp, scenario: Scenario): Promise<string> {
  for (const slug of new Set(scenario.cis.map((ci) => ci.team).filter((s): s is string => !!s))) {
    await t.services.identity.teams.create(systemActor, { slug, name: slug });
  }
  const imported = await t.app.inject({ method: 'POST', url: '/api/v1/cmdb/import', headers: t.as('admin'), payload: { cis: scenario.cis, relationships: scenario.relationships } });
  if (imported.statusCode !== 200) throw new Error(`CMDB import: ${imported.statusCode} ${imported.body.slice(0, 500)}`);
  return (await t.app.inject({ method: 'POST', url: '/api/v1/integrations', headers: t.as('admin'), payload: { kind: 'alertmanager', name: 'prometheus' } })).json<{ routingKey: string }>().routingKey;
}

/** Posts one delivery through the Alertmanager webhook; its status code. */
export async function deliver(app: FastifyInstance, routingKey: string, alerts: readonly object[]): Promise<number> {
  const res = await app.inject({
    method: 'POST', url: '/api/v1/integrations/alertmanager', headers: { authorization: `Bearer ${routingKey}` },
    payload: { version: '4', status: 'firing', receiver: 'opsloom', alerts },
  });
  return res.statusCode;
}

/** Where the public API says each alert occurrence ended up (its incident and that incident's root), and how many incidents there are. */
export async function readPlacements(app: FastifyInstance, headers: Headers): Promise<{ placed: Placements; incidents: number }> {
  const roots = new Map<string, string | null>();
  for (let cursor: string | null = ''; cursor !== null; ) {
    const page: { items: IncidentItem[]; nextCursor: string | null } = (await app.inject({ method: 'GET', url: `/api/v1/incidents?status=all&limit=500${cursor ? `&cursor=${cursor}` : ''}`, headers })).json<{ items: IncidentItem[]; nextCursor: string | null }>();
    for (const item of page.items) roots.set(item.id, item.rootCause?.key ?? null);
    cursor = page.nextCursor;
  }
  const placed: Placements = new Map();
  for (let cursor: string | null = ''; cursor !== null; ) {
    const page: { items: AlertItem[]; nextCursor: string | null } = (await app.inject({ method: 'GET', url: `/api/v1/alerts?limit=500${cursor ? `&cursor=${cursor}` : ''}`, headers })).json<{ items: AlertItem[]; nextCursor: string | null }>();
    for (const alert of page.items) {
      if (alert.incident) placed.set(occurrence(alert.fingerprint, alert.startsAt), { incident: alert.incident.id, rootKey: roots.get(alert.incident.id) ?? null });
    }
    cursor = page.nextCursor;
  }
  return { placed, incidents: roots.size };
}
