// Step 3 of 3 (apply): reads ELK's result for one scope back into lanes, nodes and edges with
// coordinates local to the scope (origin at the scope's top-left corner).
// Input: the laid-out ElkNode, the ScopeInput it came from. Output: a Scope.
// The lane borders are read from the nodes' positions (laneBorders); a band that is too small for its
// header label is stretched, which moves everything beyond it and lengthens the edge segments that
// cross it (an orthogonal route stays orthogonal under such a stretch).
import type { ElkNode } from 'elkjs/lib/elk-api.js';
import { METRICS, MIN_JOG } from './options.js';
import { ARROW_ROOM, labelBoxSize, labelNodeId, minSpread, sideAxes, spreadReach } from './to-elk.js';
import { gridLines, gridRoute } from './grid-route.js';
import type { AcrossPlan, ScopeInput, Side } from './to-elk.js';
import type { Box, LaidOutEdge, LaidOutLane, LaidOutNode, Point, TextBlock } from './types.js';

/** A laid-out scope in its own coordinates. */
export interface Scope {
  width: number;
  height: number;
  lanes: LaidOutLane[];
  nodes: LaidOutNode[];
  edges: LaidOutEdge[];
  /** The scopes of the containers in this scope, already placed inside them. */
  children?: Scope[];
}

/** What apply needs to know about each node and edge beyond ELK's result. */
export interface ApplyContext {
  laneLabels: TextBlock[];
  /** Builds the node record once its box is known. */
  makeNode: (id: string, box: Box) => LaidOutNode;
  makeEdge: (index: number, points: Point[], labelBox: Box | undefined) => LaidOutEdge;
}

/**
 * Lane borders across the flow, read from where ELK really put the nodes: each border lies in the
 * gap between the last node of one lane and the first of the next (as close to the planned border
 * as the gap allows, keeping the lane padding on both sides). `overflow[i]` is how much deeper lane
 * i's band must be planned for that gap to exist; all zeros means every node is inside its band.
 */
export function laneBorders(result: ElkNode, input: ScopeInput, plan: AcrossPlan): { borders: number[]; overflow: number[] } {
  const horizontal = input.direction === 'right';
  const byId = new Map<string, ElkNode>();
  for (const c of result.children ?? []) byId.set(c.id, c);
  const pad = METRICS.lanePadding;
  const lo: number[] = [];
  const hi: number[] = [];
  input.laneNodes.forEach((ids) => {
    let min = Infinity;
    let max = -Infinity;
    for (const id of ids) {
      const c = byId.get(id);
      if (!c) continue;
      const m = input.margins?.get(id);
      const a0 = (horizontal ? c.y! : c.x!) - ((horizontal ? m?.top : m?.left) ?? 0);
      const a1 = (horizontal ? c.y! + c.height! : c.x! + c.width!) + ((horizontal ? m?.bottom : m?.right) ?? 0);
      min = Math.min(min, a0);
      max = Math.max(max, a1);
    }
    lo.push(min);
    hi.push(max);
  });
  // ELK moves the whole drawing so that it starts at its padding: the planned borders move with it.
  // The shift is the one most nodes agree on (a pushed node moved further).
  const shifts = new Map<number, number>();
  for (const ids of input.laneNodes) {
    for (const id of ids) {
      const c = byId.get(id);
      const p = plan.pos.get(id);
      if (!c || p === undefined) continue;
      const d = Math.round(((horizontal ? c.y! : c.x!) - p) * 100) / 100;
      shifts.set(d, (shifts.get(d) ?? 0) + 1);
    }
  }
  let shift = 0;
  let votes = 0;
  for (const [d, count] of shifts) if (count > votes || (count === votes && d < shift)) [shift, votes] = [d, count];
  const planned = (k: number): number => plan.bandStart[k]! + shift;
  const n = input.lanes.length;
  const borders: number[] = [planned(0)];
  const overflow = new Array<number>(n).fill(0);
  // The deepest reach of any earlier lane: a border must clear it, not only the previous lane's.
  let reach = -Infinity;
  for (let k = 1; k <= n; k++) {
    reach = Math.max(reach, hi[k - 1]! + pad);
    const next = k < n ? lo[k]! - pad : Infinity;
    let b = Math.min(Math.max(planned(k), reach), next);
    if (reach > next + 0.01) {
      overflow[k - 1] = reach - next;
      b = (reach + next) / 2;
    }
    borders.push(Math.max(b, borders[k - 1]!));
  }
  return { borders, overflow };
}

/** The middle of one side of a box: where a port sits that no other edge shares. */
function sideMiddle(box: Box, side: 'left' | 'right' | 'top' | 'bottom'): Point {
  if (side === 'left') return { x: box.x, y: box.y + box.height / 2 };
  if (side === 'right') return { x: box.x + box.width, y: box.y + box.height / 2 };
  if (side === 'top') return { x: box.x + box.width / 2, y: box.y };
  return { x: box.x + box.width / 2, y: box.y + box.height };
}

export function applyLayout(result: ElkNode, input: ScopeInput, bordersIn: number[], ctx: ApplyContext): Scope {
  const horizontal = input.direction === 'right';
  const byId = new Map<string, ElkNode>();
  for (const c of result.children ?? []) byId.set(c.id, c);
  const band = (p: { x: number; y: number }): number => (horizontal ? p.y : p.x);
  const borders = [...bordersIn];

  const nodes: LaidOutNode[] = [];
  input.laneNodes.forEach((ids) => {
    for (const id of ids) {
      const c = byId.get(id)!;
      nodes.push(ctx.makeNode(id, { x: c.x!, y: c.y!, width: c.width!, height: c.height! }));
    }
  });
  const edges: LaidOutEdge[] = [];
  const elkEdges = new Map((result.edges ?? []).map((e) => [e.id, e]));
  // Everything a route must not be moved onto: the nodes and the label nodes.
  const obstacleBoxes = [
    ...nodes.map((n) => n.box),
    ...input.edges.flatMap((e) => {
      const c = e.label ? byId.get(labelNodeId(e.index)) : undefined;
      return c ? [{ x: c.x!, y: c.y!, width: c.width!, height: c.height! }] : [];
    }),
  ];
  const obstacles = new BoxGrid(obstacleBoxes);
  // Each ELK section (an edge, or one half of a labelled edge) is straightened on its own, so the
  // route keeps running through its label: first the stutters, then, with every section known, the
  // longer detours whose removal crosses no more routes than before.
  const straightened = new Map<string, Point[]>();
  for (const [id, edge] of elkEdges) {
    const section = edge.sections?.[0];
    if (section) straightened.set(id, straighten([section.startPoint, ...(section.bendPoints ?? []), section.endPoint].map((p) => ({ x: p.x, y: p.y })), obstacles));
  }
  // A straight handoff (to-elk.ts, layerScope) was never ELK's: one line from the middle of its
  // source's side to the middle of its target's, both ends in one layer. Should ELK have put them
  // off line (a layer's nodes are centred on it, so only by rounding), it turns halfway.
  const boxes = new Map(nodes.map((n) => [n.id, n.box]));
  for (const e of input.edges) {
    if (!e.handoff) continue;
    const p = sideMiddle(boxes.get(e.edge.from.node)!, e.fromSide);
    const q = sideMiddle(boxes.get(e.edge.to.node)!, e.toSide);
    const off = horizontal ? q.x - p.x : q.y - p.y;
    if (Math.abs(off) < 0.5) {
      straightened.set(`e${e.index}`, horizontal ? [p, { x: p.x, y: q.y }] : [p, { x: q.x, y: p.y }]);
      continue;
    }
    const mid = horizontal ? (p.y + q.y) / 2 : (p.x + q.x) / 2;
    straightened.set(`e${e.index}`, horizontal ? [p, { x: p.x, y: mid }, { x: q.x, y: mid }, q] : [p, { x: mid, y: p.y }, { x: mid, y: q.y }, q]);
  }
  const routes = new SegmentIndex(straightened);
  // Twice: a detour can cross only another route's staircase, which goes in the first round. A
  // move keeps inside its route's extent, so in the second round a route whose extent meets no
  // route changed since its first go (as that route was or is now) would find what it found then,
  // and is skipped.
  let changed = [...straightened.keys()];
  const moved: Extent[] = [];
  for (let round = 0; round < 2 && changed.length > 0; round++) {
    const now: string[] = [];
    for (const id of round === 0 ? changed : [...straightened.keys()]) {
      const points = straightened.get(id)!;
      if (round === 1) {
        // Under four points there is no step to take out, and what dedupe would drop went in round 0.
        if (points.length < 4) continue;
        const extent = extentOf(points);
        if (!moved.some((m) => extentsMeet(extent, m))) continue;
      }
      const better = straighten(points, obstacles, { limit: Infinity, clear: METRICS.edgeNode / 2, accept: (before, after) => routes.crossings(after, id) <= routes.crossings(before, id) });
      if (better.length === points.length) continue;
      moved.push(extentOf(points), extentOf(better));
      straightened.set(id, better);
      routes.set(id, better);
      now.push(id);
    }
    changed = now;
  }
  const sectionPoints = (id: string): Point[] => (straightened.get(id) ?? []).map((p) => ({ ...p }));
  // A straight handoff's label sits on its line between the two nodes, as near the middle as it can
  // without another route running under it or covering a node or label.
  const handoffLabel = (e: (typeof input.edges)[number], points: Point[]): Box | undefined => {
    if (!e.label || points.length !== 2) return undefined;
    const { width: w, height: h } = labelBoxSize(e.label);
    const [p, q] = [points[0]!, points[1]!];
    const depth = horizontal ? h : w;
    // Clear of the arrowhead at the target's end.
    const down = band(q) > band(p);
    const lo = Math.min(band(p), band(q)) + (down ? 0 : ARROW_ROOM);
    const hi = Math.max(band(p), band(q)) - (down ? ARROW_ROOM : 0);
    const boxAt = (start: number): Box => (horizontal ? { x: p.x - w / 2, y: start, width: w, height: h } : { x: start, y: p.y - h / 2, width: w, height: h });
    const middle = (lo + hi - depth) / 2;
    const free = (b: Box): boolean => !routes.enters(b, `e${e.index}`) && !obstacles.hits({ x: b.x, y: b.y }, { x: b.x + b.width, y: b.y + b.height }) && !handoffLabels.some((o) => boxesOverlap(o, b));
    let chosen: Box | undefined;
    for (let d = 0; !chosen && (middle - d >= lo + 2 || middle + d + depth <= hi - 2); d += 2) {
      for (const start of d === 0 ? [middle] : [middle - d, middle + d]) {
        if (start < lo + 2 || start + depth > hi - 2) continue;
        const b = boxAt(start);
        if (free(b)) {
          chosen = b;
          break;
        }
      }
    }
    chosen ??= boxAt(middle);
    handoffLabels.push(chosen);
    return chosen;
  };
  const handoffLabels: Box[] = [];
  for (const e of input.edges) {
    if (e.handoff) {
      const points = sectionPoints(`e${e.index}`);
      edges.push(ctx.makeEdge(e.index, points, handoffLabel(e, points)));
      continue;
    }
    if (e.bundle !== undefined && e.bundle !== e.index) {
      // A bundle member: its own run to the shared label, then the leader's run to the target.
      const points = [...sectionPoints(`e${e.index}:a`), ...sectionPoints(`e${e.bundle}:b`)];
      edges.push(ctx.makeEdge(e.index, dedupe(points), undefined));
      continue;
    }
    if (!e.label) {
      edges.push(ctx.makeEdge(e.index, dedupe(sectionPoints(`e${e.index}`)), undefined));
      continue;
    }
    // The two halves meet across the label node: the route runs straight under the label.
    const node = byId.get(labelNodeId(e.index));
    const points = [...sectionPoints(`e${e.index}:a`), ...sectionPoints(`e${e.index}:b`)];
    const labelBox = node ? { x: node.x!, y: node.y!, width: node.width!, height: node.height! } : undefined;
    edges.push(ctx.makeEdge(e.index, dedupe(points), labelBox));
  }

  // A stutter beside a label (the two halves of a labelled edge meet it a few pixels apart) goes
  // too: the whole route is straightened, and the label moves with the run that carries it.
  const laidByIndex = new Map(edges.map((x) => [x.index, x]));
  for (const e of input.edges) {
    if (e.bundle !== undefined) continue;
    const laid = laidByIndex.get(e.index);
    if (!laid?.label) continue;
    const box = laid.label.box;
    const route = straighten(laid.points, obstacles, { ignore: box });
    if (route.length >= laid.points.length) continue;
    const carrier = route.findIndex((p, i) => {
      const q = route[i + 1];
      if (!q) return false;
      return horizontal
        ? Math.abs(p.y - q.y) < 0.01 && Math.min(p.x, q.x) <= box.x + 0.5 && Math.max(p.x, q.x) >= box.x + box.width - 0.5
        : Math.abs(p.x - q.x) < 0.01 && Math.min(p.y, q.y) <= box.y + 0.5 && Math.max(p.y, q.y) >= box.y + box.height - 0.5;
    });
    if (carrier < 0) continue;
    const moved = horizontal ? { ...box, y: route[carrier]!.y - box.height / 2 } : { ...box, x: route[carrier]!.x - box.width / 2 };
    if (Math.abs(moved.x - box.x) + Math.abs(moved.y - box.y) >= MIN_JOG) continue;
    const corners = [
      { x: moved.x, y: moved.y },
      { x: moved.x + moved.width, y: moved.y + moved.height },
    ];
    if (obstacles.hits(corners[0]!, { x: corners[1]!.x, y: corners[0]!.y }, 0, box) || obstacles.hits({ x: corners[0]!.x, y: corners[1]!.y }, corners[1]!, 0, box)) continue;
    laid.points = route;
    // The label's obstacle moves too: a pass after this one judged moves against its old place.
    obstacles.remove(box);
    obstacles.add(moved);
    laid.label.box = moved;
  }
  // The room kept round nodes for loop frames (their tabs are drawn there later, by layoutLoops).
  const frames = nodes.flatMap((n) => {
    const m = input.margins?.get(n.id);
    return m ? [{ x: n.box.x - m.left, y: n.box.y - m.top, width: n.box.width + m.left + m.right, height: n.box.height + m.top + m.bottom }] : [];
  });
  const frameGrid = new BoxGrid(frames);
  reseatLabels(edges, obstacles, frameGrid, new Set(input.edges.filter((e) => e.bundle !== undefined || e.handoff).map((e) => e.index)));

  // ELK routes an edge into the far side of a node through the node stacked next to it in the same
  // layer (north/south port dummies end up on the wrong side of that neighbour). Such an end is
  // moved into the gap between the two nodes.
  const grid = new NodeGrid(nodes);
  for (const e of edges) {
    if (e.points.length < 4) continue;
    // Only nodes near the end segment can be in its way; the grid finds them without a scan.
    const near = (a: Point, b: Point): Box[] => grid.query(a, b).filter((n) => n.id !== e.from && n.id !== e.to).map((n) => n.box);
    const k = e.points.length - 1;
    clearEnd(e.points, boxes.get(e.to), near(e.points[k - 1]!, e.points[k]!), false);
    clearEnd(e.points, boxes.get(e.from), near(e.points[0]!, e.points[1]!), true);
  }

  slideOntoLine(edges, nodes, obstacles, input.straightSides);

  // Neither pass makes a new shared run, so the pairs found once serve both.
  const sharing = sharedPairKeys(edges);
  separateRuns(edges, obstacles, sharing, { nodeBox: (id) => boxes.get(id) });
  separateRuns(edges, obstacles, sharedPairKeys(edges, 8), { longer: 8, nodeBox: (id) => boxes.get(id) });
  rerouteShared(edges, obstacleBoxes, obstacles, sharing);
  spreadSharedEnds(edges, nodes, obstacles);
  separateTrunks(edges, nodes, obstacles);
  separateRuns(edges, obstacles, sharedPairKeys(edges), { fansToo: true, nodeBox: (id) => boxes.get(id) });
  untangleEnds(edges, nodes, obstacles);
  joinAtMarkers(edges, nodes, obstacles);
  endsNearTurns(edges, nodes, obstacles);
  swapJoinedTurns(edges, obstacles);
  rerouteCrooked(edges, obstacleBoxes, obstacles, frameGrid);
  const laneOf = new Map(input.laneNodes.flatMap((ids, i) => ids.map((id) => [id, i] as const)));
  makeRoomForCrooked(edges, nodes, obstacleBoxes, obstacles, frameGrid, {
    horizontal,
    // The outer lanes grow with what they hold; a border between two lanes stays.
    bandOf: (id) => {
      const i = laneOf.get(id)!;
      const pad = METRICS.lanePadding;
      return [i === 0 ? -Infinity : borders[i]! + pad, i === input.lanes.length - 1 ? Infinity : borders[i + 1]! - pad];
    },
    fixed: (id) => input.margins?.has(id) === true,
  });
  // The passes above moved labels and routes out of one another's way; a route that went round
  // where one was at first (ELK's label places) would keep that detour. cfn-stacksets' check
  // of a deletion bumped round a label 40 px to the side of a straight drop.
  reseatLabels(edges, obstacles, frameGrid, new Set(input.edges.filter((e) => e.bundle !== undefined).map((e) => e.index)), true);
  endsOntoOutline(edges, nodes);

  // Extent of everything along both axes.
  let minFlow = Infinity;
  let maxFlow = -Infinity;
  let minBand = Infinity;
  let maxBand = -Infinity;
  const cover = (b: Box): void => {
    const f0 = horizontal ? b.x : b.y;
    const f1 = f0 + (horizontal ? b.width : b.height);
    const b0 = horizontal ? b.y : b.x;
    const b1 = b0 + (horizontal ? b.height : b.width);
    minFlow = Math.min(minFlow, f0);
    maxFlow = Math.max(maxFlow, f1);
    minBand = Math.min(minBand, b0);
    maxBand = Math.max(maxBand, b1);
  };
  // A node's margins (room for a loop frame) belong to its lane, so the frame stays inside the picture.
  for (const n of nodes) {
    const m = input.margins?.get(n.id);
    cover(m ? { x: n.box.x - m.left, y: n.box.y - m.top, width: n.box.width + m.left + m.right, height: n.box.height + m.top + m.bottom } : n.box);
  }
  for (const e of edges) {
    for (const p of e.points) cover({ x: p.x, y: p.y, width: 0, height: 0 });
    if (e.label) cover(e.label.box);
  }
  if (!Number.isFinite(minFlow)) {
    minFlow = 0;
    maxFlow = 0;
    minBand = borders[0] ?? 0;
    maxBand = borders[borders.length - 1] ?? 0;
  }
  const pad = METRICS.lanePadding;
  borders[0] = Math.min(borders[0]!, minBand - pad);
  borders[borders.length - 1] = Math.max(borders[borders.length - 1]!, maxBand + pad);

  // Every band must hold its header label.
  const moves: { at: number; delta: number }[] = [];
  for (let i = 0; i < input.lanes.length; i++) {
    const label = ctx.laneLabels[i]!;
    const need = (horizontal ? label.height : label.width) + 2 * METRICS.headerPadding;
    const have = borders[i + 1]! - borders[i]!;
    if (have < need) {
      const delta = need - have;
      moves.push({ at: borders[i + 1]! - 0.5, delta });
      for (let k = i + 1; k < borders.length; k++) borders[k]! += delta;
    }
  }
  const applyMove = (at: number, delta: number): void => {
    const mv = (p: Point): void => {
      if (band(p) >= at) {
        if (horizontal) p.y += delta;
        else p.x += delta;
      }
    };
    for (const n of nodes) {
      const p = { x: n.box.x, y: n.box.y };
      mv(p);
      moveNode(n, p.x - n.box.x, p.y - n.box.y);
    }
    for (const e of edges) {
      for (const p of e.points) mv(p);
      if (e.label) {
        const p = { x: e.label.box.x, y: e.label.box.y };
        mv(p);
        e.label.box.x = p.x;
        e.label.box.y = p.y;
      }
    }
  };
  let shifted = 0;
  for (const m of moves) {
    applyMove(m.at + shifted, m.delta);
    shifted += m.delta;
  }

  // Normalise: header strip first, then the contents.
  const headerSize = Math.ceil(
    Math.max(0, ...ctx.laneLabels.map((l) => (horizontal ? l.width : l.height))) + 2 * METRICS.headerPadding,
  );
  const flowOffset = headerSize + pad - minFlow;
  const bandOffset = -borders[0]!;
  const dx = horizontal ? flowOffset : bandOffset;
  const dy = horizontal ? bandOffset : flowOffset;
  for (const n of nodes) moveNode(n, dx, dy);
  for (const e of edges) moveEdge(e, dx, dy);
  const flowLength = headerSize + pad + (maxFlow - minFlow) + pad;
  const bandLength = borders[borders.length - 1]! - borders[0]!;
  const lanes: LaidOutLane[] = input.lanes.map((lane, i) => {
    const b0 = borders[i]! + bandOffset;
    const b1 = borders[i + 1]! + bandOffset;
    const box = horizontal ? { x: 0, y: b0, width: flowLength, height: b1 - b0 } : { x: b0, y: 0, width: b1 - b0, height: flowLength };
    const header = horizontal ? { x: 0, y: b0, width: headerSize, height: b1 - b0 } : { x: b0, y: 0, width: b1 - b0, height: headerSize };
    const l: LaidOutLane = { id: lane.id, label: ctx.laneLabels[i]!, box, header };
    if (lane.parent !== undefined) l.parent = lane.parent;
    return l;
  });
  return {
    width: horizontal ? flowLength : bandLength,
    height: horizontal ? bandLength : flowLength,
    lanes,
    nodes,
    edges,
  };
}

