// Two or more edges into (or out of) one straight side along the flow each get a point of their own
// on that side (src/layout/to-elk.ts, spreadPorts): separate arrows instead of one trunk, an edge
// spacing apart, ordered by where their other ends lie, the straight one keeping the middle. Where
// ELK still drew them from one point (diamond corners, sides across the flow), applyLayout's
// spreadSharedEnds moves each end onto the outline, a spacing apart. Circles and diamonds get spread
// ports too, their ends run on to the outline (endsOntoOutline); untangleEnds swaps members' ends
// where ELK turned them across each other.
import { describe, expect, test } from 'vitest';
import { layout } from '../../src/layout/index.js';
import { BoxGrid, separateRuns, separateTrunks, sharedPairKeys, untangleEnds } from '../../src/layout/apply-layout.js';
import type { LaidOutDiagram, LaidOutEdge, LaidOutNode } from '../../src/layout/index.js';
import { parseDiagram } from '../../src/model/index.js';
import { fromAsl } from '../../src/asl/index.js';
import { examples } from '../render/helpers.js';
import { measureDrawing } from '../../bench/quality-metrics.mjs';

async function laidOut(text: string, direction: 'right' | 'down' = 'right'): Promise<LaidOutDiagram> {
  const parsed = parseDiagram(text);
  expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return layout(parsed.value!, { direction });
}

const edge = (laid: LaidOutDiagram, from: string, to: string): LaidOutEdge => laid.edges.find((e) => e.from === from && e.to === to)!;
const node = (laid: LaidOutDiagram, id: string): LaidOutNode['box'] => laid.nodes.find((n) => n.id === id)!.box;
const last = (e: LaidOutEdge): { x: number; y: number } => e.points.at(-1)!;
const first = (e: LaidOutEdge): { x: number; y: number } => e.points[0]!;

// A merge: `a` runs straight into `m`; `b` (the lane above) comes down and `c` (the lane below) up into the same handle.
const MERGE = `top { # Top
  b: rectangle label:"B"
  b.handle(right) -> mid.m.handle(left)
}
mid { # Middle
  a: rectangle label:"A"
  m: rectangle label:"Merge here"
  a.handle(right) -> m.handle(left)
}
low { # Low
  c: rectangle label:"C"
  c.handle(right) -> mid.m.handle(left)
}
`;

