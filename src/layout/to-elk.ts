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
// * We also place every node across the flow ourselves (presetAcross): lane after lane, each lane a
//   band as deep as its deepest layer, the nodes of one lane and layer stacked and centred on the
//   band (or, when the stack holds the end of a straight step, with that node on the band's centre
//   line, so the step stays straight). ELK's INTERACTIVE crossing minimiser keeps that order and its INTERACTIVE node placer keeps
//   those positions, only pushing a node further along when an edge passing through its layer needs
//   the room. Both are linear, so a thousand nodes take ELK well under a second of placement (the
//   network-simplex placement this replaces needed seconds at 200 nodes and overflowed the stack
//   near 1,000). If a push moved a node past its band, the layout is run again with that band
//   deepened by the overflow (see `slack`), so lanes stay bands however crowded.
import type { ElkExtendedEdge, ElkNode, ElkPort } from 'elkjs/lib/elk-api.js';
import type { Edge, Lane } from '../model/types.js';
import { METRICS, elkOptions } from './options.js';
import type { LayoutDirection, TextBlock } from './types.js';

export type Side = 'left' | 'right' | 'top' | 'bottom';

const ELK_SIDE: Record<Side, string> = { left: 'WEST', right: 'EAST', top: 'NORTH', bottom: 'SOUTH' };

export function asSide(handle: string | undefined, fallback: Side): Side {
  return handle === 'left' || handle === 'right' || handle === 'top' || handle === 'bottom' ? handle : fallback;
}

/**
 * The screen side a handle names in a direction. Handles are written for the flow, not the screen:
 * `right` is the downstream side, `left` the upstream one, `bottom` and `top` the two sides across
 * the flow. In direction right that is what they say; in direction down the flow is turned a
 * quarter clockwise, so right -> bottom, left -> top, bottom -> right, top -> left (SPEC section
 * "Direction"). A step `a.handle(right) -> b.handle(left)` therefore stays a straight arrow.
 */
export function screenSide(side: Side, direction: LayoutDirection): Side {
  if (direction === 'right') return side;
  return side === 'right' ? 'bottom' : side === 'left' ? 'top' : side === 'bottom' ? 'right' : 'left';
}

/** An edge of the scope as ELK sees it. */
export interface ScopeEdge {
  index: number;
  edge: Edge;
  fromSide: Side;
  toSide: Side;
  label?: TextBlock;
  /** For the Catch edges drawn as one bundle: the index of the bundle's leader (itself included). */
  bundle?: number;
}

export interface ScopeInput {
  lanes: Lane[];
  /** Node ids per lane, parallel to `lanes`. */
  laneNodes: string[][];
  sizes: Map<string, { width: number; height: number }>;
  edges: ScopeEdge[];
  direction: LayoutDirection;
  /** Room to keep clear around some nodes (loop frames). */
  margins?: Map<string, Margins>;
  /** Nodes with straight sides (rectangles, taskboxes, containers), whose ports may move off centre. */
  straightSides?: Set<string>;
}

export const portId = (node: string, side: Side): string => `${node}:${side}`;
export const labelNodeId = (index: number): string => `\u0000label${index}`;
export const anchorId = (node: string): string => `\u0000anchor${node}`;

/** How far above a top handle its anchor sits: ELK's edge-to-node spacing twice (anchor to port dummy, dummy to node), plus the anchor. */
const ANCHOR_ROOM = 2 * METRICS.edgeNode + 2;

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

