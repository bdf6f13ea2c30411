// The layout stage: Diagram -> LaidOutDiagram, through ELK (transform in to-elk.ts, ELK's layered
// algorithm, apply in apply-layout.ts). Pure: no I/O; ELK is the bundled build, so no worker.
// Input: a Diagram from src/model and LayoutOptions. Output: absolute coordinates for every lane,
// node, edge, label and loop, deterministic for a given input.
// Containers (Parallel/Map nodes with a block) are laid out inside out: their nested lanes form a
// scope of their own whose size becomes the container node's size in the enclosing scope.
import * as ElkModule from 'elkjs/lib/elk.bundled.js';
import type { ELK, ElkNode } from 'elkjs/lib/elk-api.js';
import type { DiagramNode, Diagram, Lane } from '../model/types.js';
import { DiagramIndex } from '../model/query.js';
import { applyLayout, laneBorders, moveNode } from './apply-layout.js';
import type { Scope } from './apply-layout.js';
import { defaultFonts } from './fonts.js';
import { edgeKind, edgeText, measureNode, measureText, nodeKind, normalShape, retryInfo, stateType } from './measure.js';
import type { MeasuredNode } from './measure.js';
import { METRICS } from './options.js';
import type { LayoutOptions } from './options.js';
import { asSide, assignLayers, presetAcross, toElk } from './to-elk.js';
import type { ScopeEdge, ScopeInput } from './to-elk.js';
import type { Box, LaidOutDiagram, LaidOutEdge, LaidOutLane, LaidOutLoop, LaidOutNode, LayoutDirection, TextBlock } from './types.js';

export type * from './types.js';
export type { LayoutOptions } from './options.js';
export { defaultFonts, textWidth, wrapText, lineHeight } from './fonts.js';
export type { Font } from './fonts.js';

/** The ELK instance is created once: the bundled build keeps no state between layouts. */
let elk: ELK | undefined;
/** elkjs is CommonJS whose declarations claim an ES default export; take the constructor from either shape. */
export function elkInstance(): ELK {
  if (!elk) {
    const m = ElkModule as unknown as { default?: unknown };
    const Ctor = (typeof m.default === 'function' ? m.default : (m.default as { default?: unknown } | undefined)?.default ?? m) as new () => ELK;
    elk = new Ctor();
  }
  return elk;
}

/** Lays out a whole diagram. Never throws for a well-typed Diagram, however broken its content. */
export async function layout(diagram: Diagram, options: LayoutOptions = {}): Promise<LaidOutDiagram> {
  const direction: LayoutDirection = options.direction === 'down' ? 'down' : 'right';
  const index = new DiagramIndex(diagram);
  const ctx = new Context(index, direction);
  const top = index.topLanes();
  const scope = await ctx.layoutScope(top, new Set());
  const nodesById = new Map<string, LaidOutNode>();
  for (const n of ctx.allNodes) nodesById.set(n.id, n);
  const loops = layoutLoops(diagram, nodesById);
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

  constructor(
    readonly index: DiagramIndex,
    readonly direction: LayoutDirection,
  ) {}

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
        measured.set(id, m);
        sizes.set(id, { width: m.width, height: m.height });
      }
    }
    const edges: ScopeEdge[] = [];
    index.diagram.edges.forEach((edge, i) => {
      if (!inScope.has(edge.from.node) || !inScope.has(edge.to.node)) return;
      const kind = edgeKind(edge);
      const text = edgeText(edge, kind);
      const e: ScopeEdge = { index: i, edge, fromSide: asSide(edge.from.handle, 'right'), toSide: asSide(edge.to.handle, 'left') };
      if (text !== undefined) {
        const t = measureText(text, METRICS.smallFontSize, 400, METRICS.wrap.edge);
        if (t.lines.length > 0) e.label = t;
      }
      edges.push(e);
    });
    const input: ScopeInput = { lanes, laneNodes, sizes, edges, direction };
    const layers = assignLayers(laneNodes.flat(), edges);
    // Plan the bands, let ELK place and route, and deepen any band a push overflowed (see to-elk.ts).
    const slack = lanes.map(() => 0);
    let plan = presetAcross(input, layers, slack);
    let result = await runElk(toElk(input, layers, plan));
    let cut = laneBorders(result, input, plan);
    for (let round = 0; round < MAX_ROUNDS && cut.overflow.some((o) => o > 0); round++) {
      cut.overflow.forEach((o, i) => (slack[i]! += o > 0 ? Math.ceil(o) + METRICS.nodeNode : 0));
      plan = presetAcross(input, layers, slack);
      result = await runElk(toElk(input, layers, plan));
      cut = laneBorders(result, input, plan);
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
        return n;
      },
      makeEdge: (i, points, labelBox) => {
        const edge = index.diagram.edges[i]!;
        const se = edges.find((e) => e.index === i)!;
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

/** Runs ELK on a copy of the graph (ELK writes its result into the graph it is given). */
export async function runElk(graph: ElkNode): Promise<ElkNode> {
  return elkInstance().layout(structuredClone(graph));
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
    for (const e of s.edges) {
      for (const p of e.points) {
        p.x += dx;
        p.y += dy;
      }
      if (e.label) {
        e.label.box.x += dx;
        e.label.box.y += dy;
      }
    }
    for (const c of s.children ?? []) go(c);
  };
  go(scope);
}

function containerTitle(node: DiagramNode): string {
  const type = stateType(node);
  const name = node.label ?? node.id;
  return type ? `${name}  ·  ${type}` : name;
}

function layoutLoops(diagram: Diagram, nodes: Map<string, LaidOutNode>): LaidOutLoop[] {
  const out: LaidOutLoop[] = [];
  diagram.loops.forEach((loop, index) => {
    const boxes = loop.nodes.map((id) => nodes.get(id)?.box).filter((b): b is Box => b !== undefined);
    if (boxes.length === 0) return;
    const m = METRICS.loopMargin;
    const text = measureText(`loop  ${loop.text}`, METRICS.smallFontSize, 600, METRICS.wrap.loop);
    const tabH = text.height + 6;
    const x0 = Math.min(...boxes.map((b) => b.x)) - m;
    const y0 = Math.min(...boxes.map((b) => b.y)) - m - tabH;
    const x1 = Math.max(...boxes.map((b) => b.x + b.width)) + m;
    const y1 = Math.max(...boxes.map((b) => b.y + b.height)) + m;
    const box = { x: x0, y: y0, width: Math.max(x1 - x0, text.width + 16), height: y1 - y0 };
    out.push({ index, text, box, tab: { x: x0, y: y0, width: text.width + 16, height: tabH }, nodes: [...loop.nodes] });
  });
  return out;
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