describe('spread ports', () => {
  test('edges into one side arrive at points of their own, an edge spacing apart, on the side', async () => {
    const laid = await laidOut(MERGE);
    const m = node(laid, 'm');
    const ends = ['a', 'b', 'c'].map((id) => last(edge(laid, id, 'm')));
    for (const p of ends) {
      expect(p.x).toBeCloseTo(m.x, 1);
      expect(p.y).toBeGreaterThan(m.y + 5);
      expect(p.y).toBeLessThan(m.y + m.height - 5);
    }
    const ys = ends.map((p) => p.y).sort((p, q) => p - q);
    expect(ys[1]! - ys[0]!).toBeGreaterThanOrEqual(11.5);
    expect(ys[2]! - ys[1]!).toBeGreaterThanOrEqual(11.5);
  });

  test('the straight edge keeps the middle and stays straight; the others enter on the side they come from, in order', async () => {
    const laid = await laidOut(MERGE);
    const m = node(laid, 'm');
    const a = edge(laid, 'a', 'm');
    expect(a.points).toHaveLength(2);
    expect(last(a).y).toBeCloseTo(m.y + m.height / 2, 1);
    // b comes from above and enters above a, c from below and enters below it: nothing crosses near m.
    expect(last(edge(laid, 'b', 'm')).y).toBeLessThan(last(a).y);
    expect(last(edge(laid, 'c', 'm')).y).toBeGreaterThan(last(a).y);
  });

  test('no two of the merged edges share a run longer than 20 px', async () => {
    for (const direction of ['right', 'down'] as const) {
      const laid = await laidOut(MERGE, direction);
      const routes = ['a', 'b', 'c'].map((id) => edge(laid, id, 'm').points);
      const runs = routes.map((pts) => pts.slice(1).map((q, i) => [pts[i]!, q] as const));
      for (let i = 0; i < runs.length; i++) {
        for (let j = i + 1; j < runs.length; j++) {
          for (const [p, q] of runs[i]!) {
            for (const [r, s] of runs[j]!) {
              const sameX = Math.abs(p.x - q.x) < 0.5 && Math.abs(r.x - s.x) < 0.5 && Math.abs(p.x - r.x) < 1;
              const sameY = Math.abs(p.y - q.y) < 0.5 && Math.abs(r.y - s.y) < 0.5 && Math.abs(p.y - r.y) < 1;
              const shared = sameX
                ? Math.min(Math.max(p.y, q.y), Math.max(r.y, s.y)) - Math.max(Math.min(p.y, q.y), Math.min(r.y, s.y))
                : sameY
                  ? Math.min(Math.max(p.x, q.x), Math.max(r.x, s.x)) - Math.max(Math.min(p.x, q.x), Math.min(r.x, s.x))
                  : 0;
              expect(shared, `${direction}: edges ${i} and ${j}`).toBeLessThanOrEqual(20);
            }
          }
        }
      }
    }
  });

  test('a fan out of one side leaves from points of their own, in direction down too', async () => {
    const fan = `l { # Lane
  s: rectangle label:"Source"
  x: rectangle label:"X"
  y: rectangle label:"Y"
  s.handle(right) -> x.handle(left)
  s.handle(right) -> y.handle(left)
}
`;
    for (const direction of ['right', 'down'] as const) {
      // Handles turn with the flow (SPEC): in direction down, right is the bottom and left the top.
      const laid = await laidOut(fan, direction);
      const [p, q] = [first(edge(laid, 's', 'x')), first(edge(laid, 's', 'y'))];
      const apart = direction === 'right' ? Math.abs(p.y - q.y) : Math.abs(p.x - q.x);
      expect(apart, direction).toBeGreaterThanOrEqual(11.5);
    }
  });

  test('into a circle the edges arrive apart, each on the outline (applyLayout moves what ELK drew into one point)', async () => {
    const laid = await laidOut(`l { # Lane
  a: rectangle label:"A"
  b: rectangle label:"B"
  end: circle label:"End"
  a.handle(right) -> end.handle(left)
  b.handle(right) -> end.handle(left)
}
`);
    const end = node(laid, 'end');
    const [p, q] = [last(edge(laid, 'a', 'end')), last(edge(laid, 'b', 'end'))];
    expect(Math.hypot(p.x - q.x, p.y - q.y)).toBeGreaterThanOrEqual(11.5);
    const centre = { x: end.x + end.width / 2, y: end.y + end.height / 2 };
    for (const e of [p, q]) expect(Math.hypot(e.x - centre.x, e.y - centre.y)).toBeCloseTo(end.width / 2, 0);
  });

  test('out of a diamond corner a fan leaves from points of their own on its slanted sides', async () => {
    const laid = await laidOut(`l { # Lane
  d: diamond label:"Which?"
  x: rectangle label:"X"
  y: rectangle label:"Y"
  z: rectangle label:"Z"
  d.handle(bottom) -> x.handle(left) [label="one"]
  d.handle(bottom) -> y.handle(left) [label="two"]
  d.handle(bottom) -> z.handle(left) [label="three"]
}
`);
    const d = node(laid, 'd');
    const starts = ['x', 'y', 'z'].map((id) => first(edge(laid, 'd', id)));
    const xs = starts.map((p) => p.x).sort((u, v) => u - v);
    expect(xs[1]! - xs[0]!).toBeGreaterThanOrEqual(8);
    expect(xs[2]! - xs[1]!).toBeGreaterThanOrEqual(8);
    // On the outline: |dx| / (w/2) + |dy| / (h/2) = 1 around the centre.
    const [cx, cy] = [d.x + d.width / 2, d.y + d.height / 2];
    for (const p of starts) expect(Math.abs(p.x - cx) / (d.width / 2) + Math.abs(p.y - cy) / (d.height / 2)).toBeCloseTo(1, 2);
  });
});

// Into a circle too, each edge gets a port of its own (spreadPorts on circles and diamonds), so
// ELK routes them apart all the way; applyLayout's endsOntoOutline runs each end on to the outline.
const INTO_CIRCLE = `main { # Main
  s: circle label:"Start"
  a: rectangle label:"Step A"
  b: rectangle label:"Step B"
  c: rectangle label:"Step C"
  e: circle label:"Done"
  s.handle(right) -> a.handle(left)
  a.handle(right) -> b.handle(left)
  b.handle(right) -> c.handle(left)
  c.handle(right) -> e.handle(left)
  a.handle(bottom) -> deep.x.handle(left)
  b.handle(bottom) -> low.y.handle(left)
}
low { # Low
  y: rectangle label:"Near below"
  y.handle(right) -> main.e.handle(left)
}
deep { # Deep
  x: rectangle label:"Far below"
  x.handle(right) -> main.e.handle(left)
}
`;

