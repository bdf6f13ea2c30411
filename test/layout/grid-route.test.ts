// The small orthogonal router that takes an edge off a line it shares with an unrelated one
// (src/layout/grid-route.ts): it leaves and arrives the way it is told, goes round what is blocked,
// never reverses, and turns only after a run of minRun, even where the grid has closer lines.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { gridLines, gridRoute } from '../../src/layout/grid-route.js';
import type { GridRouteQuery } from '../../src/layout/grid-route.js';
import type { Box, Point } from '../../src/layout/types.js';

const inside = (box: Box, a: Point, b: Point): boolean =>
  Math.max(a.x, b.x) > box.x && Math.min(a.x, b.x) < box.x + box.width && Math.max(a.y, b.y) > box.y && Math.min(a.y, b.y) < box.y + box.height;

function query(boxes: Box[], extra: Partial<GridRouteQuery> = {}): GridRouteQuery {
  const xs = [0, 100, 200, ...boxes.flatMap((b) => [b.x - 12, b.x + b.width + 12])];
  const ys = [0, 100, 200, ...boxes.flatMap((b) => [b.y - 12, b.y + b.height + 12])];
  return {
    from: { x: 0, y: 100 },
    fromDir: { x: 1, y: 0 },
    to: { x: 200, y: 100 },
    toDir: { x: 1, y: 0 },
    xs: gridLines(xs),
    ys: gridLines(ys),
    blocked: (a, b) => boxes.some((box) => inside(box, a, b)),
    crossings: () => 0,
    bendCost: 24,
    crossCost: 60,
    minRun: 24,
    ...extra,
  };
}

/** Segment lengths of a route. */
const runs = (route: Point[]): number[] => route.slice(1).map((p, i) => Math.abs(p.x - route[i]!.x) + Math.abs(p.y - route[i]!.y));

describe('gridRoute', () => {
  test('a free line is one straight run', () => {
    expect(gridRoute(query([]))).toEqual([
      { x: 0, y: 100 },
      { x: 200, y: 100 },
    ]);
  });

  test('goes round a box in the way, leaving and arriving along the given directions', () => {
    const box = { x: 80, y: 60, width: 40, height: 80 };
    const route = gridRoute(query([box]))!;
    expect(route).toBeDefined();
    expect(route[0]).toEqual({ x: 0, y: 100 });
    expect(route.at(-1)).toEqual({ x: 200, y: 100 });
    // Out to the right, in from the left.
    expect(route[1]!.x).toBeGreaterThan(0);
    expect(route[1]!.y).toBe(100);
    expect(route.at(-2)!.y).toBe(100);
    expect(route.at(-2)!.x).toBeLessThan(200);
    for (let i = 1; i < route.length; i++) expect(inside(box, route[i - 1]!, route[i]!)).toBe(false);
    // Round it with four corners, along the lines 12 px off its side.
    expect(route).toHaveLength(6);
    expect([48, 152]).toContain(route[2]!.y);
  });

  test('an arrival it cannot make is no route', () => {
    // Arriving leftwards at the right end means reversing: there is no grid line to the right of it.
    expect(gridRoute(query([], { toDir: { x: -1, y: 0 } }))).toBeUndefined();
  });

  test('crossings cost: a dearer crossing is walked round when a cheap detour exists', () => {
    // Another route, upright at x = 150 from y = 50 to 150.
    const wall = (a: Point, b: Point): number => (a.y === b.y && Math.min(a.x, b.x) < 150 && Math.max(a.x, b.x) > 150 && a.y > 50 && a.y < 150 ? 1 : 0);
    const straight = gridRoute(query([], { crossings: wall, crossCost: 10 }))!;
    expect(straight).toHaveLength(2);
    // With a line past the wall (x = 175), the way round is open.
    const around = gridRoute(query([], { crossings: wall, crossCost: 1000, xs: [0, 100, 175, 200] }))!;
    expect(around.length).toBeGreaterThan(2);
    expect(around.slice(1).reduce((n, p, i) => n + wall(around[i]!, p), 0)).toBe(0);
  });

  test('property: routes are orthogonal, never reverse, and every run between corners is at least minRun', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ x: fc.integer({ min: 20, max: 160 }), y: fc.integer({ min: 20, max: 160 }), width: fc.integer({ min: 5, max: 40 }), height: fc.integer({ min: 5, max: 40 }) }), { maxLength: 4 }),
        fc.array(fc.integer({ min: -40, max: 240 }), { maxLength: 12 }),
        fc.array(fc.integer({ min: -40, max: 240 }), { maxLength: 12 }),
        (boxes, xs, ys) => {
          const q = query(boxes);
          // Extra lines closer together than minRun: the route must not use them for a jog.
          q.xs = gridLines([...q.xs, ...xs, -40, 240]);
          q.ys = gridLines([...q.ys, ...ys, -40, 240]);
          if (boxes.some((b) => inside(b, { x: 0, y: 100 }, { x: 1, y: 100 }) || inside(b, { x: 199, y: 100 }, { x: 200, y: 100 }))) return;
          const route = gridRoute(q);
          if (!route) return;
          expect(route[0]).toEqual(q.from);
          expect(route.at(-1)).toEqual(q.to);
          for (let i = 1; i < route.length; i++) {
            const [a, b] = [route[i - 1]!, route[i]!];
            expect(a.x === b.x || a.y === b.y).toBe(true);
            for (const box of boxes) expect(inside(box, a, b)).toBe(false);
          }
          // Middle runs (between two corners) are never shorter than minRun.
          const lengths = runs(route);
          for (let i = 1; i < lengths.length - 1; i++) expect(lengths[i]).toBeGreaterThanOrEqual(24);
          // The arrival is along toDir.
          expect(route.at(-1)!.x - route.at(-2)!.x).toBeGreaterThan(0);
        },
      ),
      { numRuns: 300, seed: 13 },
    );
  });
});
