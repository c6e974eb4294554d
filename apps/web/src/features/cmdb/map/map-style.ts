import type { StylesheetJson } from 'cytoscape';

/** Above this many edges, edges are drawn the cheapest way cytoscape knows (haystack, no arrows) to keep pan and zoom smooth. */
export const LARGE_GRAPH_EDGES = 1200;

const shapes: Record<string, string> = {
  service: 'round-rectangle',
  application: 'ellipse',
  database: 'barrel',
  storage: 'round-tag',
  network_device: 'round-diamond',
  site: 'round-hexagon',
  load_balancer: 'round-triangle',
};

export function nodeShape(type: string): string {
  return shapes[type] ?? 'ellipse';
}

export function mapStylesheet(options: { dark: boolean; large: boolean }): StylesheetJson {
  const text = options.dark ? '#c9c9c9' : '#343a40';
  const edge = options.dark ? '#5c5f66' : '#adb5bd';
  const largeEdge = options.dark ? '#44474d' : '#ced4da';
  return [
    {
      selector: 'node',
      style: {
        'background-color': 'data(colour)',
        shape: 'data(shape)' as never,
        width: 'data(size)',
        height: 'data(size)',
        label: 'data(label)',
        'font-size': options.large ? 9 : 11,
        color: text,
        'text-valign': 'bottom',
        'text-margin-y': 3,
        'text-max-width': '110px',
        'text-wrap': 'ellipsis',
        // Labels vanish when zoomed out: 2,000 unreadable labels cost frames and show nothing.
        'min-zoomed-font-size': 7,
        'border-width': 1,
        'border-color': options.dark ? '#1a1b1e' : '#ffffff',
      },
    },
    {
      selector: 'edge',
      style: {
        // Zoomed out over 2,000 nodes a 1-unit edge is thinner than a pixel; a thicker, paler one stays visible.
        // (Pale by colour, not by opacity: per-edge alpha doubled the first draw.)
        width: options.large ? 1.5 : 1,
        'line-color': options.large ? largeEdge : edge,
        'curve-style': options.large ? 'haystack' : 'straight',
        'target-arrow-shape': options.large ? 'none' : 'triangle',
        'target-arrow-color': edge,
        'arrow-scale': 0.6,
      },
    },
    { selector: 'edge[type = "connects_to"]', style: { 'line-style': 'dashed' } },
    { selector: '.dim', style: { opacity: 0.12 } },
    { selector: 'node.hit', style: { 'border-width': 3, 'border-color': '#fa5252' } },
    { selector: 'edge.hit', style: { 'line-color': '#fa5252', 'target-arrow-color': '#fa5252', width: 2, opacity: 1 } },
    { selector: 'node.root', style: { 'border-width': 5, 'border-color': '#c92a2a', 'font-weight': 'bold', 'z-index': 10 } },
    { selector: 'node.focus', style: { 'border-width': 3, 'border-color': options.dark ? '#ffffff' : '#212529' } },
  ];
}
