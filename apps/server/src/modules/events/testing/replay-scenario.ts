import { AlertProcessor, ChangeSet } from '../alert-processor.js';
import type { IncidentState } from '../correlation-state.js';
import { Correlator } from '../correlator.js';
import { MemoryTopology } from '../topology.js';
import { fromAlertmanager, IntakeProblems } from '../wire-formats.js';
import { occurrence, type Scenario, scoreScenario } from './scenario-generator.js';

/** The scenario's CMDB as an in-memory topology: CI ids are `id-<key>`, host names and addresses indexed. */
export function topologyOf(scenario: Scenario): MemoryTopology {
  const topology = new MemoryTopology();
  for (const ci of scenario.cis) {
    const hosts = [ci.attributes?.hostname, ci.attributes?.ip].filter((h): h is string => typeof h === 'string');
    topology.addCi({ id: `id-${ci.key}`, key: ci.key, name: ci.name, type: ci.type, teamId: ci.team ?? null }, hosts);
  }
  for (const rel of scenario.relationships) topology.relate(`id-${rel.from}`, `id-${rel.to}`, rel.type);
  return topology;
}

export type Placements = Map<string, { incident: string; rootKey: string | null }>;

/**
 * Dedup and correlation alone, without storage or HTTP: where each alert occurrence of the
 * scenario's deliveries, replayed in order, ended up, and how many incidents were opened.
 */
export function replayPlacements(scenario: Scenario): { placed: Placements; opened: number } {
  const topology = topologyOf(scenario);
  const processor = new AlertProcessor(topology, new Correlator(topology, 1));
  const states = new Map<string, { incident: IncidentState | null }>();
  let opened = 0;
  for (const delivery of scenario.deliveries) {
    const problems = new IntakeProblems();
    const changes = new ChangeSet();
    processor.process({ id: 'am', teamId: null }, fromAlertmanager({ alerts: delivery }, Date.now(), problems), Date.now(), changes);
    if (problems.problems.length > 0) throw new Error(`scenario delivery refused: ${problems.problems.join('; ')}`);
    opened += changes.opened.length - changes.merges.length;
    for (const fresh of changes.newAlerts) {
      if (fresh.state.incident) states.set(occurrence(fresh.alert.dedupKey, new Date(fresh.alert.startsAt).toISOString()), fresh.state);
    }
  }
  const placed: Placements = new Map();
  for (const [key, state] of states) if (state.incident) placed.set(key, { incident: state.incident.id, rootKey: state.incident.rootCiKey });
  return { placed, opened };
}

/** `replayPlacements` scored as `scoreScenario` scores the API's answers, so the API path can be compared with it. */
export function replayInMemory(scenario: Scenario): ReturnType<typeof scoreScenario> {
  const { placed, opened } = replayPlacements(scenario);
  return scoreScenario(scenario, placed, opened);
}

/**
 * The grouping as comparable text, whatever the incident ids: one line per incident, its
 * root and its alert occurrences, sorted.
 */
export function groupingOf(placed: Placements): string[] {
  const groups = new Map<string, { rootKey: string | null; occurrences: string[] }>();
  for (const [key, { incident, rootKey }] of placed) {
    const group = groups.get(incident) ?? { rootKey, occurrences: [] };
    group.occurrences.push(key);
    groups.set(incident, group);
  }
  return [...groups.values()].map(({ rootKey, occurrences }) => `${rootKey ?? '(none)'}: ${occurrences.sort().join(' ')}`).sort();
}