/** Room kept clear around a node (absolute sides, pixels): a loop frame and its tab. */
export interface Margins {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/** Where presetAcross put each node across the flow, and where each lane's band starts. */
export interface AcrossPlan {
  /** Top (direction right) or left (direction down) edge of every node, margins excluded. */
  pos: Map<string, number>;
  /** Start of each lane's band, and after the last one the end of the last band. */
  bandStart: number[];
  /** The corridor (a line across the flow) that some edges inside one lane are routed along. */
  corridor: Map<number, number>;
}

/**
 * Which corridor an edge inside one lane should run in: above the lane's nodes when it joins two
 * top handles, goes back against the flow by a top handle (a loop back to an earlier step), or
 * leaves by the top to pass over other steps; below them likewise for bottom handles. Routed through the middle of the lane instead, such an
 * edge crosses every edge of the main line it passes.
 */
function corridorSide(e: ScopeEdge, layers: Map<string, number>, before: Side, after: Side): 'before' | 'after' | undefined {
  const span = (layers.get(e.edge.to.node) ?? 0) - (layers.get(e.edge.from.node) ?? 0);
  const back = span <= 0;
  // An edge that leaves by the bottom and passes over other steps (an error path to a Fail state far
  // along, say) runs below them too; the corridors nest such edges by length, so they do not cross.
  const long = span >= 2;
  if (e.fromSide === before && (e.toSide === before || back || long)) return 'before';
  if (e.fromSide === after && (e.toSide === after || back || long)) return 'after';
  if (back && e.toSide === before) return 'before';
  if (back && e.toSide === after) return 'after';
  return undefined;
}

/**
 * Places every node across the flow: lane bands one after another, each as deep as its deepest
 * layer's stack plus the lane padding on both sides plus `slack[i]`; inside a band, the nodes of
 * one layer stacked (by their handles' pull, then in source order) and centred, or held with the end
 * of a straight step on the centre line, so that a lane's single nodes and its main path share one
 * centre line and the edges between them run straight.
 */
export function presetAcross(input: ScopeInput, layers: Map<string, number>, slack: number[]): AcrossPlan {
  const horizontal = input.direction === 'right';
  const pad = METRICS.lanePadding;
  const gap = METRICS.nodeNode;
  const pos = new Map<string, number>();
  const bandStart: number[] = [];
  // How strongly each node's handles place it below (+) or above (-) the nodes it is joined to,
  // along the flow's cross axis: bottom/top in direction right, and the same sides in direction down
  // (where the handles still name screen sides, so "below" reads "to the right").
  const pull = new Map<string, number>();
  const [after, before] = horizontal ? (['bottom', 'top'] as const) : (['right', 'left'] as const);
  for (const e of input.edges) {
    const from = e.edge.from.node;
    const to = e.edge.to.node;
    if (from === to) continue;
    const d = (e.fromSide === after || e.toSide === before ? 1 : 0) - (e.fromSide === before || e.toSide === after ? 1 : 0);
    if (d === 0) continue;
    pull.set(to, (pull.get(to) ?? 0) + d);
    pull.set(from, (pull.get(from) ?? 0) - d);
  }
  // Nodes entered by a straight step: from the downstream side of a node earlier in the same lane
  // into the upstream side.
  const [downstream, upstream] = horizontal ? (['right', 'left'] as const) : (['bottom', 'top'] as const);
  const laneIndex = new Map<string, number>();
  input.laneNodes.forEach((ids, i) => ids.forEach((id) => laneIndex.set(id, i)));
  const straightIn = new Set<string>();
  for (const e of input.edges) {
    const { node: from } = e.edge.from;
    const { node: to } = e.edge.to;
    if (e.fromSide === downstream && e.toSide === upstream && laneIndex.get(from) === laneIndex.get(to) && (layers.get(from) ?? 0) < (layers.get(to) ?? 0)) straightIn.add(to);
  }
  const topUsed = new Set<string>();
  for (const e of input.edges) {
    if (e.fromSide === before) topUsed.add(e.edge.from.node);
    if (e.toSide === before) topUsed.add(e.edge.to.node);
  }
  // Corridor edges per lane, outermost (longest) first.
  const laneOf = new Map<string, number>();
  input.laneNodes.forEach((ids, i) => ids.forEach((id) => laneOf.set(id, i)));
  const span = (e: ScopeEdge): number => Math.abs((layers.get(e.edge.to.node) ?? 0) - (layers.get(e.edge.from.node) ?? 0));
  const corridors = input.lanes.map(() => ({ before: [] as ScopeEdge[], after: [] as ScopeEdge[] }));
  for (const e of input.edges) {
    const lane = laneOf.get(e.edge.from.node);
    if (lane === undefined || lane !== laneOf.get(e.edge.to.node) || e.edge.from.node === e.edge.to.node) continue;
    const side = corridorSide(e, layers, before, after);
    if (side) corridors[lane]![side].push(e);
  }
  for (const c of corridors) for (const list of [c.before, c.after]) list.sort((a, b) => span(b) - span(a) || a.index - b.index);
  const corridor = new Map<number, number>();
  // Room for a corridor: the edge-to-node spacing, then one edge spacing per further edge.
  const reserve = (n: number): number => (n === 0 ? 0 : METRICS.edgeNode + (n - 1) * METRICS.edgeEdge + 2);
  let at = 0;
  input.lanes.forEach((_, i) => {
    bandStart.push(at);
    const { before: above, after: below } = corridors[i]!;
    above.forEach((e, j) => corridor.set(e.index, at + pad + j * METRICS.edgeEdge));
    at += reserve(above.length);
    // Room for the anchors above top handles (see toElk), below the corridor, so that neither
    // pushes the nodes out of their planned places.
    if (input.laneNodes[i]!.some((id) => topUsed.has(id))) at += ANCHOR_ROOM;
    const extent = (id: string): { before: number; size: number; after: number } => {
      const size = input.sizes.get(id)!;
      const m = input.margins?.get(id);
      return horizontal
        ? { before: m?.top ?? 0, size: size.height, after: m?.bottom ?? 0 }
        : { before: m?.left ?? 0, size: size.width, after: m?.right ?? 0 };
    };
    const stacks = new Map<number, string[]>();
    for (const id of input.laneNodes[i]!) {
      const l = layers.get(id) ?? 0;
      (stacks.get(l) ?? stacks.set(l, []).get(l)!).push(id);
    }
    // Within a stack, a node that its edges' handles put below its neighbours goes lower (an error
    // path leaving by the bottom, say, ends at a node under the main line, not above it, where
    // it would cross the main line to get there); the others keep source order.
    for (const ids of stacks.values()) if (ids.length > 1) ids.sort((a, b) => (pull.get(a) ?? 0) - (pull.get(b) ?? 0));
    // A stack is centred on the lane's centre line by its nodes, not by their margins (room for a
    // loop frame), so that a node in a loop stays in line with its neighbours; the margins only
    // deepen the lane. A stack that holds the end of a straight step (a Choice's main way on, say,
    // beside the targets of its other rules) is placed with that node on the centre line instead, so
    // that step stays a straight arrow and the other nodes of the stack sit above and below it.
    // `tops` are the nodes' tops relative to the centre line; `above`/`below` how far the stack
    // reaches either way, margins included.
    const placeStack = (ids: string[]): { tops: number[]; above: number; below: number } => {
      const tops: number[] = [];
      let y = 0;
      ids.forEach((id, k) => {
        const e = extent(id);
        if (k > 0) y += e.before;
        tops.push(y);
        y += e.size + (k < ids.length - 1 ? e.after + gap : 0);
      });
      const anchor = ids.length > 1 ? ids.findIndex((id) => straightIn.has(id)) : -1;
      const shift = anchor >= 0 ? -(tops[anchor]! + extent(ids[anchor]!).size / 2) : -y / 2;
      return { tops: tops.map((t) => t + shift), above: -shift + extent(ids[0]!).before, below: y + shift + extent(ids[ids.length - 1]!).after };
    };
    let reachUp = 0;
    let reachDown = 0;
    const placed = new Map<string[], ReturnType<typeof placeStack>>();
    for (const ids of stacks.values()) {
      const m = placeStack(ids);
      placed.set(ids, m);
      reachUp = Math.max(reachUp, m.above);
      reachDown = Math.max(reachDown, m.below);
    }
    const centre = at + pad + reachUp;
    for (const [ids, m] of placed) ids.forEach((id, k) => pos.set(id, centre + m.tops[k]!));
    const deepest = reachUp + reachDown;
    // Below: the innermost (shortest) edge nearest the nodes.
    below.forEach((e, j) => corridor.set(e.index, at + pad + deepest + reserve(below.length) - 2 - j * METRICS.edgeEdge));
    at += pad + deepest + reserve(below.length) + (slack[i] ?? 0) + pad;
  });
  bandStart.push(at);
  return { pos, bandStart, corridor };
}

/**
 * Where a Catch bundle's label goes across the flow: next to its target, on the side the bundle
 * enters, so the members gather there and one short run reaches the handle (halfway between
 * the ends, the members would cross the main line to meet). Undefined for a handle on the
 * downstream side, which the label cannot sit before.
 */
function bundleAcross(toSide: Side, centre: { x: number; y: number }, size: { width: number; height: number }, label: { w: number; h: number }, horizontal: boolean): number | undefined {
  const c = horizontal ? centre.y : centre.x;
  const half = (horizontal ? size.height : size.width) / 2;
  const depth = horizontal ? label.h : label.w;
  const [upstream, before, after] = horizontal ? (['left', 'top', 'bottom'] as const) : (['top', 'left', 'right'] as const);
  if (toSide === upstream) return c - depth / 2;
  if (toSide === before) return c - half - METRICS.edgeNode - depth;
  if (toSide === after) return c + half + METRICS.edgeNode;
  return undefined;
}

/**
 * The sides where edges both leave and arrive (a request and its reply, say) get two ports, so the
 * two routes do not start on one point and retrace each other. The port whose edges go towards
 * the lower coordinate along the side (left, or up) comes first. Only straight sides: on a circle
 * or a diamond a port off the centre would float beside the outline.
 */
function splitPorts(input: ScopeInput, layers: Map<string, number>, plan: AcrossPlan): Map<string, { outFirst: boolean }> {
  const horizontal = input.direction === 'right';
  // Where the other end lies, per screen axis: layer index along the flow, planned position across it.
  const at = (id: string): { x: number; y: number } => {
    const along = layers.get(id) ?? 0;
    const across = plan.pos.get(id) ?? 0;
    return horizontal ? { x: along, y: across } : { x: across, y: along };
  };
  const ends = new Map<string, { outs: number[]; ins: number[] }>();
  const note = (node: string, side: Side, other: string, out: boolean): void => {
    if (!input.straightSides?.has(node)) return;
    const key = portId(node, side);
    const e = ends.get(key) ?? ends.set(key, { outs: [], ins: [] }).get(key)!;
    const p = at(other);
    (out ? e.outs : e.ins).push(side === 'top' || side === 'bottom' ? p.x : p.y);
  };
  for (const e of input.edges) {
    if (e.edge.from.node === e.edge.to.node) continue;
    note(e.edge.from.node, e.fromSide, e.edge.to.node, true);
    note(e.edge.to.node, e.toSide, e.edge.from.node, false);
  }
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const out = new Map<string, { outFirst: boolean }>();
  for (const [key, { outs, ins }] of ends) if (outs.length > 0 && ins.length > 0) out.set(key, { outFirst: mean(outs) <= mean(ins) });
  return out;
}

export function toElk(input: ScopeInput, layers: Map<string, number>, plan: AcrossPlan): ElkNode {
  const { direction } = input;
  const horizontal = direction === 'right';
  const stride = METRICS.layerStride;
  const children: ElkNode[] = [];
  const usedSides = new Map<string, Set<Side>>();
  for (const e of input.edges) {
    (usedSides.get(e.edge.from.node) ?? usedSides.set(e.edge.from.node, new Set()).get(e.edge.from.node)!).add(e.fromSide);
    (usedSides.get(e.edge.to.node) ?? usedSides.set(e.edge.to.node, new Set()).get(e.edge.to.node)!).add(e.toSide);
  }
  const ports = splitPorts(input, layers, plan);
  // Our layers go to even ELK layers; the odd ones in between hold the edge label nodes, so a label
  // never shares a layer (and so never competes for room across the flow) with a node.
  const preset = new Map<string, { x: number; y: number }>();
  input.lanes.forEach((_, i) => {
    for (const id of input.laneNodes[i]!) {
      const size = input.sizes.get(id)!;
      const l = 2 * (layers.get(id) ?? 0);
      const nodePorts: ElkPort[] = [];
      for (const side of ['top', 'left', 'right', 'bottom'] as Side[]) {
        if (!usedSides.get(id)?.has(side)) continue;
        const x = side === 'left' ? 0 : side === 'right' ? size.width : size.width / 2;
        const y = side === 'top' ? 0 : side === 'bottom' ? size.height : size.height / 2;
        const split = ports.get(portId(id, side));
        if (!split) {
          nodePorts.push({ id: portId(id, side), x, y, width: 0, height: 0, layoutOptions: { 'elk.port.side': ELK_SIDE[side] } });
          continue;
        }
        // In and out apart, by up to one edge spacing either side of the centre.
        const along = side === 'top' || side === 'bottom';
        const d = Math.min(METRICS.edgeEdge, (along ? size.width : size.height) / 6);
        for (const [end, sign] of [['out', split.outFirst ? -1 : 1], ['in', split.outFirst ? 1 : -1]] as const) {
          nodePorts.push({ id: `${portId(id, side)}:${end}`, x: along ? x + sign * d : x, y: along ? y : y + sign * d, width: 0, height: 0, layoutOptions: { 'elk.port.side': ELK_SIDE[side] } });
        }
      }
      const across = plan.pos.get(id)!;
      const at = horizontal ? { x: l * stride, y: across } : { x: across, y: l * stride };
      preset.set(id, { x: at.x + size.width / 2, y: at.y + size.height / 2 });
      const layoutOptions: Record<string, string> = { 'elk.portConstraints': 'FIXED_POS' };
      const m = input.margins?.get(id);
      if (m) layoutOptions['elk.margins'] = `[top=${m.top},left=${m.left},bottom=${m.bottom},right=${m.right}]`;
      children.push({ id, width: size.width, height: size.height, ...at, ports: nodePorts, layoutOptions });
      // ELK routes an edge into a top handle (a left one in direction down: the side across the
      // flow that comes first) through a dummy node that its interactive placer
      // puts right after whatever precedes the node in its layer, or at the very top of the
      // picture when nothing does: the edge then climbs over every lane above to come back down.
      // A tiny anchor just above the handle (two spacings up, so the node is not pushed) keeps
      // that dummy, and the edge, next to the node.
      if (usedSides.get(id)?.has(horizontal ? 'top' : 'left')) {
        const y = across - ANCHOR_ROOM + 1;
        children.push({ id: anchorId(id), width: 1, height: 1, ...(horizontal ? { x: l * stride, y } : { x: y, y: l * stride }) });
      }
    }
  });
  const edges: ElkExtendedEdge[] = [];
  // A hint for ELK's interactive phases: the route an edge should take, as bend points. They only
  // decide where the edge's dummy nodes sit across the flow (ELK routes the edge itself).
  // In ELK's own frame (flow along x) whatever the direction: ELK turns node positions into that
  // frame for direction down, but reads these hints as they are.
  const point = (along: number, across: number): { x: number; y: number } => ({ x: along, y: across });
  const alongOf = (id: string): number => {
    const c = preset.get(id)!;
    return horizontal ? c.x : c.y;
  };
  const hint = (id: string, from: { x: number; y: number }, to: { x: number; y: number }, bends: { x: number; y: number }[]): ElkExtendedEdge['sections'] =>
    bends.length === 0 ? undefined : [{ id: `${id}:hint`, startPoint: from, endPoint: to, bendPoints: bends }];
  // Per target handle, an edge that runs straight into it (both ends on one line across the flow).
  const straightInto = new Map<string, number>();
  for (const e of input.edges) {
    const a = preset.get(e.edge.from.node)!;
    const b = preset.get(e.edge.to.node)!;
    const [downstream, upstream] = horizontal ? (['right', 'left'] as const) : (['bottom', 'top'] as const);
    const inLine = Math.abs(horizontal ? a.y - b.y : a.x - b.x) < 1;
    const key = portId(e.edge.to.node, e.toSide);
    if (e.fromSide === downstream && e.toSide === upstream && inLine && alongOf(e.edge.from.node) < alongOf(e.edge.to.node) && !straightInto.has(key)) straightInto.set(key, e.index);
  }
  // A bundle's leader makes the shared label node, so its members come after it.
  const bundleLabel = new Map<number, { id: string; mid: { x: number; y: number } }>();
  const ordered = [...input.edges].sort((x, y) => Number(x.bundle !== undefined && x.bundle !== x.index) - Number(y.bundle !== undefined && y.bundle !== y.index));
  for (const e of ordered) {
    const source = ports.has(portId(e.edge.from.node, e.fromSide)) ? `${portId(e.edge.from.node, e.fromSide)}:out` : portId(e.edge.from.node, e.fromSide);
    const target = ports.has(portId(e.edge.to.node, e.toSide)) ? `${portId(e.edge.to.node, e.toSide)}:in` : portId(e.edge.to.node, e.toSide);
    const lane = plan.corridor.get(e.index);
    const a0 = preset.get(e.edge.from.node)!;
    const b0 = preset.get(e.edge.to.node)!;
    // An edge that leaves by the side the flow enters (or enters by the side it leaves) turns back
    // through a dummy in its node's layer, which ELK would put level with the node and so push the
    // node aside. A hint puts that dummy just past the node's far side instead.
    const beside = (id: string): number => {
      const size = input.sizes.get(id)!;
      return plan.pos.get(id)! + (horizontal ? size.height : size.width) + METRICS.edgeNode;
    };
    const inverted = (side: Side, out: boolean): boolean => side === (out ? (horizontal ? 'left' : 'top') : horizontal ? 'right' : 'bottom');
    const startHint = inverted(e.fromSide, true) ? [point(alongOf(e.edge.from.node), beside(e.edge.from.node))] : [];
    const endHint = inverted(e.toSide, false) ? [point(alongOf(e.edge.to.node), beside(e.edge.to.node))] : [];
    const joined = e.bundle !== undefined && e.bundle !== e.index ? bundleLabel.get(e.bundle) : undefined;
    if (joined) {
      // A bundle member runs to the leader's label node; the leader's edge from there is shared.
      const first: ElkExtendedEdge = { id: `e${e.index}:a`, sources: [source], targets: [`${joined.id}:in`] };
      const s1 = hint(first.id, a0, joined.mid, lane !== undefined ? [point(alongOf(e.edge.from.node), lane)] : startHint);
      if (s1) first.sections = s1;
      edges.push(first);
      continue;
    }
    if (!e.label) {
      const edge: ElkExtendedEdge = { id: `e${e.index}`, sources: [source], targets: [target] };
      const bends = lane === undefined ? [...startHint, ...endHint] : [point(alongOf(e.edge.from.node), lane), point(alongOf(e.edge.to.node), lane)];
      const sections = hint(edge.id, a0, b0, bends);
      if (sections) edge.sections = sections;
      edges.push(edge);
      continue;
    }
    // A labelled edge runs through a label node of the label's size, in the free odd layer nearest
    // the middle of the edge and, across the flow, halfway between its ends. ELK places and routes
    // it like any node, so a label never covers a node or another label. (ELK's own centre labels
    // are dummy nodes too, but without a position its interactive crossing minimiser would sink
    // them all to the top of their layers.)
    const ls = 2 * (layers.get(e.edge.from.node) ?? 0);
    const lt = 2 * (layers.get(e.edge.to.node) ?? 0);
    // A bundle's label sits just before its target, where all the members have arrived.
    let layer = e.bundle !== undefined ? lt - 1 : Math.floor((ls + lt) / 2);
    if (layer % 2 === 0) layer += lt >= ls ? -1 : 1;
    if (layer < 0) layer = 1;
    const a = preset.get(e.edge.from.node)!;
    const b = preset.get(e.edge.to.node)!;
    const forward = lt >= ls;
    const w = e.label.width + 12;
    const h = e.label.height + 6;
    let across = lane !== undefined ? lane - (horizontal ? h : w) / 2 : horizontal ? (a.y + b.y) / 2 - h / 2 : (a.x + b.x) / 2 - w / 2;
    if (e.bundle !== undefined) across = bundleAcross(e.toSide, b, input.sizes.get(e.edge.to.node)!, { w, h }, horizontal) ?? across;
    else if (lane === undefined && forward) {
      // On the line of an end whose handle faces along the flow, the label costs no bends: a
      // Choice's bottom -> left branch drops, turns and runs through its label into the target,
      // instead of climbing back to a label halfway between the two.
      const [upstream, downstream] = horizontal ? (['left', 'right'] as const) : (['top', 'bottom'] as const);
      const depth = horizontal ? h : w;
      // The target's line is taken when another edge already runs straight along it into the same
      // handle: the label would sit on that edge and push it into a detour.
      const taken = straightInto.get(portId(e.edge.to.node, e.toSide));
      if (e.toSide === upstream && (taken === undefined || taken === e.index)) across = (horizontal ? b.y : b.x) - depth / 2;
      else if (e.fromSide === downstream) across = (horizontal ? a.y : a.x) - depth / 2;
    }
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
    const first: ElkExtendedEdge = { id: `e${e.index}:a`, sources: [source], targets: [`${id}:in`] };
    const second: ElkExtendedEdge = { id: `e${e.index}:b`, sources: [`${id}:out`], targets: [target] };
    const mid = point(layer * stride, lane ?? across + (horizontal ? h : w) / 2);
    if (e.bundle !== undefined) bundleLabel.set(e.index, { id, mid });
    const s1 = hint(first.id, a, mid, lane !== undefined ? [point(alongOf(e.edge.from.node), lane)] : startHint);
    const s2 = hint(second.id, mid, b, lane !== undefined ? [point(alongOf(e.edge.to.node), lane)] : endHint);
    if (s1) first.sections = s1;
    if (s2) second.sections = s2;
    edges.push(first, second);
  }
  return { id: 'root', layoutOptions: elkOptions(direction), children, edges };
}
