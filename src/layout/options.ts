// Every number and ELK option of the layout in one place, so the look can be tuned without
// touching the algorithm. Input: nothing. Output: constants and the ELK option set.
import type { LayoutDirection } from './types.js';

export interface LayoutOptions {
  /** `right` (default): lanes are horizontal bands, flow goes left to right. `down`: lanes are columns. */
  direction?: LayoutDirection;
}

export const METRICS = {
  /** Node label size and the lane header size. */
  fontSize: 13,
  headerFontSize: 13,
  smallFontSize: 11,
  /** Widest line of text inside each shape before it wraps. */
  wrap: { rectangle: 150, taskbox: 170, diamond: 110, circle: 84, edge: 140, header: 110, loop: 220 },
  /** At most this many lines per text; the rest is cut with an ellipsis, so a 10 kB label stays drawable. */
  maxLines: 8,
  padding: { x: 14, y: 10 },
  min: { rectangle: { width: 120, height: 46 }, diamond: { width: 76, height: 60 }, circle: 52 },
  /** Header strip of a lane: its width (direction right) or height (direction down) is fitted to the labels. */
  headerPadding: 12,
  /** Space between the lanes' contents and their borders. */
  lanePadding: 22,
  /** Container (Parallel/Map) header strip height and inner padding. */
  containerHeader: 28,
  containerPadding: 10,
  /** Margin around a loop's nodes. */
  loopMargin: 12,
  /** Space between layers and between nodes of a layer. */
  nodeNode: 36,
  layerSpacing: 26,
  edgeEdge: 12,
  edgeNode: 16,
  /** The distance between two layers' x positions handed to ELK's interactive layering (larger than any node). */
  layerStride: 100_000,
};

/** Shortest segment between two bends that a route keeps: anything shorter reads as a stutter. */
export const MIN_JOG = 12;

/** ELK options for one scope (the top-level lanes, or a container's nested lanes). */
export function elkOptions(direction: LayoutDirection): Record<string, string> {
  return {
    'elk.algorithm': 'layered',
    'elk.direction': direction === 'down' ? 'DOWN' : 'RIGHT',
    'elk.edgeRouting': 'ORTHOGONAL',
    // Layers come from our own global layering (see to-elk.ts), handed over as x positions.
    'elk.layered.layering.strategy': 'INTERACTIVE',
    'elk.layered.cycleBreaking.strategy': 'INTERACTIVE',
    // The order inside each layer comes from the positions to-elk.ts presets across the flow (lane
    // bands, then source order). forceNodeModelOrder would keep the same order, but ELK then turns
    // the south ports of some nodes to the north. ELK's model-order processors would only break
    // ties that the presets leave none of (the same layouts for every example, corpus diagram and
    // 200 generated ones, in both directions), and they cost a tenth of ELK's time.
    'elk.layered.crossingMinimization.strategy': 'INTERACTIVE',
    // Positions across the flow come from to-elk.ts too (the lane bands); ELK only resolves overlaps.
    'elk.layered.nodePlacement.strategy': 'INTERACTIVE',
    'elk.separateConnectedComponents': 'false',
    'elk.spacing.nodeNode': String(METRICS.nodeNode),
    'elk.layered.spacing.nodeNodeBetweenLayers': String(METRICS.layerSpacing),
    'elk.spacing.edgeEdge': String(METRICS.edgeEdge),
    'elk.layered.spacing.edgeEdgeBetweenLayers': String(METRICS.edgeEdge),
    'elk.spacing.edgeNode': String(METRICS.edgeNode),
    'elk.layered.spacing.edgeNodeBetweenLayers': String(METRICS.edgeNode),
    'elk.spacing.edgeLabel': '4',
    'elk.spacing.labelNode': '6',
    'elk.layered.mergeEdges': 'false',
    'elk.layered.thoroughness': '7',
    'elk.randomSeed': '1',
    'elk.padding': '[top=0,left=0,bottom=0,right=0]',
  };
}