/**
 * One number per grid cell, cheaper to hash than a string, and a small integer (under 2^28), which
 * V8 keeps unboxed: a key past 2^30 is a heap number, slower to hash and look up, and the grids are
 * asked a few million times a large drawing. Cells from -2^13 to 2^13 on each axis (±2 million px
 * at 256 px a cell) have keys of their own; cells further out share keys, which only adds
 * candidates that every question tests against the real geometry anyway.
 */
const cellKey = (x: number, y: number): number => (x + 8192) * 16384 + (y + 8192);

/** Nodes bucketed by a coarse grid, to find those near a segment in time independent of the graph's size. */
class NodeGrid {
  private readonly cells = new Map<number, LaidOutNode[]>();
  private static readonly CELL = 256;

  constructor(nodes: LaidOutNode[]) {
    for (const n of nodes) {
      const [x0, y0, x1, y1] = NodeGrid.span(n.box.x, n.box.y, n.box.x + n.box.width, n.box.y + n.box.height);
      for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) (this.cells.get(cellKey(x, y)) ?? this.cells.set(cellKey(x, y), []).get(cellKey(x, y))!).push(n);
    }
  }

  private static span(ax: number, ay: number, bx: number, by: number): [number, number, number, number] {
    const c = NodeGrid.CELL;
    return [Math.floor(Math.min(ax, bx) / c), Math.floor(Math.min(ay, by) / c), Math.floor(Math.max(ax, bx) / c), Math.floor(Math.max(ay, by) / c)];
  }

  /** Every node whose cells meet the box spanned by a and b (each once, in insertion order). */
  query(a: Point, b: Point): LaidOutNode[] {
    const [x0, y0, x1, y1] = NodeGrid.span(a.x, a.y, b.x, b.y);
    const found = new Set<LaidOutNode>();
    for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) for (const n of this.cells.get(cellKey(x, y)) ?? []) found.add(n);
    return [...found];
  }
}

/** Catch edges into one handle: one bundle, drawn as one line. */
const bundled = (e: LaidOutEdge, f: LaidOutEdge): boolean => e.kind === 'catch' && f.kind === 'catch' && e.to === f.to && e.toHandle === f.toHandle;

/** Edges drawn as one on purpose: a fan out of one handle, a merge into one, a Catch bundle. */
const related = (e: LaidOutEdge, f: LaidOutEdge): boolean => (e.from === f.from && e.fromHandle === f.fromHandle) || (e.to === f.to && e.toHandle === f.toHandle);

/**
 * Two segments that run the same way: how far apart their lines are, and how much they overlap
 * along them (negative: the gap between their ends). Undefined when one is across the other.
 */
function alongside(a: Point, b: Point, c: Point, d: Point): { gap: number; overlap: number } | undefined {
  const flat = Math.abs(a.y - b.y) < 0.5;
  if (flat !== Math.abs(c.y - d.y) < 0.5) return undefined;
  return flat ? { gap: Math.abs(a.y - c.y), overlap: runOverlap(a.x, b.x, c.x, d.x) } : { gap: Math.abs(a.x - c.x), overlap: runOverlap(a.y, b.y, c.y, d.y) };
}

/** How much the runs u0-u1 and v0-v1 of one line overlap (negative: the gap between them). */
function runOverlap(u0: number, u1: number, v0: number, v1: number): number {
  return Math.min(Math.max(u0, u1), Math.max(v0, v1)) - Math.max(Math.min(u0, u1), Math.min(v0, v1));
}

/** The longest run two routes share on one line, and the index of the first route's segment that holds it. */
function sharedRun(p: Point[], q: Point[]): { length: number; segment: number; from: number; to: number } {
  // alongside, written out: this compares every pair of segments of two routes, a few hundred
  // thousand times a drawing, and makes nothing for a pair that shares no run.
  let length = 0;
  let segment = -1;
  let from = 0;
  for (let i = 0; i + 1 < p.length; i++) {
    const a = p[i]!;
    const b = p[i + 1]!;
    const flat = Math.abs(a.y - b.y) < 0.5;
    for (let j = 0; j + 1 < q.length; j++) {
      const c = q[j]!;
      const d = q[j + 1]!;
      if (flat !== Math.abs(c.y - d.y) < 0.5) continue;
      // Lines under a pixel apart are one line to the eye.
      if ((flat ? Math.abs(a.y - c.y) : Math.abs(a.x - c.x)) >= 1) continue;
      const overlap = flat ? runOverlap(a.x, b.x, c.x, d.x) : runOverlap(a.y, b.y, c.y, d.y);
      if (overlap <= length) continue;
      from = flat ? Math.max(Math.min(a.x, b.x), Math.min(c.x, d.x)) : Math.max(Math.min(a.y, b.y), Math.min(c.y, d.y));
      length = overlap;
      segment = i;
    }
  }
  return { length, segment, from, to: from + length };
}

/**
 * Two unrelated routes sharing a run over 20 px on one line (a step leaving beside a merge into the
 * next node, say) read as one: the reader cannot tell which way each goes. One of them steps aside:
 * a middle segment moves across by one to three edge spacings, or, when the shared run starts at a
 * port, the bend after it moves back so the run turns away before (or within 20 px of) the other.
 * A move must keep the ends at least MIN_JOG long, meet no node or label, share no new run and add
 * at most one crossing (a crossing reads; a retraced line does not). With `fansToo`, the pass
 * takes the members of a fan or a merge instead, once their ends are apart (after the spread
 * passes): a trunk they still share further on splits into lines of their own the same way.
 */
export function separateRuns(edges: LaidOutEdge[], obstacles: BoxGrid, pairKeys: Set<number>, options: { fansToo?: boolean; longer?: number; nodeBox?: (id: string) => Box | undefined } = {}): void {
  const { fansToo = false, longer = 20, nodeBox = () => undefined } = options;
  const spacing = METRICS.edgeEdge;
  // The routes as they stand, to count a move's crossings (kept up to date as routes move).
  // Built at its first question: most groups are left before one is asked.
  const routes = SegmentIndex.lazy(edges);
  const shift = (points: Point[], m: number, delta: number): Point[] => {
    const out = points.map((p) => ({ ...p }));
    const flat = Math.abs(points[m]!.y - points[m + 1]!.y) < 0.5;
    for (const k of [m, m + 1]) {
      if (flat) out[k]!.y += delta;
      else out[k]!.x += delta;
    }
    return out;
  };
  const segmentLength = (points: Point[], k: number): number => Math.abs(points[k + 1]!.x - points[k]!.x) + Math.abs(points[k + 1]!.y - points[k]!.y);
  const acceptable = (e: LaidOutEdge, route: Point[], m: number, partner: LaidOutEdge): boolean => {
    const last = route.length - 2;
    if (segmentLength(route, 0) < MIN_JOG || segmentLength(route, last) < MIN_JOG) return false;
    for (let k = Math.max(0, m - 1); k <= Math.min(last, m + 1); k++) {
      // An end segment may start inside its node's box (on a circle's or a diamond's outline).
      const ends = [k === 0 ? nodeBox(e.from) : undefined, k === last ? nodeBox(e.to) : undefined];
      if (segmentLength(route, k) < 0.5 || obstacles.hits(route[k]!, route[k + 1]!, 0, [e.label?.box, ...ends])) return false;
    }
    if (e.label) {
      // The label stays centred on its run: none of the segments that move (or change length) may
      // be the one under it.
      const b = e.label.box;
      for (let k = Math.max(0, m - 1); k <= Math.min(last, m + 1); k++) {
        const [p, q] = [e.points[k]!, e.points[k + 1]!];
        if (meets(p, q, b)) return false;
      }
    }
    if (sharedRun(route, partner.points).length > longer) return false;
    // Nor may a moved segment run beside another route closer than most of an edge spacing: two
    // lines 4 px apart read as one as much as a shared one does.
    for (let k = Math.max(0, m - 1); k <= Math.min(last, m + 1); k++) {
      const [a, b] = [route[k]!, route[k + 1]!];
      for (const o of edges) {
        if (o === e) continue;
        for (let j = 0; j + 1 < o.points.length; j++) {
          const run = alongside(a, b, o.points[j]!, o.points[j + 1]!);
          if (run && run.gap >= 0.5 && run.gap < spacing * 0.75 && run.overlap > 0) return false;
        }
      }
    }
    return edges.every((o) => o === e || related(o, e) || sharedRun(route, o.points).length <= Math.max(20, sharedRun(e.points, o.points).length));
  };
  // In edge order, the first of a pair tried first (it moves; the second is what it moves off).
  for (const key of [...pairKeys].sort((a, b) => a - b)) {
    const [i, j] = [Math.floor(key / edges.length), key % edges.length];
    const [e, f] = [edges[i]!, edges[j]!];
    if (e.from === e.to || f.from === f.to) continue;
    if (related(e, f)) {
      // A fan or a merge whose members already end apart (spreadPorts, spreadSharedEnds) and
      // still run together further on; a Catch bundle is drawn as one.
      if (!fansToo || bundled(e, f)) continue;
      const sameStart = e.from === f.from && e.fromHandle === f.fromHandle && Math.hypot(e.points[0]!.x - f.points[0]!.x, e.points[0]!.y - f.points[0]!.y) < 0.5;
      const sameEnd = e.to === f.to && e.toHandle === f.toHandle && Math.hypot(e.points.at(-1)!.x - f.points.at(-1)!.x, e.points.at(-1)!.y - f.points.at(-1)!.y) < 0.5;
      if (sameStart || sameEnd) continue;
    } else if (fansToo) continue;
    const run = sharedRun(e.points, f.points);
    if (run.length <= longer) continue;
    const own = String(i);
    const before = routes.crossings(e.points, own);
    const last = e.points.length - 2;
    const candidates: { m: number; delta: number }[] = [];
    if (run.segment > 0 && run.segment < last) {
      for (const d of [1, -1, 2, -2, 3, -3]) candidates.push({ m: run.segment, delta: d * spacing });
    } else if (last >= 2) {
      // The shared run is on an end segment: the bend next to it moves along that segment.
      const m = run.segment === 0 ? 1 : last - 1;
      const port = run.segment === 0 ? e.points[0]! : e.points[last + 1]!;
      const bend = run.segment === 0 ? e.points[1]! : e.points[last]!;
      const flat = Math.abs(port.y - bend.y) < 0.5;
      const [p, b] = flat ? [port.x, bend.x] : [port.y, bend.y];
      const sign = Math.sign(b - p);
      // Distances from the port to where the shared run starts and ends.
      const near = Math.min(Math.abs(run.from - p), Math.abs(run.to - p));
      for (const t of [near - spacing, near + 8, near + 16]) {
        if (t < MIN_JOG) continue;
        candidates.push({ m, delta: p + sign * t - b });
      }
    }
    for (const { m, delta } of candidates) {
      const route = shift(e.points, m, delta);
      if (!acceptable(e, route, m, f)) continue;
      if (routes.crossings(route, own) > before + 1) continue;
      e.points = route;
      routes.set(own, route);
      break;
    }
  }
}

/** One end of an edge at a handle: `out` where the edge leaves. `id`: its index in the edges, the SegmentIndex key. */
interface HandleEnd {
  edge: LaidOutEdge;
  out: boolean;
  id: string;
}

/** Edge ends by the handle they share: the fans (ends leaving one handle) and merges (arriving at one). A Catch bundle arrives as one, so its ends there are left out. */
function endsByHandle(edges: LaidOutEdge[]): Map<string, HandleEnd[]> {
  const groups = new Map<string, HandleEnd[]>();
  edges.forEach((edge, i) => {
    if (edge.from === edge.to || edge.points.length < 2) return;
    for (const out of [true, false]) {
      if (!out && edge.kind === 'catch') continue;
      const key = out ? `${edge.from}\u0000${edge.fromHandle}\u0000o` : `${edge.to}\u0000${edge.toHandle}\u0000i`;
      (groups.get(key) ?? groups.set(key, []).get(key)!).push({ edge, out, id: String(i) });
    }
  });
  return groups;
}

/** The route seen from this end: the port first. */
const routeFromEnd = (x: HandleEnd): Point[] => (x.out ? x.edge.points : [...x.edge.points].reverse());
/** The node an end is on, and the node at the edge's other end. */
const nodeOfEnd = (x: HandleEnd): string => (x.out ? x.edge.from : x.edge.to);
const nodeOfFarEnd = (x: HandleEnd): string => (x.out ? x.edge.to : x.edge.from);
const dot = (a: Point, b: Point): number => a.x * b.x + a.y * b.y;
const minus = (a: Point, b: Point): Point => ({ x: a.x - b.x, y: a.y - b.y });
/** Whether the segment from a to b meets the box (touching counts). */
const meets = (a: Point, b: Point, box: Box): boolean => Math.max(a.x, b.x) >= box.x && Math.min(a.x, b.x) <= box.x + box.width && Math.max(a.y, b.y) >= box.y && Math.min(a.y, b.y) <= box.y + box.height;
/** Whether the segment from a to b runs through the inside of the box (touching its edge does not count). */
const passesThrough = (a: Point, b: Point, box: Box): boolean => Math.max(a.x, b.x) > box.x + 0.5 && Math.min(a.x, b.x) < box.x + box.width - 0.5 && Math.max(a.y, b.y) > box.y + 0.5 && Math.min(a.y, b.y) < box.y + box.height - 0.5;