/** The longest run two routes share on one line. */
function sharedRun(p: { x: number; y: number }[], q: { x: number; y: number }[]): number {
  let best = 0;
  for (let i = 0; i + 1 < p.length; i++) {
    for (let j = 0; j + 1 < q.length; j++) {
      const [a, b, c, d] = [p[i]!, p[i + 1]!, q[j]!, q[j + 1]!];
      const flat = Math.abs(a.y - b.y) < 0.5 && Math.abs(c.y - d.y) < 0.5 && Math.abs(a.y - c.y) < 1;
      const upright = Math.abs(a.x - b.x) < 0.5 && Math.abs(c.x - d.x) < 0.5 && Math.abs(a.x - c.x) < 1;
      const [u0, u1, v0, v1] = flat ? [a.x, b.x, c.x, d.x] : [a.y, b.y, c.y, d.y];
      if (flat || upright) best = Math.max(best, Math.min(Math.max(u0, u1), Math.max(v0, v1)) - Math.max(Math.min(u0, u1), Math.min(v0, v1)));
    }
  }
  return best;
}

/** Proper crossings between two orthogonal routes (touching at an end does not count). */
function crossingsBetween(p: LaidOutEdge, q: LaidOutEdge): number {
  let n = 0;
  for (let i = 0; i + 1 < p.points.length; i++) {
    for (let j = 0; j + 1 < q.points.length; j++) {
      const [a, b, c, d] = [p.points[i]!, p.points[i + 1]!, q.points[j]!, q.points[j + 1]!];
      const [h, v] = Math.abs(a.y - b.y) < 0.01 ? [[a, b], [c, d]] : [[c, d], [a, b]];
      if (Math.abs(h[0]!.y - h[1]!.y) > 0.01 || Math.abs(v[0]!.x - v[1]!.x) > 0.01) continue;
      const [x, y] = [v[0]!.x, h[0]!.y];
      if (x > Math.min(h[0]!.x, h[1]!.x) && x < Math.max(h[0]!.x, h[1]!.x) && y > Math.min(v[0]!.y, v[1]!.y) && y < Math.max(v[0]!.y, v[1]!.y)) n++;
    }
  }
  return n;
}

/** Every two routes end at least `apart` px from each other and share no run longer than 20 px. */
function expectSeparateArrows(routes: { x: number; y: number }[][], apart: number, direction: string): void {
  const ends = routes.map((r) => r.at(-1)!);
  for (let i = 0; i < ends.length; i++) {
    for (let j = i + 1; j < ends.length; j++) {
      expect(Math.hypot(ends[i]!.x - ends[j]!.x, ends[i]!.y - ends[j]!.y), `${direction}: ends ${i}, ${j}`).toBeGreaterThanOrEqual(apart);
      expect(sharedRun(routes[i]!, routes[j]!), `${direction}: routes ${i}, ${j}`).toBeLessThanOrEqual(20);
    }
  }
}

/** A laid-out node with no label, for the passes that only read shapes and boxes. */
const nodeAt = (id: string, shape: LaidOutNode['shape'], x: number, y: number, width: number, height: number): LaidOutNode => ({ id, shape, kind: shape === 'circle' ? 'succeed' : 'state', lane: 'l', box: { x, y, width, height }, label: { lines: [], size: 13, weight: 400, width: 0, height: 0, lineHeight: 18 }, labelCenter: { x: x + width / 2, y: y + height / 2 }, rows: [] });

describe('spread ports on a circle', () => {
  test('a merge into a circle arrives as separate arrows on the outline, sharing no run, in both directions', async () => {
    for (const direction of ['right', 'down'] as const) {
      const laid = await laidOut(INTO_CIRCLE, direction);
      const box = node(laid, 'e');
      const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
      const routes = ['c', 'y', 'x'].map((id) => edge(laid, id, 'e').points);
      for (const r of routes) expect(Math.hypot(r.at(-1)!.x - centre.x, r.at(-1)!.y - centre.y), direction).toBeCloseTo(box.width / 2, 0);
      // The straight step keeps the middle of the side and stays straight.
      expect(routes[0]!, direction).toHaveLength(2);
      expectSeparateArrows(routes, 9.5, direction);
      // Each final run comes straight out of the side (along the flow) into the outline.
      for (const r of routes) {
        const [p, q] = [r.at(-2)!, r.at(-1)!];
        expect(direction === 'right' ? Math.abs(p.y - q.y) : Math.abs(p.x - q.x), direction).toBeLessThan(0.01);
      }
    }
  });
});

