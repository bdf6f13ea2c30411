// Two or more edges into (or out of) one straight side along the flow each get a point of their own
// on that side (src/layout/to-elk.ts, spreadPorts): separate arrows instead of one trunk, an edge
// spacing apart, ordered by where their other ends lie, the straight one keeping the middle. Where
// ELK still drew them from one point (circles, diamonds, sides across the flow), applyLayout's
// spreadSharedEnds moves each end onto the outline, a spacing apart.
import { describe, expect, test } from 'vitest';
import { layout } from '../../src/layout/index.js';
import type { LaidOutDiagram, LaidOutEdge, LaidOutNode } from '../../src/layout/index.js';
import { parseDiagram } from '../../src/model/index.js';

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