/**
 * Whether a group's new routes (nows[k], route ids[k], was olds[k]) share a run over 20 px with a
 * route near them: with one another, or with any other route for longer than before. `besides`
 * adds a test against each such other route.
 */
function sharesNewRun(index: RouteQueries, edges: LaidOutEdge[], ids: string[], olds: Point[][], nows: Point[][], besides?: (route: Point[], other: Point[]) => boolean): boolean {
  return nows.some((r, k) => {
    if (r === olds[k]) return false;
    for (const id of index.routesNear(r)) {
      const m = ids.indexOf(id);
      if (m === k) continue;
      const other = edges[Number(id)]!.points;
      if (sharedRun(r, m >= 0 ? nows[m]! : other).length > (m >= 0 ? 20 : Math.max(20, sharedRun(olds[k]!, other).length))) return true;
      if (m < 0 && besides?.(r, other)) return true;
    }
    return false;
  });
}

/**
 * The fans and merges ELK still drew from one point (a Choice's rules out of one corner of its
 * diamond, steps into the End circle, a handle across the flow, where spreadPorts leaves the port
 * alone) share their first run as a trunk. Here each member's end segment moves along the side to
 * a point of its own, an edge spacing apart, onto the shape's outline (a diamond's slanted sides, a
 * circle), and its first bend moves with it, so the route keeps its corners. Order along the side:
 * the members that turn one way sit on that side, the one that turns off first outermost, and an
 * end that does not turn (a straight edge) keeps the middle; so the spread routes cross nothing
 * near the node. A group is left as it was when a moved segment would meet a node or a label, cross
 * more routes, share a run with another route, or leave a run under MIN_JOG. Catch bundles keep
 * their one point: they are drawn as one.
 */
function spreadSharedEnds(edges: LaidOutEdge[], nodes: LaidOutNode[], obstacles: BoxGrid): void {
  const nodeById = new Map(nodes.map((n) => [n.id, n]));
  type End = HandleEnd;
  const groups = endsByHandle(edges);
  // Built at its first question: most groups are left before one is asked.
  const index = SegmentIndex.lazy(edges);
  const fromEnd = routeFromEnd;
  const put = (x: End, pts: Point[]): void => {
    x.edge.points = x.out ? pts : [...pts].reverse();
  };
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    const node = nodeById.get(nodeOfEnd(members[0]!));
    if (!node) continue;
    const routes = members.map(fromEnd);
    const p0 = routes[0]![0]!;
    // Only members that still share one point, leaving it the same way.
    if (routes.some((r) => Math.abs(r[0]!.x - p0.x) > 0.5 || Math.abs(r[0]!.y - p0.y) > 0.5)) continue;
    const box = node.box;
    const side = sideOfBox(box, p0);
    const { n, t } = sideAxes(side);
    // Each member: how far out it runs before turning (depth) and which way it turns (-1, 0 straight, +1).
    const info = routes.map((r) => {
      if (r.length === 2) return { depth: Infinity, turn: 0, across: 0 };
      const first = { x: r[1]!.x - r[0]!.x, y: r[1]!.y - r[0]!.y };
      const next = { x: r[2]!.x - r[1]!.x, y: r[2]!.y - r[1]!.y };
      return { depth: dot(first, n), turn: Math.sign(dot(next, t)), across: Math.abs(dot(first, t)) };
    });
    // Every first run straight out of the side; at most one member that does not turn.
    if (info.some((i) => i.depth <= 0 || i.across > 0.5) || info.filter((i) => i.turn === 0).length > 1) continue;
    // Along t: the members turning back (-1) first, shallowest outermost; the straight one; then those turning on (+1), deepest first.
    const order = members.map((_, i) => i).sort((a, b) => {
      const [p, q] = [info[a]!, info[b]!];
      if (p.turn !== q.turn) return p.turn - q.turn;
      return p.turn < 0 ? p.depth - q.depth : q.depth - p.depth;
    });
    const straightAt = order.findIndex((i) => info[i]!.turn === 0);
    const centre = straightAt >= 0 ? straightAt : (order.length - 1) / 2;
    const halfT = n.x === 0 ? box.width / 2 : box.height / 2;
    const round = node.shape === 'circle' || node.shape === 'diamond';
    // How far off the middle a point may go: 6 px short of a corner; on a circle or diamond, half way to the side's end.
    const reach = round ? halfT / 2 : halfT - 6;
    const step = Math.min(METRICS.edgeEdge, reach / Math.max(centre, order.length - 1 - centre));
    // Arrowheads (10.5 px) need their room; routes leaving a side only their spacing.
    if (step < (members[0]!.out ? 8 : 11.5)) continue;
    // The members spread round their shared point, which ELK may have put off the side's middle:
    // a point moved off it by d along the side is base + d off the middle.
    const base = dot({ x: p0.x - (box.x + box.width / 2), y: p0.y - (box.y + box.height / 2) }, t);
    if (Math.abs(base) + step * Math.max(centre, order.length - 1 - centre) > reach + 0.01) continue;
    const onOutline = (d: number): Point => outlinePoint(node, side, base + d);
    const after = order.map(() => [] as Point[]);
    let ok = true;
    order.forEach((i, k) => {
      const r = routes[i]!;
      const d = (k - centre) * step;
      if (Math.abs(d) < 0.01) {
        after[k] = r;
        return;
      }
      if (r.length === 2) {
        ok = false;
        return;
      }
      const shift = { x: t.x * d, y: t.y * d };
      const q0 = onOutline(d);
      const q1 = { x: r[1]!.x + shift.x, y: r[1]!.y + shift.y };
      // The run after the bend gets shorter by d when the member turns towards the side it moved to.
      const rest = Math.abs(dot({ x: r[2]!.x - q1.x, y: r[2]!.y - q1.y }, t));
      // Into the far end, that run carries the arrowhead.
      const arrowRun = r.length === 3 && members[i]!.out;
      if (Math.sign(dot({ x: r[2]!.x - q1.x, y: r[2]!.y - q1.y }, t)) !== info[i]!.turn || rest < (arrowRun ? Math.max(MIN_JOG, ARROW_ROOM) : MIN_JOG)) ok = false;
      if (dot({ x: q1.x - q0.x, y: q1.y - q0.y }, n) < MIN_JOG) ok = false;
      after[k] = [q0, q1, ...r.slice(2)];
    });
    if (!ok) continue;
    const changed = order.map((i, k) => ({ end: members[i]!, old: routes[i]!, now: after[k]! }));
    // Each moved route: clear of nodes and labels (its own label may sit on the run after the bend).
    const clear = changed.every(({ end, old, now }) => {
      if (now === old) return true;
      // The first run starts on the node's outline (inside its box, for a circle or a diamond).
      return !obstacles.hits(now[0]!, now[1]!, 0, box) && !obstacles.hits(now[1]!, now[2]!, 0, end.edge.label?.box);
    });
    if (!clear) continue;
    // No more crossings than before (pairs inside the group included: each member is counted
    // against the others' routes of the same moment), and no run shared with another route.
    const ids = changed.map(({ end }) => end.id);
    const olds = changed.map(({ old }) => old);
    const crossingsBefore = index.crossingsAfterSetting(ids, olds);
    const crossingsAfter = index.crossingsAfterSetting(ids, changed.map(({ now }) => now));
    const sharesMore = changed.some(({ end, old, now }) => {
      if (now === old) return false;
      for (const id of index.routesNear(now)) {
        // The rest of a Catch bundle runs on the member's line on purpose.
        if (ids.includes(id) || bundled(edges[Number(id)]!, end.edge)) continue;
        const other = edges[Number(id)]!.points;
        if (sharedRun(now, other).length > Math.max(20, sharedRun(old, other).length)) return true;
      }
      return false;
    });
    if (crossingsAfter > crossingsBefore || sharesMore) {
      index.setAll(ids, olds);
      continue;
    }
    for (const { end, now } of changed) put(end, now);
  }
}

/**
 * A fan or a merge whose members have ends of their own (spreadPorts, spreadSharedEnds) can still
 * cross itself by the node: ELK keeps the port order it was given, but may turn a member towards
 * its other end in a gap where another member's run lies across its way (the lower of two sources
 * turning up nearer the node than the higher one). Each member's end is an L: out of its port
 * along the side's normal to a corner, then along the side, then on its way. Here the members
 * trade ports, each taking the other's corner line too or keeping its own, in whichever order
 * crosses the fewest routes; the rest of each route stays, and the runs that join it to its new
 * end get longer or shorter. An order is taken only when it crosses fewer routes, meets no node or
 * label, shares no run, and leaves no run under MIN_JOG.
 */
export function untangleEnds(edges: LaidOutEdge[], nodes: LaidOutNode[], obstacles: BoxGrid): void {
  const nodeById = new Map(nodes.map((n) => [n.id, n]));
  const groups = endsByHandle(edges);
  // Built at its first question: most groups are left before one is asked.
  const index = SegmentIndex.lazy(edges);
  const fromEnd = routeFromEnd;
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    const node = nodeById.get(nodeOfEnd(members[0]!));
    if (!node) continue;
    const { n, t } = sideAxes(sideOfBox(node.box, fromEnd(members[0]!)[0]!));
    // The point with `along` along the side and `out` along its normal.
    const at = (along: number, out: number): Point => ({ x: t.x * along + n.x * out, y: t.y * along + n.y * out });
    // The members whose end is an L (out of the port, along the side, and on), clear of their own label there.
    const movable = members.filter((x) => {
      const r = fromEnd(x);
      if (r.length < 3) return false;
      const [s0, s1] = [minus(r[1]!, r[0]!), minus(r[2]!, r[1]!)];
      if (dot(s0, n) <= 0 || Math.abs(dot(s0, t)) > 0.01 || Math.abs(dot(s1, n)) > 0.01 || Math.abs(dot(s1, t)) < 0.5) return false;
      if (r.length > 3 && (Math.abs(dot(minus(r[3]!, r[2]!), t)) > 0.01 || Math.abs(dot(minus(r[3]!, r[2]!), n)) < 0.5)) return false;
      const label = x.edge.label?.box;
      return !label || [0, 1].every((k) => !meets(r[k]!, r[k + 1]!, label));
    });
    if (movable.length < 2 || movable.length > 5) continue;
    const olds = movable.map(fromEnd);
    // The far end of a fan's member carries its arrowhead; a merge's members carry theirs here.
    const arrowOut = members[0]!.out ? MIN_JOG : Math.max(MIN_JOG, ARROW_ROOM);
    const arrowFar = members[0]!.out ? Math.max(MIN_JOG, ARROW_ROOM) : MIN_JOG;
    // Member k's route from port j, its corner on line `line` (along the normal), or undefined when
    // a run would turn the other way, get too short, or move under its label.
    const routeWith = (k: number, j: number, line: number): Point[] | undefined => {
      const r = olds[k]!;
      const p0 = olds[j]![0]!;
      const p1 = at(dot(p0, t), line);
      if (dot(minus(p1, p0), n) < arrowOut) return undefined;
      if (r.length === 3) {
        // The run along the side ends at the far end itself: only its length changes.
        const along = dot(minus(r[2]!, p1), t);
        if (Math.sign(along) !== Math.sign(dot(minus(r[2]!, r[1]!), t)) || Math.abs(along) < arrowFar) return undefined;
        return [p0, p1, r[2]!];
      }
      const p2 = at(dot(r[3]!, t), line);
      const along = dot(minus(p2, p1), t);
      const away = dot(minus(r[3]!, p2), n);
      if (Math.sign(along) !== Math.sign(dot(minus(r[2]!, r[1]!), t)) || Math.abs(along) < MIN_JOG) return undefined;
      if (Math.sign(away) !== Math.sign(dot(minus(r[3]!, r[2]!), n)) || Math.abs(away) < (r.length === 4 ? arrowFar : MIN_JOG)) return undefined;
      // A label on the run beyond stays where it is: the stretch that run gains or loses must miss it.
      const label = movable[k]!.edge.label?.box;
      if (label && meets(r[2]!, p2, label)) return undefined;
      return [p0, p1, p2, ...r.slice(3)];
    };
    const ids = movable.map((x) => x.id);
    const crossingsOf = (routes: Point[][]): number => {
      const c = index.crossingsAfterSetting(ids, routes);
      index.setAll(ids, olds);
      return c;
    };
    const ownLine = olds.map((r) => dot(r[1]!, n));
    // Each member in each order: its own corner line, or (with more of its route to join) the one it takes over.
    const choices = (perm: number[]): Point[][][] =>
      perm.map((j, k) => {
        const lines = olds[k]!.length > 3 && Math.abs(ownLine[j]! - ownLine[k]!) > 0.5 ? [ownLine[j]!, ownLine[k]!] : [ownLine[k]!];
        return lines.flatMap((line) => {
          const r = j === k && line === ownLine[k] ? olds[k]! : routeWith(k, j, line);
          return r ? [r] : [];
        });
      });
    let best = { crossings: crossingsOf(olds), routes: olds };
    for (const perm of permutations(movable.length)) {
      if (perm.every((j, k) => j === k)) continue;
      const options = choices(perm);
      if (options.some((o) => o.length === 0)) continue;
      // Every combination of the members' options (at most 2^5 per order).
      const combos: Point[][][] = options.reduce<Point[][][]>((acc, o) => acc.flatMap((c) => o.map((r) => [...c, r])), [[]]);
      for (const now of combos) {
        const clear = now.every((r, k) => r === olds[k] || r.slice(1).every((q, i) => !obstacles.hits(r[i]!, q, 0, i === 0 ? node.box : movable[k]!.edge.label?.box)));
        if (!clear) continue;
        const crossings = crossingsOf(now);
        if (crossings >= best.crossings) continue;
        if (!sharesNewRun(index, edges, ids, olds, now)) best = { crossings, routes: now };
      }
    }
    if (best.routes === olds) continue;
    best.routes.forEach((r, k) => {
      const x = movable[k]!;
      x.edge.points = x.out ? r : [...r].reverse();
      index.set(ids[k]!, x.edge.points);
    });
  }
}

/**
 * A fan out of one handle (or a merge into one) whose members run on together as one trunk past
 * their first bend, and only then go their own ways (Catch edges out of a Parallel to three
 * handlers), reads as one line that splits: the reader cannot follow a branch back to where it
 * left. Here each member's stretch along the trunk becomes a line of its own, offset sideways an
 * edge spacing from the next, as parallel lines: the member that parts first runs outermost on the
 * side it turns to, so no member crosses another where they part. The end on the node moves along
 * its side with it (onto the outline of a circle or diamond). A group is left as it was when a
 * moved stretch would meet a node or a label, cross more routes, share a run, leave a run under
 * MIN_JOG, or take an end off its side or too near another end there.
 */
