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
import { edgeKind } from './measure.js';
import { METRICS, MIN_JOG, elkOptions } from './options.js';
import type { LayoutDirection, TextBlock } from './types.js';

export type Side = 'left' | 'right' | 'top' | 'bottom';

const ELK_SIDE: Record<Side, string> = { left: 'WEST', right: 'EAST', top: 'NORTH', bottom: 'SOUTH' };
/** A side's outward normal `n` and the direction `t` along it (left to right on top and bottom, top to bottom on left and right). */
export function sideAxes(side: Side): { n: { x: number; y: number }; t: { x: number; y: number } } {
  const n = side === 'left' ? { x: -1, y: 0 } : side === 'right' ? { x: 1, y: 0 } : side === 'top' ? { x: 0, y: -1 } : { x: 0, y: 1 };
  return { n, t: n.x === 0 ? { x: 1, y: 0 } : { x: 0, y: 1 } };
}

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
  /**
   * A handoff to the neighbouring lane drawn as one straight line across the lane border: its
   * target shares its source's layer, and ELK never sees the edge (see `layerScope`).
   */
  handoff?: boolean;
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
  /** The circles among the others (the rest are diamonds): their outline stays near the box side further off the middle. */
  circles?: Set<string>;
}

export const portId = (node: string, side: Side): string => `${node}:${side}`;
const LABEL_NODE = '\u0000label';
export const labelNodeId = (index: number): string => `${LABEL_NODE}${index}`;
export const anchorId = (node: string): string => `\u0000anchor${node}`;

/** How far above a top handle its anchor sits: ELK's edge-to-node spacing twice (anchor to port dummy, dummy to node), plus the anchor. */
const ANCHOR_ROOM = 2 * METRICS.edgeNode + 2;

/**
 * How far above each node with a top handle (a left one in direction down) its anchor sits (see
 * toElk): ELK gives each port on that side a dummy of its own, an edge spacing apart, so a side
 * split into an in and an out port (splitPorts: straight sides with both) needs one spacing more,
 * or ELK pushes the node down off its planned line.
 */
function anchorRooms(input: ScopeInput): Map<string, number> {
  const before = input.direction === 'right' ? 'top' : 'left';
  const ends = new Map<string, { out: boolean; in: boolean }>();
  for (const e of routedEdges(input)) {
    if (e.fromSide === before) (ends.get(e.edge.from.node) ?? ends.set(e.edge.from.node, { out: false, in: false }).get(e.edge.from.node)!).out = true;
    if (e.toSide === before) (ends.get(e.edge.to.node) ?? ends.set(e.edge.to.node, { out: false, in: false }).get(e.edge.to.node)!).in = true;
  }
  const rooms = new Map<string, number>();
  for (const [id, { out, in: into }] of ends) rooms.set(id, ANCHOR_ROOM + (out && into && input.straightSides?.has(id) ? METRICS.edgeEdge : 0));
  return rooms;
}

/**
 * Layer of every node of the scope: one global layering across all its lanes. An edge marked
 * `handoff` has length 0: its target may share its source's layer (see `layerScope`).
 */
