// Layout invariants on small diagrams, checked on the LaidOutDiagram itself (the browser test checks
// the drawn SVG): global layering across lanes, bands in file order sharing one width, nodes inside
// their lanes, direction down, text measurement and wrapping, determinism.
import { describe, expect, test } from 'vitest';
import { parseDiagram } from '../../src/model/index.js';
import { defaultFonts, elkRuns, layout, runElk, textWidth, wrapText } from '../../src/layout/index.js';
import type { Box, LaidOutDiagram } from '../../src/layout/index.js';
import { assignLayers } from '../../src/layout/to-elk.js';
import { BoxGrid, straighten } from '../../src/layout/apply-layout.js';
import { examples, generatedDiagram } from '../render/helpers.js';

const TWO_LANES = `a { # Alpha
n1: circle label:"Start"
n2: rectangle label:"Do"
n1.handle(right) -> n2.handle(left)
n2.handle(bottom) -> b.n3.handle(top) [label="hand off"]
}
b { # Beta
n3: rectangle label:"Take over"
n4: circle label:"End"
n3.handle(right) -> n4.handle(left)
}`;

const inside = (a: Box, b: Box): boolean => a.x >= b.x && a.y >= b.y && a.x + a.width <= b.x + b.width && a.y + a.height <= b.y + b.height;

function checkBands(laid: LaidOutDiagram): void {
  const top = laid.lanes.filter((l) => l.parent === undefined);
  for (let i = 1; i < top.length; i++) {
    if (laid.direction === 'right') {
      expect(top[i]!.box.y).toBeCloseTo(top[i - 1]!.box.y + top[i - 1]!.box.height);
      expect(top[i]!.box.width).toBe(top[0]!.box.width);
    } else {
      expect(top[i]!.box.x).toBeCloseTo(top[i - 1]!.box.x + top[i - 1]!.box.width);
      expect(top[i]!.box.height).toBe(top[0]!.box.height);
    }
  }
  const lane = new Map(laid.lanes.map((l) => [l.id, l]));
  for (const n of laid.nodes) expect(inside(n.box, lane.get(n.lane)!.box), `${n.id} in ${n.lane}`).toBe(true);
}