export function separateTrunks(edges: LaidOutEdge[], nodes: LaidOutNode[], obstacles: BoxGrid): void {
  const nodeById = new Map(nodes.map((n) => [n.id, n]));
  type End = HandleEnd;
  const groups = endsByHandle(edges);
  // Built at its first question: most groups are left before one is asked.
  const index = SegmentIndex.lazy(edges);
  const fromEnd = routeFromEnd;
  const dirOf = (a: Point, b: Point): Point => ({ x: Math.sign(Math.round(b.x - a.x)), y: Math.sign(Math.round(b.y - a.y)) });
  const rightOf = (d: Point): Point => ({ x: -d.y, y: d.x });
  const flat = (a: Point, b: Point): boolean => Math.abs(a.y - b.y) < 0.5;
  // The coordinate that names a segment's line: y of a horizontal one, x of an upright one.
  const lineOf = (r: Point[], k: number): number => (flat(r[k]!, r[k + 1]!) ? r[k]!.y : r[k]!.x);
  const sameLine = (routes: Point[][], k: number): boolean =>
    routes.every((r) => r.length > k + 1 && flat(r[k]!, r[k + 1]!) === flat(routes[0]![k]!, routes[0]![k + 1]!) && Math.abs(lineOf(r, k) - lineOf(routes[0]!, k)) < 0.5 && dot(dirOf(r[k]!, r[k + 1]!), dirOf(routes[0]![k]!, routes[0]![k + 1]!)) > 0);
  const spacing = METRICS.edgeEdge;
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    const node = nodeById.get(nodeOfEnd(members[0]!));
    if (!node) continue;
    const side = sideOfBox(node.box, fromEnd(members[0]!)[0]!);
    const { n, t } = sideAxes(side);
    const halfT = n.x === 0 ? node.box.width / 2 : node.box.height / 2;
    const centreT = dot({ x: node.box.x + node.box.width / 2, y: node.box.y + node.box.height / 2 }, t);
    const shape = node.shape === 'circle' || node.shape === 'diamond' ? node.shape : 'straight';
    // As far along the side as spreadPorts puts ends, as far apart.
    const reach = spreadReach(shape, halfT);
    const apart = minSpread(shape);
    // Members by the line of their second segment: those on one line share a trunk from their first bend.
    const byLine = new Map<string, End[]>();
    for (const x of members) {
      const r = fromEnd(x);
      if (r.length < 4 || Math.abs(dot({ x: r[1]!.x - r[0]!.x, y: r[1]!.y - r[0]!.y }, t)) > 0.5) continue;
      const key = `${flat(r[1]!, r[2]!)}:${Math.round(lineOf(r, 1) * 2)}`;
      (byLine.get(key) ?? byLine.set(key, []).get(key)!).push(x);
    }
    for (const bucket of byLine.values()) {
      if (bucket.length < 2 || bucket.length > 6) continue;
      const olds = bucket.map(fromEnd);
      if (!sameLine(olds, 1)) continue;
      // The trunk: segments 1 … K on one line each, for every member; segment K + 1 is where each leaves.
      let K = 1;
      while (olds.every((r) => r.length >= K + 4) && sameLine(olds, K + 1)) K++;
      if (!olds.every((r) => r.length >= K + 3)) continue;
      const dirK = dirOf(olds[0]![K]!, olds[0]![K + 1]!);
      const leaves = olds.map((r) => dot(r[K + 1]!, dirK));
      const turns = olds.map((r) => Math.sign(dot(dirOf(r[K + 1]!, r[K + 2]!), rightOf(dirK))));
      if (turns.some((x) => x === 0)) continue;
      // Two that part at one point on the same side would share what follows: not this pass's case.
      if (olds.some((_, i) => olds.some((__, j) => j > i && turns[i] === turns[j] && Math.abs(leaves[i]! - leaves[j]!) < 0.5))) continue;
      // Offsets in spacings, to the right of the way along the trunk: the first to part outermost on its side.
      const order = (sign: number): number[] =>
        olds
          .map((_, i) => i)
          .filter((i) => turns[i] === sign)
          .sort((a, b) => leaves[a]! - leaves[b]!);
      const offsets = new Array<number>(olds.length).fill(0);
      const rights = order(1);
      const lefts = order(-1);
      rights.forEach((i, k) => (offsets[i] = rights.length - k));
      lefts.forEach((i, k) => (offsets[i] = -(lefts.length - k)));
      const lo = Math.min(...offsets);
      const hi = Math.max(...offsets);
      const mean = (lo + hi) / 2;
      // Where the offsets centre: on the trunk's line if it can, else as near it as the ends allow.
      const centres = [mean, ...Array.from({ length: 2 * (hi - lo) + 3 }, (_, k) => lo - 1 + k / 2)].filter((c, k, all) => all.indexOf(c) === k).sort((a, b) => Math.abs(a - mean) - Math.abs(b - mean));
      const base0 = olds.reduce((sum, r) => sum + lineOf(r, 0), 0) / olds.length;
      const ids = bucket.map((x) => x.id);
      const others = members.filter((x) => !bucket.includes(x)).map((x) => dot(fromEnd(x)[0]!, t));
      // The labels that move with their member's corner, for the centre being tried.
      const labels = new Map<number, Box>();
      const routeFor = (i: number, d: number): Point[] | undefined => {
        const r = olds[i]!;
        const shifted = (k: number): number => {
          const normal = rightOf(dirOf(r[k]!, r[k + 1]!));
          const line = k === 0 ? base0 : lineOf(r, k);
          return line + d * (flat(r[k]!, r[k + 1]!) ? normal.y : normal.x);
        };
        const lines = Array.from({ length: K + 2 }, (_, k) => (k <= K ? shifted(k) : lineOf(r, k)));
        const endT = lines[0]!;
        if (Math.abs(endT - centreT) > reach + 0.01 || others.some((o) => Math.abs(o - endT) < apart)) return undefined;
        const out: Point[] = [outlinePoint(node, side, endT - centreT)];
        for (let k = 1; k <= K + 1; k++) {
          const [prev, cur] = [lines[k - 1]!, lines[k]!];
          out.push(flat(r[k - 1]!, r[k]!) ? { x: cur, y: prev } : { x: prev, y: cur });
        }
        out.push(...r.slice(K + 2));
        // Every changed run keeps its way and its length; the arrowheads their room.
        for (let k = 0; k <= K + 1; k++) {
          const length = Math.abs(out[k + 1]!.x - out[k]!.x) + Math.abs(out[k + 1]!.y - out[k]!.y);
          const arrow = (k === 0 && !bucket[i]!.out) || (k === out.length - 2 && bucket[i]!.out);
          if (dot(dirOf(out[k]!, out[k + 1]!), dirOf(r[k]!, r[k + 1]!)) <= 0 || length < (arrow ? Math.max(MIN_JOG, ARROW_ROOM) : MIN_JOG)) return undefined;
        }
        let label = bucket[i]!.edge.label?.box;
        // A label on the run where the member parts (ELK puts it next to the trunk) moves along
        // that run with the corner, when it lands clear and still on the run.
        if (label && meets(r[K + 1]!, out[K + 1]!, label)) {
          const [a, b] = [out[K + 1]!, out[K + 2]!];
          let moved = { ...label, x: label.x + a.x - r[K + 1]!.x, y: label.y + a.y - r[K + 1]!.y };
          const onRun = (m: Box): boolean => (flat(a, b) ? m.x >= Math.min(a.x, b.x) && m.x + m.width <= Math.max(a.x, b.x) : m.y >= Math.min(a.y, b.y) && m.y + m.height <= Math.max(a.y, b.y));
          // Past the run's far end: centred on the shorter run, if it still holds the label.
          if (!onRun(moved)) moved = flat(a, b) ? { ...moved, x: (a.x + b.x - moved.width) / 2 } : { ...moved, y: (a.y + b.y - moved.height) / 2 };
          if (!onRun(moved) || obstacles.hits({ x: moved.x, y: moved.y }, { x: moved.x + moved.width, y: moved.y + moved.height }, 0, label) || index.enters(moved, ids[i]!)) return undefined;
          label = moved;
          labels.set(i, moved);
        }
        // The trunk's runs stay off the label (touching its edge is no harm).
        if (label && Array.from({ length: K + 1 }, (_, k) => k).some((k) => passesThrough(out[k]!, out[k + 1]!, label!))) return undefined;
        const far = nodeById.get(nodeOfFarEnd(bucket[i]!))?.box;
        for (let k = 0; k <= K + 1; k++) if (obstacles.hits(out[k]!, out[k + 1]!, 0, [label, bucket[i]!.edge.label?.box, k === 0 ? node.box : undefined, k === out.length - 2 ? far : undefined])) return undefined;
        return out;
      };
      for (const c of centres) {
        labels.clear();
        const now = olds.map((_, i) => routeFor(i, (offsets[i]! - c) * spacing));
        if (now.some((r) => !r)) continue;
        const routes = now as Point[][];
        const before = index.crossingsAfterSetting(ids, olds);
        const after = index.crossingsAfterSetting(ids, routes);
        // Nor beside another route closer than most of a spacing: two lines 4 px apart read as one.
        const beside = (r: Point[], other: Point[]): boolean => {
          for (let a = 1; a <= K; a++) {
            for (let j = 0; j + 1 < other.length; j++) {
              const run = alongside(r[a]!, r[a + 1]!, other[j]!, other[j + 1]!);
              if (run && run.gap >= 0.5 && run.gap < spacing * 0.75 && run.overlap > 0) return true;
            }
          }
          return false;
        };
        if (after > before || sharesNewRun(index, edges, ids, olds, routes, beside)) {
          index.setAll(ids, olds);
          continue;
        }
        routes.forEach((r, k) => {
          const x = bucket[k]!;
          x.edge.points = x.out ? r : [...r].reverse();
          const moved = labels.get(k);
          if (moved && x.edge.label) {
            obstacles.remove(x.edge.label.box);
            obstacles.add(moved);
            x.edge.label.box = moved;
          }
        });
        break;
      }
    }
  }
}

