import { Box } from '@mantine/core';
import type { GraphResult } from '@opsloom/api';
import cytoscape, { type Core, type ElementDefinition, type EventObject, type NodeSingular } from 'cytoscape';
import { useEffect, useRef } from 'react';
import { teamColour, typeColour } from '../ci-style';
import { layeredLayout } from './layered-layout';
import { LARGE_GRAPH_EDGES, mapStylesheet, nodeShape } from './map-style';

export type ColourBy = 'team' | 'type';

interface Props {
  graph: GraphResult;
  colourBy: ColourBy;
  dark: boolean;
  focusId: string | null;
  selectedId: string | null;
  highlighted: ReadonlySet<string>;
  onSelect: (id: string | null) => void;
  onOpen: (key: string) => void;
}

function colourOf(node: GraphResult['nodes'][number], by: ColourBy): string {
  return by === 'team' ? teamColour(node.team) : typeColour(node.type);
}

function elementsOf(graph: GraphResult, colourBy: ColourBy): ElementDefinition[] {
  const positions = layeredLayout(graph.nodes.map((node) => node.id), graph.edges);
  const nodes: ElementDefinition[] = graph.nodes.map((node) => ({
    group: 'nodes',
    data: { id: node.id, key: node.key, label: node.name, type: node.type, colour: colourOf(node, colourBy), shape: nodeShape(node.type), size: 30 - node.criticality * 3 },
    position: positions.get(node.id) ?? { x: 0, y: 0 },
  }));
  const edges: ElementDefinition[] = graph.edges.map((edge) => ({ group: 'edges', data: { id: edge.id, source: edge.from, target: edge.to, type: edge.type } }));
  return [...nodes, ...edges];
}

/**
 * The service map on a canvas (cytoscape): positions come from our layered layout and are
 * handed over as a preset, so cytoscape only draws. Its state is mirrored into data
 * attributes (`data-rendered`, `data-selected`, `data-highlighted`) for tests and the bench,
 * and the focus node's on-screen position (`data-focus-x/y`) so a test can click it.
 */
export function ServiceMapCanvas({ graph, colourBy, dark, focusId, selectedId, highlighted, onSelect, onOpen }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const cyRef = useRef<Core | null>(null);
  const handlers = useRef({ onSelect, onOpen });
  handlers.current = { onSelect, onOpen };
  const colourRef = useRef(colourBy);
  colourRef.current = colourBy;

  useEffect(() => {
    const box = container.current;
    if (!box) return undefined;
    box.dataset.rendered = 'false';
    const started = performance.now();
    const large = graph.edges.length > LARGE_GRAPH_EDGES;
    const cy = cytoscape({
      container: box,
      elements: elementsOf(graph, colourRef.current),
      layout: { name: 'preset', fit: true, padding: 30 },
      style: mapStylesheet({ dark, large }),
      minZoom: 0.05,
      maxZoom: 3,
      autounselectify: true,
      boxSelectionEnabled: false,
      // Pan and zoom move a cached bitmap instead of redrawing 2,000 nodes every frame.
      textureOnViewport: large,
      hideEdgesOnViewport: large,
      pixelRatio: large ? 1 : 'auto',
    });
    cyRef.current = cy;
    const mirrorFocus = () => {
      const focus = box.dataset.focusId ? cy.getElementById(box.dataset.focusId) : null;
      if (!focus || focus.empty()) return;
      const p = focus.renderedPosition();
      box.dataset.focusX = String(Math.round(p.x));
      box.dataset.focusY = String(Math.round(p.y));
    };
    cy.one('render', () => {
      box.dataset.rendered = 'true';
      box.dataset.renderMs = String(Math.round(performance.now() - started));
      mirrorFocus();
    });
    cy.on('viewport', mirrorFocus);
    // cytoscape types `event.target` as any; on a node selector it is a node.
    const nodeOf = (event: EventObject) => event.target as NodeSingular;
    cy.on('tap', 'node', (event) => handlers.current.onSelect(nodeOf(event).id()));
    cy.on('tap', (event) => {
      if (event.target === cy) handlers.current.onSelect(null);
    });
    cy.on('dbltap', 'node', (event) => handlers.current.onOpen(nodeOf(event).data('key') as string));
    cy.on('mouseover', 'node', () => (box.style.cursor = 'pointer'));
    cy.on('mouseout', 'node', () => (box.style.cursor = ''));
    return () => {
      cy.destroy();
      cyRef.current = null;
    };
  }, [graph, dark]);

  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    const byId = new Map(graph.nodes.map((node) => [node.id, node]));
    cy.batch(() => {
      cy.nodes().forEach((element) => {
        const node = byId.get(element.id());
        if (node) element.data('colour', colourOf(node, colourBy));
      });
    });
  }, [graph, colourBy]);

  useEffect(() => {
    const cy = cyRef.current;
    const box = container.current;
    if (!cy || !box) return;
    box.dataset.focusId = focusId ?? '';
    cy.batch(() => {
      cy.elements().removeClass('dim hit root focus');
      if (focusId) cy.getElementById(focusId).addClass('focus');
      if (!selectedId) return;
      const lit = new Set(highlighted);
      lit.add(selectedId);
      cy.nodes().forEach((node) => {
        if (node.id() === selectedId) node.addClass('root');
        else if (highlighted.has(node.id())) node.addClass('hit');
        else node.addClass('dim');
      });
      cy.edges().forEach((edge) => {
        if (lit.has(edge.source().id()) && lit.has(edge.target().id())) edge.addClass('hit');
        else edge.addClass('dim');
      });
    });
    const keys = [...highlighted].map((id) => cy.getElementById(id).data('key') as string).sort();
    box.dataset.selected = selectedId ? (cy.getElementById(selectedId).data('key') as string) : '';
    box.dataset.highlighted = keys.join(' ');
  }, [graph, focusId, selectedId, highlighted, dark]);

  return (
    <Box
      ref={container}
      data-testid="service-map"
      data-node-count={graph.nodes.length}
      h="100%"
      w="100%"
      role="img"
      aria-label={`Service map with ${graph.nodes.length} configuration items`}
      style={{ position: 'absolute', inset: 0 }}
    />
  );
}
