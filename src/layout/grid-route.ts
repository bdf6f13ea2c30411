// A small orthogonal router for the few edges that ELK's routes leave sharing a line with an
// unrelated edge (apply-layout.ts, rerouteShared). Input: the two ends with the direction the route
// leaves and enters by, the candidate lines (x and y coordinates) and what a step may not do.
// Output: the cheapest route over the grid those lines make, or undefined.
// Why a grid of chosen lines and not a pixel grid: a route only needs to turn where something
// changes (a node's side, another route, an edge spacing off); libavoid's orthogonal visibility
// graph rests on the same idea. The grid is a window around one edge, so a search is small.
import type { Point } from './types.js';

export interface GridRouteQuery {
  from: Point;
  /** Unit direction of the first segment (out of the source's side). */
  fromDir: Point;
  to: Point;
  /** Unit direction of the last segment (into the target's side). */
  toDir: Point;
  xs: number[];
  ys: number[];
  /** Whether the step from a to b is not allowed (through a node or a label, along another route). */
  blocked: (a: Point, b: Point) => boolean;
  /** Crossings of the step from a to b with other routes. */
  crossings: (a: Point, b: Point) => number;
  /** What a corner costs, in pixels of length. */
  bendCost: number;
  /** What a crossing costs, in pixels of length. */
  crossCost: number;
  /** The shortest run between two corners. */
  minRun: number;
}

const DIRS: Point[] = [
  { x: 1, y: 0 },
  { x: -1, y: 0 },
  { x: 0, y: 1 },
  { x: 0, y: -1 },
];
const dirIndex = (d: Point): number => (d.x > 0 ? 0 : d.x < 0 ? 1 : d.y > 0 ? 2 : 3);

/** Sorted, without near-duplicates (under half a pixel apart). */
export function gridLines(values: number[]): number[] {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  const out: number[] = [];
  for (const v of sorted) if (out.length === 0 || v - out[out.length - 1]! >= 0.5) out.push(v);
  return out;
}

/** A binary heap of [cost, state] pairs, cheapest first. */
class Heap {
  private readonly costs: number[] = [];
  private readonly states: number[] = [];
  get size(): number {
    return this.costs.length;
  }
  push(cost: number, state: number): void {
    const c = this.costs;
    const s = this.states;
    let i = c.length;
    c.push(cost);
    s.push(state);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (c[p]! <= cost) break;
      c[i] = c[p]!;
      s[i] = s[p]!;
      i = p;
    }
    c[i] = cost;
    s[i] = state;
  }
  pop(): [number, number] {
    const c = this.costs;
    const s = this.states;
    const top: [number, number] = [c[0]!, s[0]!];
    const lastCost = c.pop()!;
    const lastState = s.pop()!;
    if (c.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= c.length) break;
        const r = l + 1;
        const m = r < c.length && c[r]! < c[l]! ? r : l;
        if (c[m]! >= lastCost) break;
        c[i] = c[m]!;
        s[i] = s[m]!;
        i = m;
      }
      c[i] = lastCost;
      s[i] = lastState;
    }
    return top;
  }
}

/**
 * The cheapest route from `from` to `to` over the grid (Dijkstra over grid point and heading): it
 * leaves along fromDir and arrives along toDir, turns only at grid points and never reverses.
 * Both ends must lie on grid lines. The route has its corners only (no points in a straight run).
 */