/** Every ordering of 0 … n-1. */
function permutations(n: number): number[][] {
  if (n <= 1) return [[0]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}

/**
 * The point of a node's outline seen from its side `side`, `d` off the side's middle along it: on a
 * box side for straight shapes, on the curve of a circle, on the slanted sides of a diamond.
 */
function outlinePoint(node: LaidOutNode, side: Side, d: number): Point {
  const { n, t } = sideAxes(side);
  const box = node.box;
  const halfT = n.x === 0 ? box.width / 2 : box.height / 2;
  const halfN = n.x === 0 ? box.height / 2 : box.width / 2;
  const out = node.shape === 'circle' ? Math.sqrt(Math.max(0, halfN * halfN - d * d)) : node.shape === 'diamond' ? halfN * (1 - Math.abs(d) / halfT) : halfN;
  return { x: box.x + box.width / 2 + t.x * d + n.x * out, y: box.y + box.height / 2 + t.y * d + n.y * out };
}

/**
 * A step whose two ends ELK left a few pixels off one line (a node centred in its layer, rounded,
 * or pushed by a passing edge) has a jog under MIN_JOG in the middle. Its end on a straight side
 * slides along that side onto the other end's line instead, and the step is one straight run (a
 * circle or diamond end only by under 2 px: further off, the arrow would miss the outline). A
 * target that cannot slide its end but that no other edge touches (a final state) moves whole.
 * A step further off (an S between two boxes of one column that ELK centred apart) slides a box
 * end too, where the line stays a fifth of the side in from its corners, crosses no more routes
 * and shares no new run; its label moves with it only onto a place no route runs through.
 */
export function slideOntoLine(edges: LaidOutEdge[], nodes: LaidOutNode[], obstacles: BoxGrid, straightSides: Set<string> | undefined): void {
  const boxes = new Map(nodes.map((n) => [n.id, n.box]));
  const endsOnSide = new Map<string, number>();
  const sideKey = (id: string, box: Box, p: Point): string => `${id}:${sideOfBox(box, p)}`;
  for (const e of edges) {
    const from = boxes.get(e.from);
    const to = boxes.get(e.to);
    if (from) endsOnSide.set(sideKey(e.from, from, e.points[0]!), (endsOnSide.get(sideKey(e.from, from, e.points[0]!)) ?? 0) + 1);
    if (to) endsOnSide.set(sideKey(e.to, to, e.points.at(-1)!), (endsOnSide.get(sideKey(e.to, to, e.points.at(-1)!)) ?? 0) + 1);
  }
  const nodeById = new Map(nodes.map((n) => [n.id, n]));
  const touching = new Map<string, number>();
  for (const e of edges) for (const id of new Set([e.from, e.to])) touching.set(id, (touching.get(id) ?? 0) + 1);
  const leafOnto = (e: LaidOutEdge, by: Point): Point | undefined => {
    const n = nodeById.get(e.to);
    if (!n || n.lanes || touching.get(n.id) !== 1) return undefined;
    const moved = { x: n.box.x + by.x, y: n.box.y + by.y, width: n.box.width, height: n.box.height };
    if (obstacles.hits({ x: moved.x, y: moved.y }, { x: moved.x + moved.width, y: moved.y + moved.height }, 0, [n.box, e.label?.box])) return undefined;
    if (edges.some((o) => o !== e && o.points.some((p, k) => k > 0 && meets(o.points[k - 1]!, p, moved)))) return undefined;
    return by;
  };
  // Built on the first step that slides further than a stutter: only those can cross or join another route.
  let routes: SegmentIndex | undefined;
  edges.forEach((e, index) => {
    if (e.from === e.to || e.points.length !== 4) return;
    const [a, b, c, d] = e.points as [Point, Point, Point, Point];
    const alongX = Math.abs(a.y - b.y) < 0.01 && Math.abs(c.y - d.y) < 0.01 && Math.abs(b.x - c.x) < 0.01;
    const alongY = Math.abs(a.x - b.x) < 0.01 && Math.abs(c.x - d.x) < 0.01 && Math.abs(b.y - c.y) < 0.01;
    if (!alongX && !alongY) return;
    const jog = alongX ? c.y - b.y : c.x - b.x;
    if (Math.abs(jog) < 0.01) return;
    const stutter = Math.abs(jog) < MIN_JOG;
    const tryEnd = (id: string, end: Point, onto: number, box: Box | undefined): Point | undefined => {
      if (!box || endsOnSide.get(sideKey(id, box, end)) !== 1) return undefined;
      if (!straightSides?.has(id) && Math.abs(jog) >= 2) return undefined;
      // Stay 6 px clear of the side's corners (their rounding); an end moved further, a fifth of
      // the side, so that the arrow still reads as going into the box, not past its corner.
      const side = alongX ? box.height : box.width;
      const inset = stutter ? 6 : Math.max(6, side / 5);
      const [lo, hi] = alongX ? [box.y + inset, box.y + box.height - inset] : [box.x + inset, box.x + box.width - inset];
      if (onto < lo || onto > hi) return undefined;
      return alongX ? { x: end.x, y: onto } : { x: onto, y: end.y };
    };
    // The target's end first: the source keeps the line its other edges leave on.
    const target = tryEnd(e.to, d, alongX ? a.y : a.x, boxes.get(e.to));
    const source = target ? undefined : tryEnd(e.from, a, alongX ? d.y : d.x, boxes.get(e.from));
    // A target too round to slide its end (a final state's circle) that no other edge touches moves
    // whole on to the source's line, if it lands clear of nodes, labels and routes.
    const leaf = target || source || !stutter ? undefined : leafOnto(e, alongX ? { x: 0, y: -jog } : { x: -jog, y: 0 });
    const route = target ? [a, target] : source ? [source, d] : leaf ? [a, { x: d.x + leaf.x, y: d.y + leaf.y }] : undefined;
    if (!route) return;
    const own = e.label?.box;
    if (obstacles.hits(route[0]!, route[1]!, 0, [own, leaf ? boxes.get(e.to) : undefined])) return;
    const id = String(index);
    if (!stutter) {
      routes ??= SegmentIndex.ofEdges(edges);
      if (routes.crossings(route, id) > routes.crossings(e.points, id) || sharesNewRun(routes, edges, [id], [e.points], [route])) return;
    }
    // A label on the run that moved moves with it, if it lands clear.
    let label = own;
    if (own) {
      const line = alongX ? route[0]!.y : route[0]!.x;
      const centre = alongX ? own.y + own.height / 2 : own.x + own.width / 2;
      const moved = alongX ? { ...own, y: own.y + line - centre } : { ...own, x: own.x + line - centre };
      if (obstacles.hits({ x: moved.x, y: moved.y }, { x: moved.x + moved.width, y: moved.y + moved.height }, 0, own)) return;
      if (!stutter && routes!.enters(moved, id)) return;
      label = moved;
    }
    if (leaf) moveNode(nodeById.get(e.to)!, leaf.x, leaf.y);
    e.points = route;
    routes?.set(id, route);
    if (e.label && label && label !== own) {
      obstacles.remove(own!);
      obstacles.add(label);
      e.label.box = label;
    }
  });
}

/** Gives the edge the new route when it crosses no more routes and shares no new run; the index follows. */
function takeIfNoWorse(index: SegmentIndex, edges: LaidOutEdge[], edge: LaidOutEdge, route: Point[]): void {
  const id = String(edges.indexOf(edge));
  if (index.crossings(route, id) > index.crossings(edge.points, id) || sharesNewRun(index, edges, [id], [edge.points], [route])) return;
  edge.points = route;
  index.set(id, route);
}

/** How far before a marker dot a route may join another into it: past the arrowhead, under the 20 px that reads as a shared run. */
const MARKER_JOIN = ARROW_ROOM + 4;

/**
 * A merge into a branch's end dot keeps one point (two arrowheads do not fit on a 20 px dot's side),
 * so its members come in on one line; ELK often joins them far before the dot (two side paths into
 * a Map's end running 290 px as one). The member that turns on to the other's line moves that turn
 * up to just before the dot, where a merge is drawn by hand: its run before the turn goes on, the
 * turn keeps its length, and only the last MARKER_JOIN px are shared. Kept only when the moved
 * runs meet no node or label, cross no more routes and share no new run.
 */
function joinAtMarkers(edges: LaidOutEdge[], nodes: LaidOutNode[], obstacles: BoxGrid): void {
  const nodeById = new Map(nodes.map((n) => [n.id, n]));
  let index: SegmentIndex | undefined;
  for (const group of endsByHandle(edges).values()) {
    const ins = group.filter((x) => !x.out);
    if (ins.length < 2 || !nodeById.get(nodeOfEnd(ins[0]!))?.marker) continue;
    index ??= SegmentIndex.ofEdges(edges);
    for (const x of ins) {
      const r = x.edge.points;
      const n = r.length;
      if (n < 4) continue;
      const [p3, p2, p1, end] = [r[n - 4]!, r[n - 3]!, r[n - 2]!, r[n - 1]!];
      const flat = Math.abs(p1.y - end.y) < 0.5;
      const t = (p: Point): number => (flat ? p.x : p.y);
      const last = Math.abs(t(end) - t(p1));
      if (last <= 20 || !ins.some((o) => o !== x && sharedRun([p1, end], o.edge.points).length > 20)) continue;
      // The turn on to the last run, and the run before it, parallel to the last one.
      if ((flat ? Math.abs(p2.x - p1.x) : Math.abs(p2.y - p1.y)) > 0.5 || (flat ? Math.abs(p3.y - p2.y) : Math.abs(p3.x - p2.x)) > 0.5) continue;
      const sign = Math.sign(t(end) - t(p1));
      const at = t(end) - sign * MARKER_JOIN;
      // The run before the turn must head for the dot, and stay MIN_JOG long if it is an end.
      if (Math.sign(at - t(p3)) !== sign || (n === 4 && Math.abs(at - t(p3)) < MIN_JOG)) continue;
      const move = (p: Point): Point => (flat ? { x: at, y: p.y } : { x: p.x, y: at });
      const [q2, q1] = [move(p2), move(p1)];
      if (obstacles.hits(p3, q2, 6) || obstacles.hits(q2, q1, 6)) continue;
      takeIfNoWorse(index, edges, x.edge, [...r.slice(0, n - 3), q2, q1, end]);
    }
  }
}

/**
 * A merge member that turns on to another member's line before the node and runs along it to an
 * end of its own (two Choices' ways into one Fail circle, one coming along the lane and one down
 * from its label) shares that run however far apart the ends are. Its end moves along the side
 * towards where it turned on, as far as spreadPorts would put an end, so only the last few
 * pixels before its corner lie on the other's line; or, when the turn is within that reach, its
 * approach runs straight into the side. Kept only when the ends stay apart and the moved runs
 * meet no node or label, cross no more routes and share no new run.
 */
export function endsNearTurns(edges: LaidOutEdge[], nodes: LaidOutNode[], obstacles: BoxGrid): void {
  const nodeById = new Map(nodes.map((n) => [n.id, n]));
  let index: SegmentIndex | undefined;
  for (const group of endsByHandle(edges).values()) {
    const ins = group.filter((x) => !x.out);
    const node = ins.length > 1 ? nodeById.get(nodeOfEnd(ins[0]!)) : undefined;
    if (!node || node.marker || node.lanes) continue;
    const side = sideOfBox(node.box, ins[0]!.edge.points.at(-1)!);
    const { t } = sideAxes(side);
    const along = (p: Point): number => dot(p, t);
    const half = t.x !== 0 ? node.box.width / 2 : node.box.height / 2;
    const centre = along({ x: node.box.x + node.box.width / 2, y: node.box.y + node.box.height / 2 });
    const shape = node.shape === 'circle' || node.shape === 'diamond' ? node.shape : 'straight';
    const reach = spreadReach(shape, half);
    for (const x of ins) {
      const r = x.edge.points;
      const n = r.length;
      if (n < 3) continue;
      const [p2, p1, end] = [r[n - 3]!, r[n - 2]!, r[n - 1]!];
      // The run before the end segment lies along the side, and another member shares it.
      if (Math.abs(dot(minus(p1, end), t)) > 0.5 || Math.abs(dot(minus(p2, p1), { x: t.y, y: t.x })) > 0.5) continue;
      const others = ins.filter((o) => o !== x);
      if (!others.some((o) => sharedRun([p2, p1], o.edge.points).length > 20)) continue;
      let want = Math.max(centre - reach, Math.min(centre + reach, along(p2)));
      // The run from the turn to the corner stays MIN_JOG long, or goes.
      const run = along(p2) - want;
      if (Math.abs(run) >= 0.5 && Math.abs(run) < MIN_JOG) want = along(p2) - Math.sign(run) * MIN_JOG;
      if (Math.abs(along(p2) - want) > 20 || others.some((o) => Math.abs(along(o.edge.points.at(-1)!) - want) < minSpread(shape))) continue;
      const at = (p: Point): Point => (t.x !== 0 ? { x: want, y: p.y } : { x: p.x, y: want });
      const [q1, q] = [at(p1), at(end)];
      const straightIn = Math.abs(along(p2) - want) < 0.5;
      const route = straightIn ? [...r.slice(0, n - 2), q] : [...r.slice(0, n - 2), q1, q];
      if (obstacles.hits(p2, q1, 6) || obstacles.hits(q1, q, 0, [node.box, x.edge.label?.box])) continue;
      index ??= SegmentIndex.ofEdges(edges);
      takeIfNoWorse(index, edges, x.edge, route);
    }
  }
}

/**
 * Two unrelated routes that turn on to and off one line a few pixels apart (both turns in the
 * channel between two layers) share a run there under 20 px: it reads as one line, so the first
 * route seems to go on into the node the second enters (dynamodb-semaphore: Acquire Lock's way to
 * End ran on into the Choice's tip, where Get Current Lock Record's way comes in). The two turns
 * swap places along the line, and the routes cross once, plainly, instead. Kept only when the
 * moved runs meet no node or label, leave no run under MIN_JOG, carry their labels still, cross
 * no other route more than before and share no new run.
 */
export function swapJoinedTurns(edges: LaidOutEdge[], obstacles: BoxGrid): void {
  const pairs = sharedPairKeys(edges, 4);
  if (pairs.size === 0) return;
  const n = edges.length;
  let index: SegmentIndex | undefined;
  for (const key of pairs) {
    const [i, j] = [Math.floor(key / n), key % n];
    if (i >= j) continue;
    const [e, f] = [edges[i]!, edges[j]!];
    if (related(e, f) || bundled(e, f)) continue;
    // dropCollinear keeps the points themselves; swapTurns makes new ones.
    const [p, q] = [dropCollinear(e.points), dropCollinear(f.points)];
    const run = sharedRun(p, q);
    if (run.length <= 4 || run.length > 20) continue;
    const swapped = swapTurns(p, q, run, sharedRun(q, p).segment);
    if (!swapped) continue;
    const [np, nq] = swapped;
    const moved = (r: Point[], old: Point[]): boolean => r.some((x, k) => x.x !== old[k]!.x || x.y !== old[k]!.y);
    const clean = (r: Point[], old: Point[], label: Box | undefined): boolean => {
      for (let k = 1; k < r.length; k++) {
        const [a, b] = [r[k - 1]!, r[k]!];
        if (a.x === old[k - 1]!.x && a.y === old[k - 1]!.y && b.x === old[k]!.x && b.y === old[k]!.y) continue;
        // No run reversed (a route doubling back on itself) nor shortened under MIN_JOG.
        const [u, v] = [old[k - 1]!, old[k]!];
        if (Math.sign(b.x - a.x) !== Math.sign(v.x - u.x) || Math.sign(b.y - a.y) !== Math.sign(v.y - u.y)) return false;
        if (Math.hypot(b.x - a.x, b.y - a.y) < MIN_JOG || obstacles.hits(a, b, 0, label)) return false;
      }
      return !label || labelSegment(r, label) >= 0;
    };
    // Two routes that both join the same two lines cross over between them: swapped, they would
    // share a run on the other line instead (kyc: a step into either lane's next node).
    if (!moved(np, p) || !clean(np, p, e.label?.box) || !clean(nq, q, f.label?.box) || sharedRun(np, nq).length > 1) continue;
    index ??= SegmentIndex.ofEdges(edges);
    const ids = [String(i), String(j)];
    // Their own crossing (the plain one) is the point: count the crossings with the rest only.
    index.setAll(ids, [[], []]);
    const was = index.crossings(e.points, ids[0]!) + index.crossings(f.points, ids[1]!);
    const now = index.crossings(np, ids[0]!) + index.crossings(nq, ids[1]!);
    index.setAll(ids, [e.points, f.points]);
    if (now > was || sharesNewRun(index, edges, ids, [e.points, f.points], [np, nq])) continue;
    e.points = np;
    f.points = nq;
    index.setAll(ids, [np, nq]);
  }
}

/**
 * The routes p and q (no collinear points) with the turns that bound their shared run on segment
 * `ps` of p and `qs` of q swapped along the line; undefined unless each route turns off the line at
 * an inner point on the far side of the other's turn, with the segment after that turn ending at
 * an inner point too (so it can move along).
 */
function swapTurns(p: Point[], q: Point[], run: { from: number; to: number; segment: number }, qs: number): [Point[], Point[]] | undefined {
  const ps = run.segment;
  if (ps < 0 || qs < 0) return undefined;
  const flat = Math.abs(p[ps]!.y - p[ps + 1]!.y) < 0.5;
  const along = (x: Point): number => (flat ? x.x : x.y);
  /** The end of segment s of r at the run's bound `at`, and the far end of the turn there: their indices. */
  const turnAt = (r: Point[], s: number, at: number): [number, number] | undefined => {
    const k = Math.abs(along(r[s]!) - at) < 0.5 ? s : Math.abs(along(r[s + 1]!) - at) < 0.5 ? s + 1 : -1;
    if (k < 0) return undefined;
    const far = k === s ? k - 1 : k + 1;
    return k > 0 && k < r.length - 1 && far > 0 && far < r.length - 1 ? [k, far] : undefined;
  };
  const [pFrom, pTo] = [turnAt(p, ps, run.from), turnAt(p, ps, run.to)];
  const [qFrom, qTo] = [turnAt(q, qs, run.from), turnAt(q, qs, run.to)];
  // One turns at the run's start, the other at its end: they interleave.
  const pair = pFrom && qTo && !pTo && !qFrom ? [pFrom, qTo, run.to, run.from] : pTo && qFrom && !pFrom && !qTo ? [pTo, qFrom, run.from, run.to] : undefined;
  if (!pair) return undefined;
  const [[pk, pf], [qk, qf], pAt, qAt] = pair as [[number, number], [number, number], number, number];
  const set = (r: Point[], ks: number[], at: number): Point[] => r.map((x, k) => (ks.includes(k) ? (flat ? { x: at, y: x.y } : { x: x.x, y: at }) : { ...x }));
  return [set(p, [pk, pf], pAt), set(q, [qk, qf], qAt)];
}

/**
 * ELK ends a route at its port, on the node's box. A spread port of a circle or a diamond
 * (spreadPorts) lies off the middle of its side, beside the outline: the end segment runs on
 * straight into the box until it meets the outline, so the arrowhead touches the shape.
 */
function endsOntoOutline(edges: LaidOutEdge[], nodes: LaidOutNode[]): void {
  const nodeById = new Map(nodes.map((n) => [n.id, n]));
  const onto = (node: LaidOutNode | undefined, end: Point, next: Point): void => {
    if (!node || (node.shape !== 'circle' && node.shape !== 'diamond')) return;
    const box = node.box;
    const side = sideOfBox(box, end);
    const { n, t } = sideAxes(side);
    const c = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    const halfT = n.x === 0 ? box.width / 2 : box.height / 2;
    const halfN = n.x === 0 ? box.height / 2 : box.width / 2;
    const d = dot(minus(end, c), t);
    // Only an end on the box side, off its middle, whose segment leaves straight out of the side.
    if (Math.abs(d) < 0.5 || Math.abs(d) >= halfT || Math.abs(dot(minus(end, c), n) - halfN) > 0.5) return;
    if (Math.abs(dot(minus(next, end), t)) > 0.01 || dot(minus(next, end), n) <= 0) return;
    const p = outlinePoint(node, side, d);
    end.x = p.x;
    end.y = p.y;
  };
  for (const e of edges) {
    if (e.from === e.to || e.points.length < 2) continue;
    onto(nodeById.get(e.from), e.points[0]!, e.points[1]!);
    onto(nodeById.get(e.to), e.points.at(-1)!, e.points.at(-2)!);
  }
}

/**
 * Pairs of routes with a run over 20 px on one line, as keys i * edges.length + j (both orders).
 * Only routes with segments on one line can share a run: the segments are bucketed by their line,
 * then each line is swept in order, so the many steps of a main line that follow one another (and
 * share nothing) cost no pair.
 */
export function sharedPairKeys(edges: LaidOutEdge[], longer = 20): Set<number> {
  // Keyed by line: 2 * its pixel + 1 for a horizontal one.
  const onLine = new Map<number, { edge: number; lo: number; hi: number }[]>();
  const file = (key: number, run: { edge: number; lo: number; hi: number }): void => {
    const runs = onLine.get(key);
    if (runs === undefined) onLine.set(key, [run]);
    else runs.push(run);
  };
  edges.forEach((e, index) => {
    for (let k = 0; k + 1 < e.points.length; k++) {
      const a = e.points[k]!;
      const b = e.points[k + 1]!;
      const flat = Math.abs(a.y - b.y) < 0.5;
      const run = flat ? { edge: index, lo: Math.min(a.x, b.x), hi: Math.max(a.x, b.x) } : { edge: index, lo: Math.min(a.y, b.y), hi: Math.max(a.y, b.y) };
      // Two buckets a pixel apart, so that any two lines under a pixel apart meet in one of them.
      const line = Math.floor(flat ? a.y : a.x);
      file(2 * line + (flat ? 1 : 0), run);
      file(2 * (line + 1) + (flat ? 1 : 0), run);
    }
  });
  const pairKeys = new Set<number>();
  for (const runs of onLine.values()) {
    if (runs.length < 2) continue;
    runs.sort((x, y) => x.lo - y.lo);
    const open: typeof runs = [];
    for (const r of runs) {
      // Runs that end within 20 px of this one's start can share no more than that with it or later ones.
      for (let i = open.length - 1; i >= 0; i--) if (open[i]!.hi - r.lo <= longer) open.splice(i, 1);
      for (const o of open) {
        if (o.edge === r.edge || Math.min(o.hi, r.hi) - r.lo <= longer) continue;
        pairKeys.add(o.edge * edges.length + r.edge);
        pairKeys.add(r.edge * edges.length + o.edge);
      }
      open.push(r);
    }
  }
  return pairKeys;
}

/**
 * Unrelated routes that separateRuns could not step apart (the run they share starts at a port, or
 * every step aside crosses too much) get one of them routed afresh, over the grid of the lines near
 * it (gridRoute): node sides and other routes an edge spacing off, the lines of routes out of the
 * same handle or into the same one (which it may join), and midways between. The search pays for
 * length, corners and crossings; it never runs through a node or a label, nor along or end to end
 * with an unrelated route, and turns only after a run of 2 * MIN_JOG. The new route is kept when
 * it shares no run over 20 px with its partner and no longer one than before with any other
 * unrelated route, and costs at most two corners and three crossings more (a crossing reads; a
 * retraced line does not). A labelled edge keeps its label's run: only the part before or after
 * it is routed afresh.
 */
function rerouteShared(edges: LaidOutEdge[], obstacleBoxes: Box[], obstacles: BoxGrid, pairKeys: Set<number>): void {
  const pairs = [...pairKeys].sort((a, b) => a - b);
  if (pairs.length === 0) return;
  const router = freshRouter(edges, obstacleBoxes, obstacles);
  for (const key of pairs) {
    const [i, j] = [Math.floor(key / edges.length), key % edges.length];
    if (i > j) continue;
    const [e, f] = [edges[i]!, edges[j]!];
    if (related(e, f) || sharedRun(e.points, f.points).length <= 20) continue;
    // The simpler route moves first: it has the fewer corners to lose.
    for (const k of bendsOf(e.points) <= bendsOf(f.points) ? [i, j] : [j, i]) {
      const partner = edges[k === i ? j : i]!;
      const pts = edges[k]!.points;
      const route = router.reroute(k, sharedRun(pts, partner.points).segment);
      if (!route) continue;
      if (bendsOf(route) > bendsOf(pts) + 2) continue;
      if (router.routes.crossings(route, String(k)) > router.routes.crossings(pts, String(k)) + 3) continue;
      // Off the partner's line.
      if (sharedRun(route, partner.points).length > 20) continue;
      edges[k]!.points = route;
      router.routes.set(String(k), route);
      break;
    }
  }
}

const bendsOf = (points: Point[]): number => Math.max(0, points.length - 2);

/**
 * A route with more than 4 corners, where issue 13 asks for one run of 2 to 4: ELK's lock loops
 * and Catches into a state on the main row come out with 5 or 6 (a label seated in another channel
 * than the route's way on, a turn round the node before the target). Each is routed afresh
 * (freshRouter): the whole route, or, labelled, the part before its label and then the part after
 * it. A new part is kept when the route has fewer corners than before and crosses no more routes
 * (one more, when that brings it to 4 corners or fewer).
 * A Catch bundle's members keep their routes: they run as one into their target.
 */
function rerouteCrooked(edges: LaidOutEdge[], obstacleBoxes: Box[], obstacles: BoxGrid, frames: BoxGrid): void {
  const corners = (points: Point[]): number => bendsOf(dropCollinear(points));
  const crooked = edges.flatMap((e, i) => (corners(e.points) > 4 && !edges.some((o) => o !== e && bundled(o, e)) ? [i] : []));
  if (crooked.length === 0) return;
  const router = freshRouter(edges, obstacleBoxes, obstacles);
  // Corners cost more than the shortest way: that is what is wrong with these routes. They may run
  // an edge spacing past the drawing's edge, round everything.
  const costs = CROOKED_COSTS;
  // Fewer corners, and no more crossings; one more buys a route of at most 4 corners (a crossing
  // reads; a staircase does not).
  const better = (route: Point[] | undefined, than: Point[], id: string): route is Point[] =>
    route !== undefined && corners(route) < corners(than) && router.routes.crossings(route, id) <= router.routes.crossings(than, id) + (corners(route) <= 4 ? 1 : 0);
  for (const i of crooked) {
    const e = edges[i]!;
    const id = String(i);
    for (const part of e.label ? (['before', 'after'] as const) : (['whole'] as const)) {
      const pts = e.points;
      const k = e.label ? labelSegment(pts, e.label.box) : -1;
      const segment = part === 'whole' ? 0 : part === 'before' ? (k > 0 ? 0 : -1) : k >= 0 && k < pts.length - 2 ? pts.length - 2 : -1;
      if (segment < 0) continue;
      const route = router.reroute(i, segment, costs);
      if (!better(route, pts, id)) continue;
      e.points = route;
      router.routes.set(id, route);
    }
    // A label seated in another channel than the route's way on holds the bends there: the whole
    // route goes afresh and the label is seated again on its longest run (seatOnRoute).
    const label = e.label;
    if (!label || corners(e.points) <= 4) continue;
    const route = router.reroute(i, -1, costs);
    if (!better(route, e.points, id)) continue;
    const old = label.box;
    const seat = seatOnRoute(route, old, (b) => seatIsFree(b, e, id, edges, obstacles, frames, router.routes));
    if (seat) takeWithSeat(e, id, route, seat, router.routes, obstacles);
  }
}

/**
 * What rerouteCrooked's and makeRoomForCrooked's searches pay: corners cost more than the shortest
 * way, as that is what is wrong with these routes. They may run an edge spacing past the drawing's
 * edge, round everything.
 */
const CROOKED_COSTS: RerouteCosts = (() => {
  const spacing = METRICS.edgeEdge;
  return { bend: 30 * spacing, cross: 10 * spacing, margin: 20 * spacing, beyond: 2 * spacing, clear: 10, endRoom: 2 * ARROW_ROOM };
})();

/** makeRoomForCrooked's searches: rerouteCrooked's prices in a narrower window (six edge spacings round the ends), as it makes many. */
const ROOM_COSTS: RerouteCosts = { ...CROOKED_COSTS, margin: 6 * METRICS.edgeEdge };

/** How many routes makeRoomForCrooked searches in one scope at most, and over how many grid points in all. */
const ROOM_SEARCHES = 400;
const ROOM_GRID = 60_000;

/** What makeRoomForCrooked may move a node by, across the flow: one to six edge spacings either way, doubling. */
const ROOM_SHIFTS = [1, -1, 2, -2, 4, -4, 6, -6].map((k) => k * METRICS.edgeEdge);

/**
 * A route still crooked after rerouteCrooked (more than 4 corners) has no better way with the
 * nodes where ELK put them: a Fail state placed in the gap its neighbour's Default must pass
 * (test-result-recorder), a Fail state whose top is reached only round the state above it
 * (ship-order). Here one node near the route moves across the flow, up to ROOM_SHIFTS, inside its
 * lane and clear of every other node, label, loop-frame room and route; every edge at it and the
 * crooked edge are routed afresh (freshRouter) and their labels seated again. The move is kept
 * when those edges then have fewer corners in all, the crooked one 4 or fewer, none more than 4
 * unless it had that many already, and at most one more crossing (as in rerouteCrooked: a crossing
 * reads, a staircase does not); of several, the fewest corners, then crossings, then the shortest
 * move. Containers and nodes a loop frame holds stay: their contents and frames would move too.
 */
function makeRoomForCrooked(
  edges: LaidOutEdge[],
  nodes: LaidOutNode[],
  obstacleBoxes: Box[],
  obstacles: BoxGrid,
  frames: BoxGrid,
  room: { horizontal: boolean; bandOf: (id: string) => [number, number]; fixed: (id: string) => boolean },
): void {
  const corners = (points: Point[]): number => bendsOf(dropCollinear(points));
  const inBundle = (e: LaidOutEdge): boolean => edges.some((o) => o !== e && bundled(o, e));
  const crooked = edges.flatMap((e, i) => (corners(e.points) > 4 && !inBundle(e) ? [i] : []));
  if (crooked.length === 0) return;
  const spacing = METRICS.edgeEdge;
  const grow = (b: Box, m: number): Box => ({ x: b.x - m, y: b.y - m, width: b.width + 2 * m, height: b.height + 2 * m });
  const cornersOf = (b: Box): [Point, Point] => [{ x: b.x, y: b.y }, { x: b.x + b.width, y: b.y + b.height }];
  // Routes searched at most, for the whole scope: each search looks through a window round a long
  // route, and a big drawing can have a few such routes; a bound on work, not time, keeps it the same drawing every run.
  let searches = ROOM_SEARCHES;
  const budget = { grid: ROOM_GRID };
  for (const c of crooked) {
    const route = edges[c]!.points;
    if (corners(route) <= 4) continue;
    // The crooked edge's own ends, and the nodes its route goes round (it passes within three edge spacings).
    const near = (n: LaidOutNode): boolean => n.id === edges[c]!.from || n.id === edges[c]!.to || route.some((p, k) => k > 0 && passesThrough(route[k - 1]!, p, grow(n.box, 3 * spacing)));
    let best: { score: [number, number, number]; node: LaidOutNode; shift: number; routes: Map<number, Point[]>; seats: Map<number, Box> } | undefined;
    // The routes as they stand: every try puts them back, so one index serves every node's `before`.
    let standing: SegmentIndex | undefined;
    for (const n of nodes) {
      if (n.kind === 'container' || room.fixed(n.id) || !near(n)) continue;
      // The crooked edge first: without a way of at most 4 corners for it, the move is not worth the others' search.
      const group = [c, ...edges.flatMap((e, i) => (i !== c && (e.from === n.id || e.to === n.id) ? [i] : []))];
      if (group.some((i) => edges[i]!.from === edges[i]!.to || inBundle(edges[i]!))) continue;
      // A node the crooked edge only passes: were it gone, with its edges, would the crooked edge
      // find a way of at most 4 corners? If not, no move of it gives one (one search, not one a shift).
      if (n.id !== edges[c]!.from && n.id !== edges[c]!.to && !helpsGone(n, group)) continue;
      const before = { corners: group.reduce((sum, i) => sum + corners(edges[i]!.points), 0), crossings: groupCrossings((standing ??= SegmentIndex.ofEdges(edges)), group) };
      for (const shift of ROOM_SHIFTS) {
        if (searches <= 0 || budget.grid <= 0) break;
        const trial = tryMove(n, shift, group, before);
        if (!trial) continue;
        if (!best || lexLess(trial.score, best.score)) best = { ...trial, node: n, shift };
      }
    }
    if (!best) continue;
    // Take the best move for good.
    const { node, shift } = best;
    obstacles.remove(node.box);
    moveNode(node, room.horizontal ? 0 : shift, room.horizontal ? shift : 0);
    obstacles.add(node.box);
    for (const [i, route] of best.routes) {
      const e = edges[i]!;
      e.points = route;
      const seat = best.seats.get(i);
      if (e.label && seat) {
        obstacles.remove(e.label.box);
        obstacles.add(seat);
        e.label.box = seat;
      }
    }
  }

  /** Whether the crooked edge group[0] has a way of at most 4 corners with node n and the rest of the group gone. Leaves everything as it was. */
  function helpsGone(n: LaidOutNode, group: number[]): boolean {
    if (searches-- <= 0) return false;
    obstacles.remove(n.box);
    const others = takeOut(group.slice(1));
    const route = freshRouter(edges, obstacleBoxes, obstacles).reroute(group[0]!, -1, ROOM_COSTS, budget);
    putBack(others);
    obstacles.add(n.box);
    return route !== undefined && corners(route) <= 4;
  }

  /** Takes the edges' routes and labels out of the drawing (and the labels out of the obstacles); what putBack needs. */
  function takeOut(ids: number[]): { i: number; points: Point[]; label: LaidOutEdge['label'] }[] {
    return ids.map((i) => {
      const e = edges[i]!;
      const taken = { i, points: e.points, label: e.label };
      e.points = [];
      if (e.label) {
        obstacles.remove(e.label.box);
        delete e.label;
      }
      return taken;
    });
  }

  function putBack(taken: { i: number; points: Point[]; label: LaidOutEdge['label'] }[]): void {
    for (const { i, points, label } of taken) {
      edges[i]!.points = points;
      if (label) {
        edges[i]!.label = label;
        obstacles.add(label.box);
      }
    }
  }

  /** Crossings of the group's routes with the other routes and with one another, each pair once. */
  function groupCrossings(index: SegmentIndex, group: number[]): number {
    let total = group.reduce((sum, i) => sum + index.crossings(edges[i]!.points, String(i)), 0);
    // A pair inside the group was counted from both sides.
    group.forEach((i, k) => {
      for (const j of group.slice(k + 1)) total -= routeCrossings(edges[i]!.points, edges[j]!.points);
    });
    return total;
  }

  function lexLess(a: number[], b: number[]): boolean {
    const k = a.findIndex((v, i) => v !== b[i]);
    return k >= 0 && a[k]! < b[k]!;
  }

  /**
   * The routes and label seats of `group` with node n moved by shift, and their score; undefined
   * when the move is not kept. The group's ends on each side of n keep their places on the side but
   * may trade them (a route that comes round to the far side of n takes the far place). Leaves
   * everything as it was.
   */
  function tryMove(n: LaidOutNode, shift: number, group: number[], before: { corners: number; crossings: number }): { score: [number, number, number]; routes: Map<number, Point[]>; seats: Map<number, Box> } | undefined {
    const [dx, dy] = room.horizontal ? [0, shift] : [shift, 0];
    const box = { ...n.box, x: n.box.x + dx, y: n.box.y + dy };
    // Inside its lane's band, clear of the other nodes, labels and loop-frame room.
    const [lo, hi] = room.bandOf(n.id);
    const [b0, b1] = room.horizontal ? [box.y, box.y + box.height] : [box.x, box.x + box.width];
    if (b0 < lo || b1 > hi) return undefined;
    const clearBox = cornersOf(grow(box, spacing));
    const own = group.flatMap((i) => (edges[i]!.label ? [edges[i]!.label!.box] : []));
    if (obstacles.hits(clearBox[0], clearBox[1], 0, [n.box, ...own]) || frames.hits(...cornersOf(box))) return undefined;
    // No route but the group's may run there.
    const members = new Set(group);
    const roomBox = grow(box, METRICS.edgeNode / 2);
    if (edges.some((e, i) => !members.has(i) && e.points.some((p, k) => k > 0 && passesThrough(e.points[k - 1]!, p, roomBox)))) return undefined;
    // Move the node and take the group's routes and labels out.
    const oldBox = { ...n.box };
    obstacles.remove(n.box);
    moveNode(n, dx, dy);
    obstacles.add(n.box);
    const saved = takeOut(group);
    const router = freshRouter(edges, obstacleBoxes, obstacles);
    // The ends at n, moved with it, by side.
    const atNode = new Map<number, Point>();
    const bySide = new Map<string, number[]>();
    for (const { i, points } of saved) {
      const out = edges[i]!.from === n.id;
      if (!out && edges[i]!.to !== n.id) continue;
      const p = out ? points[0]! : points[points.length - 1]!;
      atNode.set(i, { x: p.x + dx, y: p.y + dy });
      const side = sideOfBox(n.box, atNode.get(i)!);
      bySide.set(side, [...(bySide.get(side) ?? []), i]);
    }
    // The crooked edge's end at n may trade places with each other end on its side.
    const assignments: Map<number, Point>[] = [atNode];
    const mine = atNode.get(group[0]!);
    for (const i of mine ? bySide.get(sideOfBox(n.box, mine))! : []) {
      if (i === group[0]) continue;
      assignments.push(new Map([...atNode, [group[0]!, atNode.get(i)!], [i, mine!]]));
    }
    let best: { score: [number, number, number]; routes: Map<number, Point[]>; seats: Map<number, Box> } | undefined;
    // Places of the crooked edge's end where it found no way: the other ends' places do not change that.
    const dead = new Set<string>();
    for (const places of assignments) {
      const end = places.get(group[0]!);
      const key = end ? `${end.x},${end.y}` : '';
      if (dead.has(key)) continue;
      const trial = routeGroup(places, () => dead.add(key));
      if (trial && (!best || lexLess(trial.score, best.score))) best = trial;
    }
    // Everything back as it was.
    putBack(saved);
    obstacles.remove(n.box);
    moveNode(n, oldBox.x - n.box.x, oldBox.y - n.box.y);
    obstacles.add(n.box);
    return best;

    /** Routes the group with its ends at n in these places and seats its labels; the score if kept. Takes them out again. */
    function routeGroup(places: Map<number, Point>, noWay: () => void): { score: [number, number, number]; routes: Map<number, Point[]>; seats: Map<number, Box> } | undefined {
      const routes = new Map<number, Point[]>();
      const seats = new Map<number, Box>();
      let ok = true;
      let cornersSoFar = 0;
      for (const { i, points } of saved) {
        const e = edges[i]!;
        const first = e.from === n.id ? places.get(i)! : points[0]!;
        const last = e.to === n.id ? places.get(i)! : points[points.length - 1]!;
        const d0 = unitOf(points[0]!, points[1]!);
        const dn = unitOf(points[points.length - 2]!, points[points.length - 1]!);
        e.points = [first, { x: first.x + d0.x * MIN_JOG, y: first.y + d0.y * MIN_JOG }, { x: last.x - dn.x * MIN_JOG, y: last.y - dn.y * MIN_JOG }, last];
        if (searches-- <= 0) {
          ok = false;
          break;
        }
        const route = router.reroute(i, -1, ROOM_COSTS, budget);
        if (i === group[0] && (!route || corners(route) > 4)) {
          noWay();
          ok = false;
          break;
        }
        cornersSoFar += route ? corners(route) : 0;
        // Corners only add up: past the old total, the move cannot be kept.
        if (!route || cornersSoFar >= before.corners) {
          ok = false;
          break;
        }
        e.points = route;
        router.routes.set(String(i), route);
        routes.set(i, route);
      }
      // Each label seated again on its new route.
      for (const { i, label } of saved) {
        if (!ok || !label) continue;
        const e = edges[i]!;
        const seat = seatOnRoute(e.points, label.box, (b) => seatIsFree(b, e, String(i), edges, obstacles, frames, router.routes), true);
        if (!seat) {
          ok = false;
          break;
        }
        e.label = { ...label, box: seat };
        obstacles.add(seat);
        seats.set(i, seat);
      }
      let score: [number, number, number] | undefined;
      if (ok) {
        const after = { corners: 0, crossings: groupCrossings(router.routes, group) };
        let worse = false;
        for (const { i, points } of saved) {
          const k = corners(edges[i]!.points);
          after.corners += k;
          if (k > Math.max(4, corners(points))) worse = true;
        }
        // As in rerouteCrooked, one more crossing buys the crooked edge its at most 4 corners.
        if (!worse && after.corners < before.corners && after.crossings <= before.crossings + 1) score = [after.corners, after.crossings, Math.abs(shift)];
      }
      for (const seat of seats.values()) obstacles.remove(seat);
      for (const { i } of saved) {
        edges[i]!.points = [];
        delete edges[i]!.label;
        router.routes.set(String(i), []);
      }
      return score ? { score, routes, seats } : undefined;
    }
  }
}

/** Proper crossings between two routes. */
function routeCrossings(p: Point[], q: Point[]): number {
  let count = 0;
  for (let i = 1; i < p.length; i++) for (let j = 1; j < q.length; j++) if (properCross(p[i - 1]!, p[i]!, q[j - 1]!, q[j]!)) count++;
  return count;
}

const unitOf = (a: Point, b: Point): Point => ({ x: Math.sign(b.x - a.x), y: Math.sign(b.y - a.y) });

/** Whether two boxes share some area (touching edges do not count). */
export const boxesOverlap = (a: Box, b: Box): boolean => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** What freshRouter's search pays and keeps to. */
interface RerouteCosts {
  /** A corner and a crossing, in pixels of length. */
  bend: number;
  cross: number;
  /** How far round the old route the search looks, and past the drawing's edge. */
  margin: number;
  beyond: number;
  /** Room kept from nodes and labels. */
  clear: number;
  /** No crossing this near another route's end (its arrowhead, its port): it reads as going in there. */
  endRoom: number;
}

/**
 * Routes the part of an edge's route that holds one of its segments afresh (gridRoute): the whole
 * route, or, when the edge has a label, the part before or after the label's run (whichever holds
 * the segment; none when the segment carries the label). The search pays for length, corners and
 * crossings; it never runs through a node or a label, nor along or end to end with an unrelated
 * route, and turns only after a run of 2 * MIN_JOG. A route that shares a longer run than before
 * with an unrelated route, or leaves a run under MIN_JOG, is none. The callers judge the rest.
 */
function freshRouter(edges: LaidOutEdge[], obstacleBoxes: Box[], obstacles: BoxGrid): { routes: SegmentIndex; reroute: (index: number, segment: number, costs?: RerouteCosts, budget?: { grid: number }) => Point[] | undefined } {
  const spacing = METRICS.edgeEdge;
  const routes = SegmentIndex.ofEdges(edges);
  const labels = new BoxGrid(edges.flatMap((e) => (e.label ? [e.label.box] : [])));
  // The scope's extent: a new route stays inside what is drawn already.
  const extent = extentOf([...obstacleBoxes.flatMap((b) => [{ x: b.x, y: b.y }, { x: b.x + b.width, y: b.y + b.height }]), ...edges.flatMap((e) => e.points)]);

  const reroute = (index: number, segment: number, costs: RerouteCosts = { bend: 2 * spacing, cross: 5 * spacing, margin: 6 * spacing, beyond: 0, clear: 6, endRoom: 0 }, budget?: { grid: number }): Point[] | undefined => {
    const e = edges[index]!;
    const pts = e.points;
    if (e.from === e.to || pts.length < 2) return undefined;
    let head = [pts[0]!];
    let tail = [pts[pts.length - 1]!];
    let d0 = unitOf(pts[0]!, pts[1]!);
    let dn = unitOf(pts[pts.length - 2]!, pts[pts.length - 1]!);
    let s = { x: pts[0]!.x + d0.x * MIN_JOG, y: pts[0]!.y + d0.y * MIN_JOG };
    let t = { x: tail[0]!.x - dn.x * MIN_JOG, y: tail[0]!.y - dn.y * MIN_JOG };
    // Segment -1: the whole route, its label left to the caller to seat again.
    const own = segment < 0 ? e.label?.box : undefined;
    if (e.label && segment >= 0) {
      const b = e.label.box;
      const k = labelSegment(pts, b);
      if (k < 0 || k === segment) return undefined;
      const [a, c] = [pts[k]!, pts[k + 1]!];
      const dir = unitOf(a, c);
      // Where the label's run starts and ends along its segment, MIN_JOG clear of the label.
      const flat = dir.y === 0;
      const [lo, hi] = flat ? [b.x - MIN_JOG, b.x + b.width + MIN_JOG] : [b.y - MIN_JOG, b.y + b.height + MIN_JOG];
      const [enter, leave] = (flat ? dir.x : dir.y) > 0 ? [lo, hi] : [hi, lo];
      const along = (v: number): Point => (flat ? { x: v, y: a.y } : { x: a.x, y: v });
      const within = (v: number): boolean => (flat ? (v - a.x) * (v - c.x) <= 0 : (v - a.y) * (v - c.y) <= 0);
      if (segment < k) {
        // The part before the label: it ends running into the label's run.
        t = within(enter) ? along(enter) : a;
        dn = dir;
        tail = pts.slice(k + 1);
      } else {
        s = within(leave) ? along(leave) : c;
        d0 = dir;
        head = pts.slice(0, k + 1);
      }
    }
    if ((d0.x !== 0) === (d0.y !== 0) || (dn.x !== 0) === (dn.y !== 0)) return undefined;
    const ends = [...head, s, t, ...tail];
    const win = extentOf([...pts, s, t], costs.margin);
    win.x0 = Math.max(win.x0, extent.x0 - costs.beyond);
    win.y0 = Math.max(win.y0, extent.y0 - costs.beyond);
    win.x1 = Math.min(win.x1, extent.x1 + costs.beyond);
    win.y1 = Math.min(win.y1, extent.y1 + costs.beyond);
    const inside = (x0: number, y0: number, x1: number, y1: number): boolean => x1 >= win.x0 && x0 <= win.x1 && y1 >= win.y0 && y0 <= win.y1;
    const xs = [...ends, ...pts].map((p) => p.x);
    const ys = [...ends, ...pts].map((p) => p.y);
    for (const b of obstacleBoxes) {
      if (!inside(b.x, b.y, b.x + b.width, b.y + b.height)) continue;
      xs.push(b.x - spacing, b.x + b.width + spacing);
      ys.push(b.y - spacing, b.y + b.height + spacing);
    }
    // Room past the drawing's edge, an edge spacing out, when the caller allows it.
    if (costs.beyond > 0) {
      xs.push(extent.x0 - spacing, extent.x1 + spacing);
      ys.push(extent.y0 - spacing, extent.y1 + spacing);
    }
    // The other routes' segments in the window: lines to keep off (unrelated ones) and to keep an edge spacing from.
    const near: { a: Point; b: Point; related: boolean; ends: [Point, Point] }[] = [];
    edges.forEach((o, k) => {
      if (k === index) return;
      for (let m = 0; m + 1 < o.points.length; m++) {
        const [a, b] = [o.points[m]!, o.points[m + 1]!];
        if (!inside(Math.min(a.x, b.x), Math.min(a.y, b.y), Math.max(a.x, b.x), Math.max(a.y, b.y))) continue;
        const flat = Math.abs(a.y - b.y) < 0.5;
        const fan = related(o, e);
        near.push({ a, b, related: fan, ends: [o.points[0]!, o.points[o.points.length - 1]!] });
        // A route out of the same handle or into the same one may join it: its line is a line too.
        if (flat) ys.push(a.y - spacing, a.y + spacing, ...(fan ? [a.y] : []));
        else xs.push(a.x - spacing, a.x + spacing, ...(fan ? [a.x] : []));
      }
    });
    // Midways between lines far apart, so that a route can also run down the middle of a gap.
    const lines = (values: number[], lo: number, hi: number): number[] => {
      const sorted = gridLines(values.filter((v) => v >= lo && v <= hi));
      const out: number[] = [];
      sorted.forEach((v, k) => {
        const next = sorted[k + 1];
        out.push(v);
        if (next !== undefined && next - v > 3 * spacing) out.push((v + next) / 2);
      });
      return out;
    };
    const gx = lines(xs, Math.min(win.x0, ...ends.map((p) => p.x)), Math.max(win.x1, ...ends.map((p) => p.x)));
    const gy = lines(ys, Math.min(win.y0, ...ends.map((p) => p.y)), Math.max(win.y1, ...ends.map((p) => p.y)));
    if (gx.length * gy.length > 40_000) return undefined;
    if (budget) {
      if (budget.grid < gx.length * gy.length) return undefined;
      budget.grid -= gx.length * gy.length;
    }
    const close = spacing * 0.75;
    // A step runs on one grid line: only the segments beside that line or across it can block it,
    // so each line gets its list once (a search asks about thousands of steps).
    const onLine = (values: number[], flat: boolean): Map<number, typeof near> => {
      const lists = new Map<number, typeof near>();
      for (const v of values) {
        lists.set(
          v,
          near.filter((o) => {
            const along = Math.abs(o.a.y - o.b.y) < 0.5 === flat;
            if (along) return Math.abs((flat ? o.a.y : o.a.x) - v) < close;
            const [lo, hi] = flat ? [Math.min(o.a.y, o.b.y), Math.max(o.a.y, o.b.y)] : [Math.min(o.a.x, o.b.x), Math.max(o.a.x, o.b.x)];
            return v > lo && v < hi;
          }),
        );
      }
      return lists;
    };
    const byRow = onLine(gy, true);
    const byColumn = onLine(gx, false);
    const blocked = (a: Point, b: Point): boolean => {
      if (obstacles.hits(a, b, costs.clear, own) || obstacles.hits(a, b, 0, own) || labels.hits(a, b, 0, own)) return true;
      const flat = Math.abs(a.y - b.y) < 0.5;
      for (const o of (flat ? byRow.get(a.y) : byColumn.get(a.x)) ?? near) {
        if (costs.endRoom > 0 && properCross(a, b, o.a, o.b)) {
          // Where the two cross: the vertical one's x, the horizontal one's y.
          const at = Math.abs(a.y - b.y) < 0.5 ? { x: o.a.x, y: a.y } : { x: a.x, y: o.a.y };
          if (o.ends.some((end) => Math.abs(at.x - end.x) + Math.abs(at.y - end.y) < costs.endRoom)) return true;
        }
        const run = alongside(a, b, o.a, o.b);
        // Joining a related route is fine; running beside it, closer than an edge spacing, is not.
        if (!run || run.gap >= close || (o.related && run.gap < 0.5)) continue;
        // On an unrelated route's very line, not even end to end: with a gap of a few pixels the
        // two read as one line that kinks.
        if (run.overlap > 0.5 || (run.gap < 0.5 && run.overlap > -spacing)) return true;
      }
      return false;
    };
    const id = String(index);
    const path = gridRoute({ from: s, fromDir: d0, to: t, toDir: dn, xs: gx, ys: gy, blocked, crossings: (a, b) => routes.crossings([a, b], id), bendCost: costs.bend, crossCost: costs.cross, minRun: 2 * MIN_JOG });
    if (!path) return undefined;
    const route = dropCollinear([...head, ...path, ...tail]);
    for (let k = 1; k + 2 < route.length; k++) if (Math.abs(route[k + 1]!.x - route[k]!.x) + Math.abs(route[k + 1]!.y - route[k]!.y) < MIN_JOG) return undefined;
    // Onto no unrelated route's line (a run it shared before is another pass's business).
    if (edges.some((o, k) => k !== index && !related(o, e) && sharedRun(route, o.points).length > Math.max(20, sharedRun(pts, o.points).length))) return undefined;
    return route;
  };
  return { routes, reroute };
}

/**
 * A labelled route that ELK ran as a staircase (each layer it crosses puts its dummy at another
 * height) keeps its steps after the other straightening passes: those move a label by less than a
 * stutter only, so a Catch from a wide Parallel down to a handler three layers on came out with 6
 * bends. Here such a route is straightened whole, as an unlabelled one is (no more crossings than
 * before, runs clear of nodes and labels), and its label is seated again on the new route: on the
 * longest run that holds it clear of the bends and the arrowhead, as near that run's middle as it
 * is free of nodes, labels and other routes. Without such a place the route stays as it was.
 * With `last`, after every other pass, it takes every route that still turns, labelled or not,
 * and may seat a label on the first or last run too.
 */
const LABEL_ROOM = 4;

function reseatLabels(edges: LaidOutEdge[], obstacles: BoxGrid, frames: BoxGrid, skip: Set<number>, last = false): void {
  const candidates = edges.filter((e) => (last ? e.points.length > 2 : e.label && e.points.length > 4) && !skip.has(e.index));
  if (candidates.length === 0) return;
  const routes = SegmentIndex.ofEdges(edges);
  const idOf = new Map(edges.map((e, i) => [e, String(i)]));
  for (const e of candidates) {
    const label = e.label;
    const old = label?.box;
    const id = idOf.get(e)!;
    // Nor into more of the room kept for loop frames than before.
    const intoFrames = (stretch: Point[]): number => stretch.slice(1).filter((q, k) => frames.hits(stretch[k]!, q)).length;
    // Nor may a moved stretch run along another route where it did not: a line both share reads as one.
    const shared = (stretch: Point[]): number => {
      let total = 0;
      for (const r of routes.routesNear(stretch)) if (r !== id) total += sharedRun(stretch, edges[Number(r)]!.points).length;
      return total;
    };
    const route = straighten(e.points, obstacles, {
      limit: Infinity,
      clear: METRICS.edgeNode / 2,
      ignore: old,
      accept: (before, after) => routes.crossings(after, id) <= routes.crossings(before, id) && shared(after) <= shared(before) && intoFrames(after) <= intoFrames(before),
    });
    if (route.length >= e.points.length) continue;
    if (!label || !old) {
      e.points = route;
      routes.set(id, route);
      continue;
    }
    const seat = seatOnRoute(route, old, (b) => seatIsFree(b, e, id, edges, obstacles, frames, routes), last);
    if (seat) takeWithSeat(e, id, route, seat, routes, obstacles);
  }
}

/** Gives edge e (`id` in routes) the new route and its label the new seat; the index and the obstacles follow. */
function takeWithSeat(e: LaidOutEdge, id: string, route: Point[], seat: Box, routes: SegmentIndex, obstacles: BoxGrid): void {
  obstacles.remove(e.label!.box);
  obstacles.add(seat);
  e.label!.box = seat;
  e.points = route;
  routes.set(id, route);
}

/**
 * Whether edge e's label may sit at `seat`: a few pixels clear of every node, label and loop-frame
 * room but its own old place, and of every other route, so that two labels never touch.
 */
function seatIsFree(seat: Box, e: LaidOutEdge, id: string, edges: LaidOutEdge[], obstacles: BoxGrid, frames: BoxGrid, routes: SegmentIndex): boolean {
  const b = { x: seat.x - LABEL_ROOM, y: seat.y - LABEL_ROOM, width: seat.width + 2 * LABEL_ROOM, height: seat.height + 2 * LABEL_ROOM };
  const [p, q] = [{ x: b.x, y: b.y }, { x: b.x + b.width, y: b.y + b.height }];
  return !obstacles.hits(p, q, 0, e.label?.box) && !frames.hits(p, q) && !routes.enters(b, id) && !edges.some((o) => o !== e && o.label !== undefined && boxesOverlap(o.label.box, b));
}

/**
 * Where a label of the size of `box` sits centred on a run of the route (see reseatLabels), or
 * undefined. Not on the first or last run, unless `ends`: those leave and enter ports that a fan or
 * a merge shares, and the passes that spread them apart would find a label holding them together.
 */
function seatOnRoute(route: Point[], box: Box, free: (b: Box) => boolean, ends = false): Box | undefined {
  const first = ends ? 0 : 1;
  const runs = route.slice(first, ends ? -1 : -2).map((a, i) => ({ k: i + first, a, b: route[i + first + 1]!, length: Math.abs(route[i + first + 1]!.x - a.x) + Math.abs(route[i + first + 1]!.y - a.y) }));
  runs.sort((x, y) => y.length - x.length || x.k - y.k);
  for (const { k, a, b } of runs) {
    const flat = Math.abs(a.y - b.y) < 0.5;
    const depth = flat ? box.width : box.height;
    const [s0, s1] = flat ? [a.x, b.x] : [a.y, b.y];
    const forward = s1 >= s0;
    // Clear of the bends by a stutter, and of the arrowhead.
    const startRoom = MIN_JOG;
    const endRoom = k + 2 === route.length ? ARROW_ROOM + LABEL_ROOM : MIN_JOG;
    const lo = forward ? s0 + startRoom : s1 + endRoom;
    const hi = forward ? s1 - endRoom : s0 - startRoom;
    if (hi - lo < depth) continue;
    const middle = (lo + hi - depth) / 2;
    const at = (start: number): Box => (flat ? { x: start, y: a.y - box.height / 2, width: box.width, height: box.height } : { x: a.x - box.width / 2, y: start, width: box.width, height: box.height });
    for (let d = 0; middle - d >= lo || middle + d + depth <= hi; d += 4) {
      for (const start of d === 0 ? [middle] : [middle - d, middle + d]) {
        if (start < lo || start + depth > hi) continue;
        const seat = at(start);
        if (free(seat)) return seat;
      }
    }
  }
  return undefined;
}

/** The segment of a route that runs through the middle of its label's box, or -1. */
function labelSegment(points: Point[], box: Box): number {
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  for (let k = 0; k + 1 < points.length; k++) {
    const [a, b] = [points[k]!, points[k + 1]!];
    const flat = Math.abs(a.y - b.y) < 0.5;
    if (flat ? Math.abs(a.y - cy) < 1 && (cx - a.x) * (cx - b.x) <= 0 : Math.abs(a.x - cx) < 1 && (cy - a.y) * (cy - b.y) <= 0) return k;
  }
  return -1;
}

/** Which side of a box a point on its outline lies on (the nearest). */
function sideOfBox(box: Box, p: Point): 'top' | 'right' | 'bottom' | 'left' {
  const gaps = [
    ['top', Math.abs(p.y - box.y)],
    ['bottom', Math.abs(p.y - (box.y + box.height))],
    ['left', Math.abs(p.x - box.x)],
    ['right', Math.abs(p.x - (box.x + box.width))],
  ] as const;
  return gaps.reduce((best, g) => (g[1] < best[1] ? g : best))[0];
}

/** Boxes bucketed by a coarse grid, to find those near a segment in time independent of the graph's size. */
export class BoxGrid {
  private readonly cells = new Map<number, Box[]>();
  private static readonly CELL = 256;

  constructor(boxes: Box[]) {
    for (const b of boxes) this.add(b);
  }

  add(b: Box): void {
    const [x0, y0, x1, y1] = BoxGrid.span(b.x, b.y, b.x + b.width, b.y + b.height);
    for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) (this.cells.get(cellKey(x, y)) ?? this.cells.set(cellKey(x, y), []).get(cellKey(x, y))!).push(b);
  }

  /** Takes out a box added before (one with the same place and size). */
  remove(b: Box): void {
    const [x0, y0, x1, y1] = BoxGrid.span(b.x, b.y, b.x + b.width, b.y + b.height);
    for (let x = x0; x <= x1; x++) {
      for (let y = y0; y <= y1; y++) {
        const cell = this.cells.get(cellKey(x, y));
        const at = cell?.findIndex((o) => sameBox(o, b)) ?? -1;
        if (at >= 0) cell!.splice(at, 1);
      }
    }
  }

  private static span(ax: number, ay: number, bx: number, by: number): [number, number, number, number] {
    const c = BoxGrid.CELL;
    return [Math.floor(Math.min(ax, bx) / c), Math.floor(Math.min(ay, by) / c), Math.floor(Math.max(ax, bx) / c), Math.floor(Math.max(ay, by) / c)];
  }

  /** Whether the segment from a to b runs through the inside of any box grown by `clear` on every side. */
  hits(a: Point, b: Point, clear = 0, ignore?: Box | (Box | undefined)[]): boolean {
    // Asked a few hundred thousand times a drawing: no arrays or points are made for a question.
    // Every cell the segment grown by `clear` reaches, whichever way it runs.
    const c = BoxGrid.CELL;
    const x0 = Math.floor((Math.min(a.x, b.x) - clear) / c);
    const y0 = Math.floor((Math.min(a.y, b.y) - clear) / c);
    const x1 = Math.floor((Math.max(a.x, b.x) + clear) / c);
    const y1 = Math.floor((Math.max(a.y, b.y) + clear) / c);
    let loX = Math.min(a.x, b.x);
    let loY = Math.min(a.y, b.y);
    let hiX = Math.max(a.x, b.x);
    let hiY = Math.max(a.y, b.y);
    // With a clearance, the segment's own ends do not count (one may be a port on a node's side).
    if (clear > 0) {
      if (hiX - loX >= hiY - loY) {
        if (hiX - loX <= 2 * (clear + 1)) return false;
        loX += clear + 1;
        hiX -= clear + 1;
      } else {
        if (hiY - loY <= 2 * (clear + 1)) return false;
        loY += clear + 1;
        hiY -= clear + 1;
      }
    }
    for (let x = x0; x <= x1; x++) {
      for (let y = y0; y <= y1; y++) {
        const cell = this.cells.get(cellKey(x, y));
        if (cell === undefined) continue;
        for (const o of cell) {
          if (hiX > o.x + 0.5 - clear && loX < o.x + o.width - 0.5 + clear && hiY > o.y + 0.5 - clear && loY < o.y + o.height - 0.5 + clear && !ignored(o, ignore)) return true;
        }
      }
    }
    return false;
  }
}