export function assignLayers(nodes: string[], edges: ScopeEdge[]): Map<string, number> {
  const order = new Map(nodes.map((n, i) => [n, i]));
  const out = new Map<string, { to: string; length: number }[]>(nodes.map((n) => [n, []]));
  for (const e of edges) if (e.edge.from.node !== e.edge.to.node) out.get(e.edge.from.node)!.push({ to: e.edge.to.node, length: e.handoff ? 0 : 1 });
  // DFS in source order; an edge to a node on the stack closes a cycle and is reversed (length 1).
  // `dag` keeps the longest length between two nodes.
  const state = new Map<string, 1 | 2>();
  const dag = new Map<string, Map<string, number>>(nodes.map((n) => [n, new Map()]));
  const link = (from: string, to: string, length: number): void => {
    const succ = dag.get(from)!;
    succ.set(to, Math.max(succ.get(to) ?? 0, length));
  };
  for (const root of nodes) {
    if (state.has(root)) continue;
    const stack: { n: string; i: number }[] = [{ n: root, i: 0 }];
    state.set(root, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const succ = out.get(top.n)!;
      if (top.i < succ.length) {
        const { to: m, length } = succ[top.i++]!;
        const s = state.get(m);
        if (s === 1) link(m, top.n, 1);
        else {
          link(top.n, m, length);
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
  for (const [, succ] of dag) for (const m of succ.keys()) indeg.set(m, indeg.get(m)! + 1);
  const ready = nodes.filter((n) => indeg.get(n) === 0);
  const layer = new Map<string, number>(nodes.map((n) => [n, 0]));
  const topo: string[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => order.get(a)! - order.get(b)!);
    const n = ready.shift()!;
    topo.push(n);
    for (const [m, length] of dag.get(n)!) {
      layer.set(m, Math.max(layer.get(m)!, layer.get(n)! + length));
      indeg.set(m, indeg.get(m)! - 1);
      if (indeg.get(m) === 0) ready.push(m);
    }
  }
  // A source with successors sits just before its nearest successor rather than at the far left.
  const hasPred = new Set<string>();
  for (const [, succ] of dag) for (const m of succ.keys()) hasPred.add(m);
  for (let i = topo.length - 1; i >= 0; i--) {
    const n = topo[i]!;
    const succ = dag.get(n)!;
    if (!hasPred.has(n) && succ.size > 0) layer.set(n, Math.max(layer.get(n)!, Math.min(...[...succ].map(([m, length]) => layer.get(m)! - length))));
  }
  return layer;
}

/** Room an arrowhead takes at the end of a line, and a label keeps from it. */
export const ARROW_ROOM = 12;

/** The box an edge label is drawn in: its text and the padding around it. */
export function labelBoxSize(t: TextBlock): { width: number; height: number } {
  return { width: t.width + 12, height: t.height + 6 };
}

/** The least distance between the ends of a straight handoff: its label box, the arrow, 6 px of line either side of the label. */
function handoffGap(e: ScopeEdge, horizontal: boolean): number {
  if (!e.label) return 0;
  const box = labelBoxSize(e.label);
  return (horizontal ? box.height : box.width) + ARROW_ROOM + 12;
}

/**
 * How much deeper each lane must be planned for every labelled straight handoff leaving its far
 * side to keep the gap its label needs: ELK's placer may push one end towards the other (a
 * dummy of a passing edge before it in its layer).
 */
export function handoffShortfall(result: ElkNode, input: ScopeInput): number[] {
  const horizontal = input.direction === 'right';
  const short = input.lanes.map(() => 0);
  const byId = new Map((result.children ?? []).map((c) => [c.id, c]));
  const laneOf = laneIndexOf(input);
  for (const e of input.edges) {
    if (!e.handoff || !e.label) continue;
    const [a, b] = [e.edge.from.node, e.edge.to.node];
    // A drop inside a lane keeps the gap presetAcross planned between the two (ELK keeps a stack's spacing).
    if (laneOf.get(a) === laneOf.get(b)) continue;
    const [near, far] = laneOf.get(a)! < laneOf.get(b)! ? [a, b] : [b, a];
    const n = byId.get(near);
    const f = byId.get(far);
    if (!n || !f) continue;
    const gap = horizontal ? f.y! - (n.y! + n.height!) : f.x! - (n.x! + n.width!);
    const lane = laneOf.get(near)!;
    short[lane] = Math.max(short[lane]!, handoffGap(e, horizontal) - gap);
  }
  return short;
}

/** The screen sides across the flow: `after` faces the next lane, `before` the previous one. */
function acrossSides(direction: LayoutDirection): { before: Side; after: Side } {
  return direction === 'right' ? { before: 'top', after: 'bottom' } : { before: 'left', after: 'right' };
}

/** The screen sides along the flow: a step leaves by `downstream` and enters by `upstream`. */
function alongSides(direction: LayoutDirection): { downstream: Side; upstream: Side } {
  return direction === 'right' ? { downstream: 'right', upstream: 'left' } : { downstream: 'bottom', upstream: 'top' };
}

function laneIndexOf(input: ScopeInput): Map<string, number> {
  const laneOf = new Map<string, number>();
  input.laneNodes.forEach((ids, i) => ids.forEach((id) => laneOf.set(id, i)));
  return laneOf;
}

/**
 * How strongly each node's handles place it below (+) or above (-) the nodes it is joined to,
 * along the flow's cross axis: bottom/top in direction right, and the same sides in direction down
 * (where the handles still name screen sides, so "below" reads "to the right").
 */
function pullsOf(input: ScopeInput): Map<string, number> {
  const { before, after } = acrossSides(input.direction);
  const pull = new Map<string, number>();
  for (const e of input.edges) {
    const from = e.edge.from.node;
    const to = e.edge.to.node;
    if (from === to) continue;
    const d = (e.fromSide === after || e.toSide === before ? 1 : 0) - (e.fromSide === before || e.toSide === after ? 1 : 0);
    if (d === 0) continue;
    pull.set(to, (pull.get(to) ?? 0) + d);
    pull.set(from, (pull.get(from) ?? 0) - d);
  }
  return pull;
}

/**
 * The straight steps of a scope, by target: from the downstream side of a node earlier in the
 * same lane into the upstream side of a later one. Their targets are the nodes a stack may hold
 * on the lane's centre line.
 */
function straightSources(input: ScopeInput, layers: Map<string, number>): Map<string, string[]> {
  const { downstream, upstream } = alongSides(input.direction);
  const laneOf = laneIndexOf(input);
  const sources = new Map<string, string[]>();
  for (const e of input.edges) {
    const { node: from } = e.edge.from;
    const { node: to } = e.edge.to;
    if (e.fromSide !== downstream || e.toSide !== upstream || laneOf.get(from) !== laneOf.get(to) || (layers.get(from) ?? 0) >= (layers.get(to) ?? 0)) continue;
    (sources.get(to) ?? sources.set(to, []).get(to)!).push(from);
  }
  return sources;
}

/** One lane's stacks by layer, each in its order, and the node each holds on the centre line. */
export interface LaneStacks {
  stacks: Map<number, string[]>;
  /** The node of a stack held on the lane's centre line (the end of a straight step), by layer. */
  anchors: Map<number, string>;
  /** The single-node stacks that lie wholly after or before the centre line, by layer. */
  leans: Map<number, Lean>;
}

/** A node off the centre line: on which side (1 after, -1 before), and how far its near side is from the line. */
export interface Lean {
  side: 1 | -1;
  offset: number;
}

/**
 * The order of each stack (the nodes of one lane in one layer), by lane index, then layer: a node that its
 * edges' handles put below its neighbours goes lower (an error path leaving by the bottom, say,
 * ends at a node under the main line, not above it, where it would cross the main line to get
 * there); the others keep source order. The ends of straight handoffs to other lanes come first or
 * last, whatever their pull (handoffRoles).
 *
 * A stack holding the end of a straight step from a node on the centre line (alone in its stack,
 * or its stack's anchor) keeps that node on the centre line: the main path goes on there. The other
 * nodes of such a stack go before or after it by their pull plus the side their neighbours in
 * earlier layers lie on, so a merge of two side paths (a Choice's Default and a Skip, both below
 * the main line, into one End) stays on their side instead of crossing the main line.
 */
export function stackOrder(input: ScopeInput, layers: Map<string, number>): LaneStacks[] {
  const roles = handoffRoles(input);
  const pull = pullsOf(input);
  const sources = straightSources(input, layers);
  const rank = (id: string): number => {
    const r = roles.get(id);
    return r?.first ? -1 : r?.last ? 1 : 0;
  };
  const laneOf = laneIndexOf(input);
  const { downstream, upstream } = alongSides(input.direction);
  const earlier = new Map<string, string[]>();
  // Each node's neighbours in its own lane (how far a leaning node must keep off the line, below).
  const inLane = new Map<string, string[]>();
  for (const e of input.edges) {
    const [a, b] = [e.edge.from.node, e.edge.to.node];
    if (a === b || laneOf.get(a) !== laneOf.get(b)) continue;
    const [first, later] = (layers.get(a) ?? 0) < (layers.get(b) ?? 0) ? [a, b] : (layers.get(b) ?? 0) < (layers.get(a) ?? 0) ? [b, a] : [undefined, undefined];
    if (first !== undefined) (earlier.get(later!) ?? earlier.set(later!, []).get(later!)!).push(first);
    for (const [x, y] of [[a, b], [b, a]] as const) (inLane.get(x) ?? inLane.set(x, []).get(x)!).push(y);
  }
  return input.laneNodes.map((ids) => {
    const stacks = new Map<number, string[]>();
    for (const id of ids) {
      const l = layers.get(id) ?? 0;
      (stacks.get(l) ?? stacks.set(l, []).get(l)!).push(id);
    }
    const anchors = new Map<number, string>();
    // Which side of the centre line each placed node lies on: -1 before, 0 on it, 1 after.
    const side = new Map<string, number>();
    for (const layer of [...stacks.keys()].sort((a, b) => a - b)) {
      const stack = stacks.get(layer)!;
      if (stack.length > 1) stack.sort((a, b) => rank(a) - rank(b) || (pull.get(a) ?? 0) - (pull.get(b) ?? 0));
      const centred = stack.length > 1 ? stack.find((id) => rank(id) === 0 && (sources.get(id) ?? []).some((s) => side.get(s) === 0)) : undefined;
      if (centred !== undefined) {
        const preferredSide = (id: string): number => {
          const near = (earlier.get(id) ?? []).map((n) => side.get(n) ?? 0);
          const mean = near.length > 0 ? near.reduce((a, b) => a + b, 0) / near.length : 0;
          return Math.sign(pull.get(id) ?? 0) + Math.sign(mean);
        };
        const key = (id: string): number => (id === centred ? 0 : preferredSide(id));
        // A node with no lean keeps the side the pull put it on.
        const at = stack.indexOf(centred);
        const goesBefore = (id: string, k: number): boolean => rank(id) < 0 || (rank(id) === 0 && (key(id) < 0 || (key(id) === 0 && k < at)));
        const before = stack.filter((id, k) => id !== centred && goesBefore(id, k));
        const after = stack.filter((id) => id !== centred && !before.includes(id));
        before.sort((a, b) => rank(a) - rank(b) || key(a) - key(b));
        after.sort((a, b) => rank(a) - rank(b) || key(a) - key(b));
        stack.splice(0, stack.length, ...before, centred, ...after);
        anchors.set(layer, centred);
      } else if (stack.length > 1) {
        const anchor = stack.find((id) => sources.has(id));
        if (anchor !== undefined) anchors.set(layer, anchor);
      }
      const middle = anchors.has(layer) ? stack.indexOf(anchors.get(layer)!) : (stack.length - 1) / 2;
      stack.forEach((id, k) => side.set(id, Math.sign(k - middle)));
    }
    // A node alone in its layer that its handles pull to one side (a Catch handler between a Task
    // and the state after it) would sit on the centre line, right where the main line passes it:
    // that step bent round it, and the Catch climbed round it into its top. It lies on the side it
    // is pulled to instead, when a step between two nodes on the centre line passes its layer.
    const leans = new Map<number, Lean>();
    // Per layer, how many edges of this lane pass it: steps between two nodes on the centre line,
    // and edges with an end after (1) or before (-1) it. Difference arrays, so a long chain costs
    // its edges once, not once per layer.
    const top = ids.reduce((m, id) => Math.max(m, layers.get(id) ?? 0), 0) + 2;
    const passing = { main: new Int32Array(top), after: new Int32Array(top), before: new Int32Array(top) };
    const mark = (counts: Int32Array, a: number, b: number): void => {
      const [lo, hi] = [Math.min(a, b), Math.max(a, b)];
      if (hi - lo < 2 || lo + 1 >= top) return;
      counts[lo + 1]!++;
      counts[Math.min(hi, top - 1)]!--;
    };
    const lane = laneOf.get(ids[0]!);
    for (const e of input.edges) {
      const [a, b] = [e.edge.from.node, e.edge.to.node];
      if (lane === undefined || laneOf.get(a) !== lane) continue;
      const [la, lb] = [layers.get(a) ?? 0, layers.get(b) ?? 0];
      if (e.fromSide === downstream && e.toSide === upstream && side.get(a) === 0 && side.get(b) === 0 && la < lb) mark(passing.main, la, lb);
      if (side.get(a) === 1 || side.get(b) === 1) mark(passing.after, la, lb);
      if (side.get(a) === -1 || side.get(b) === -1) mark(passing.before, la, lb);
    }
    for (const counts of Object.values(passing)) for (let k = 1; k < top; k++) counts[k]! += counts[k - 1]!;
    for (const [layer, stack] of stacks) {
      const id = stack[0]!;
      if (stack.length !== 1 || rank(id) !== 0 || sources.has(id) || (pull.get(id) ?? 0) === 0) continue;
      const passed = passing.main[layer]! > 0;
      // Not where another edge passes the layer on that side (a Default running to the end): the
      // node would sit in its way.
      const way = (pull.get(id) ?? 0) > 0 ? 1 : -1;
      const blocked = (way === 1 ? passing.after : passing.before)[layer]! > 0;
      if (!passed || blocked) continue;
      // As far off the line as a stack would put it below (or above) its neighbours on the line,
      // so the Catch into it has room to turn between them.
      let reach = 0;
      for (const other of inLane.get(id) ?? []) {
        const size = side.get(other) === 0 ? input.sizes.get(other) : undefined;
        if (size) reach = Math.max(reach, (input.direction === 'right' ? size.height : size.width) / 2);
      }
      leans.set(layer, { side: way, offset: reach + METRICS.nodeNode });
    }
    return { stacks, anchors, leans };
  });
}

/**
 * Where a straight handoff puts its ends in their layer's stacks: the end facing the next lane
 * last, the end facing the previous lane first, so the line between them meets no other node.
 */
export function handoffRoles(input: ScopeInput): Map<string, { first: boolean; last: boolean }> {
  const { after } = acrossSides(input.direction);
  const roles = new Map<string, { first: boolean; last: boolean }>();
  const mark = (id: string, role: 'first' | 'last'): void => {
    const r = roles.get(id) ?? roles.set(id, { first: false, last: false }).get(id)!;
    r[role] = true;
  };
  const laneOf = laneIndexOf(input);
  for (const e of input.edges) {
    // A drop inside one lane places its ends next to each other instead (stackOrder).
    if (!e.handoff || laneOf.get(e.edge.from.node) === laneOf.get(e.edge.to.node)) continue;
    const down = e.fromSide === after;
    mark(e.edge.from.node, down ? 'last' : 'first');
    mark(e.edge.to.node, down ? 'first' : 'last');
  }
  return roles;
}

/**
 * Layers the scope (assignLayers) with as many straight handoffs as the stacks allow, marking them
 * `handoff` on input.edges. A candidate is an edge that leaves one lane by the side
 * facing a neighbouring lane and enters a node there by the side facing back (bottom -> top to the
 * next lane in direction right, right -> left in direction down, and the other way round to the
 * previous lane; inside one lane, a drop from the bottom of one node to the top of another, or the
 * reverse), where neither handle carries another edge in the same direction (edges the other
 * way may share a straight side, see `free`). It becomes straight when its target
 * can share its source's layer (no other edge holds the target further along) and the two stacks
 * can give its ends their places (handoffRoles: one node per role in a stack, both roles only to a
 * node alone in it; a drop needs its ends next to each other in their stack and no other edge of the
 * lane passing that layer). The others are unmarked and the scope layered again: an unmarked
 * handoff is an ordinary edge, one layer on, routed by ELK.
 */
export function layerScope(input: ScopeInput): Map<string, number> {
  const { before, after } = acrossSides(input.direction);
  const laneOf = laneIndexOf(input);
  // The edges at each port, by whether they leave or arrive there.
  const atPort = new Map<string, { outs: ScopeEdge[]; ins: ScopeEdge[] }>();
  const at = (id: string, side: Side): { outs: ScopeEdge[]; ins: ScopeEdge[] } => atPort.get(portId(id, side)) ?? atPort.set(portId(id, side), { outs: [], ins: [] }).get(portId(id, side))!;
  for (const e of input.edges) {
    at(e.edge.from.node, e.fromSide).outs.push(e);
    at(e.edge.to.node, e.toSide).ins.push(e);
  }
  // A handle can hold a straight handoff when the handoff is its only edge, or when the handle is on
  // a straight side and every other edge there runs the other way (a request and its reply):
  // splitPorts then moves those others off the middle, which the handoff keeps; or when it is the
  // target of Catches only (below).
  const free = (id: string, side: Side, leaving: boolean): boolean => {
    const { outs, ins } = at(id, side);
    const [same, other] = leaving ? [outs, ins] : [ins, outs];
    // Catches merging into one handle with nothing leaving it: one of them may drop straight in,
    // and the others join its line just before the target (what a hand drawing of a shared error
    // path does), so the target sits under that member's state instead of after every one.
    if (!leaving && same.length > 1 && other.length === 0 && same.every((e) => edgeKind(e.edge) === 'catch')) return true;
    if (same.length !== 1) return false;
    if (other.length === 0) return true;
    return (input.straightSides?.has(id) ?? false) && other.every((o) => o.edge.from.node !== o.edge.to.node);
  };
  const claimed = new Set<string>();
  const nodes = input.laneNodes.flat();
  const candidates: ScopeEdge[] = [];
  for (const e of input.edges) {
    e.handoff = false;
    const from = laneOf.get(e.edge.from.node);
    const to = laneOf.get(e.edge.to.node);
    const towards = to === undefined || from === undefined ? 0 : to - from;
    const down = e.fromSide === after && e.toSide === before;
    const up = e.fromSide === before && e.toSide === after;
    // Inside one lane: a drop (bottom -> top: the target goes right under its source) or a rise.
    const inLane = from !== undefined && from === to;
    const sides = towards === 1 ? down : towards === -1 ? up : inLane && (down || up);
    if (e.edge.from.node === e.edge.to.node) continue;
    if (!sides || e.bundle !== undefined) continue;
    if (!free(e.edge.from.node, e.fromSide, true) || !free(e.edge.to.node, e.toSide, false)) continue;
    candidates.push(e);
  }
  // Into a Catch merge, the member declared last: its state is the likeliest to be the last one
  // before the target, the only one the target can sit across from (the others pull it later).
  const lastInto = new Map<string, ScopeEdge>();
  for (const e of candidates) if (at(e.edge.to.node, e.toSide).ins.length > 1) lastInto.set(portId(e.edge.to.node, e.toSide), e);
  for (const e of candidates) {
    const ends = [portId(e.edge.from.node, e.fromSide), portId(e.edge.to.node, e.toSide)];
    if (ends.some((k) => claimed.has(k)) || (lastInto.get(ends[1]!) ?? e) !== e) continue;
    // The first handoff in file order takes a shared handle (a reply into a request's handle is routed).
    e.handoff = true;
    for (const k of ends) claimed.add(k);
  }
  // Nodes joined to nothing (a lane of steps not yet linked, notes) follow the node declared
  // before them in their lane, so they read in file order along the flow instead of piling up
  // in the first layer.
  const joined = new Set<string>();
  for (const e of input.edges) if (e.edge.from.node !== e.edge.to.node) joined.add(e.edge.from.node).add(e.edge.to.node);
  const placeLoose = (layers: Map<string, number>): Map<string, number> => {
    for (const ids of input.laneNodes) ids.forEach((id, k) => {
      if (!joined.has(id) && k > 0) layers.set(id, layers.get(ids[k - 1]!)! + 1);
    });
    return layers;
  };
  for (;;) {
    const layers = placeLoose(assignLayers(nodes, input.edges));
    const drop = new Set<ScopeEdge>();
    for (const e of input.edges) if (e.handoff && layers.get(e.edge.from.node) !== layers.get(e.edge.to.node)) drop.add(e);
    if (drop.size === 0) {
      // One node per role in each stack; the first edge to claim it keeps it.
      const stackOf = (id: string): string => `${laneOf.get(id)}:${layers.get(id)}`;
      const stackSize = new Map<string, number>();
      for (const id of nodes) stackSize.set(stackOf(id), (stackSize.get(stackOf(id)) ?? 0) + 1);
      const holder = new Map<string, string>();
      const roleOf = new Map<string, Set<string>>();
      const claim = (id: string, role: 'first' | 'last'): boolean => {
        const key = `${stackOf(id)}:${role}`;
        const held = holder.get(key);
        if (held !== undefined && held !== id) return false;
        const other = roleOf.get(id);
        if (other && !other.has(role) && stackSize.get(stackOf(id))! > 1) return false;
        return true;
      };
      const take = (id: string, role: 'first' | 'last'): void => {
        holder.set(`${stackOf(id)}:${role}`, id);
        (roleOf.get(id) ?? roleOf.set(id, new Set()).get(id)!).add(role);
      };
      for (const e of input.edges) {
        if (!e.handoff || laneOf.get(e.edge.from.node) === laneOf.get(e.edge.to.node)) continue;
        const down = e.fromSide === after;
        const [a, b] = down ? (['last', 'first'] as const) : (['first', 'last'] as const);
        if (claim(e.edge.from.node, a) && claim(e.edge.to.node, b)) {
          take(e.edge.from.node, a);
          take(e.edge.to.node, b);
        } else drop.add(e);
      }
    }
    if (drop.size === 0) {
      // A drop inside one lane needs its target right after its source in their stack (right
      // before, for a rise), or the line between them would cross the nodes in between.
      // Nor may another edge of the lane pass its layer: ELK, which never sees the drop, could run
      // that edge between the two ends, across the line and its label.
      const stacks = stackOrder(input, layers);
      for (const e of input.edges) {
        if (!e.handoff || laneOf.get(e.edge.from.node) !== laneOf.get(e.edge.to.node)) continue;
        const lane = laneOf.get(e.edge.from.node);
        const layer = layers.get(e.edge.from.node) ?? 0;
        const ids = stacks[lane!]?.stacks.get(layer) ?? [];
        const step = ids.indexOf(e.edge.to.node) - ids.indexOf(e.edge.from.node);
        const passes = input.edges.some((o) => {
          if (laneOf.get(o.edge.from.node) !== lane && laneOf.get(o.edge.to.node) !== lane) return false;
          const [a, b] = [layers.get(o.edge.from.node) ?? 0, layers.get(o.edge.to.node) ?? 0];
          return Math.min(a, b) < layer && layer < Math.max(a, b);
        });
        if (step !== (e.fromSide === after ? 1 : -1) || passes) drop.add(e);
      }
    }
    if (drop.size === 0) return layers;
    // false, not delete: a deleted property turns the object into a slow dictionary for every later pass.
    for (const e of drop) e.handoff = false;
  }
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
  const { after, before } = acrossSides(input.direction);
  const order = stackOrder(input, layers);
  const sources = straightSources(input, layers);
  const laneOf = laneIndexOf(input);
  const anchors = anchorRooms(input);
  // Corridor edges per lane, outermost (longest) first.
  const span = (e: ScopeEdge): number => Math.abs((layers.get(e.edge.to.node) ?? 0) - (layers.get(e.edge.from.node) ?? 0));
  const corridors = input.lanes.map(() => ({ before: [] as ScopeEdge[], after: [] as ScopeEdge[] }));
  for (const e of input.edges) {
    const lane = laneOf.get(e.edge.from.node);
    const target = laneOf.get(e.edge.to.node);
    if (lane === undefined || target === undefined || e.edge.from.node === e.edge.to.node || e.handoff) continue;
    if (lane !== target) {
      // A Catch bundle's member from another lane, passing over steps, runs in its target lane's
      // channel on the far side (the bottom, for a target in a lane below), as the members from
      // the target's own lane do: through the middle of the lane, every step between the lanes
      // (a Task above, its Wait below, and back) crosses it.
      // Only where the target's lane has steps of its own to pass: elsewhere the channel is room for nothing.
      const [a, b] = [layers.get(e.edge.from.node) ?? 0, layers.get(e.edge.to.node) ?? 0];
      if (e.bundle === undefined || span(e) < 2 || !input.laneNodes[target]!.some((id) => (layers.get(id) ?? 0) > a && (layers.get(id) ?? 0) < b)) continue;
      if (e.fromSide === after && target > lane) corridors[target]!.after.push(e);
      else if (e.fromSide === before && target < lane) corridors[target]!.before.push(e);
      continue;
    }
    const side = corridorSide(e, layers, before, after);
    if (side) corridors[lane]![side].push(e);
  }
  for (const c of corridors) for (const list of [c.before, c.after]) list.sort((a, b) => span(b) - span(a) || a.index - b.index);
  const corridor = new Map<number, number>();
  // The labelled straight handoffs between each lane and the one before it.
  const handoffsInto: ScopeEdge[][] = input.lanes.map(() => []);
  // The gap a labelled drop inside a lane needs between its two ends (keyed by the upper end).
  const dropGap = new Map<string, number>();
  for (const e of input.edges) {
    if (!e.handoff || !e.label) continue;
    const [a, b] = [laneOf.get(e.edge.from.node)!, laneOf.get(e.edge.to.node)!];
    if (a === b) {
      const upper = e.fromSide === after ? e.edge.from.node : e.edge.to.node;
      dropGap.set(upper, Math.max(dropGap.get(upper) ?? 0, handoffGap(e, horizontal)));
      continue;
    }
    handoffsInto[Math.max(a, b)]!.push(e);
  }
  // Room for a corridor: the edge-to-node spacing, then one edge spacing per further edge.
  const reserve = (n: number): number => (n === 0 ? 0 : METRICS.edgeNode + (n - 1) * METRICS.edgeEdge + 2);
  // A corridor's lines, outermost first: the members of one Catch bundle share one (they are drawn
  // as one line; on lines a spacing apart they read as a braid).
  const slots = (list: ScopeEdge[]): { of: Map<ScopeEdge, number>; count: number } => {
    const of = new Map<ScopeEdge, number>();
    const bundles = new Map<number, number>();
    let count = 0;
    for (const e of list) {
      const shared = e.bundle === undefined ? undefined : bundles.get(e.bundle);
      if (shared !== undefined) of.set(e, shared);
      else {
        of.set(e, count);
        if (e.bundle !== undefined) bundles.set(e.bundle, count);
        count++;
      }
    }
    return { of, count };
  };
  let at = 0;
  input.lanes.forEach((_, i) => {
    bandStart.push(at);
    const { before: above, after: below } = corridors[i]!;
    const up = slots(above);
    above.forEach((e) => corridor.set(e.index, at + pad + up.of.get(e)! * METRICS.edgeEdge));
    at += reserve(up.count);
    const extent = (id: string): { before: number; size: number; after: number } => {
      const size = input.sizes.get(id)!;
      const m = input.margins?.get(id);
      return horizontal
        ? { before: m?.top ?? 0, size: size.height, after: m?.bottom ?? 0 }
        : { before: m?.left ?? 0, size: size.width, after: m?.right ?? 0 };
    };
    const { stacks, anchors: centred, leans } = order[i]!;
    // A stack is centred on the lane's centre line by its nodes, not by their margins (room for a
    // loop frame), so that a node in a loop stays in line with its neighbours; the margins only
    // deepen the lane. A stack that holds the end of a straight step (a Choice's main way on, say,
    // beside the targets of its other rules) is placed with that node on the centre line instead, so
    // that step stays a straight arrow and the other nodes of the stack sit above and below it. A
    // leaning node (stackOrder) lies wholly on its side, `offset` off the line.
    // `tops` are the nodes' tops relative to the centre line; `above`/`below` how far the stack
    // reaches either way, margins included.
    // Where each placed node's centre lies, relative to the centre line: a node beside the main
    // line that a straight step enters moves further out to its source's line when it can, so
    // that step runs straight too (a side path's last state into the branch's end, say).
    const centreOf = new Map<string, number>();
    // The anchor above a node's top handle (see toElk) is a node to ELK too, kept a node spacing
    // from the node before it in the layer: a gap that leaves it less has ELK push the anchor and
    // the node down off the plan (lottery: the Fail state under End, 33 px below the line its
    // Catch labels were planned on).
    const anchorGap = (next: string): number => {
      const room = anchors.get(next);
      return room === undefined ? 0 : gap + room - 1 - extent(next).before;
    };
    const placeStack = (ids: string[], centred: string | undefined, lean: Lean | undefined): { tops: number[]; above: number; below: number } => {
      const tops: number[] = [];
      let y = 0;
      ids.forEach((id, k) => {
        const e = extent(id);
        if (k > 0) y += e.before;
        tops.push(y);
        y += e.size + (k < ids.length - 1 ? e.after + Math.max(gap, dropGap.get(id) ?? 0, anchorGap(ids[k + 1]!)) : 0);
      });
      const anchor = centred === undefined ? -1 : ids.indexOf(centred);
      const shift = anchor >= 0 ? -(tops[anchor]! + extent(ids[anchor]!).size / 2) : lean?.side === 1 ? lean.offset + extent(ids[0]!).before : lean?.side === -1 ? -(y + lean.offset + extent(ids[0]!).after) : -y / 2;
      for (let k = 0; k < tops.length; k++) tops[k]! += shift;
      const mid = (k: number): number => tops[k]! + extent(ids[k]!).size / 2;
      if (anchor >= 0) {
        // Outwards only, taking the nodes further out along, so no gap gets smaller.
        for (let k = anchor + 1; k < ids.length; k++) {
          const want = Math.max(-Infinity, ...(sources.get(ids[k]!) ?? []).map((s) => centreOf.get(s) ?? -Infinity));
          if (want > mid(k)) for (let j = tops.length - 1, d = want - mid(k); j >= k; j--) tops[j]! += d;
        }
        for (let k = anchor - 1; k >= 0; k--) {
          const want = Math.min(Infinity, ...(sources.get(ids[k]!) ?? []).map((s) => centreOf.get(s) ?? Infinity));
          if (want < mid(k)) for (let j = 0, d = want - mid(k); j <= k; j++) tops[j]! += d;
        }
      }
      ids.forEach((id, k) => centreOf.set(id, mid(k)));
      const lastId = ids[ids.length - 1]!;
      return { tops, above: -tops[0]! + extent(ids[0]!).before, below: tops[tops.length - 1]! + extent(lastId).size + extent(lastId).after };
    };
    let reachUp = 0;
    let reachDown = 0;
    const placed = new Map<string[], ReturnType<typeof placeStack>>();
    for (const layer of [...stacks.keys()].sort((a, b) => a - b)) {
      const ids = stacks.get(layer)!;
      const m = placeStack(ids, centred.get(layer), leans.get(layer));
      placed.set(ids, m);
      reachUp = Math.max(reachUp, m.above);
      reachDown = Math.max(reachDown, m.below);
    }
    // Room for the anchors above top handles (see toElk), below the corridor, so that neither
    // pushes the nodes out of their planned places: a node whose top is further down than the
    // stack's reach has some of it already.
    let room = 0;
    for (const [ids, m] of placed) ids.forEach((id, k) => {
      const r = anchors.get(id);
      if (r !== undefined) room = Math.max(room, ANCHOR_ROOM, r - (reachUp + m.tops[k]!));
    });
    at += room;
    const centre = at + pad + reachUp;
    for (const [ids, m] of placed) ids.forEach((id, k) => pos.set(id, centre + m.tops[k]!));
    const deepest = reachUp + reachDown;
    // Below: the innermost (shortest) edge nearest the nodes.
    const down = slots(below);
    below.forEach((e) => corridor.set(e.index, at + pad + deepest + reserve(down.count) - 2 - down.of.get(e)! * METRICS.edgeEdge));
    at += pad + deepest + reserve(down.count) + (slack[i] ?? 0) + pad;
    // A straight handoff from or to the lane before needs the gap between its ends to hold its
    // label and the arrow: where the lanes' paddings leave less, this lane moves on.
    let extra = 0;
    for (const e of handoffsInto[i] ?? []) {
      const [near, far] = laneOf.get(e.edge.from.node) === i ? [e.edge.to.node, e.edge.from.node] : [e.edge.from.node, e.edge.to.node];
      const size = input.sizes.get(near)!;
      const gap = pos.get(far)! - (pos.get(near)! + (horizontal ? size.height : size.width));
      extra = Math.max(extra, handoffGap(e, horizontal) - gap);
    }
    if (extra > 0) {
      extra = Math.ceil(extra);
      for (const id of input.laneNodes[i]!) pos.set(id, pos.get(id)! + extra);
      for (const e of [...above, ...below]) corridor.set(e.index, corridor.get(e.index)! + extra);
      at += extra;
    }
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
function splitPorts(input: ScopeInput, layers: Map<string, number>, plan: AcrossPlan): Map<string, { outFirst: boolean; middle?: 'out' | 'in' }> {
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
  const out = new Map<string, { outFirst: boolean; middle?: 'out' | 'in' }>();
  for (const [key, { outs, ins }] of ends) if (outs.length > 0 && ins.length > 0) out.set(key, { outFirst: mean(outs) <= mean(ins) });
  // A straight handoff keeps the middle of its side (applyLayout draws it from there); only the
  // edges the other way get a port, off to the side where their other ends lie.
  for (const e of input.edges) {
    if (!e.handoff) continue;
    const source = out.get(portId(e.edge.from.node, e.fromSide));
    if (source) source.middle = 'out';
    const target = out.get(portId(e.edge.to.node, e.toSide));
    if (target) target.middle = 'in';
  }
  return out;
}

/** A spread side's ports: each edge end its own, in order along the side (left to right, top to bottom). */
interface SpreadSide {
  ends: { edge: ScopeEdge; out: boolean }[];
  /** Where the middle of the side falls in `ends`: at the end that runs straight across to its other end, if one does. */
  centre: number;
  /** The distance between neighbouring ports. */
  step: number;
}
/** The least distance between spread ports: an arrowhead's height (7 stroke widths of 1.5 px), and a pixel. */
const MIN_SPREAD = 11.5;
/** On a circle the ends further off the middle lie further in, so neighbouring heads are also staggered along the flow and may come a little closer. */
const MIN_SPREAD_CIRCLE = 9.5;
/** The shapes spread ends sit on: a box side, a circle, a diamond. */
export type SpreadShape = 'straight' | 'circle' | 'diamond';
/** The least distance between two spread ends on a side of this shape. */
export const minSpread = (shape: SpreadShape): number => (shape === 'circle' ? MIN_SPREAD_CIRCLE : MIN_SPREAD);
/**
 * How far off the middle of a side `half` long (its half length) a spread end may go: 6 px short
 * of a straight side's corners (the rounding); on a circle within three quarters of the radius, and
 * on a diamond half way to the side's end, where the outline is still near the box side.
 */
export const spreadReach = (shape: SpreadShape, half: number): number => (shape === 'straight' ? half - CORNER_ROOM : shape === 'circle' ? (half * 3) / 4 : half / 2);
/** How far short of a straight side's corners (the rounding) its spread ends stay. */
const CORNER_ROOM = 6;
/** The distance between neighbouring ports on a spread side: an edge spacing, closer on a short side. */
const spreadStep = (c: SpreadCandidate): number => Math.min(METRICS.edgeEdge, spreadReach(c.shape, c.length / 2) / c.reach);
/** Straight handoffs are drawn by applyLayout; ELK routes the other edges. */
const routedEdges = (input: ScopeInput): ScopeEdge[] => input.edges.filter((e) => !e.handoff);
/** The id of an edge end's own port on a spread side. */
const spreadPortId = (key: string, out: boolean, index: number): string => `${key}:${out ? 'o' : 'i'}${index}`;

/**
 * The straight sides where two or more routed edges leave (a fan) or arrive (a merge) get a port per
 * edge end, spread along the side an edge spacing apart: one shared port would make ELK route them
 * as one hyperedge, a trunk the reader cannot follow to the end it wants. Each end goes where its
 * other end lies: ordered along the side by the angle under which the side sees it, so that the
 * edge that turns off first sits on the side it turns to, and the routes do not cross near the
 * node. A Catch bundle arrives as one edge (its leader's). A side that holds a straight handoff
 * keeps splitPorts' two ports (the handoff keeps the middle). On a circle or a diamond a port off
 * the centre lies beside the outline; applyLayout's endsOntoOutline runs each end on to it. Only the
 * sides the flow enters and leaves by are spread.
 */
function spreadPorts(input: ScopeInput, routed: ScopeEdge[], layers: Map<string, number>, plan: AcrossPlan): Map<string, SpreadSide> {
  const out = new Map<string, SpreadSide>();
  for (const c of spreadCandidates(input, routed, layers, plan)) {
    // A marker dot (a branch's end) is smaller than the arrowheads: they meet at its middle, as into a final state.
    if (c.shape !== 'straight' && c.length < 3 * MIN_SPREAD) continue;
    const step = spreadStep(c);
    // Closer than an arrowhead is tall, the heads would run into each other: the side keeps one port.
    if (step < minSpread(c.shape)) continue;
    out.set(c.key, { ends: c.ends, centre: c.centre, step });
  }
  return out;
}

/** A side where two or more routed edge ends would get ports of their own, before its length is checked. */
interface SpreadCandidate {
  key: string;
  node: string;
  side: Side;
  ends: SpreadSide['ends'];
  centre: number;
  /** The most ports on one side of the centre. */
  reach: number;
  /** The side's length. */
  length: number;
  shape: SpreadShape;
}

/**
 * How long the box sides that hold more ends than fit an edge spacing apart must grow: a straight
 * step keeps the middle of its side, and two or more ends from below would otherwise be drawn into
 * one point and merge before the node. Keyed by node; only `boxes` (rectangles and taskboxes: not
 * containers, circles or diamonds) grow, and only the sides spreadPorts would spread. The caller enlarges the sizes and plans again.
 */
export function portRoom(input: ScopeInput, layers: Map<string, number>, plan: AcrossPlan, boxes: Set<string>): Map<string, { width: number; height: number }> {
  const out = new Map<string, { width: number; height: number }>();
  for (const c of spreadCandidates(input, routedEdges(input), layers, plan)) {
    if (!boxes.has(c.node) || spreadStep(c) >= MIN_SPREAD) continue;
    // Short of each corner, an edge spacing per port on the fuller half.
    const need = 2 * (CORNER_ROOM + c.reach * METRICS.edgeEdge);
    const size = out.get(c.node) ?? { ...input.sizes.get(c.node)! };
    if (c.side === 'left' || c.side === 'right') size.height = Math.max(size.height, need);
    else size.width = Math.max(size.width, need);
    out.set(c.node, size);
  }
  return out;
}

/** The fan and merge sides of spreadPorts, their ends in order along the side (see there). */
function spreadCandidates(input: ScopeInput, routed: ScopeEdge[], layers: Map<string, number>, plan: AcrossPlan): SpreadCandidate[] {
  const horizontal = input.direction === 'right';
  const ends = new Map<string, SpreadSide['ends']>();
  const note = (node: string, side: Side, edge: ScopeEdge, out: boolean): void => {
    // Without the shapes (a caller that gives none) nothing is spread.
    if (!input.straightSides) return;
    const key = portId(node, side);
    (ends.get(key) ?? ends.set(key, []).get(key)!).push({ edge, out });
  };
  for (const e of routed) {
    if (e.edge.from.node === e.edge.to.node) continue;
    note(e.edge.from.node, e.fromSide, e, true);
    // A bundle member runs to its leader's label; only the leader arrives at the handle.
    if (e.bundle === undefined || e.bundle === e.index) note(e.edge.to.node, e.toSide, e, false);
  }
  const handoffSides = new Set(input.edges.filter((e) => e.handoff).flatMap((e) => [portId(e.edge.from.node, e.fromSide), portId(e.edge.to.node, e.toSide)]));
  // Where a node sits on screen, roughly: a layer counts as LAYER_PX along the flow.
  const LAYER_PX = 160;
  const at = (id: string): { x: number; y: number } => {
    const along = (layers.get(id) ?? 0) * LAYER_PX;
    const size = input.sizes.get(id);
    // plan.pos is the node's near side across the flow; its centre is what the side sees.
    const across = (plan.pos.get(id) ?? 0) + (size ? (horizontal ? size.height : size.width) / 2 : 0);
    return horizontal ? { x: along, y: across } : { x: across, y: along };
  };
  // Only the sides the flow enters and leaves by: on the others ELK gives each port a dummy node of its own, which moves the node off its line.
  const flowSides: Side[] = horizontal ? ['left', 'right'] : ['top', 'bottom'];
  type End = SpreadSide['ends'][number];
  const otherEnd = (x: End): { id: string; side: Side } => (x.out ? { id: x.edge.edge.to.node, side: x.edge.toSide } : { id: x.edge.edge.from.node, side: x.edge.fromSide });
  const out: SpreadCandidate[] = [];
  for (const [key, side] of ends) {
    const outs = side.filter((x) => x.out).length;
    const [node, sideName] = [key.slice(0, key.lastIndexOf(':')), key.slice(key.lastIndexOf(':') + 1) as Side];
    if (Math.max(outs, side.length - outs) < 2 || handoffSides.has(key) || !flowSides.includes(sideName)) continue;
    const { n, t } = sideAxes(sideName);
    const here = at(node);
    const angle = (x: End): number => {
      // The other end's route starts out of its handle: seen from there, a little way out, an edge
      // from the bottom of a node on this row comes from below.
      const other = otherEnd(x);
      const size = input.sizes.get(other.id) ?? { width: 0, height: 0 };
      const m = sideAxes(other.side).n;
      const centre = at(other.id);
      // Only across the flow: along it, where the other node ends is not known before ELK (layers are LAYER_PX apart here, however wide).
      const acrossFlow = horizontal ? m.x === 0 : m.y === 0;
      const reach = acrossFlow ? (m.x === 0 ? size.height : size.width) / 2 + 2 * METRICS.edgeNode : 0;
      const v = { x: centre.x + m.x * reach - here.x, y: centre.y + m.y * reach - here.y };
      // 0 straight along the side, π/2 straight out of it, π along it the other way; behind the side, past either end.
      const a = Math.atan2(v.x * n.x + v.y * n.y, v.x * t.x + v.y * t.y);
      return a < -Math.PI / 2 ? a + 2 * Math.PI : a;
    };
    // Along the flow, how many layers away the other end is: of two ends under one angle, the nearer
    // one comes first, the farther one (which has to go round whatever lies between) after it.
    const distance = (x: End): number => Math.abs((layers.get(otherEnd(x).id) ?? 0) - (layers.get(node) ?? 0));
    const keyed = side.map((x) => ({ x, a: angle(x), d: distance(x) }));
    keyed.sort((p, q) => (Math.abs(q.a - p.a) > 1e-9 ? q.a - p.a : 0) || p.d - q.d || p.x.edge.index - q.x.edge.index || Number(p.x.out) - Number(q.x.out));
    // An edge whose other end faces this side on the same line runs straight: it keeps the middle.
    const straight = keyed.findIndex(({ x }) => {
      const other = otherEnd(x);
      const m = sideAxes(other.side).n;
      const there = at(other.id);
      return m.x === -n.x && m.y === -n.y && Math.abs(n.x === 0 ? there.x - here.x : there.y - here.y) < 1;
    });
    const size = input.sizes.get(node)!;
    const centre = straight >= 0 ? straight : (keyed.length - 1) / 2;
    // An edge spacing apart, closer on a short side (applyLayout's endsOntoOutline takes an end on a
    // circle or a diamond on to the outline).
    const length = n.x === 0 ? size.width : size.height;
    const shape: SpreadShape = input.straightSides?.has(node) ? 'straight' : input.circles?.has(node) ? 'circle' : 'diamond';
    out.push({ key, node, side: sideName, ends: keyed.map((k) => k.x), centre, reach: Math.max(centre, keyed.length - 1 - centre), length, shape });
  }
  return out;
}

export function toElk(input: ScopeInput, layers: Map<string, number>, plan: AcrossPlan): ElkNode {
  const { direction } = input;
  const horizontal = direction === 'right';
  const stride = METRICS.layerStride;
  const children: ElkNode[] = [];
  const usedSides = new Map<string, Set<Side>>();
  // Straight handoffs are drawn by applyLayout; ELK would move their targets a layer on.
  const routed = routedEdges(input);
  for (const e of routed) {
    (usedSides.get(e.edge.from.node) ?? usedSides.set(e.edge.from.node, new Set()).get(e.edge.from.node)!).add(e.fromSide);
    (usedSides.get(e.edge.to.node) ?? usedSides.set(e.edge.to.node, new Set()).get(e.edge.to.node)!).add(e.toSide);
  }
  const ports = splitPorts(input, layers, plan);
  const spread = spreadPorts(input, routed, layers, plan);
  const anchors = anchorRooms(input);
  const handoffEnds = new Set(input.edges.filter((e) => e.handoff).flatMap((e) => [e.edge.from.node, e.edge.to.node]));
  // The label of the straight handoff at each of its two ports.
  const handoffLabelAt = new Map<string, TextBlock>();
  for (const e of input.edges) {
    if (!e.handoff || !e.label) continue;
    handoffLabelAt.set(portId(e.edge.from.node, e.fromSide), e.label);
    handoffLabelAt.set(portId(e.edge.to.node, e.toSide), e.label);
  }
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
        const spreadSide = spread.get(portId(id, side));
        if (spreadSide) {
          const along = side === 'top' || side === 'bottom';
          spreadSide.ends.forEach((end, i) => {
            const d = (i - spreadSide.centre) * spreadSide.step;
            nodePorts.push({ id: spreadPortId(portId(id, side), end.out, end.edge.index), x: along ? x + d : x, y: along ? y : y + d, width: 0, height: 0, layoutOptions: { 'elk.port.side': ELK_SIDE[side] } });
          });
          continue;
        }
        const split = ports.get(portId(id, side));
        if (!split) {
          nodePorts.push({ id: portId(id, side), x, y, width: 0, height: 0, layoutOptions: { 'elk.port.side': ELK_SIDE[side] } });
          continue;
        }
        // In and out apart, by up to one edge spacing either side of the centre.
        const along = side === 'top' || side === 'bottom';
        const length = along ? size.width : size.height;
        let d = Math.min(METRICS.edgeEdge, length / 6);
        // Beside a labelled straight handoff, the other port clears the label centred on the line
        // (when the side is long enough): a route into it would otherwise run under the label.
        const label = split.middle ? handoffLabelAt.get(portId(id, side)) : undefined;
        if (label) {
          // 4 px of air past the label; at least 6 px short of the corner (the rounding).
          const box = labelBoxSize(label);
          const half = (along ? box.width : box.height) / 2 + 4;
          if (half <= length / 2 - 6) d = Math.max(d, half);
        }
        for (const [end, sign] of [['out', split.outFirst ? -1 : 1], ['in', split.outFirst ? 1 : -1]] as const) {
          if (end === split.middle) continue;
          nodePorts.push({ id: `${portId(id, side)}:${end}`, x: along ? x + sign * d : x, y: along ? y : y + sign * d, width: 0, height: 0, layoutOptions: { 'elk.port.side': ELK_SIDE[side] } });
        }
      }
      const across = plan.pos.get(id)!;
      const at = horizontal ? { x: l * stride, y: across } : { x: across, y: l * stride };
      preset.set(id, { x: at.x + size.width / 2, y: at.y + size.height / 2 });
      const layoutOptions: Record<string, string> = { 'elk.portConstraints': 'FIXED_POS' };
      // ELK aligns a node in its layer by its share of outgoing ports (AUTOMATIC); the two ends of a
      // straight handoff are centred, so that the line between them is straight whatever their widths.
      if (handoffEnds.has(id)) layoutOptions['elk.alignment'] = 'CENTER';
      const m = input.margins?.get(id);
      if (m) layoutOptions['elk.margins'] = `[top=${m.top},left=${m.left},bottom=${m.bottom},right=${m.right}]`;
      children.push({ id, width: size.width, height: size.height, ...at, ports: nodePorts, layoutOptions });
      // ELK routes an edge into a top handle (a left one in direction down: the side across the
      // flow that comes first) through a dummy node that its interactive placer
      // puts right after whatever precedes the node in its layer, or at the very top of the
      // picture when nothing does: the edge then climbs over every lane above to come back down.
      // A tiny anchor just above the handle (two spacings up, so the node is not pushed) keeps
      // that dummy, and the edge, next to the node.
      const room = anchors.get(id);
      if (room !== undefined) {
        const y = across - room + 1;
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
    const { downstream, upstream } = alongSides(input.direction);
    const inLine = Math.abs(horizontal ? a.y - b.y : a.x - b.x) < 1;
    const key = portId(e.edge.to.node, e.toSide);
    if (e.fromSide === downstream && e.toSide === upstream && inLine && alongOf(e.edge.from.node) < alongOf(e.edge.to.node) && !straightInto.has(key)) straightInto.set(key, e.index);
  }
  // A bundle's leader makes the shared label node, so its members come after it.
  const bundleLabel = new Map<number, { id: string; mid: { x: number; y: number } }>();
  // Label nodes placed on the line of one of their ends (the route runs through them straight into
  // or out of the handle): holdLabelLines keeps them there.
  const labelsOnLine = new Set<string>();
  const corridorSeat = new Map<string, number>();
  const ordered = [...routed].sort((x, y) => Number(x.bundle !== undefined && x.bundle !== x.index) - Number(y.bundle !== undefined && y.bundle !== y.index));
  for (const e of ordered) {
    const portFor = (key: string, out: boolean): string =>
      spread.get(key)?.ends.some((x) => x.edge === e && x.out === out) ? spreadPortId(key, out, e.index) : ports.has(key) ? `${key}:${out ? 'out' : 'in'}` : key;
    const source = portFor(portId(e.edge.from.node, e.fromSide), true);
    const target = portFor(portId(e.edge.to.node, e.toSide), false);
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
    const a = preset.get(e.edge.from.node)!;
    const b = preset.get(e.edge.to.node)!;
    const { width: w, height: h } = labelBoxSize(e.label);
    // A forward edge into the target's downstream side (a Catch into a Fail state's right handle)
    // passes the target on a line beside it, turns and comes back into the handle: its label goes
    // on that line, so the route runs through it on the way (3 bends). Halfway across, the route
    // climbed to the label, ran round the target and back (7 bends in lottery-zh).
    const roundLabel = lane === undefined && lt > ls && e.toSide === alongSides(input.direction).downstream;
    // The line it passes the target on: just beyond the side it leaves its source by (below, for
    // a bottom handle).
    const roundLine = !roundLabel ? 0 : e.fromSide === acrossSides(input.direction).before ? plan.pos.get(e.edge.to.node)! - METRICS.edgeNode : beside(e.edge.to.node);
    // A bundle's label sits just before its target, where all the members have arrived.
    let layer = e.bundle !== undefined ? lt - 1 : Math.floor((ls + lt) / 2);
    if (layer % 2 === 0) layer += lt >= ls ? -1 : 1;
    if (layer < 0) layer = 1;
    const forward = lt >= ls;
    let across = lane !== undefined ? lane - (horizontal ? h : w) / 2 : horizontal ? (a.y + b.y) / 2 - h / 2 : (a.x + b.x) / 2 - w / 2;
    if (roundLabel || (e.bundle !== undefined && e.toSide === alongSides(input.direction).upstream)) labelsOnLine.add(labelNodeId(e.index));
    // A bundle in a corridor whose label cannot stay on its target's line goes on the corridor's.
    if (lane !== undefined && e.bundle !== undefined) corridorSeat.set(labelNodeId(e.index), lane - (horizontal ? h : w) / 2);
    if (roundLabel) across = roundLine - (horizontal ? h : w) / 2;
    else if (e.bundle !== undefined) across = bundleAcross(e.toSide, b, input.sizes.get(e.edge.to.node)!, { w, h }, horizontal) ?? across;
    else if (lane === undefined && forward) {
      // On the line of an end whose handle faces along the flow, the label costs no bends: a
      // Choice's bottom -> left branch drops, turns and runs through its label into the target,
      // instead of climbing back to a label halfway between the two.
      const { upstream, downstream } = alongSides(input.direction);
      const depth = horizontal ? h : w;
      // The target's line is taken when another edge already runs straight along it into the same
      // handle: the label would sit on that edge and push it into a detour.
      const taken = straightInto.get(portId(e.edge.to.node, e.toSide));
      if (e.toSide === upstream && (taken === undefined || taken === e.index)) {
        across = (horizontal ? b.y : b.x) - depth / 2;
        labelsOnLine.add(labelNodeId(e.index));
      } else if (e.fromSide === downstream) {
        across = (horizontal ? a.y : a.x) - depth / 2;
        labelsOnLine.add(labelNodeId(e.index));
      } else if (Math.abs(horizontal ? a.y - b.y : a.x - b.x) < 1 && (straightInto.get(portId(e.edge.to.node, upstream)) ?? e.index) !== e.index) {
        // Both ends on one line that a straight step between them takes (a Catch beside the
        // state's Next, into the same state): halfway would be on that step. The label goes
        // beside the target on the side this edge enters, as a Catch bundle's does.
        across = bundleAcross(e.toSide, b, input.sizes.get(e.edge.to.node)!, { w, h }, horizontal) ?? across;
      }
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
    // Round the target, the hint runs on its line from the source on (leaving across the flow, the
    // route turns onto it at once), and past the target: dummies left to drift between the ends
    // push the labels before the target off their lines.
    const fromAcross = e.fromSide !== alongSides(input.direction).downstream && e.fromSide !== alongSides(input.direction).upstream;
    const roundStart = fromAcross ? [point(alongOf(e.edge.from.node), roundLine)] : startHint;
    const s1 = hint(first.id, a, mid, lane !== undefined ? [point(alongOf(e.edge.from.node), lane)] : roundLabel ? roundStart : startHint);
    const s2 = hint(second.id, mid, b, lane !== undefined ? [point(alongOf(e.edge.to.node), lane)] : roundLabel ? [point(alongOf(e.edge.to.node), roundLine)] : endHint);
    if (s1) first.sections = s1;
    if (s2) second.sections = s2;
    edges.push(first, second);
  }
  holdLabelLines(children, labelsOnLine, corridorSeat, horizontal);
  return { id: 'root', layoutOptions: elkOptions(direction), children, edges };
}

/**
 * ELK's interactive placer resolves overlaps in a layer by pushing nodes on in order across the
 * flow, so a label planned less than a node spacing after another moves off its line: a Catch
 * bundle's label beside a Fail circle, 1.5 px below the circle's centre, put a 1.5 px step into
 * the route just before the arrow. Here a label held on the line of one of its ends stays, and
 * its neighbours in the layer move away from it instead, as far as ELK would have moved it.
 */
function holdLabelLines(children: ElkNode[], held: Set<string>, fallback: Map<string, number>, horizontal: boolean): void {
  const onLine = new Set(held);
  if (onLine.size === 0) return;
  const layers = new Map<number, ElkNode[]>();
  for (const c of children) {
    if (!c.id.startsWith(LABEL_NODE)) continue;
    const along = horizontal ? c.x! : c.y!;
    (layers.get(along) ?? layers.set(along, []).get(along)!).push(c);
  }
  const start = (c: ElkNode): number => (horizontal ? c.y! : c.x!);
  const depth = (c: ElkNode): number => (horizontal ? c.height! : c.width!);
  const move = (c: ElkNode, d: number): void => {
    if (horizontal) c.y! += d;
    else c.x! += d;
  };
  for (const list of layers.values()) {
    if (!list.some((c) => onLine.has(c.id))) continue;
    list.sort((a, b) => start(a) - start(b));
    // Only where ELK would move the held label by less than MIN_JOG, the step it would leave: a
    // neighbour moved further goes places its own route did not plan (across the main line, say).
    const gapAfter = (k: number): number => start(list[k + 1]!) - start(list[k]!) - depth(list[k]!) - METRICS.nodeNode;
    // A held label that ELK would move further, and that has a corridor to run on, goes there: the
    // route then runs down the corridor through it and turns once to its target (lottery, direction
    // down: a bundle's label 64 px off its target's line put a Z of 5 bends into its route).
    let refiled = false;
    list.forEach((c, k) => {
      const seat = fallback.get(c.id);
      if (!onLine.has(c.id) || seat === undefined) return;
      if ((k > 0 && -gapAfter(k - 1) >= MIN_JOG) || (k < list.length - 1 && -gapAfter(k) >= MIN_JOG)) {
        move(c, seat - start(c));
        onLine.delete(c.id);
        refiled = true;
      }
    });
    if (refiled) list.sort((a, b) => start(a) - start(b));
    list.forEach((label, k) => {
      if (!onLine.has(label.id)) return;
      if (k > 0 && -gapAfter(k - 1) < MIN_JOG) {
        for (let j = k - 1; j >= 0 && !onLine.has(list[j]!.id) && gapAfter(j) < 0; j--) move(list[j]!, gapAfter(j));
      }
      if (k < list.length - 1 && -gapAfter(k) < MIN_JOG) {
        for (let j = k + 1; j < list.length && !onLine.has(list[j]!.id) && gapAfter(j - 1) < 0; j++) move(list[j]!, -gapAfter(j - 1));
      }
    });
  }
}