// Two ends from below beside a straight step: on a 46 px side they would be 8.5 px apart, closer
// than an arrowhead, and were drawn into one point (blogopenrequestsm). The box grows (portRoom).
const TWO_FROM_BELOW = `main { # Main
  a: rectangle label:"Step A"
  m: rectangle label:"Merge here"
  a.handle(right) -> m.handle(left)
}
low { # Low
  b: rectangle label:"Near below"
  b.handle(right) -> main.m.handle(left)
}
deep { # Deep
  c: rectangle label:"Far below"
  c.handle(right) -> main.m.handle(left)
}
`;

describe('a box side too short for its ends', () => {
  test('grows so that every end has its own point an edge spacing apart; the straight step stays straight', async () => {
    for (const direction of ['right', 'down'] as const) {
      const laid = await laidOut(TWO_FROM_BELOW, direction);
      const m = node(laid, 'm');
      const a = node(laid, 'a');
      // Going right the merge box is taller than the box of the same label size beside it; going
      // down its 120 px top side already holds the three ends.
      if (direction === 'right') expect(m.height).toBeGreaterThan(a.height);
      else expect(m.width).toBe(a.width);
      const routes = ['a', 'b', 'c'].map((id) => edge(laid, id, 'm').points);
      expect(routes[0]!, direction).toHaveLength(2);
      expectSeparateArrows(routes, 11.5, direction);
    }
  });

  test('a side whose ends fit keeps the measured size', async () => {
    const laid = await laidOut(MERGE);
    expect(node(laid, 'm').height).toBe(node(laid, 'a').height);
  });
});

describe('untangleEnds', () => {
  // Two edges into the left side of a circle, as ELK drew them in createcatalogtable: the lower
  // source turns up further from the node than the higher one, into the higher port, so its
  // upright run crosses the other's run in.
  const circle = nodeAt('e', 'circle', 948, 130, 95, 95);
  const into = (index: number, from: string, points: [number, number][]): LaidOutEdge => ({ index, from, to: 'e', fromHandle: 'right', toHandle: 'left', kind: 'next', points: points.map(([x, y]) => ({ x, y })) });

  test('the members trade ports and corners so that they no longer cross; their far parts stay', () => {
    const near = into(0, 'near', [[862, 458], [925, 458], [925, 196], [948, 196]]);
    const far = into(1, 'far', [[598, 513], [910, 513], [910, 184], [948, 184]]);
    expect(crossingsBetween(near, far)).toBe(1);
    const nodes = [circle, nodeAt('near', 'rectangle', 700, 435, 162, 46), nodeAt('far', 'rectangle', 420, 490, 178, 46)];
    untangleEnds([near, far], nodes, new BoxGrid(nodes.map((n) => n.box)));
    expect(crossingsBetween(near, far)).toBe(0);
    // Each still leaves its source where it did, and arrives at one of the two ports, straight out of the side.
    expect(near.points[0]).toEqual({ x: 862, y: 458 });
    expect(far.points[0]).toEqual({ x: 598, y: 513 });
    expect([near.points.at(-1)!.y, far.points.at(-1)!.y].sort()).toEqual([184, 196]);
    for (const e of [near, far]) expect(e.points.at(-2)!.y).toBe(e.points.at(-1)!.y);
    // The lower source now takes the lower port.
    expect(far.points.at(-1)!.y).toBeGreaterThan(near.points.at(-1)!.y);
  });

  test('members that do not cross are left as they are', () => {
    const near = into(0, 'near', [[862, 458], [910, 458], [910, 184], [948, 184]]);
    const far = into(1, 'far', [[598, 513], [925, 513], [925, 196], [948, 196]]);
    const before = JSON.stringify([near.points, far.points]);
    untangleEnds([near, far], [circle], new BoxGrid([circle.box]));
    expect(JSON.stringify([near.points, far.points])).toBe(before);
  });
});