/** Whether box o is the one to ignore, or one of them (the same place and size). */
function ignored(o: Box, ignore: Box | (Box | undefined)[] | undefined): boolean {
  if (ignore === undefined) return false;
  if (!Array.isArray(ignore)) return sameBox(o, ignore);
  for (const x of ignore) if (x !== undefined && sameBox(o, x)) return true;
  return false;
}

export interface StraightenOptions {
  /** Steps shorter than this are taken out (default MIN_JOG: the stutters only). */
  limit?: number;
  /** Room a moved run keeps from nodes and labels, for steps of MIN_JOG and more. */
  clear?: number;
  /** For steps of MIN_JOG and more: whether the new stretch of route (after) may replace the old one (before). */
  accept?: (before: Point[], after: Point[]) => boolean;
  /** A box that is no obstacle (the route's own label, which moves with its run). */
  ignore?: Box;
}

/**
 * The segments of every route in a coarse grid, to count how many routes a stretch of one route
 * crosses in time independent of the diagram's size. Built afresh by most passes (a dozen times a
 * drawing), so it is kept light: a segment is one record with its coordinates (not two point
 * copies), a cell an array (not a Set). That was a seventh of the memory a layout allocated
 * outside ELK, and with it the collector's time.
 */
class SegmentIndex {
  private static readonly CELL = 256;
  private readonly cells = new Map<number, Segment[]>();
  private readonly byRoute = new Map<string, Segment[]>();
  /**
   * The cells of the last keys() call. The index is asked a few hundred thousand times a drawing;
   * one buffer instead of an array per question keeps that garbage (and the collector's time) down.
   * Every caller walks it before it asks again.
   */
  private static readonly scratch: number[] = [];
  /** Marks the segments one question has counted (a segment filed in two cells counts once). */
  private static question = 0;

