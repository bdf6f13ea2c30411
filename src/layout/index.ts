// The layout stage: Diagram -> LaidOutDiagram, through ELK (transform in to-elk.ts, ELK's layered
// algorithm, apply in apply-layout.ts). Pure: no I/O; ELK runs synchronously in this thread (elk.ts).
// Input: a Diagram from src/model and LayoutOptions. Output: absolute coordinates for every lane,
// node, edge, label and loop, deterministic for a given input.
// Containers (Parallel/Map nodes with a block) are laid out inside out: their nested lanes form a
// scope of their own whose size becomes the container node's size in the enclosing scope.
import type { DiagramNode, Diagram, Lane } from '../model/types.js';
import { DiagramIndex } from '../model/query.js';
import { applyLayout, boxesOverlap as overlaps, laneBorders, moveEdge, moveNode } from './apply-layout.js';
import type { Scope } from './apply-layout.js';
import { defaultFonts } from './fonts.js';
import { MARKER_SIZE, branchMarker, circleSizes, loadFontsFor, edgeKind, edgeText, measureNode, measureText, nodeKind, normalShape, retryInfo, stateType } from './measure.js';
import type { MeasuredNode } from './measure.js';
import { METRICS } from './options.js';
import type { LayoutOptions } from './options.js';
import { runElk } from './elk.js';
import { asSide, handoffShortfall, layerScope, portRoom, screenSide, presetAcross, toElk } from './to-elk.js';
import type { Margins, ScopeEdge, ScopeInput } from './to-elk.js';
import type { Box, EdgeKind, LaidOutDiagram, Point, LaidOutEdge, LaidOutLane, LaidOutLoop, LaidOutNode, LayoutDirection, TextBlock } from './types.js';

export type * from './types.js';
export type { LayoutOptions } from './options.js';
export { runElk, elkRuns } from './elk.js';
export { defaultFonts, textWidth, wrapText, lineHeight } from './fonts.js';
export { layoutLimit, MAX_LAYOUT_NODES, MAX_LAYOUT_EDGES } from './limit.js';
export type { Font } from './fonts.js';

/** Lays out a whole diagram. Never throws for a well-typed Diagram, however broken its content. */
export async function layout(diagram: Diagram, options: LayoutOptions = {}): Promise<LaidOutDiagram> {
  const direction: LayoutDirection = options.direction === 'down' ? 'down' : 'right';
  await loadFontsFor(diagram);
  const index = new DiagramIndex(diagram);
  const ctx = new Context(index, direction);
  const top = index.topLanes();
  const scope = await ctx.layoutScope(top, new Set());
  const nodesById = new Map<string, LaidOutNode>();
  for (const n of ctx.allNodes) nodesById.set(n.id, n);
  const loops = layoutLoops(diagram, ctx.reaches, nodesById, ctx.allEdges);
  // Loops may reach past the lanes' edge: grow the picture (never shrink it) to hold them.
  let width = scope.width;
  let height = scope.height;
  for (const l of loops) {
    width = Math.max(width, l.box.x + l.box.width + 4);
    height = Math.max(height, l.box.y + l.box.height + 4);
  }
  const order = new Map(diagram.nodes.map((n, i) => [n.id, i]));
  const laneOrder = new Map(diagram.lanes.map((l, i) => [l.id, i]));
  const lanes = [...ctx.allLanes].sort((a, b) => (a.parent === undefined ? 0 : 1) - (b.parent === undefined ? 0 : 1) || laneOrder.get(a.id)! - laneOrder.get(b.id)!);
  const nodes = [...ctx.allNodes].sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  const edges = [...ctx.allEdges].sort((a, b) => a.index - b.index);
  return {
    direction,
    width: Math.ceil(width),
    height: Math.ceil(height),
    fontFamily: defaultFonts().regular.family,
    lanes,
    nodes,
    edges,
    loops,
    ...describe(diagram, index),
  };
}