describe('separateRuns on a merge whose ends are apart', () => {
  // Two returns into one top handle (dynamodb-semaphore): their ports are apart, but ELK ran both
  // along one line over the top for 390 px. One steps aside, and untangleEnds then nests them.
  const box = (id: string, x: number, y: number, width: number, height: number): LaidOutNode => nodeAt(id, 'rectangle', x, y, width, height);
  const nodes = [box('acquire', 27, 165, 208, 46), box('init', 468, 132, 142, 46), box('wait', 1125, 283, 128, 46)];
  const back = (index: number, from: string, points: [number, number][]): LaidOutEdge => ({ index, from, to: 'acquire', fromHandle: 'top', toHandle: 'top', kind: 'next', points: points.map(([x, y]) => ({ x, y })) });

  test('the members no longer share a run, and do not cross', () => {
    const init = back(0, 'init', [[539, 132], [539, 55], [125, 55], [125, 165]]);
    const wait = back(1, 'wait', [[1189, 283], [1189, 267], [1108, 267], [1108, 55], [137, 55], [137, 165]]);
    const edges = [init, wait];
    const grid = new BoxGrid(nodes.map((n) => n.box));
    expect(sharedRun(init.points, wait.points)).toBeGreaterThan(300);
    separateRuns(edges, grid, sharedPairKeys(edges), { fansToo: true });
    untangleEnds(edges, nodes, grid);
    expect(sharedRun(init.points, wait.points)).toBeLessThanOrEqual(20);
    // Still from each source's top to one of the two ports on acquire's top.
    expect(init.points[0]).toEqual({ x: 539, y: 132 });
    expect(wait.points[0]).toEqual({ x: 1189, y: 283 });
    expect([init.points.at(-1)!.x, wait.points.at(-1)!.x].sort()).toEqual([125, 137]);
    expect(crossingsBetween(init, wait)).toBe(0);
  });

  test('a merge still drawn into one point keeps its trunk (spreadSharedEnds decides there)', () => {
    const init = back(0, 'init', [[539, 132], [539, 55], [131, 55], [131, 165]]);
    const wait = back(1, 'wait', [[1189, 283], [1189, 267], [1108, 267], [1108, 55], [131, 55], [131, 165]]);
    const before = JSON.stringify([init.points, wait.points]);
    separateRuns([init, wait], new BoxGrid(nodes.map((n) => n.box)), sharedPairKeys([init, wait]), { fansToo: true });
    expect(JSON.stringify([init.points, wait.points])).toBe(before);
  });
});

describe('separateTrunks', () => {
  // Three Catch edges out of one handle, apart at the node, then one trunk (along and up) until
  // each turns off to its own handler (either-or-parallel-pattern, with room to spare).
  const box = (id: string, x: number, y: number, width: number, height: number): LaidOutNode => nodeAt(id, 'rectangle', x, y, width, height);
  const nodes = [box('p', 200, 100, 400, 100), box('a', 900, 40, 120, 40), box('b', 900, 100, 120, 40), box('c', 900, 160, 120, 40)];
  const out = (index: number, to: string, points: [number, number][]): LaidOutEdge => ({ index, from: 'p', to, fromHandle: 'bottom', toHandle: 'left', kind: 'catch', points: points.map(([x, y]) => ({ x, y })) });

  test('the trunk becomes parallel lines, the first to turn off outermost; nothing crosses and every end stays', () => {
    const edges = [
      out(0, 'a', [[388, 200], [388, 216], [800, 216], [800, 60], [900, 60]]),
      out(1, 'b', [[400, 200], [400, 216], [800, 216], [800, 120], [900, 120]]),
      out(2, 'c', [[412, 200], [412, 216], [800, 216], [800, 180], [900, 180]]),
    ];
    separateTrunks(edges, nodes, new BoxGrid(nodes.map((n) => n.box)));
    for (let i = 0; i < 3; i++) {
      for (let j = i + 1; j < 3; j++) expect(sharedRun(edges[i]!.points, edges[j]!.points), `${i}, ${j}`).toBeLessThanOrEqual(20);
    }
    // c turns off first (lowest): it runs outermost, lowest along and furthest right up; a innermost.
    const upright = (e: LaidOutEdge): number => e.points[2]!.x;
    const along = (e: LaidOutEdge): number => e.points[1]!.y;
    expect(upright(edges[2]!)).toBeGreaterThan(upright(edges[1]!));
    expect(upright(edges[1]!)).toBeGreaterThan(upright(edges[0]!));
    expect(along(edges[2]!)).toBeGreaterThan(along(edges[1]!));
    expect(along(edges[1]!)).toBeGreaterThan(along(edges[0]!));
    // Every route still leaves p's bottom and reaches its target where it did, orthogonally.
    for (const [e, y] of [[edges[0]!, 60], [edges[1]!, 120], [edges[2]!, 180]] as const) {
      expect(e.points[0]!.y).toBe(200);
      expect(e.points.at(-1)).toEqual({ x: 900, y });
      for (let k = 0; k + 1 < e.points.length; k++) expect(Math.min(Math.abs(e.points[k]!.x - e.points[k + 1]!.x), Math.abs(e.points[k]!.y - e.points[k + 1]!.y))).toBeLessThan(0.01);
    }
    expect(crossingsBetween(edges[0]!, edges[1]!) + crossingsBetween(edges[0]!, edges[2]!) + crossingsBetween(edges[1]!, edges[2]!)).toBe(0);
  });

  test('a label beside the trunk stays on its run as the corner moves out', () => {
    const text = { lines: ['States.RanOutOfTime'], size: 11, weight: 400, width: 66, height: 14, lineHeight: 14 };
    const edges = [
      out(0, 'a', [[388, 200], [388, 216], [800, 216], [800, 60], [900, 60]]),
      out(1, 'b', [[400, 200], [400, 216], [800, 216], [800, 120], [900, 120]]),
      { ...out(2, 'c', [[412, 200], [412, 216], [800, 216], [800, 180], [900, 180]]), label: { text, box: { x: 802, y: 170, width: 70, height: 20 } } },
    ];
    separateTrunks(edges, nodes, new BoxGrid(nodes.map((n) => n.box)));
    const c = edges[2]!;
    expect(sharedRun(c.points, edges[1]!.points)).toBeLessThanOrEqual(20);
    // The label sits on c's run into its handler, between the corner and the end, on its line.
    const [corner, end] = [c.points.at(-2)!, c.points.at(-1)!];
    const box = c.label!.box;
    expect(box.x).toBeGreaterThanOrEqual(corner.x);
    expect(box.x + box.width).toBeLessThanOrEqual(end.x);
    expect(box.y + box.height / 2).toBeCloseTo(180, 5);
    // No other route runs through it.
    for (const e of edges.slice(0, 2)) {
      for (let k = 0; k + 1 < e.points.length; k++) {
        const [p, q] = [e.points[k]!, e.points[k + 1]!];
        const through = Math.max(p.x, q.x) > box.x && Math.min(p.x, q.x) < box.x + box.width && Math.max(p.y, q.y) > box.y && Math.min(p.y, q.y) < box.y + box.height;
        expect(through, `${e.to} segment ${k}`).toBe(false);
      }
    }
  });

  test('a trunk with no room to split (a node right beside it) is left as it was', () => {
    const edges = [
      out(0, 'a', [[388, 200], [388, 216], [800, 216], [800, 60], [900, 60]]),
      out(1, 'b', [[400, 200], [400, 216], [800, 216], [800, 120], [900, 120]]),
    ];
    const wall = [...nodes, box('w', 300, 221, 600, 40), box('v', 806, 40, 20, 170)];
    const before = JSON.stringify(edges.map((e) => e.points));
    separateTrunks(edges, wall, new BoxGrid(wall.map((n) => n.box)));
    expect(JSON.stringify(edges.map((e) => e.points))).toBe(before);
  });
});

