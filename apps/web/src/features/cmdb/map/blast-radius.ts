import type { RelationshipType } from '@opsloom/api';

export interface RadiusEdge {
  from: string;
  to: string;
  type: RelationshipType;
}

/**
 * Everything on the loaded map that fails with `start`, by the CMDB's propagation contract:
 * `A depends_on|runs_on B` — B failing takes A down; `A part_of B` — A failing takes the
 * whole B down; `connects_to` propagates nothing. Cycles are fine (visited set).
 * The server's `/impact` answers the same over the whole CMDB; this answers instantly for
 * what is drawn.
 */
export function blastRadius(start: string, edges: RadiusEdge[]): Set<string> {
  const next = new Map<string, string[]>();
  const link = (a: string, b: string) => {
    const list = next.get(a);
    if (list) list.push(b);
    else next.set(a, [b]);
  };
  for (const edge of edges) {
    if (edge.type === 'depends_on' || edge.type === 'runs_on') link(edge.to, edge.from);
    else if (edge.type === 'part_of') link(edge.from, edge.to);
  }
  const hit = new Set<string>([start]);
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    for (const w of next.get(queue[head]) ?? []) {
      if (hit.has(w)) continue;
      hit.add(w);
      queue.push(w);
    }
  }
  hit.delete(start);
  return hit;
}