describe('layout', () => {
  test('a handoff between lanes is one step forward in one global layering', () => {
    const d = parseDiagram(TWO_LANES).value;
    const edges = d.edges.map((edge, index) => ({ index, edge, fromSide: 'right' as const, toSide: 'left' as const }));
    const layers = assignLayers(['n1', 'n2', 'n3', 'n4'], edges);
    expect([...layers]).toEqual([
      ['n1', 0],
      ['n2', 1],
      ['n3', 2],
      ['n4', 3],
    ]);
  });

  test('nodes joined to nothing follow each other in file order along the flow, not in one pile', async () => {
    // FlowZap's loop example: three steps in a lane, no edges yet, framed by a loop.
    const text = 'p { # Processor\nn1: rectangle label:"Fetch Item"\nn2: rectangle label:"Validate"\nn3: diamond label:"Valid?"\nloop [retry until all items processed] n1 n2 n3\n}';
    for (const direction of ['right', 'down'] as const) {
      const laid = await layout(parseDiagram(text).value!, { direction });
      const box = (id: string): Box => laid.nodes.find((n) => n.id === id)!.box;
      const [a, b, c] = ['n1', 'n2', 'n3'].map(box) as [Box, Box, Box];
      if (direction === 'right') {
        expect(b.x, direction).toBeGreaterThan(a.x + a.width);
        expect(c.x, direction).toBeGreaterThan(b.x + b.width);
      } else {
        expect(b.y, direction).toBeGreaterThan(a.y + a.height);
        expect(c.y, direction).toBeGreaterThan(b.y + b.height);
      }
      // The frame holds all three.
      for (const n of [a, b, c]) expect(inside(n, laid.loops[0]!.box), direction).toBe(true);
    }
  });

  test('cycles are broken and sources sit next to their first successor', () => {
    const d = parseDiagram('a {\nn1: rectangle\nn2: rectangle\nn3: rectangle\nn9: circle\nn1.handle(right) -> n2.handle(left)\nn2.handle(right) -> n3.handle(left)\nn3.handle(top) -> n1.handle(top)\nn9.handle(right) -> n3.handle(left)\n}').value;
    const edges = d.edges.map((edge, index) => ({ index, edge, fromSide: 'right' as const, toSide: 'left' as const }));
    const layers = assignLayers(['n1', 'n2', 'n3', 'n9'], edges);
    expect(layers.get('n3')).toBe(2);
    expect(layers.get('n9')).toBe(1);
  });

  test('lanes are bands in file order, sharing one width; every node lies in its lane', async () => {
    const laid = await layout(parseDiagram(TWO_LANES).value);
    expect(laid.lanes.map((l) => l.id)).toEqual(['a', 'b']);
    checkBands(laid);
    const [n2, n3] = ['n2', 'n3'].map((id) => laid.nodes.find((n) => n.id === id)!.box);
    // A bottom -> top handoff to the next lane is drawn straight down: n3 sits under n2.
    expect(Math.abs(n3!.x + n3!.width / 2 - (n2!.x + n2!.width / 2))).toBeLessThan(0.5);
    expect(n3!.y).toBeGreaterThan(n2!.y + n2!.height);
    const handoff = laid.edges.find((e) => e.from === 'n2' && e.to === 'n3')!;
    expect(handoff.points).toHaveLength(2);
  });

  test('direction down turns lanes into columns', async () => {
    const laid = await layout(parseDiagram(TWO_LANES).value, { direction: 'down' });
    expect(laid.lanes[1]!.box.x).toBeGreaterThan(laid.lanes[0]!.box.x);
    checkBands(laid);
  });

  test('direction down turns the handles with the flow: steps are straight vertical arrows', async () => {
    const laid = await layout(parseDiagram(TWO_LANES).value, { direction: 'down' });
    const edge = (from: string): (typeof laid.edges)[number] => laid.edges.find((e) => e.from === from)!;
    // right -> left becomes bottom -> top, drawn as one vertical segment.
    const step = edge('n1');
    expect([step.fromHandle, step.toHandle]).toEqual(['bottom', 'top']);
    expect(step.points).toHaveLength(2);
    expect(step.points[0]!.x).toBeCloseTo(step.points[1]!.x);
    expect(step.points[1]!.y).toBeGreaterThan(step.points[0]!.y);
    // bottom -> top (the handoff to the next lane) becomes right -> left: towards the next column.
    const handoff = edge('n2');
    expect([handoff.fromHandle, handoff.toHandle]).toEqual(['right', 'left']);
    expect(handoff.points[handoff.points.length - 1]!.x).toBeGreaterThan(handoff.points[0]!.x);
  });

  test('a down drawing is about as big as the right one turned, for every example', async () => {
    for (const { name, diagram } of examples()) {
      const right = await layout(diagram);
      const down = await layout(diagram, { direction: 'down' });
      const side = (l: LaidOutDiagram): number => Math.max(l.width, l.height);
      expect(side(down), name).toBeLessThanOrEqual(4 * side(right));
      const straight = (l: LaidOutDiagram): number => l.edges.filter((e) => e.points.length === 2).length;
      expect(straight(down), name).toBeGreaterThanOrEqual(straight(right) - 1);
    }
  });

  for (const { name, diagram } of examples()) {
    test(`bands hold for ${name} (both directions)`, async () => {
      checkBands(await layout(diagram));
      checkBands(await layout(diagram, { direction: 'down' }));
    });
  }

  // The layered placement must keep its promises at scale, and fast: bands, nodes inside their
  // lanes, no two nodes overlapping, every loop frame holding its nodes.
  for (const n of [300, 1000]) {
    test(`a generated diagram of ${n} nodes keeps its bands, in both directions`, async () => {
      const d = generatedDiagram(n);
      for (const direction of ['right', 'down'] as const) {
        const laid = await layout(d, { direction });
        expect(laid.nodes.length).toBe(n);
        checkBands(laid);
        const boxes = laid.nodes.map((x) => x.box).sort((a, b) => a.x - b.x);
        for (let i = 0; i < boxes.length; i++) {
          for (let j = i + 1; j < boxes.length && boxes[j]!.x < boxes[i]!.x + boxes[i]!.width; j++) {
            const a = boxes[i]!;
            const b = boxes[j]!;
            expect(a.y < b.y + b.height && b.y < a.y + a.height, `overlap at ${a.x},${a.y}`).toBe(false);
          }
        }
        const byId = new Map(laid.nodes.map((x) => [x.id, x.box]));
        for (const loop of laid.loops) for (const id of loop.nodes) expect(inside(byId.get(id)!, loop.box)).toBe(true);
      }
    }, 60_000);
  }

  test('a Fail state stacks below the main line, a loop back runs above it, a long error path below it', async () => {
    const d = parseDiagram(`a {
n1: rectangle label:"One"
n2: rectangle label:"Two"
n3: diamond label:"Again?"
n4: circle label:"Done"
n5: circle label:"Failed" Type:"Fail"
n1.handle(right) -> n2.handle(left)
n2.handle(right) -> n3.handle(left)
n3.handle(right) -> n4.handle(left)
n3.handle(top) -> n1.handle(top) [label="again"]
n1.handle(bottom) -> n5.handle(left) [label="error"]
n2.handle(bottom) -> n5.handle(top) [label="error"]
}`).value;
    const laid = await layout(d);
    const box = (id: string): Box => laid.nodes.find((n) => n.id === id)!.box;
    // The Fail state shares its layer with the decision, and goes under it.
    expect(box('n5').y).toBeGreaterThan(box('n3').y + box('n3').height);
    const main = ['n1', 'n2', 'n3'].map(box);
    const top = Math.min(...main.map((b) => b.y));
    const bottom = Math.max(...main.map((b) => b.y + b.height));
    const route = (from: string, to: string) => laid.edges.find((e) => e.from === from && e.to === to)!;
    // The loop back stays above the main line, the error paths below it (ends excepted).
    // It passes over n2 above the main line's top.
    const back = route('n3', 'n1').points;
    const n2 = box('n2');
    const over = back.some((p, i) => i > 0 && Math.abs(p.y - back[i - 1]!.y) < 0.01 && p.y <= top && Math.min(p.x, back[i - 1]!.x) <= n2.x && Math.max(p.x, back[i - 1]!.x) >= n2.x + n2.width);
    expect(over).toBe(true);
    for (const p of route('n1', 'n5').points.slice(1, -1)) expect(p.y).toBeGreaterThanOrEqual(bottom - 0.01);
    expect(route('n3', 'n1').label!.box.y + route('n3', 'n1').label!.box.height).toBeLessThanOrEqual(top);
  });

  // A band a push overflowed is laid out again (to-elk.ts); the plan should leave room enough that
  // ordinary diagrams need ELK once, or rendering costs twice what ELK does. (Direction down turns
  // the generator's handles into edges leaving by the side the flow enters: they need room too.)
  test('generated diagrams need one ELK run, in both directions', async () => {
    for (const n of [50, 300]) {
      for (const direction of ['right', 'down'] as const) {
        const before = elkRuns.count;
        await layout(generatedDiagram(n), { direction });
        expect(elkRuns.count - before, `${n} nodes, ${direction}`).toBe(1);
      }
    }
  });

  test('same input, same layout', async () => {
    const d = parseDiagram(TWO_LANES).value;
    expect(JSON.stringify(await layout(d))).toBe(JSON.stringify(await layout(d)));
  });
});