class Context {
  readonly allNodes: LaidOutNode[] = [];
  readonly allLanes: LaidOutLane[] = [];
  readonly allEdges: LaidOutEdge[] = [];
  /** How far each loop's frame reaches beyond its nodes (the same numbers reserve and draw it). */
  readonly reaches: LoopReach[];
  /** One diameter for the circles of the diagram where their labels allow (measure.ts). */
  readonly circles: Map<string, number>;
  /** The branches' start and end markers (measure.ts, branchMarker). */
  readonly markers = new Map<string, 'start' | 'end'>();

  constructor(
    readonly index: DiagramIndex,
    readonly direction: LayoutDirection,
  ) {
    this.reaches = loopReaches(index.diagram);
    for (const node of index.diagram.nodes) {
      const marker = branchMarker(node, index.lane(node.lane)?.parent !== undefined, index.in(node.id).length > 0, index.out(node.id).length > 0);
      if (marker) this.markers.set(node.id, marker);
    }
    this.circles = circleSizes(index.diagram.nodes, new Set(this.markers.keys()));
  }

  /** Lays out lanes stacked as one scope; `visiting` guards against a block that contains itself. */
  async layoutScope(lanes: Lane[], visiting: Set<string>): Promise<Scope> {
    const { index, direction } = this;
    const laneNodes = lanes.map((l) => l.nodes.filter((id, i, all) => index.node(id)?.lane === l.id && all.indexOf(id) === i));
    const inScope = new Set(laneNodes.flat());
    const sizes = new Map<string, { width: number; height: number }>();
    const measured = new Map<string, MeasuredNode>();
    const children = new Map<string, { scope: Scope; label: TextBlock; header: number }>();
    for (const id of inScope) {
      const node = index.node(id)!;
      const nested = node.block && !visiting.has(id) ? index.nestedLanes(id).filter((l) => l.parent === id) : [];
      if (nested.length > 0) {
        const inner = await this.layoutScope(nested, new Set([...visiting, id]));
        const label = measureText(containerTitle(node), METRICS.fontSize, 600, Math.max(METRICS.wrap.rectangle, inner.width - 2 * METRICS.padding.x));
        const header = Math.max(METRICS.containerHeader, label.height + 10);
        const p = METRICS.containerPadding;
        sizes.set(id, { width: Math.ceil(Math.max(inner.width, label.width + 2 * METRICS.padding.x) + 2 * p), height: Math.ceil(inner.height + header + 2 * p) });
        children.set(id, { scope: inner, label, header });
      } else {
        const m = measureNode(node);
        const d = this.circles.get(id);
        if (d !== undefined && d > m.width) m.width = m.height = d;
        if (this.markers.has(id)) m.width = m.height = MARKER_SIZE;
        measured.set(id, m);
        sizes.set(id, { width: m.width, height: m.height });
      }
    }
    const edges: ScopeEdge[] = [];
    const kindOf = new Map<number, EdgeKind>();
    index.diagram.edges.forEach((edge, i) => {
      if (!inScope.has(edge.from.node) || !inScope.has(edge.to.node)) return;
      const kind = edgeKind(edge);
      kindOf.set(i, kind);
      const text = edgeText(edge, kind);
      const e: ScopeEdge = { index: i, edge, fromSide: screenSide(asSide(edge.from.handle, 'right'), direction), toSide: screenSide(asSide(edge.to.handle, 'left'), direction) };
      if (text !== undefined) {
        const t = measureText(text, METRICS.smallFontSize, 400, METRICS.wrap.edge);
        if (t.lines.length > 0) e.label = t;
      }
      edges.push(e);
    });
    const straightSides = new Set([...inScope].filter((id) => children.has(id) || ['rectangle', 'taskbox'].includes(normalShape(index.node(id)!.shape))));
    const circles = new Set([...inScope].filter((id) => !children.has(id) && normalShape(index.node(id)!.shape) === 'circle'));
    const input: ScopeInput = { lanes, laneNodes, sizes, edges, direction, straightSides, circles };
    // Straight handoffs are chosen with the layers. A handoff's handles carry no other edge, except
    // a Catch merge's target handle: one member drops straight in, and bundleCatches bundles the rest.
    const layers = layerScope(input);
    bundleCatches(edges, layers, kindOf);
    input.margins = loopMargins(index.diagram, this.reaches, inScope, sizes, layers, direction);
    const edgeByIndex = new Map(edges.map((e) => [e.index, e]));
    // Plan the bands, let ELK place and route, and deepen any band a push overflowed (see to-elk.ts).
    const slack = lanes.map(() => 0);
    let plan = presetAcross(input, layers, slack);
    // A box side too short for its ends an edge spacing apart grows (see portRoom), and the bands are planned again.
    const grown = portRoom(input, layers, plan, new Set([...measured.keys()].filter((id) => straightSides.has(id))));
    if (grown.size > 0) {
      for (const [id, size] of grown) sizes.set(id, size);
      input.margins = loopMargins(index.diagram, this.reaches, inScope, sizes, layers, direction);
      plan = presetAcross(input, layers, slack);
    }
    let result = runElk(toElk(input, layers, plan));
    let cut = laneBorders(result, input, plan);
    // A band too small for a pushed node, or a handoff's gap too small for its label (see to-elk.ts).
    let short = handoffShortfall(result, input);
    for (let round = 0; round < MAX_ROUNDS && (cut.overflow.some((o) => o > 0) || short.some((o) => o > 0.5)); round++) {
      cut.overflow.forEach((o, i) => (slack[i]! += o > 0 ? Math.ceil(o) + METRICS.nodeNode : 0));
      short.forEach((o, i) => (slack[i]! += o > 0.5 && !(cut.overflow[i]! > 0) ? Math.ceil(o) : 0));
      plan = presetAcross(input, layers, slack);
      result = runElk(toElk(input, layers, plan));
      cut = laneBorders(result, input, plan);
      short = handoffShortfall(result, input);
    }
    const laneLabels = lanes.map((l) => measureText(l.label ?? l.id, METRICS.headerFontSize, 600, METRICS.wrap.header));
    const scope = applyLayout(result, input, cut.borders, {
      laneLabels,
      makeNode: (id, box) => {
        const node = index.node(id)!;
        const child = children.get(id);
        const kind = nodeKind(node, index.in(id).length > 0, index.out(id).length > 0);
        const n: LaidOutNode = {
          id,
          shape: normalShape(node.shape),
          kind: child ? 'container' : kind === 'container' ? 'state' : kind,
          lane: node.lane,
          box,
          label: child ? child.label : measured.get(id)!.label,
          labelCenter: child ? { x: box.x + box.width / 2, y: box.y + METRICS.containerPadding / 2 + child.header / 2 } : { x: box.x + box.width / 2, y: box.y + box.height / 2 },
          rows: (measured.get(id)?.rows ?? []).map((r) => ({ role: r.role, text: r.text, box: { x: box.x, y: box.y + r.y, width: box.width, height: r.height } })),
        };
        const type = stateType(node);
        if (type !== undefined) n.type = type;
        const retry = retryInfo(node);
        if (retry) n.retry = retry;
        if (child) n.lanes = child.scope.lanes.map((l) => l.id);
        const marker = this.markers.get(id);
        if (marker) n.marker = marker;
        return n;
      },
      makeEdge: (i, points, labelBox) => {
        const edge = index.diagram.edges[i]!;
        const se = edgeByIndex.get(i)!;
        const e: LaidOutEdge = {
          index: i,
          from: edge.from.node,
          to: edge.to.node,
          fromHandle: se.fromSide,
          toHandle: se.toSide,
          kind: edgeKind(edge),
          points,
        };
        if (labelBox && se.label) e.label = { text: se.label, box: labelBox };
        return e;
      },
    });
    // Place each container's inner scope inside its node, below the header strip.
    for (const n of scope.nodes) {
      const child = children.get(n.id);
      if (!child) continue;
      const p = METRICS.containerPadding;
      const dx = n.box.x + p + (n.box.width - 2 * p - child.scope.width) / 2;
      const dy = n.box.y + p + child.header;
      translateScope(child.scope, dx, dy);
    }
    scope.children = [...children.values()].map((c) => c.scope);
    this.allNodes.push(...scope.nodes);
    this.allLanes.push(...scope.lanes);
    this.allEdges.push(...scope.edges);
    // Nested scopes pushed their own elements when they were laid out; they were translated in place.
    return scope;
  }
}

