// Step 1 of 3 (transform): one scope of a diagram (the top-level lanes, or the nested lanes of a
// container) as one flat ELK layered graph.
// Input: the scope's lanes, the measured size of each node, the scope's edges. Output: an ElkNode and
// the global layering we computed for it.
//
// How the lanes stay bands while the whole scope keeps one global layering:
// * We assign layers ourselves over all nodes of the scope at once (cycle breaking by a DFS in
//   source order, then longest path, then sources pulled next to their first successor), and hand
//   them to ELK's INTERACTIVE layerer as x = layer * stride. A handoff between lanes therefore moves
//   one layer forward, exactly like an edge inside a lane.
// * Between two neighbouring lanes (and above the first and below the last) runs a chain of tiny
//   separator nodes, one per layer, joined by edges that network-simplex node placement strongly
//   wants straight. Children are listed lane by lane with the separators between them, and the
//   crossing minimiser must keep that model order within each layer, so every layer reads: separator
//   0, lane 1's nodes, separator 1, lane 2's nodes, … Each straight chain is a lane border.
import type { ElkExtendedEdge, ElkNode, ElkPort } from 'elkjs/lib/elk-api.js';
import type { Edge, Lane } from '../model/types.js';
import { METRICS, elkOptions } from './options.js';
import type { LayoutDirection, TextBlock } from './types.js';

export type Side = 'left' | 'right' | 'top' | 'bottom';

const ELK_SIDE: Record<Side, string> = { left: 'WEST', right: 'EAST', top: 'NORTH', bottom: 'SOUTH' };

export function asSide(handle: string | undefined, fallback: Side): Side {
  return handle === 'left' || handle === 'right' || handle === 'top' || handle === 'bottom' ? handle : fallback;
}

/** An edge of the scope as ELK sees it. */
export interface ScopeEdge {
  index: number;
  edge: Edge;
  fromSide: Side;
  toSide: Side;
  label?: TextBlock;
}

export interface ScopeInput {
  lanes: Lane[];
  /** Node ids per lane, parallel to `lanes`. */
  laneNodes: string[][];
  sizes: Map<string, { width: number; height: number }>;
  edges: ScopeEdge[];
  direction: LayoutDirection;
}

export const portId = (node: string, side: Side): string => `${node}:${side}`;
export const labelNodeId = (index: number): string => `\u0000label${index}`;
export const separatorId = (k: number, layer: number): string => `\u0000sep${k}_${layer}`;

/** Layer of every node of the scope: one global layering across all its lanes. */
export function assignLayers(nodes: string[], edges: ScopeEdge[]): Map<string, number> {
  const order = new Map(nodes.map((n, i) => [n, i]));
  const out = new Map<string, string[]>(nodes.map((n) => [n, []]));
  for (const e of edges) if (e.edge.from.node !== e.edge.to.node) out.get(e.edge.from.node)!.push(e.edge.to.node);
  // DFS in source order; an edge to a node on the stack closes a cycle and is reversed.
  const state = new Map<string, 1 | 2>();
  const dag = new Map<string, Set<string>>(nodes.map((n) => [n, new Set()]));
  for (const root of nodes) {
    if (state.has(root)) continue;
    const stack: { n: string; i: number }[] = [{ n: root, i: 0 }];
    state.set(root, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const succ = out.get(top.n)!;
      if (top.i < succ.length) {
        const m = succ[top.i++]!;
        const s = state.get(m);
        if (s === 1) dag.get(m)!.add(top.n);
        else {
          dag.get(top.n)!.add(m);
          if (s === undefined) {
            state.set(m, 1);
            stack.push({ n: m, i: 0 });
          }
        }
      } else {
        state.set(top.n, 2);
        stack.pop();
      }
    }
  }
  // Longest path from the sources, in a topological order (Kahn, ties by source order).
  const indeg = new Map<string, number>(nodes.map((n) => [n, 0]));
  for (const [, succ] of dag) for (const m of succ) indeg.set(m, indeg.get(m)! + 1);
  const ready = nodes.filter((n) => indeg.get(n) === 0);
  const layer = new Map<string, number>(nodes.map((n) => [n, 0]));
  const topo: string[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => order.get(a)! - order.get(b)!);
    const n = ready.shift()!;
    topo.push(n);
    for (const m of dag.get(n)!) {
      layer.set(m, Math.max(layer.get(m)!, layer.get(n)! + 1));
      indeg.set(m, indeg.get(m)! - 1);
      if (indeg.get(m) === 0) ready.push(m);
    }
  }
  // A source with successors sits just before its nearest successor rather than at the far left.
  const hasPred = new Set<string>();
  for (const [, succ] of dag) for (const m of succ) hasPred.add(m);
  for (let i = topo.length - 1; i >= 0; i--) {
    const n = topo[i]!;
    const succ = dag.get(n)!;
    if (!hasPred.has(n) && succ.size > 0) layer.set(n, Math.max(layer.get(n)!, Math.min(...[...succ].map((m) => layer.get(m)!)) - 1));
  }
  return layer;
}

