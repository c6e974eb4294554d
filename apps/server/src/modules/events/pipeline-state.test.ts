import { describe, expect, it } from 'vitest';
import { AlertProcessor, ChangeSet } from './alert-processor.js';
import { Correlator } from './correlator.js';
import type { NormalizedAlert } from './normalized.js';
import { incidentFromRow, type NewCorrelationRows, newCorrelationRows, snapshot } from './pipeline-state.js';
import { MemoryTopology } from './topology.js';

const t0 = Date.parse('2026-11-22T08:00:00Z');
const alert = (dedupKey: string, ci: string, startsAt: number): NormalizedAlert => ({
  dedupKey, status: 'firing', severity: 'critical', summary: `${ci} down`, source: 'test', labels: { alertname: 'Down', ci },
  hints: [['ci', ci]], startsAt, endsAt: null,
});

function topology(keys: string[]): MemoryTopology {
  const graph = new MemoryTopology();
  for (const key of keys) graph.addCi({ id: `id-${key}`, key, name: key, type: 'vm', teamId: null });
  for (const key of keys.slice(1)) graph.relate(`id-${key}`, `id-${keys[0]}`, 'runs_on');
  return graph;
}

/** The incident as the pipeline stores it, read back as `load` reads it. */
function storedRow(incident: ReturnType<typeof snapshot>) {
  return {
    id: incident.id, number: incident.number, title: incident.title, severity: incident.severity, status: incident.status, team_id: incident.teamId,
    integration_id: incident.integrationId, root_ci_id: incident.rootCiId, root_ci_key: incident.rootCiKey, root_explanation: incident.rootExplanation,
    root_alternatives: JSON.stringify(incident.rootAlternatives), ci_keys: JSON.stringify(incident.ciKeys), alert_count: incident.alertCount,
    started_at: incident.startedAt, last_alert_at: incident.lastAlertAt, created_at: incident.createdAt,
    first_summary: incident.firstSummary, fallback_team_id: incident.fallbackTeamId,
  };
}

describe('incident correlation rows for restarts', () => {
  it('stores each alerting CI once, with its first alert time, and goes on after a CI deleted from the CMDB', () => {
    const graph = topology(['host-1', 'vm-1', 'vm-2', 'vm-3']);
    const processor = new AlertProcessor(graph, new Correlator(graph, 1));
    const changes = new ChangeSet();
    processor.process({ id: 'am', teamId: null }, [alert('a', 'vm-1', t0), alert('b', 'vm-2', t0 + 5_000), alert('c', 'vm-2', t0 + 9_000)], t0, changes);
    const [incident] = [...changes.incidents];
    const rows: NewCorrelationRows = { cis: [], labels: [], closed: [] };
    newCorrelationRows(incident, rows);
    expect(rows.cis).toEqual([[incident.id, 0, 'id-vm-1', t0], [incident.id, 1, 'id-vm-2', t0 + 5_000]]);
    // Nothing new: nothing more to store.
    const again: NewCorrelationRows = { cis: [], labels: [], closed: [] };
    newCorrelationRows(incident, again);
    expect(again.cis).toEqual([]);

    // vm-1 leaves the CMDB before a restart; the incident comes back with vm-2 only.
    const after = topology(['host-1', 'vm-2', 'vm-3']);
    const { incident: restored, firstAlertAt } = incidentFromRow(storedRow(snapshot(incident)), { cis: rows.cis.map(([, , ciId, at]) => ({ ciId, firstAlertAt: at })), labels: [], nextPosition: 2 }, after);
    expect([...restored.cis.keys()]).toEqual(['id-vm-2']);
    expect(firstAlertAt).toEqual(new Map([['id-vm-2', t0 + 5_000]]));
    const correlator = new Correlator(after, 1);
    correlator.restore(restored, firstAlertAt);
    const next = new AlertProcessor(after, correlator);
    const later = new ChangeSet();
    next.process({ id: 'am', teamId: null }, [alert('d', 'vm-3', t0 + 20_000)], t0, later);
    const more: NewCorrelationRows = { cis: [], labels: [], closed: [] };
    newCorrelationRows(restored, more);
    // Stored after both earlier rows, though one of them is no longer in memory.
    expect(more.cis).toEqual([[restored.id, 2, 'id-vm-3', t0 + 20_000]]);

    // Its one open alert (the only one restored here) resolves, and with it the incident: its rows go, once.
    next.process({ id: 'am', teamId: null }, [{ ...alert('d', 'vm-3', t0 + 20_000), status: 'resolved', endsAt: t0 + 60_000 }], t0, new ChangeSet());
    expect(restored.status).toBe('resolved');
    const closing: NewCorrelationRows = { cis: [], labels: [], closed: [] };
    newCorrelationRows(restored, closing);
    expect(closing).toEqual({ cis: [], labels: [], closed: [restored.id] });
    const after2: NewCorrelationRows = { cis: [], labels: [], closed: [] };
    newCorrelationRows(restored, after2);
    expect(after2.closed).toEqual([]);
  });

  it('stores every CI of an incident from before the rows existed on its next run', () => {
    const graph = topology(['host-1', 'vm-1', 'vm-2']);
    const processor = new AlertProcessor(graph, new Correlator(graph, 1));
    const changes = new ChangeSet();
    processor.process({ id: 'am', teamId: null }, [alert('a', 'vm-1', t0), alert('b', 'vm-2', t0 + 5_000)], t0, changes);
    const [incident] = [...changes.incidents];
    const row = { ...storedRow(snapshot(incident)), first_summary: null, fallback_team_id: null };
    const { incident: restored } = incidentFromRow(row, undefined, graph);
    expect([...restored.cis.values()]).toEqual(['vm-1', 'vm-2']);
    const rows: NewCorrelationRows = { cis: [], labels: [], closed: [] };
    newCorrelationRows(restored, rows);
    // No first alert times were stored: each counts from the incident's start.
    expect(rows.cis).toEqual([[restored.id, 0, 'id-vm-1', t0], [restored.id, 1, 'id-vm-2', t0]]);
  });
});