  constructor(routes: Map<string, Point[]>) {
    for (const [id, points] of routes) this.set(id, points);
  }

  /** The routes of the edges, each under its index in the list (what the passes call an edge's id). */
  static ofEdges(edges: LaidOutEdge[]): SegmentIndex {
    const index = new SegmentIndex(new Map());
    edges.forEach((e, i) => index.set(String(i), e.points));
    return index;
  }

  /**
   * ofEdges, made when first asked: a pass that finds nothing to move pays nothing. The routes are
   * read then, so a pass must not move one before it asks (each asks before it moves).
   */
  static lazy(edges: LaidOutEdge[]): RouteQueries {
    let built: SegmentIndex | undefined;
    const index = (): SegmentIndex => (built ??= SegmentIndex.ofEdges(edges));
    return {
      set: (id, points) => index().set(id, points),
      setAll: (ids, routes) => index().setAll(ids, routes),
      crossingsAfterSetting: (ids, routes) => index().crossingsAfterSetting(ids, routes),
      enters: (box, own) => index().enters(box, own),
      routesNear: (poly) => index().routesNear(poly),
      crossings: (poly, own) => index().crossings(poly, own),
    };
  }

  /** The cells the box from (ax, ay) to (bx, by), grown by pad, covers, in SegmentIndex.scratch; their count. */
  private static keys(ax: number, ay: number, bx: number, by: number, pad = 0): number {
    const c = SegmentIndex.CELL;
    const out = SegmentIndex.scratch;
    let count = 0;
    const y0 = Math.floor((Math.min(ay, by) - pad) / c);
    const y1 = Math.floor((Math.max(ay, by) + pad) / c);
    const x1 = Math.floor((Math.max(ax, bx) + pad) / c);
    for (let x = Math.floor((Math.min(ax, bx) - pad) / c); x <= x1; x++) {
      for (let y = y0; y <= y1; y++) out[count++] = cellKey(x, y);
    }
    return count;
  }