export function gridRoute(q: GridRouteQuery): Point[] | undefined {
  const { xs, ys } = q;
  const xi = xs.findIndex((x) => Math.abs(x - q.from.x) < 0.01);
  const yi = ys.findIndex((y) => Math.abs(y - q.from.y) < 0.01);
  const xt = xs.findIndex((x) => Math.abs(x - q.to.x) < 0.01);
  const yt = ys.findIndex((y) => Math.abs(y - q.to.y) < 0.01);
  if (xi < 0 || yi < 0 || xt < 0 || yt < 0) return undefined;
  const nx = xs.length;
  const ny = ys.length;
  // A state is a grid point, a heading and whether the run since the last corner is already
  // minRun long: only then may the route turn, so no step between two corners is a jog. (Each
  // state keeps the run length of its cheapest way in; a dearer way with a longer run is dropped,
  // so a route may be missed, never one with a jog returned.)
  const stateOf = (i: number, j: number, d: number, long: number): number => (((j * nx + i) * 4 + d) << 1) | long;
  const size = nx * ny * 8;
  const best = new Float64Array(size).fill(Infinity);
  const run = new Float64Array(size);
  const previous = new Int32Array(size).fill(-1);
  // Per grid point and heading: 0 not asked yet, -1 blocked, else 1 + the step's length and crossings' cost.
  const stepCost = new Float64Array(nx * ny * 4);
  const heap = new Heap();
  // The start is a corner's distance from the port already: the route may turn there.
  const start = stateOf(xi, yi, dirIndex(q.fromDir), 1);
  best[start] = 0;
  run[start] = q.minRun;
  heap.push(0, start);
  const arrive = dirIndex(q.toDir);
  let found = -1;
  while (heap.size > 0) {
    const [cost, state] = heap.pop();
    if (cost > best[state]!) continue;
    const long = state & 1;
    const d = (state >> 1) & 3;
    const cell = state >> 3;
    const i = cell % nx;
    const j = (cell - i) / nx;
    if (i === xt && j === yt && d === arrive) {
      found = state;
      break;
    }
    for (let nd = 0; nd < 4; nd++) {
      const dir = DIRS[nd]!;
      // No U-turn: a route never runs back over itself; no corner after a run under minRun.
      if (dir.x === -DIRS[d]!.x && dir.y === -DIRS[d]!.y) continue;
      if (nd !== d && !long) continue;
      const ni = i + dir.x;
      const nj = j + dir.y;
      if (ni < 0 || nj < 0 || ni >= nx || nj >= ny) continue;
      // A step is asked about once, however many states reach its start.
      const slot = cell * 4 + nd;
      if (stepCost[slot] === 0) {
        const a = { x: xs[i]!, y: ys[j]! };
        const b = { x: xs[ni]!, y: ys[nj]! };
        stepCost[slot] = q.blocked(a, b) ? -1 : 1 + Math.abs(b.x - a.x) + Math.abs(b.y - a.y) + q.crossings(a, b) * q.crossCost;
      }
      if (stepCost[slot]! < 0) continue;
      const length = Math.abs(xs[ni]! - xs[i]!) + Math.abs(ys[nj]! - ys[j]!);
      const sofar = (nd === d ? run[state]! : 0) + length;
      const step = stepCost[slot]! - 1 + (nd === d ? 0 : q.bendCost);
      const next = stateOf(ni, nj, nd, sofar >= q.minRun ? 1 : 0);
      if (cost + step < best[next]!) {
        best[next] = cost + step;
        run[next] = sofar;
        previous[next] = state;
        heap.push(cost + step, next);
      }
    }
  }
  if (found < 0) return undefined;
  const cells: Point[] = [];
  for (let s = found; s >= 0; s = previous[s]!) {
    const cell = s >> 3;
    const i = cell % nx;
    cells.push({ x: xs[i]!, y: ys[(cell - i) / nx]! });
  }
  cells.reverse();
  // Corners only.
  const out: Point[] = [cells[0]!];
  for (let k = 1; k < cells.length - 1; k++) {
    const [a, p, b] = [out[out.length - 1]!, cells[k]!, cells[k + 1]!];
    const straight = (Math.abs(a.x - p.x) < 0.01 && Math.abs(p.x - b.x) < 0.01) || (Math.abs(a.y - p.y) < 0.01 && Math.abs(p.y - b.y) < 0.01);
    if (!straight) out.push(p);
  }
  if (cells.length > 1) out.push(cells[cells.length - 1]!);
  return out;
}