/**
 * Catch edges into the same handle of one node (the error paths of several states to one Fail
 * state, say) are drawn as one bundle: they share one label, which lists their error names once
 * each, and the run from that label to the target. The first of them leads the bundle (carries the
 * label); only edges that go forward (to a later layer) join, so the label can sit in the
 * layer just before the target, where every member arrives from behind.
 */
function bundleCatches(edges: ScopeEdge[], layers: Map<string, number>, kindOf: Map<number, EdgeKind>): void {
  const groups = new Map<string, ScopeEdge[]>();
  // A member drawn as a straight handoff (layerScope: it drops into the target, the others join it)
  // is no ELK edge: it takes no part in the bundle, and its error names go on the bundle's label.
  const straight = new Map<string, ScopeEdge>();
  for (const e of edges) {
    if (kindOf.get(e.index) !== 'catch' || e.edge.from.node === e.edge.to.node) continue;
    const key = `${e.edge.to.node}\u0000${e.toSide}`;
    if (e.handoff) {
      straight.set(key, e);
      continue;
    }
    if ((layers.get(e.edge.from.node) ?? 0) >= (layers.get(e.edge.to.node) ?? 0)) continue;
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(e);
  }
  for (const [key, members] of groups) {
    const drop = straight.get(key);
    if (members.length < (drop ? 1 : 2)) continue;
    const leader = members[0]!;
    const names: string[] = [];
    for (const m of drop ? [drop, ...members] : members) for (const name of (edgeText(m.edge, 'catch') ?? '').split(/,\s*/)) if (name && !names.includes(name)) names.push(name);
    const label = measureText(names.join(', '), METRICS.smallFontSize, 400, METRICS.wrap.edge);
    // The members meet at the leader's label node: no label, no bundle.
    if (label.lines.length === 0) continue;
    for (const m of members) {
      m.bundle = leader.index;
      m.label = undefined;
    }
    if (drop) drop.label = undefined;
    leader.label = label;
  }
}