describe('separateRuns on a short kiss', () => {
  // Two unrelated routes touching on one line for 10 px (webhook-provider: a step turning down
  // where a Catch edge turns up): the eye reads one line that forks. One of them steps aside, so
  // the two cross once instead.
  const edge = (index: number, from: string, to: string, points: [number, number][]): LaidOutEdge => ({ index, from, to, fromHandle: 'right', toHandle: 'left', kind: 'next', points: points.map(([x, y]) => ({ x, y })) });

  test('the runs under 20 px apart on one line no longer touch; both keep their ends', () => {
    const step = edge(0, 'queue', 'update', [[0, 30], [100, 30], [100, 60], [300, 60]]);
    const catchEdge = { ...edge(1, 'queue2', 'transform', [[50, 90], [50, 60], [110, 60], [110, 0], [200, 0]]), kind: 'catch' as const };
    const edges = [step, catchEdge];
    expect(sharedRun(step.points, catchEdge.points)).toBeCloseTo(10, 5);
    separateRuns(edges, new BoxGrid([]), sharedPairKeys(edges, 8), { longer: 8 });
    expect(sharedRun(step.points, catchEdge.points)).toBeLessThanOrEqual(8);
    expect(step.points[0]).toEqual({ x: 0, y: 30 });
    expect(step.points.at(-1)).toEqual({ x: 300, y: 60 });
    expect(catchEdge.points[0]).toEqual({ x: 50, y: 90 });
    expect(catchEdge.points.at(-1)).toEqual({ x: 200, y: 0 });
  });
});

// dynamodb-semaphore's lock loop (aws-samples/aws-stepfunctions-examples, MIT-0), fields trimmed:
// Acquire Lock's two Catches leave one handle from a point ELK put off the side's middle.
const LOCK_LOOP = {
  StartAt: 'Acquire Lock',
  States: {
    'Acquire Lock': {
      Type: 'Task',
      Resource: 'arn:aws:states:::dynamodb:updateItem',
      End: true,
      Catch: [
        { ErrorEquals: ['DynamoDB.AmazonDynamoDBException'], Next: 'Initialize Lock Item' },
        { ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'], Next: 'Get Current Lock Record' },
      ],
    },
    'Initialize Lock Item': { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:updateItem', Next: 'Acquire Lock', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Acquire Lock' }] },
    'Get Current Lock Record': { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:updateItem', Next: 'Check If Lock Already Acquired' },
    'Check If Lock Already Acquired': { Type: 'Choice', Default: 'Wait to Get Lock', Choices: [{ Variable: '$.x', IsPresent: true, Next: 'Continue Because Lock Was Already Acquired' }] },
    'Continue Because Lock Was Already Acquired': { Type: 'Pass', End: true },
    'Wait to Get Lock': { Type: 'Wait', Seconds: 3, Next: 'Acquire Lock' },
  },
};