// elk.ts calls the dispatcher inside elkjs's worker module; an elkjs upgrade that changes it fails here.
describe('ELK engine', () => {
  test('lays out synchronously, in place', () => {
    const graph = { id: 'root', layoutOptions: { 'elk.algorithm': 'layered', 'elk.direction': 'RIGHT' }, children: [{ id: 'a', width: 10, height: 10 }, { id: 'b', width: 10, height: 10 }], edges: [{ id: 'e', sources: ['a'], targets: ['b'] }] };
    const result = runElk(graph);
    expect(result).not.toBeInstanceOf(Promise);
    const [a, b] = result.children!;
    expect(b!.x!).toBeGreaterThan(a!.x! + 10);
    expect(a!.y).toBe(b!.y);
  });

  // ELK writes the route of an edge it bends into its section, but leaves a straight one's section
  // as it was: a hint's bend points, in the frame before layout, came out as a point at x ≈ 1,200,000.
  test('a hinted edge that ELK routes straight keeps no hint points', () => {
    const graph = {
      id: 'root',
      layoutOptions: { 'elk.algorithm': 'layered', 'elk.direction': 'RIGHT' },
      children: [{ id: 'a', width: 10, height: 10 }, { id: 'b', width: 10, height: 10 }],
      edges: [{ id: 'e', sources: ['a'], targets: ['b'], sections: [{ id: 'e:hint', startPoint: { x: 0, y: 5 }, endPoint: { x: 100, y: 5 }, bendPoints: [{ x: 1_200_000, y: 400 }] }] }],
    };
    const section = runElk(graph).edges![0]!.sections![0]!;
    expect(section.bendPoints ?? []).toEqual([]);
    expect(section.startPoint.y).toBe(section.endPoint.y);
  });

  test('throws what ELK reports, as an Error with its message', () => {
    expect(() => runElk({ id: 'root', children: [{ id: 'a' }], edges: [{ id: 'e', sources: ['a'], targets: ['missing'] }] })).toThrow(/Referenced shape does not exist: missing/);
    // Only the layered algorithm is registered.
    expect(() => runElk({ id: 'root', layoutOptions: { 'elk.algorithm': 'stress' }, children: [{ id: 'a' }] })).toThrow(/'stress' not found/);
  });
});