/** How many times a scope is laid out again with deeper bands before its borders are taken as they are. */
const MAX_ROUNDS = 4;

/** Moves a scope, and every scope nested in its containers, by (dx, dy). */
function translateScope(scope: Scope, dx: number, dy: number): void {
  const moved = new Set<Scope>();
  const go = (s: Scope): void => {
    if (moved.has(s)) return;
    moved.add(s);
    for (const l of s.lanes) {
      l.box.x += dx;
      l.box.y += dy;
      l.header.x += dx;
      l.header.y += dy;
    }
    for (const n of s.nodes) moveNode(n, dx, dy);
    for (const e of s.edges) moveEdge(e, dx, dy);
    for (const c of s.children ?? []) go(c);
  };
  go(scope);
}

function containerTitle(node: DiagramNode): string {
  const type = stateType(node);
  const name = node.label ?? node.id;
  return type ? `${name}  ·  ${type}` : name;
}

/** How far a loop's frame reaches beyond its nodes: across the top (tab included) and on the other sides. */
interface LoopReach {
  top: number;
  side: number;
  tab: { text: TextBlock; width: number; height: number };
}

/**
 * Loops that share nodes nest: the one with fewer nodes (then the earlier one) is inner, and an
 * outer frame reaches past the inner frames' reach, so frames and tabs never coincide.
 */