describe('spreadSharedEnds from a point off the middle', () => {
  for (const lanes of ['single', 'service'] as const) {
    for (const direction of ['right', 'down'] as const) {
      test(`the fan's ends move along the side with their first runs: every segment stays orthogonal (${lanes}, ${direction})`, async () => {
        const converted = fromAsl(LOCK_LOOP, { lanes });
        expect(converted.value).toBeDefined();
        const laid = await layout(converted.value!, { direction });
        const diagonal = laid.edges.flatMap((e) => e.points.slice(1).flatMap((q, i) => (Math.abs(q.x - e.points[i]!.x) > 0.5 && Math.abs(q.y - e.points[i]!.y) > 0.5 ? [`${e.from}->${e.to} segment ${i}`] : [])));
        expect(diagonal).toEqual([]);
        // The two Catches still leave by points of their own.
        const acquire = laid.nodes.find((n) => n.label.lines.join(' ') === 'Acquire Lock')!;
        const starts = laid.edges.filter((e) => e.kind === 'catch' && e.from === acquire.id).map((e) => `${e.points[0]!.x},${e.points[0]!.y}`);
        expect(starts).toHaveLength(2);
        expect(new Set(starts).size).toBe(2);
      });
    }
  }
});

// Direction down: ELK ran Acquire Lock's way to End down the middle, between the two Catch
// handlers and round the Choice's loop, with 6 corners (rerouteCrooked).
test('the lock loop drawn down: no route turns more than 4 times, none runs through a node', async () => {
  const laid = await layout(fromAsl(LOCK_LOOP).value!, { direction: 'down' });
  const label = new Map(laid.nodes.map((n) => [n.id, n.label.lines.join(' ')]));
  const corners = (e: (typeof laid.edges)[number]) => measureDrawing({ ...laid, edges: [e] }).bends;
  const toEnd = laid.edges.find((e) => label.get(e.from) === 'Acquire Lock' && label.get(e.to) === 'End')!;
  expect(corners(toEnd)).toBeLessThanOrEqual(4);
  for (const e of laid.edges.filter((x) => x.kind !== 'catch')) expect(corners(e), `${label.get(e.from)} -> ${label.get(e.to)}`).toBeLessThanOrEqual(4);
  const boxes = laid.nodes.filter((n) => n.kind !== 'container');
  for (const e of laid.edges) {
    e.points.slice(1).forEach((q, i) => {
      const p = e.points[i]!;
      for (const n of boxes) {
        if (n.id === e.from || n.id === e.to) continue;
        const b = n.box;
        const through = Math.max(p.x, q.x) > b.x + 0.5 && Math.min(p.x, q.x) < b.x + b.width - 0.5 && Math.max(p.y, q.y) > b.y + 0.5 && Math.min(p.y, q.y) < b.y + b.height - 0.5;
        expect(through, `${label.get(e.from)} -> ${label.get(e.to)} through ${label.get(n.id)}`).toBe(false);
      }
    });
  }
  expect(measureDrawing(laid)).toMatchObject({ jogs: 0, overlaps: 0, joins: 0 });
});