describe('text', () => {
  const { regular, semibold } = defaultFonts();

  test('the shipped font is Inter and measures with its own advances', () => {
    expect(regular.family).toBe('Inter');
    expect(regular.unitsPerEm).toBe(2048);
    const w = textWidth(regular, 'Hello', 13);
    expect(w).toBeGreaterThan(25);
    expect(w).toBeLessThan(40);
    expect(textWidth(semibold, 'Hello', 13)).toBeGreaterThan(w);
    expect(textWidth(regular, 'HelloHello', 13)).toBeCloseTo(2 * w, 5);
  });

  test('wrapping keeps every line within the width and loses no word', () => {
    const text = 'Validate the incoming order against the catalogue and the customer record';
    const lines = wrapText(regular, text, 13, 150);
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(textWidth(regular, l, 13)).toBeLessThanOrEqual(150);
    expect(lines.join(' ')).toBe(text);
    const long = wrapText(regular, 'x'.repeat(200), 13, 100);
    for (const l of long) expect(textWidth(regular, l, 13)).toBeLessThanOrEqual(100);
    expect(long.join('').replaceAll('…', '')).toBe('x'.repeat(200));
  });
});

describe('catch bundles and straight runs', () => {
  const CATCHES = `a { # Work
n1: circle label:"Start"
n2: rectangle label:"One"
n3: rectangle label:"Two"
n4: rectangle label:"Three"
n5: circle label:"Failed" Type:"Fail"
n1.handle(right) -> n2.handle(left)
n2.handle(right) -> n3.handle(left)
n3.handle(right) -> n4.handle(left)
n2.handle(bottom) -> n5.handle(bottom) [Catch={"ErrorEquals":["States.Timeout"]}]
n3.handle(bottom) -> n5.handle(bottom) [Catch={"ErrorEquals":["States.ALL"]}]
n4.handle(bottom) -> n5.handle(bottom) [Catch={"ErrorEquals":["States.Timeout","States.ALL"]}]
}`;

  for (const direction of ['right', 'down'] as const) {
    test(`catch edges into one handle share one label listing each error once (${direction})`, async () => {
      const laid = await layout(parseDiagram(CATCHES).value, { direction });
      const catches = laid.edges.filter((e) => e.kind === 'catch');
      expect(catches).toHaveLength(3);
      const labelled = catches.filter((e) => e.label);
      expect(labelled).toHaveLength(1);
      expect(labelled[0]!.label!.text.lines.join(' ')).toBe('States.Timeout, States.ALL');
      // Every member ends at the same point on the target, by the same last run.
      const ends = catches.map((e) => e.points.slice(-2).map((p) => `${Math.round(p.x)},${Math.round(p.y)}`).join(' '));
      expect(new Set(ends).size).toBe(1);
      const fail = laid.nodes.find((n) => n.id === 'n5')!.box;
      const end = catches[0]!.points[catches[0]!.points.length - 1]!;
      if (direction === 'right') expect(end.y).toBeCloseTo(fail.y + fail.height);
      else expect(end.x).toBeCloseTo(fail.x + fail.width);
    });
  }

  // Lottery's Parallel catches into Failed three layers on: ELK ran it as a staircase of 6 bends
  // with its label on one step; straightened whole, its label seated again on the new route.
  test('a labelled staircase is straightened whole and its label seated on the new route', async () => {
    const lottery = examples().find((x) => x.name === 'lottery')!;
    for (const direction of ['right', 'down'] as const) {
      const laid = await layout(lottery.diagram, { direction });
      const parallel = laid.nodes.find((x) => x.kind === 'container')!;
      const caught = laid.edges.find((e) => e.kind === 'catch' && e.from === parallel.id)!;
      expect(caught.label).toBeDefined();
      expect(caught.points.length - 2, direction).toBeLessThanOrEqual(3);
    }
  });

  // Lottery's Failed circle sits under End with a top handle: its anchor (a 1 px node above the
  // handle, see to-elk.ts) was planned 3 px below End, so ELK pushed it and the circle 33 px down,
  // off the line the Catch labels before it were planned on: a step into every route there. And
  // the Parallel's Catch into Failed's right handle climbed to a label halfway up, ran round the
  // circle and back (7 bends in lottery-zh).
  test('Catch routes into a Fail circle run straight through their labels into the handles', async () => {
    for (const name of ['lottery', 'lottery-zh']) {
      const { diagram } = examples().find((x) => x.name === name)!;
      for (const direction of ['right', 'down'] as const) {
        const laid = await layout(diagram, { direction });
        const fail = laid.nodes.find((n) => n.id === 'n13')!;
        const into = laid.edges.filter((e) => e.to === 'n13');
        expect(into, `${name} ${direction}`).toHaveLength(5);
        for (const e of into) {
          const [p, q] = e.points.slice(-2) as [{ x: number; y: number }, { x: number; y: number }];
          // The last run is straight into the handle's side, at least MIN_JOG long (no step before the arrow).
          expect(Math.abs(p.x - q.x) < 0.01 || Math.abs(p.y - q.y) < 0.01, `${name} ${direction} ${e.from}`).toBe(true);
          expect(Math.hypot(p.x - q.x, p.y - q.y), `${name} ${direction} ${e.from}`).toBeGreaterThanOrEqual(12);
        }
        // Every route into the circle: at most 3 bends, 4 into the side across the flow that comes
        // first (the handle written top: down, along, up and over).
        const corners = (pts: { x: number; y: number }[]): number =>
          pts.slice(1, -1).filter((p, k) => {
            const [a, c] = [pts[k]!, pts[k + 2]!];
            return Math.abs((p.x - a.x) * (c.y - p.y) - (p.y - a.y) * (c.x - p.x)) > 0.01;
          }).length;
        for (const e of into) expect(corners(e.points), `${name} ${direction} ${e.from}.${e.fromHandle} -> ${e.toHandle}`).toBeLessThanOrEqual(e.toHandle === (direction === 'right' ? 'top' : 'left') ? 4 : 3);
        // The circle stays in the layer of End, beside it across the flow.
        const end = laid.nodes.find((n) => n.id === 'n14')!;
        if (direction === 'right') expect(fail.box.x + fail.box.width / 2).toBeCloseTo(end.box.x + end.box.width / 2);
        else expect(fail.box.y + fail.box.height / 2).toBeCloseTo(end.box.y + end.box.height / 2);
      }
    }
  });

  test('every label sits centred on a run of its own route, clear of nodes and of other labels', async () => {
    const overlaps = (a: Box, b: Box): boolean => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    for (const { name, diagram } of examples()) {
      for (const direction of ['right', 'down'] as const) {
        const laid = await layout(diagram, { direction });
        const labelled = laid.edges.filter((e) => e.label);
        for (const e of labelled) {
          const b = e.label!.box;
          const cx = b.x + b.width / 2;
          const cy = b.y + b.height / 2;
          const onRun = e.points.some((p, k) => {
            const q = e.points[k + 1];
            if (!q) return false;
            return Math.abs(p.y - q.y) < 0.5 ? Math.abs(p.y - cy) < 1 && (cx - p.x) * (cx - q.x) <= 0 : Math.abs(p.x - cx) < 1 && (cy - p.y) * (cy - q.y) <= 0;
          });
          expect(onRun, `${name} ${direction} edge ${e.index}`).toBe(true);
          for (const n of laid.nodes) if (n.kind !== 'container') expect(overlaps(b, n.box), `${name} ${direction} edge ${e.index} over ${n.id}`).toBe(false);
          for (const o of labelled) if (o !== e) expect(overlaps(b, o.label!.box), `${name} ${direction} labels of ${e.index} and ${o.index}`).toBe(false);
        }
      }
    }
  });

  test('straighten takes a staircase out of a route but keeps its ends and avoids boxes', () => {
    const stairs = [
      { x: 0, y: 0 },
      { x: 10, y: 0 },
      { x: 10, y: 40 },
      { x: 100, y: 40 },
      { x: 100, y: 41.3 },
      { x: 200, y: 41.3 },
      { x: 200, y: 43 },
      { x: 300, y: 43 },
      { x: 300, y: 80 },
      { x: 310, y: 80 },
    ];
    const out = straighten(stairs, new BoxGrid([]));
    expect(out[0]).toEqual({ x: 0, y: 0 });
    expect(out[out.length - 1]).toEqual({ x: 310, y: 80 });
    expect(out).toHaveLength(6);
    for (let i = 1; i < out.length; i++) expect(out[i]!.x === out[i - 1]!.x || out[i]!.y === out[i - 1]!.y).toBe(true);
    // Boxes right where either run would move to keep the step.
    const short = stairs.slice(0, 6).concat([{ x: 200, y: 80 }, { x: 210, y: 80 }]);
    expect(straighten(short, new BoxGrid([]))).toHaveLength(6);
    const blocked = straighten(short, new BoxGrid([{ x: 20, y: 40.5, width: 60, height: 3 }, { x: 120, y: 38, width: 60, height: 3 }]));
    expect(blocked).toContainEqual({ x: 100, y: 40 });
    expect(blocked).toContainEqual({ x: 100, y: 41.3 });
  });
});