function loopReaches(diagram: Diagram): LoopReach[] {
  const m = METRICS.loopMargin;
  const reach: LoopReach[] = diagram.loops.map((l) => ({ top: 0, side: 0, tab: loopTab(l.text) }));
  const members = diagram.loops.map((l) => new Set(l.nodes));
  const order = diagram.loops.map((_, i) => i).sort((a, b) => members[a]!.size - members[b]!.size || a - b);
  order.forEach((i, k) => {
    let top = 0;
    let side = 0;
    for (const j of order.slice(0, k)) {
      if (![...members[j]!].some((id) => members[i]!.has(id))) continue;
      top = Math.max(top, reach[j]!.top);
      side = Math.max(side, reach[j]!.side);
    }
    reach[i]!.top = top + m + reach[i]!.tab.height;
    reach[i]!.side = side + m;
  });
  return reach;
}

/**
 * Room for the loop frames, reserved as ELK node margins so that ELK keeps every other node, label
 * and route out of it: each member keeps its loops' reach on every side; the members in a loop's
 * first layer also keep the tab's width, so the tab lies inside their layer. (layoutLoops draws
 * the frames from the same reaches.)
 */
function loopMargins(diagram: Diagram, reaches: LoopReach[], inScope: Set<string>, sizes: Map<string, { width: number; height: number }>, layers: Map<string, number>, direction: LayoutDirection): Map<string, Margins> {
  const out = new Map<string, Margins>();
  diagram.loops.forEach((loop, i) => {
    const members = loop.nodes.filter((id) => inScope.has(id));
    if (members.length === 0) return;
    const { top, side, tab } = reaches[i]!;
    const first = Math.min(...members.map((id) => layers.get(id) ?? 0));
    for (const id of members) {
      const size = sizes.get(id)!;
      const prev = out.get(id) ?? { top: 0, right: 0, bottom: 0, left: 0 };
      // The tab runs right from the frame's left edge; in direction down that is across the flow.
      const right = (layers.get(id) ?? 0) === first || direction === 'down' ? Math.max(side, tab.width - size.width - side) : side;
      out.set(id, { top: Math.max(prev.top, top), right: Math.max(prev.right, right), bottom: Math.max(prev.bottom, side), left: Math.max(prev.left, side) });
    }
  });
  return out;
}

/** A loop's label and the size of the tab holding it. */
function loopTab(text: string): { text: TextBlock; width: number; height: number } {
  const t = measureText(`loop  ${text}`, METRICS.smallFontSize, 600, METRICS.wrap.loop);
  return { text: t, width: t.width + 16, height: t.height + 6 };
}

const contains = (a: Box, b: Box): boolean => b.x >= a.x && b.y >= a.y && b.x + b.width <= a.x + a.width && b.y + b.height <= a.y + a.height;

/**
 * Draws each loop's frame around its nodes at the reach reserved for it. A frame over nodes that
 * are not neighbours (across lanes, say) may take in other nodes or edge labels on the way; it
 * grows until it holds each of them whole rather than cutting through it, and its tab slides
 * right along the top edge until it covers nothing.
 */