export function toElk(input: ScopeInput, layers: Map<string, number>): ElkNode {
  const { direction } = input;
  const horizontal = direction === 'right';
  // Our layers go to even ELK layers; the odd ones in between hold ELK's edge label dummies. ELK
  // inserts those dummies before layering, without a position, and its interactive layerer pushes
  // a dummy (and, were there no free layer, everything after it) to the layer after the edge's
  // source; a free odd layer there keeps every node in the layer we chose.
  const maxLayer = 2 * Math.max(0, ...layers.values());
  const stride = METRICS.layerStride;
  const children: ElkNode[] = [];
  const usedSides = new Map<string, Set<Side>>();
  for (const e of input.edges) {
    (usedSides.get(e.edge.from.node) ?? usedSides.set(e.edge.from.node, new Set()).get(e.edge.from.node)!).add(e.fromSide);
    (usedSides.get(e.edge.to.node) ?? usedSides.set(e.edge.to.node, new Set()).get(e.edge.to.node)!).add(e.toSide);
  }
  const separatorChain = (k: number): void => {
    for (let l = 0; l <= maxLayer; l++) {
      children.push({
        id: separatorId(k, l),
        width: horizontal ? 1 : 2,
        height: horizontal ? 2 : 1,
        ...(horizontal ? { x: l * stride, y: k * stride } : { x: k * stride, y: l * stride }),
      });
    }
  };
  separatorChain(0);
  input.lanes.forEach((_, i) => {
    input.laneNodes[i]!.forEach((id, j) => {
      const size = input.sizes.get(id)!;
      const l = 2 * (layers.get(id) ?? 0);
      const ports: ElkPort[] = [];
      for (const side of ['top', 'left', 'right', 'bottom'] as Side[]) {
        if (!usedSides.get(id)?.has(side)) continue;
        const x = side === 'left' ? 0 : side === 'right' ? size.width : size.width / 2;
        const y = side === 'top' ? 0 : side === 'bottom' ? size.height : size.height / 2;
        ports.push({ id: portId(id, side), x, y, width: 0, height: 0, layoutOptions: { 'elk.port.side': ELK_SIDE[side] } });
      }
      children.push({
        id,
        width: size.width,
        height: size.height,
        // Across the flow: inside the lane's band, in source order; ELK's interactive crossing
        // minimiser keeps this order in every layer, so each lane stays between its two borders.
        ...(horizontal ? { x: l * stride, y: i * stride + 1000 + j * 10 } : { x: i * stride + 1000 + j * 10, y: l * stride }),
        ports,
        layoutOptions: {
          'elk.portConstraints': 'FIXED_POS',
        },
      });
    });
    separatorChain(i + 1);
  });
  const preset = new Map<string, { x: number; y: number }>();
  for (const c of children) preset.set(c.id, { x: c.x ?? 0, y: c.y ?? 0 });
  const edges: ElkExtendedEdge[] = [];
  for (let k = 0; k <= input.lanes.length; k++) {
    for (let l = 0; l < maxLayer; l++) {
      edges.push({
        id: `\u0000sepedge${k}_${l}`,
        sources: [separatorId(k, l)],
        targets: [separatorId(k, l + 1)],
        layoutOptions: { 'elk.layered.priority.straightness': '100', 'elk.layered.priority.shortness': '100' },
      });
    }
  }
  for (const e of input.edges) {
    const source = portId(e.edge.from.node, e.fromSide);
    const target = portId(e.edge.to.node, e.toSide);
    if (!e.label) {
      edges.push({ id: `e${e.index}`, sources: [source], targets: [target] });
      continue;
    }
    // A labelled edge runs through a label node of the label's size, in the free odd layer nearest
    // the middle of the edge and, across the flow, halfway between its ends. ELK places and routes
    // it like any node, so a label never covers a node or another label. (ELK's own centre labels
    // are dummy nodes too, but without a position its interactive crossing minimiser would sink
    // them all to the top of their layers.)
    const ls = 2 * (layers.get(e.edge.from.node) ?? 0);
    const lt = 2 * (layers.get(e.edge.to.node) ?? 0);
    let layer = Math.floor((ls + lt) / 2);
    if (layer % 2 === 0) layer += lt >= ls ? -1 : 1;
    if (layer < 0) layer = 1;
    const a = preset.get(e.edge.from.node)!;
    const b = preset.get(e.edge.to.node)!;
    const across = horizontal ? (a.y + b.y) / 2 + 1 : (a.x + b.x) / 2 + 1;
    const forward = lt >= ls;
    const w = e.label.width + 12;
    const h = e.label.height + 6;
    const id = labelNodeId(e.index);
    const inSide = horizontal ? (forward ? 'WEST' : 'EAST') : forward ? 'NORTH' : 'SOUTH';
    const outSide = horizontal ? (forward ? 'EAST' : 'WEST') : forward ? 'SOUTH' : 'NORTH';
    const at = (side: string): { x: number; y: number } =>
      side === 'WEST' ? { x: 0, y: h / 2 } : side === 'EAST' ? { x: w, y: h / 2 } : side === 'NORTH' ? { x: w / 2, y: 0 } : { x: w / 2, y: h };
    children.push({
      id,
      width: w,
      height: h,
      ...(horizontal ? { x: layer * stride, y: across } : { x: across, y: layer * stride }),
      ports: [
        { id: `${id}:in`, ...at(inSide), width: 0, height: 0, layoutOptions: { 'elk.port.side': inSide } },
        { id: `${id}:out`, ...at(outSide), width: 0, height: 0, layoutOptions: { 'elk.port.side': outSide } },
      ],
      layoutOptions: { 'elk.portConstraints': 'FIXED_POS' },
    });
    edges.push({ id: `e${e.index}:a`, sources: [source], targets: [`${id}:in`] });
    edges.push({ id: `e${e.index}:b`, sources: [`${id}:out`], targets: [target] });
  }
  return { id: 'root', layoutOptions: elkOptions(direction), children, edges };
}