// A polling loop with a person in it (written for this test): drawn down in one lane, ELK bends
// the Choice's way on round the place it first gave the Choice's other label, which a later pass
// moves away; the last pass straightens it again against where everything is now.
const POLL = {
  StartAt: 'Start Job',
  States: {
    'Start Job': { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:transcribe:startTranscriptionJob', Parameters: { 'TranscriptionJobName.$': '$.name' }, Next: 'Get Job' },
    'Get Job': { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:transcribe:getTranscriptionJob', Parameters: { 'TranscriptionJobName.$': '$.name' }, Next: 'Job Done?' },
    'Job Done?': {
      Type: 'Choice',
      Choices: [
        { Variable: '$.TranscriptionJob.TranscriptionJobStatus', StringEquals: 'COMPLETED', Next: 'Read Transcript' },
        { Variable: '$.TranscriptionJob.TranscriptionJobStatus', StringEquals: 'FAILED', Next: 'Failed' },
      ],
      Default: 'Wait',
    },
    Wait: { Type: 'Wait', Seconds: 20, Next: 'Get Job' },
    'Read Transcript': { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:s3:getObject', Parameters: { Bucket: 'b', Key: 'k' }, Next: 'Ask Person' },
    'Ask Person': { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { FunctionName: 'ask', Payload: { 'token.$': '$$.Task.Token' } }, Next: 'Title Chosen?' },
    'Title Chosen?': { Type: 'Choice', Choices: [{ Variable: '$.again', BooleanEquals: true, Next: 'Read Transcript' }], Default: 'Publish' },
    Publish: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'publish' }, End: true },
    Failed: { Type: 'Fail' },
  },
};

test('a way on whose ends are in line is drawn straight, its label on it, once nothing is in the way any more', async () => {
  const laid = await layout(fromAsl(POLL).value!, { direction: 'down' });
  const label = new Map(laid.nodes.map((n) => [n.id, n.label.lines.join(' ')]));
  const on = laid.edges.find((e) => label.get(e.from) === 'Job Done?' && label.get(e.to) === 'Read Transcript')!;
  expect(on.points).toHaveLength(2);
  const [p, q] = on.points as [{ x: number; y: number }, { x: number; y: number }];
  const box = on.label!.box;
  // The label sits on the line, between the two nodes, clear of the arrowhead.
  expect(box.x).toBeLessThan(p.x);
  expect(box.x + box.width).toBeGreaterThan(p.x);
  expect(box.y).toBeGreaterThan(p.y);
  expect(box.y + box.height).toBeLessThan(q.y - 12);
  // No other label or node under it.
  for (const e of laid.edges) if (e !== on && e.label) expect(boxesMeet(e.label.box, box), label.get(e.to)).toBe(false);
  for (const n of laid.nodes) if (n.kind !== 'container') expect(boxesMeet(n.box, box), label.get(n.id)).toBe(false);
  expect(measureDrawing(laid)).toMatchObject({ jogs: 0, overlaps: 0, joins: 0 });
});

const boxesMeet = (a: { x: number; y: number; width: number; height: number }, b: { x: number; y: number; width: number; height: number }): boolean =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

test('every route of the examples is orthogonal, in both directions', async () => {
  for (const { name, diagram } of examples()) {
    for (const direction of ['right', 'down'] as const) {
      const laid = await layout(diagram, { direction });
      for (const e of laid.edges) e.points.slice(1).forEach((q, i) => expect(Math.abs(q.x - e.points[i]!.x) < 0.5 || Math.abs(q.y - e.points[i]!.y) < 0.5, `${name} ${direction} ${e.from}->${e.to}`).toBe(true));
    }
  }
});

// A Choice's rule and its Default into one state both leave the diamond's bottom corner. A pass
// before spreadSharedEnds had moved the rule's label 6 px with its run but left the label's old
// place among the obstacles, so the spread member's run "hit" it and the two kept one line 60 px
// down out of the corner (web-contact-form-processor: 8 such pairs over the corpus).
describe('spreadSharedEnds after a label moved', () => {
  const definition = {
    StartAt: 'Record Transaction',
    States: {
      'Record Transaction': { Type: 'Pass', Next: 'Good Or Bad?' },
      'Good Or Bad?': {
        Type: 'Choice',
        Choices: [
          { Variable: '$.SentimentResults.Sentiment', StringEquals: 'NEGATIVE', Next: 'Bad' },
          { Variable: '$.SentimentResults.Sentiment', StringEquals: 'POSITIVE', Next: 'Not Bad' },
        ],
        Default: 'Not Bad',
      },
      'Not Bad': { Type: 'Succeed' },
      Bad: { Type: 'Pass', Next: 'SNS Publish' },
      'SNS Publish': { Type: 'Pass', End: true },
    },
  };
  for (const direction of ['right', 'down'] as const) {
    test(`the rule and the Default into one state leave the corner apart (${direction})`, async () => {
      const diagram = fromAsl(definition, { validate: false }).value;
      const laid = await layout(diagram, { direction });
      const choice = laid.nodes.find((n) => n.label?.lines.join(' ') === 'Good Or Bad?')!;
      const fan = laid.edges.filter((e) => e.from === choice.id && e.fromHandle === (direction === 'right' ? 'bottom' : 'right'));
      expect(fan).toHaveLength(2);
      expect(fan[0]!.points[0]).not.toEqual(fan[1]!.points[0]);
      expect(measureDrawing(laid).overlaps).toBe(0);
    });
  }
});