function layoutLoops(diagram: Diagram, reaches: LoopReach[], nodes: Map<string, LaidOutNode>, edges: LaidOutEdge[]): LaidOutLoop[] {
  const out: LaidOutLoop[] = [];
  const labels = edges.flatMap((e) => (e.label ? [e.label.box] : []));
  const tabs: Box[] = [];
  diagram.loops.forEach((loop, index) => {
    const boxes = loop.nodes.map((id) => nodes.get(id)?.box).filter((b): b is Box => b !== undefined);
    if (boxes.length === 0) return;
    const { top, side, tab } = reaches[index]!;
    let x0 = Math.min(...boxes.map((b) => b.x)) - side;
    let y0 = Math.min(...boxes.map((b) => b.y)) - top;
    let x1 = Math.max(...boxes.map((b) => b.x + b.width)) + side;
    let y1 = Math.max(...boxes.map((b) => b.y + b.height)) + side;
    x1 = Math.max(x1, x0 + tab.width);
    const frame0 = { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
    // Containers around the whole frame are not obstacles.
    const obstacles = [...[...nodes.values()].map((n) => n.box).filter((b) => !contains(b, frame0)), ...labels];
    for (let grown = true, rounds = 0; grown && rounds < 50; rounds++) {
      grown = false;
      const frame = { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
      for (const b of obstacles) {
        if (!overlaps(frame, b) || contains(frame, b)) continue;
        x0 = Math.min(x0, b.x - side);
        y0 = Math.min(y0, b.y - top);
        x1 = Math.max(x1, b.x + b.width + side);
        y1 = Math.max(y1, b.y + b.height + side);
        grown = true;
      }
    }
    const box = { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
    const tabBox = { x: x0, y: y0, width: tab.width, height: tab.height };
    const clear = (t: Box): boolean => !obstacles.some((b) => overlaps(t, b)) && !tabs.some((b) => overlaps(t, b));
    for (let x = x0; x + tab.width <= x1 && !clear(tabBox); x += 4) tabBox.x = x;
    if (!clear(tabBox)) tabBox.x = x0;
    tabs.push(tabBox);
    const laidLoop: LaidOutLoop = { index, text: tab.text, box, tab: tabBox, nodes: [...loop.nodes] };
    const members = new Set(loop.nodes);
    const kept = [...boxes.map((b) => grow(b, side)), tabBox];
    const inFrame = [...nodes.values()].filter((n) => !members.has(n.id) && contains(box, n.box) && !insideAny(n.box, boxes));
    // A container's own nodes go with it.
    const strangers = inFrame.filter((n) => !kept.some((k) => overlaps(k, n.box)) && !inFrame.some((o) => o !== n && contains(o.box, n.box)));
    const outline = notchedOutline(box, strangers.map((n) => grow(n.box, METRICS.loopMargin / 2)), kept);
    if (outline) laidLoop.outline = outline;
    out.push(laidLoop);
  });
  return out;
}

const grow = (b: Box, m: number): Box => ({ x: b.x - m, y: b.y - m, width: b.width + 2 * m, height: b.height + 2 * m });
/** Inside a member (a container in the loop holds its own nodes). */
const insideAny = (b: Box, boxes: Box[]): boolean => boxes.some((m) => contains(m, b));

/**
 * A loop frame with a notch for each node that is not in the loop: each notch runs in from the
 * frame side nearest that node, as long as it keeps clear of the members (with their margin) and
 * the tab. Returns the clockwise corners, or undefined when no notch was cut.
 */
function notchedOutline(frame: Box, strangers: Box[], kept: Box[]): Point[] | undefined {
  const notches: Box[] = [];
  const x1 = frame.x + frame.width;
  const y1 = frame.y + frame.height;
  for (const s of strangers) {
    const candidates: Box[] = [
      { x: frame.x, y: s.y, width: s.x + s.width - frame.x, height: s.height },
      { x: s.x, y: s.y, width: x1 - s.x, height: s.height },
      { x: s.x, y: frame.y, width: s.width, height: s.y + s.height - frame.y },
      { x: s.x, y: s.y, width: s.width, height: y1 - s.y },
    ].filter((c) => !kept.some((k) => overlaps(c, k)));
    candidates.sort((a, b) => a.width * a.height - b.width * b.height);
    const notch = candidates[0];
    if (notch) notches.push({ x: Math.max(frame.x, notch.x), y: Math.max(frame.y, notch.y), width: Math.min(x1, notch.x + notch.width) - Math.max(frame.x, notch.x), height: Math.min(y1, notch.y + notch.height) - Math.max(frame.y, notch.y) });
  }
  if (notches.length === 0) return undefined;
  // Notches close together become one, rather than leaving a sliver of frame between them.
  for (let merged = true; merged; ) {
    merged = false;
    for (let i = 0; i < notches.length && !merged; i++) {
      for (let j = i + 1; j < notches.length && !merged; j++) {
        const [a, b] = [notches[i]!, notches[j]!];
        if (!overlaps(grow(a, 3 * METRICS.loopMargin), b)) continue;
        const x = Math.min(a.x, b.x);
        const y = Math.min(a.y, b.y);
        const u = { x, y, width: Math.max(a.x + a.width, b.x + b.width) - x, height: Math.max(a.y + a.height, b.y + b.height) - y };
        if (kept.some((k) => overlaps(u, k))) continue;
        notches.splice(j, 1);
        notches[i] = u;
        merged = true;
      }
    }
  }
  const loops = outlineOf(frame, notches);
  // A notch that cuts the frame in two would leave members outside one outline: keep the rectangle.
  return loops.length === 1 ? loops[0] : undefined;
}

/** The boundary of a rectangle minus some rectangles, as clockwise corner lists (one per piece). */
function outlineOf(frame: Box, holes: Box[]): Point[][] {
  const xs = [...new Set([frame.x, frame.x + frame.width, ...holes.flatMap((h) => [h.x, h.x + h.width])])].sort((a, b) => a - b);
  const ys = [...new Set([frame.y, frame.y + frame.height, ...holes.flatMap((h) => [h.y, h.y + h.height])])].sort((a, b) => a - b);
  const covered = (i: number, j: number): boolean => {
    if (i < 0 || j < 0 || i >= xs.length - 1 || j >= ys.length - 1) return false;
    const cx = (xs[i]! + xs[i + 1]!) / 2;
    const cy = (ys[j]! + ys[j + 1]!) / 2;
    return !holes.some((h) => cx > h.x && cx < h.x + h.width && cy > h.y && cy < h.y + h.height);
  };
  // Directed boundary edges, clockwise around covered cells (screen coordinates, y down).
  const next = new Map<string, Point>();
  const key = (p: Point): string => `${p.x},${p.y}`;
  const add = (a: Point, b: Point): void => void next.set(key(a), b);
  for (let i = 0; i < xs.length - 1; i++) {
    for (let j = 0; j < ys.length - 1; j++) {
      if (!covered(i, j)) continue;
      const [l, r, t, b] = [xs[i]!, xs[i + 1]!, ys[j]!, ys[j + 1]!];
      if (!covered(i, j - 1)) add({ x: l, y: t }, { x: r, y: t });
      if (!covered(i + 1, j)) add({ x: r, y: t }, { x: r, y: b });
      if (!covered(i, j + 1)) add({ x: r, y: b }, { x: l, y: b });
      if (!covered(i - 1, j)) add({ x: l, y: b }, { x: l, y: t });
    }
  }
  const loops: Point[][] = [];
  const used = new Set<string>();
  for (const start of next.keys()) {
    if (used.has(start)) continue;
    const pts: Point[] = [];
    let at = start;
    while (!used.has(at)) {
      used.add(at);
      const [x, y] = at.split(',').map(Number) as [number, number];
      pts.push({ x, y });
      const to = next.get(at);
      if (!to) break;
      at = key(to);
    }
    // Keep the corners only.
    const corners = pts.filter((p, k) => {
      const a = pts[(k + pts.length - 1) % pts.length]!;
      const b = pts[(k + 1) % pts.length]!;
      return !((a.x === p.x && p.x === b.x) || (a.y === p.y && p.y === b.y));
    });
    loops.push(corners);
  }
  return loops;
}

function describe(diagram: Diagram, index: DiagramIndex): { title: string; description: string } {
  const top = index.topLanes();
  const names = top.map((l) => l.label ?? l.id);
  const title = names.length > 0 ? `Swimlane diagram: ${names.join(', ')}` : 'Empty swimlane diagram';
  const parts = [`${top.length} lane${top.length === 1 ? '' : 's'}, ${diagram.nodes.length} node${diagram.nodes.length === 1 ? '' : 's'}, ${diagram.edges.length} edge${diagram.edges.length === 1 ? '' : 's'}.`];
  for (const lane of diagram.lanes) {
    const labels = lane.nodes.map((id) => index.node(id)?.label ?? id);
    if (labels.length > 0) parts.push(`${lane.label ?? lane.id}: ${labels.join(', ')}.`);
  }
  let description = parts.join(' ');
  if (description.length > 2000) description = `${description.slice(0, 1999)}…`;
  return { title: title.length > 300 ? `${title.slice(0, 299)}…` : title, description };
}