describe('loop frames', () => {
  const insidePolygon = (p: { x: number; y: number }, poly: { x: number; y: number }[]): boolean => {
    let inside = false;
    for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
      const a = poly[i]!;
      const b = poly[j]!;
      if (a.y > p.y !== b.y > p.y && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
    }
    return inside;
  };
  for (const direction of ['right', 'down'] as const) {
    test(`a frame over nodes that are not in its loop is notched around them (${direction})`, async () => {
      const ex = examples().find((e) => e.name === 'feature-loops')!;
      const laid = await layout(ex.diagram, { direction });
      const notched = laid.loops.filter((l) => l.outline);
      expect(notched.length).toBeGreaterThan(0);
      for (const loop of notched) {
        const outline = loop.outline!;
        // Orthogonal, and within the frame's box.
        outline.forEach((p, i) => {
          const q = outline[(i + 1) % outline.length]!;
          expect(p.x === q.x || p.y === q.y).toBe(true);
          expect(inside({ x: p.x, y: p.y, width: 0, height: 0 }, loop.box)).toBe(true);
        });
        for (const n of laid.nodes) {
          const centre = { x: n.box.x + n.box.width / 2, y: n.box.y + n.box.height / 2 };
          expect(insidePolygon(centre, outline), `${n.id} and loop ${loop.index}`).toBe(loop.nodes.includes(n.id));
        }
      }
    });
  }
});