  set(id: string, points: Point[]): void {
    const cells = this.cells;
    const scratch = SegmentIndex.scratch;
    for (const seg of this.byRoute.get(id) ?? []) {
      for (let k = 0, n = SegmentIndex.keys(seg.ax, seg.ay, seg.bx, seg.by); k < n; k++) {
        // splice, not a swap with the last: a cell keeps the order its segments came in.
        const cell = cells.get(scratch[k]!);
        const at = cell ? cell.indexOf(seg) : -1;
        if (at >= 0) cell!.splice(at, 1);
      }
    }
    // The coordinates are copied: the passes move routes' points in place, and the index must know where it filed them.
    const segs: Segment[] = [];
    for (let i = 1; i < points.length; i++) {
      const a = points[i - 1]!;
      const b = points[i]!;
      const seg: Segment = { route: id, ax: a.x, ay: a.y, bx: b.x, by: b.y, question: 0 };
      segs.push(seg);
      for (let k = 0, n = SegmentIndex.keys(seg.ax, seg.ay, seg.bx, seg.by); k < n; k++) {
        const key = scratch[k]!;
        let cell = cells.get(key);
        if (cell === undefined) cells.set(key, (cell = []));
        cell.push(seg);
      }
    }
    this.byRoute.set(id, segs);
  }

  /** Sets each route k under ids[k]. */
  setAll(ids: string[], routes: Point[][]): void {
    routes.forEach((r, k) => this.set(ids[k]!, r));
  }

  /** Sets each route k under ids[k], then counts their proper crossings with every other route (a pair inside the group twice). */
  crossingsAfterSetting(ids: string[], routes: Point[][]): number {
    this.setAll(ids, routes);
    return routes.reduce((sum, r, k) => sum + this.crossings(r, ids[k]!), 0);
  }

  /** Whether a segment of any route but `own` runs through the box (touching its edge does not count). */
  enters(box: Box, own: string): boolean {
    const x0 = box.x;
    const y0 = box.y;
    const x1 = box.x + box.width;
    const y1 = box.y + box.height;
    for (let k = 0, n = SegmentIndex.keys(x0, y0, x1, y1); k < n; k++) {
      for (const seg of this.cells.get(SegmentIndex.scratch[k]!) ?? []) {
        if (seg.route === own) continue;
        if (Math.max(seg.ax, seg.bx) > x0 + 0.5 && Math.min(seg.ax, seg.bx) < x1 - 0.5 && Math.max(seg.ay, seg.by) > y0 + 0.5 && Math.min(seg.ay, seg.by) < y1 - 0.5) return true;
      }
    }
    return false;
  }

  /** The routes with a segment in the cells the polyline passes through: all that can cross it or share a run with it. */
  routesNear(poly: Point[]): Set<string> {
    const near = new Set<string>();
    for (let i = 1; i < poly.length; i++) {
      const a = poly[i - 1]!;
      const b = poly[i]!;
      for (let k = 0, n = SegmentIndex.keys(a.x, a.y, b.x, b.y); k < n; k++) for (const seg of this.cells.get(SegmentIndex.scratch[k]!) ?? []) near.add(seg.route);
    }
    return near;
  }

  /** Proper crossings of the polyline with every route but `own`. */
  crossings(poly: Point[], own: string): number {
    let count = 0;
    for (let i = 1; i < poly.length; i++) {
      const a = poly[i - 1]!;
      const b = poly[i]!;
      const question = ++SegmentIndex.question;
      for (let k = 0, n = SegmentIndex.keys(a.x, a.y, b.x, b.y); k < n; k++) {
        for (const seg of this.cells.get(SegmentIndex.scratch[k]!) ?? []) {
          if (seg.route === own || seg.question === question) continue;
          seg.question = question;
          if (crossProperly(a.x, a.y, b.x, b.y, seg.ax, seg.ay, seg.bx, seg.by)) count++;
        }
      }
    }
    return count;
  }
}

/** What the passes ask of a SegmentIndex (all a lazy one answers). */
type RouteQueries = Pick<SegmentIndex, 'set' | 'setAll' | 'crossingsAfterSetting' | 'enters' | 'routesNear' | 'crossings'>;

/** One run of a route, as the index filed it. */
interface Segment {
  route: string;
  ax: number;
  ay: number;
  bx: number;
  by: number;
  /** The last question that counted it (SegmentIndex.crossings). */
  question: number;
}

/** Whether a horizontal and a vertical segment cross inside both (touching at an end does not count). */
function properCross(a: Point, b: Point, c: Point, d: Point): boolean {
  return crossProperly(a.x, a.y, b.x, b.y, c.x, c.y, d.x, d.y);
}

/** properCross on coordinates: segment (ax, ay)-(bx, by) against (cx, cy)-(dx, dy). */
function crossProperly(ax: number, ay: number, bx: number, by: number, cx: number, cy: number, dx: number, dy: number): boolean {
  const abH = Math.abs(ay - by) < 0.01;
  const cdH = Math.abs(cy - dy) < 0.01;
  if (abH === cdH) return false;
  // Two calls rather than a swap through an array: this runs millions of times a drawing.
  return abH ? crossAt(ax, bx, ay, cx, cy, dy) : crossAt(cx, dx, cy, ax, ay, by);
}

/** Whether the horizontal run from hx0 to hx1 at height y and the vertical one at vx from vy0 to vy1 cross inside both. */
function crossAt(hx0: number, hx1: number, y: number, vx: number, vy0: number, vy1: number): boolean {
  return vx > Math.min(hx0, hx1) + 0.5 && vx < Math.max(hx0, hx1) - 0.5 && y > Math.min(vy0, vy1) + 0.5 && y < Math.max(vy0, vy1) - 0.5;
}

const sameBox = (a: Box, b: Box): boolean => Math.abs(a.x - b.x) < 0.01 && Math.abs(a.y - b.y) < 0.01 && Math.abs(a.width - b.width) < 0.01 && Math.abs(a.height - b.height) < 0.01;

/**
 * Takes the small steps out of an orthogonal route. ELK's interactive node placement puts the
 * dummy nodes of a long edge at slightly different heights in each layer it crosses, so the edge
 * becomes a staircase of 1–10 px steps (17 bends on one edge of lottery.fz). A step (a segment
 * shorter than MIN_JOG between two bends, with its neighbours running the same way: a Z) is
 * removed by moving the shorter neighbouring run onto the other's line, unless that run is the
 * first or the last (they hold the ports) or would then cross a node or a label. The route stays
 * orthogonal and ends where it ended.
 */
export function straighten(points: Point[], obstacles: BoxGrid, options: StraightenOptions = {}): Point[] {
  const limit = options.limit ?? MIN_JOG;
  let pts = dedupe(points);
  for (let guard = 0; guard < 4 * points.length; guard++) {
    pts = dropCollinear(pts);
    const n = pts.length;
    let changed = false;
    for (let i = 1; i + 2 < n && !changed; i++) {
      const a = pts[i]!;
      const b = pts[i + 1]!;
      const len = Math.abs(a.x - b.x) + Math.abs(a.y - b.y);
      if (len >= limit) continue;
      const axis: 'x' | 'y' = Math.abs(a.x - b.x) > 0.01 ? 'x' : 'y';
      // A run moved further than a stutter keeps clear of nodes and labels, as ELK's routes do.
      const clear = len < MIN_JOG ? 0 : (options.clear ?? 0);
      const before = pts[i - 1]!;
      const after = pts[i + 2]!;
      // A Z: the runs on both sides head the same way along the other axis.
      const other: 'x' | 'y' = axis === 'x' ? 'y' : 'x';
      if (Math.sign(a[other] - before[other]) !== Math.sign(after[other] - b[other])) continue;
      const runBefore = Math.abs(a[other] - before[other]);
      const runAfter = Math.abs(after[other] - b[other]);
      // Move the run after the step onto the line before it (i + 2 must not be the last point), or the
      // run before onto the line after (i - 1 must not be the first).
      const tries: ('after' | 'before')[] = runAfter <= runBefore ? ['after', 'before'] : ['before', 'after'];
      for (const which of tries) {
        if (which === 'after' && i + 2 < n - 1) {
          const next = pts[i + 3]!;
          const moved = axis === 'x' ? { x: a.x, y: after.y } : { x: after.x, y: a.y };
          // The segment after the run must keep its direction.
          if (Math.sign(next[axis] - moved[axis]) !== Math.sign(next[axis] - after[axis]) && Math.abs(next[axis] - moved[axis]) > 0.01) continue;
          if (obstacles.hits(a, moved, clear, options.ignore) || obstacles.hits(moved, next, clear, options.ignore)) continue;
          if (len >= MIN_JOG && options.accept && !options.accept([a, b, after, next], [a, moved, next])) continue;
          pts[i + 2] = moved;
          pts.splice(i + 1, 1);
          changed = true;
          break;
        }
        if (which === 'before' && i - 1 > 0) {
          const prev = pts[i - 2]!;
          const moved = axis === 'x' ? { x: b.x, y: before.y } : { x: before.x, y: b.y };
          if (Math.sign(moved[axis] - prev[axis]) !== Math.sign(before[axis] - prev[axis]) && Math.abs(moved[axis] - prev[axis]) > 0.01) continue;
          if (obstacles.hits(prev, moved, clear, options.ignore) || obstacles.hits(moved, b, clear, options.ignore)) continue;
          if (len >= MIN_JOG && options.accept && !options.accept([prev, before, a, b], [prev, moved, b])) continue;
          pts[i - 1] = moved;
          pts.splice(i, 1);
          changed = true;
          break;
        }
      }
    }
    if (!changed) break;
  }
  return dropCollinear(pts);
}

/** An upright box by its corners. */
interface Extent {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** The smallest upright box around the points, grown by margin on every side. */
function extentOf(points: Point[], margin = 0): Extent {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const p of points) {
    x0 = Math.min(x0, p.x - margin);
    y0 = Math.min(y0, p.y - margin);
    x1 = Math.max(x1, p.x + margin);
    y1 = Math.max(y1, p.y + margin);
  }
  return { x0, y0, x1, y1 };
}

/** Whether two extents meet, a pixel of slack each way (touching lines count). */
function extentsMeet(a: Extent, b: Extent): boolean {
  return a.x0 <= b.x1 + 1 && b.x0 <= a.x1 + 1 && a.y0 <= b.y1 + 1 && b.y0 <= a.y1 + 1;
}

/** Removes the middle one of three points on one line. */
function dropCollinear(points: Point[]): Point[] {
  const out: Point[] = [];
  for (const p of points) {
    const last = out[out.length - 1];
    if (last && Math.abs(last.x - p.x) < 0.01 && Math.abs(last.y - p.y) < 0.01) continue;
    out.push(p);
    while (out.length >= 3) {
      const u = out[out.length - 3]!;
      const v = out[out.length - 2]!;
      const w = out[out.length - 1]!;
      const straight = (Math.abs(u.x - v.x) < 0.01 && Math.abs(v.x - w.x) < 0.01) || (Math.abs(u.y - v.y) < 0.01 && Math.abs(v.y - w.y) < 0.01);
      if (!straight) break;
      out.splice(out.length - 2, 1);
    }
  }
  return out;
}

/** Moves an edge's route and its label by (dx, dy). */
export function moveEdge(e: { points: { x: number; y: number }[]; label?: { box: { x: number; y: number } } | undefined }, dx: number, dy: number): void {
  for (const p of e.points) {
    p.x += dx;
    p.y += dy;
  }
  if (e.label) {
    e.label.box.x += dx;
    e.label.box.y += dy;
  }
}

/** Moves a node and everything it carries (label, rows). */
export function moveNode(n: LaidOutNode, dx: number, dy: number): void {
  if (dx === 0 && dy === 0) return;
  n.box.x += dx;
  n.box.y += dy;
  n.labelCenter.x += dx;
  n.labelCenter.y += dy;
  for (const r of n.rows) {
    r.box.x += dx;
    r.box.y += dy;
  }
}

/**
 * If the last segment of a route (the first, with atStart) crosses another node on its way to the
 * port, bends the route into the gap between that node and the port's node instead:
 * … (xc, y0) → (xc, yh) → (xp, yh) → (xp, yPort) becomes … (xc, y0) → (xc, g) → (xp, g) → (xp, yPort).
 */
export function clearEnd(points: Point[], own: Box | undefined, obstacles: Box[], atStart: boolean): void {
  if (!own || points.length < 4) return;
  const pts = atStart ? [...points].reverse() : points;
  const n = pts.length - 1;
  const port = pts[n]!;
  const before = pts[n - 1]!;
  const vertical = Math.abs(before.x - port.x) < 0.01;
  const horizontal = Math.abs(before.y - port.y) < 0.01;
  if (vertical === horizontal) return;
  const a = vertical ? 'y' : 'x';
  const b = vertical ? 'x' : 'y';
  const lo = Math.min(before[a], port[a]);
  const hi = Math.max(before[a], port[a]);
  const hits = obstacles.filter((o) => {
    const o0 = vertical ? o.y : o.x;
    const o1 = o0 + (vertical ? o.height : o.width);
    const c0 = vertical ? o.x : o.y;
    const c1 = c0 + (vertical ? o.width : o.height);
    return port[b] > c0 && port[b] < c1 && o1 > lo && o0 < hi;
  });
  if (hits.length === 0) return;
  // The gap between the nearest obstacle and the port's side.
  const towardsPlus = before[a] < port[a];
  let edge = towardsPlus ? -Infinity : Infinity;
  for (const o of hits) {
    const o0 = vertical ? o.y : o.x;
    const o1 = o0 + (vertical ? o.height : o.width);
    edge = towardsPlus ? Math.max(edge, o1) : Math.min(edge, o0);
  }
  const g = (edge + port[a]) / 2;
  const corner = pts[n - 2]!;
  before[a] = g;
  corner[a] = g;
  if (atStart) {
    points.length = 0;
    points.push(...pts.reverse());
  }
}

function dedupe(points: Point[]): Point[] {
  const out: Point[] = [];
  for (const p of points) {
    const last = out[out.length - 1];
    if (!last || Math.abs(last.x - p.x) > 1e-6 || Math.abs(last.y - p.y) > 1e-6) out.push(p);
  }
  return out;
}
