// The main path stays one straight line through the stacks around it (src/layout/to-elk.ts:
// stackOrder, presetAcross, anchorRooms, the label beside a Catch into the state's Next), a node
// beside it moves out to the line of the state that steps into it (presetAcross), a merge into a
// branch's end dot joins just before the dot (apply-layout.ts, joinAtMarkers), a merge member that
// turns on to another's line takes its end near its turn (endsNearTurns), and a final state a few
// pixels off its step's line moves onto it (slideOntoLine); two unrelated routes that turn a few
// pixels apart in one channel swap their turns and cross instead of joining (swapJoinedTurns).
// The machine is a Map that prunes versions, of the shape of a real one in the corpus: two side
// paths (a Choice's Default, then a later one's) end in the branch's end dot, beside a step that
// goes on along the main line; that step's state also catches an error into its Next.
import { describe, expect, test } from 'vitest';
import { layout } from '../../src/layout/index.js';
import { BoxGrid, endsNearTurns, slideOntoLine, swapJoinedTurns } from '../../src/layout/apply-layout.js';
import type { LaidOutDiagram, LaidOutEdge, LaidOutNode } from '../../src/layout/index.js';
import { fromAsl } from '../../src/api/index.js';
import { parseDiagram } from '../../src/model/index.js';
import { measureDrawing } from '../../bench/quality-metrics.mjs';

const PRUNE = {
  StartAt: 'List functions',
  States: {
    'List functions': { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Next: 'Each function' },
    'Each function': {
      Type: 'Map',
      ItemsPath: '$.functions',
      ItemProcessor: {
        ProcessorConfig: { Mode: 'INLINE' },
        StartAt: 'Wanted?',
        States: {
          'Wanted?': { Type: 'Choice', Choices: [{ Variable: '$.name', StringMatches: 'keep*', Next: 'Load versions' }], Default: 'Skip' },
          Skip: { Type: 'Pass', End: true },
          'Load versions': { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Next: 'Enough?' },
          'Enough?': { Type: 'Choice', Choices: [{ Variable: '$.count', NumericGreaterThan: 3, Next: 'Delete the oldest' }], Default: 'Nothing left' },
          'Nothing left': { Type: 'Pass', End: true },
          'Delete the oldest': {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Catch: [{ ErrorEquals: ['Lambda.ResourceConflictException'], Next: 'Drop it from the list and count down' }],
            Next: 'Drop it from the list and count down',
          },
          'Drop it from the list and count down': { Type: 'Pass', Next: 'Enough?' },
        },
      },
      End: true,
    },
  },
};

async function laidOut(direction: 'right' | 'down'): Promise<LaidOutDiagram> {
  const converted = fromAsl(PRUNE);
  if (!converted.ok) throw new Error('from-asl failed');
  const parsed = parseDiagram(converted.value.text);
  expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return layout(parsed.value!, { direction });
}

const id = (laid: LaidOutDiagram, label: string): string => laid.nodes.find((n) => n.label.lines.join(' ') === label)!.id;
const box = (laid: LaidOutDiagram, label: string) => laid.nodes.find((n) => n.id === id(laid, label))!.box;
const edgeBetween = (laid: LaidOutDiagram, from: string, to: string, kind: LaidOutEdge['kind'] = 'next'): LaidOutEdge =>
  laid.edges.find((e) => e.from === id(laid, from) && e.to === id(laid, to) && e.kind === kind)!;
const centre = (b: { x: number; y: number; width: number; height: number }, horizontal: boolean): number => (horizontal ? b.y + b.height / 2 : b.x + b.width / 2);

describe('the main line through crowded stacks', () => {
  for (const direction of ['right', 'down'] as const) {
    const horizontal = direction === 'right';

    test(`the step into a stack shared with the branch's end stays straight (${direction})`, async () => {
      const laid = await laidOut(direction);
      // "Delete the oldest" -> "Drop it…": the way on from a state on the centre line. Before, the end
      // dot (the end of two side paths) took the centre of their stack, and this step bent twice.
      const step = edgeBetween(laid, 'Delete the oldest', 'Drop it from the list and count down');
      expect(step.points).toHaveLength(2);
      expect(centre(box(laid, 'Drop it from the list and count down'), horizontal)).toBeCloseTo(centre(box(laid, 'Delete the oldest'), horizontal), 0);
    });

    test(`the end dot sits on the side of the paths that end there (${direction})`, async () => {
      const laid = await laidOut(direction);
      const dot = laid.nodes.find((n) => n.marker === 'end')!;
      const line = centre(box(laid, 'Delete the oldest'), horizontal);
      expect(centre(dot.box, horizontal)).toBeGreaterThan(line);
      expect(centre(box(laid, 'Nothing left'), horizontal)).toBeGreaterThan(line);
    });

    test(`one of the two side paths runs straight into the end dot (${direction})`, async () => {
      const laid = await laidOut(direction);
      const dot = laid.nodes.find((n) => n.marker === 'end')!;
      // The dot moves out from its stack's place to the line of a state that steps straight into it.
      const lengths = laid.edges.filter((e) => e.to === dot.id).map((e) => e.points.length);
      expect(Math.min(...lengths)).toBe(2);
    });

    test(`the Catch into the same state keeps its label off the step (${direction})`, async () => {
      const laid = await laidOut(direction);
      const step = edgeBetween(laid, 'Delete the oldest', 'Drop it from the list and count down');
      const label = edgeBetween(laid, 'Delete the oldest', 'Drop it from the list and count down', 'catch').label!.box;
      const [a, b] = [step.points[0]!, step.points.at(-1)!];
      const meets = Math.max(a.x, b.x) >= label.x && Math.min(a.x, b.x) <= label.x + label.width && Math.max(a.y, b.y) >= label.y && Math.min(a.y, b.y) <= label.y + label.height;
      expect(meets).toBe(false);
    });

    test(`the two paths into the end dot join just before it, on the side their handle names (${direction})`, async () => {
      const laid = await laidOut(direction);
      const dot = laid.nodes.find((n) => n.marker === 'end')!;
      const into = laid.edges.filter((e) => e.to === dot.id);
      expect(into).toHaveLength(2);
      const [p, q] = into.map((e) => e.points.at(-1)!);
      expect(p!.x).toBeCloseTo(q!.x, 1);
      expect(p!.y).toBeCloseTo(q!.y, 1);
      // The upstream side of the dot: left in direction right, top in direction down.
      if (horizontal) expect(p!.x).toBeCloseTo(dot.box.x, 0);
      else expect(p!.y).toBeCloseTo(dot.box.y, 0);
      const figures = measureDrawing(laid);
      expect(figures.overlaps).toBe(0);
      expect(figures.crossings).toBeLessThanOrEqual(3);
    });
  }
});

const nodeAt = (id: string, shape: LaidOutNode['shape'], x: number, y: number, width: number, height: number): LaidOutNode => ({ id, shape, kind: shape === 'circle' ? 'succeed' : 'state', lane: 'l', box: { x, y, width, height }, label: { lines: [], size: 13, weight: 400, width: 0, height: 0, lineHeight: 18 }, labelCenter: { x: x + width / 2, y: y + height / 2 }, rows: [] });
const stepOf = (from: string, to: string, points: [number, number][]): LaidOutEdge => ({ index: 0, from, to, fromHandle: 'right', toHandle: 'left', kind: 'choice', points: points.map(([x, y]) => ({ x, y })) });

describe('a step a few pixels off line', () => {
  // Direction down: a Choice's rule drops to a final state that ELK left 7 px beside the diamond's
  // corner (a passing edge pushed the diamond). A circle's end cannot slide 7 px along its outline.
  const scene = () => {
    const choice = nodeAt('c', 'diamond', 398, 1200, 130, 84.5);
    const done = nodeAt('s', 'circle', 416, 1389, 80, 80);
    const step = stepOf('c', 's', [[463, 1284.5], [463, 1305], [456, 1305], [456, 1389]]);
    return { choice, done, step };
  };

  test('a final state no other edge touches moves whole onto the line, and the step is straight', () => {
    const { choice, done, step } = scene();
    const nodes = [choice, done];
    slideOntoLine([step], nodes, new BoxGrid(nodes.map((n) => n.box)), new Set());
    expect(step.points).toEqual([{ x: 463, y: 1284.5 }, { x: 463, y: 1389 }]);
    expect(done.box.x).toBe(423);
    expect(done.labelCenter.x).toBe(463);
  });

  test('it stays where it is when another edge ends there too, or a node is in the way', () => {
    const { choice, done, step } = scene();
    const other = stepOf('x', 's', [[300, 1429], [416, 1429]]);
    slideOntoLine([step, other], [choice, done], new BoxGrid([choice.box, done.box]), new Set());
    expect(step.points).toHaveLength(4);
    expect(done.box.x).toBe(416);
    const blocked = scene();
    const wall = nodeAt('w', 'rectangle', 500, 1380, 120, 46);
    const nodes = [blocked.choice, blocked.done, wall];
    slideOntoLine([blocked.step], nodes, new BoxGrid(nodes.map((n) => n.box)), new Set());
    expect(blocked.step.points).toHaveLength(4);
    expect(blocked.done.box.x).toBe(416);
  });
});

describe('an S between two boxes of one column', () => {
  // Direction down: ELK centred a step 40 px beside the one before it (cfn-stacksets' check of a
  // deletion), so the way between them turns twice in the gap.
  const scene = () => {
    const wait = nodeAt('w', 'rectangle', 206, 618, 132, 46);
    const check = nodeAt('k', 'rectangle', 146, 786, 173, 56);
    const step = { ...stepOf('w', 'k', [[272, 664], [272, 770], [233, 770], [233, 786]]), fromHandle: 'bottom' as const, toHandle: 'top' as const };
    return { wait, check, step, nodes: [wait, check] };
  };

  test("the target's end slides along its side onto the source's line, and the step is one straight run", () => {
    const { step, nodes } = scene();
    slideOntoLine([step], nodes, new BoxGrid(nodes.map((n) => n.box)), new Set(['w', 'k']));
    expect(step.points).toEqual([{ x: 272, y: 664 }, { x: 272, y: 786 }]);
  });

  test('not onto a line near the corner, not across another route, and not where the side is no straight one', () => {
    // The line would come within a fifth of the target's side of its corner: the source's end slides instead.
    const near = scene();
    near.check.box.x = 262;
    near.check.box.width = 100;
    near.step.points[2]!.x = near.step.points[3]!.x = 300;
    slideOntoLine([near.step], near.nodes, new BoxGrid(near.nodes.map((n) => n.box)), new Set(['w', 'k']));
    expect(near.step.points).toEqual([{ x: 300, y: 664 }, { x: 300, y: 786 }]);
    // A route across the straight line that the S did not cross.
    const crossed = scene();
    const across = { ...stepOf('x', 'y', [[250, 778], [300, 778]]), index: 1 };
    slideOntoLine([crossed.step, across], crossed.nodes, new BoxGrid(crossed.nodes.map((n) => n.box)), new Set(['w', 'k']));
    expect(crossed.step.points).toHaveLength(4);
    // A diamond's tip or a circle's top cannot slide 39 px.
    const round = scene();
    slideOntoLine([round.step], round.nodes, new BoxGrid(round.nodes.map((n) => n.box)), new Set());
    expect(round.step.points).toHaveLength(4);
  });
});

describe('a merge member that turns on to another member’s line', () => {
  // Direction down, a Fail circle's top: one Choice's way comes along the lane from the right, the
  // other drops from its label and turned on to that line 52 px before its own end (sample-etl).
  const scene = (dropAt: number) => {
    const fail = nodeAt('f', 'circle', 1040.5, 4525, 126, 126);
    const along: LaidOutEdge = { ...stepOf('a', 'f', [[1788, 2497], [1735.1, 2497], [1735.1, 4509], [1109.5, 4509], [1109.5, 4525]]), toHandle: 'top' };
    const drop: LaidOutEdge = { ...stepOf('b', 'f', [[1030, 4371], [dropAt, 4371], [dropAt, 4509], [1097.5, 4509], [1097.5, 4525]]), toHandle: 'top', index: 1 };
    return { fail, along, drop };
  };

  test('its end moves along the side towards its turn: the shared run is no longer than 20 px, and no jog', () => {
    const { fail, along, drop } = scene(1161.6);
    endsNearTurns([along, drop], [fail], new BoxGrid([fail.box]));
    const [p2, p1, end] = drop.points.slice(-3) as [{ x: number; y: number }, { x: number; y: number }, { x: number; y: number }];
    expect(p2.x - p1.x).toBeGreaterThanOrEqual(12);
    expect(p2.x - p1.x).toBeLessThanOrEqual(20);
    expect(end.x).toBe(p1.x);
    // Still on the side the handle names, within the part of the circle spread ends use, apart from the other end.
    expect(end.y).toBe(4525);
    expect(Math.abs(end.x - (1040.5 + 63))).toBeLessThanOrEqual(63 * 0.75);
    expect(end.x - along.points.at(-1)!.x).toBeGreaterThanOrEqual(9.5);
    expect(measureDrawing({ direction: 'down', width: 2000, height: 5000, fontFamily: 'Inter', lanes: [], nodes: [fail], edges: [along, drop], loops: [], title: '', description: '' }).overlaps).toBe(0);
  });

  test('a turn too far out along the side is left alone', () => {
    const { fail, along, drop } = scene(1300);
    const before = drop.points.map((p) => ({ ...p }));
    endsNearTurns([along, drop], [fail], new BoxGrid([fail.box]));
    expect(drop.points).toEqual(before);
  });
});

describe('a Catch handler between a Task and its Next', () => {
  // The handler sits alone in the layer between the two; centred, the step from the Task to its
  // Next bent round it and the Catch climbed round it into its top (webhook-provider).
  // A loop back to the start passes the Task's layer, so the Catch cannot be a straight drop
  // beside the Task (layerScope).
  const MACHINE = {
    StartAt: 'Prepare the call',
    States: {
      'Prepare the call': { Type: 'Pass', Next: 'Queue the call' },
      'Queue the call': { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Next: 'Record the call', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Shape the error' }] },
      'Shape the error': { Type: 'Pass', Next: 'Record the call' },
      'Record the call': { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Next: 'Again?' },
      'Again?': { Type: 'Choice', Choices: [{ Variable: '$.more', BooleanEquals: true, Next: 'Prepare the call' }], Default: 'Done' },
      Done: { Type: 'Succeed' },
    },
  };
  for (const direction of ['right', 'down'] as const) {
    test(`lies beside the main line, which runs straight past it (${direction})`, async () => {
      const converted = fromAsl(MACHINE);
      if (!converted.ok) throw new Error('from-asl failed');
      const laid = await layout(parseDiagram(converted.value.text).value!, { direction });
      const horizontal = direction === 'right';
      const step = edgeBetween(laid, 'Queue the call', 'Record the call');
      expect(step.points).toHaveLength(2);
      const handler = box(laid, 'Shape the error');
      const line = centre(box(laid, 'Queue the call'), horizontal);
      // Wholly on the side the Catch leaves by (below, or right of, the line).
      expect(horizontal ? handler.y : handler.x).toBeGreaterThan(line);
      const caught = edgeBetween(laid, 'Queue the call', 'Shape the error', 'catch');
      expect(caught.points.length - 2).toBeLessThanOrEqual(2);
    });
  }
});

describe('two unrelated routes turning a few pixels apart in one channel', () => {
  // dynamodb-semaphore, direction right: Acquire Lock's way to End runs along the main line and
  // turns down 12 px past where Get Current Lock Record's way turns up on to it, into the Choice's
  // tip: the line reads as Acquire Lock -> Choice.
  const scene = () => {
    const current = nodeAt('g', 'rectangle', 844, 326, 134, 56);
    const choice = nodeAt('c', 'diamond', 1022, 237.5, 242, 92);
    const toEnd = stepOf('a', 'end', [[615, 283.5], [1006, 283.5], [1006, 345.5], [1682, 345.5], [1682, 283.5], [1698, 283.5]]);
    const intoChoice = { ...stepOf('g', 'c', [[978, 354], [994, 354], [994, 283.5], [1022, 283.5]]), index: 1 };
    return { current, choice, toEnd, intoChoice };
  };
  const figures = (edges: LaidOutEdge[], nodes: LaidOutNode[]) => measureDrawing({ direction: 'right', width: 1800, height: 500, fontFamily: 'Inter', lanes: [], nodes, edges, loops: [], title: '', description: '' });

  test('the turns swap places: one plain crossing, no shared run, the ends where they were', () => {
    const { current, choice, toEnd, intoChoice } = scene();
    expect(figures([toEnd, intoChoice], [current, choice])).toMatchObject({ joins: 1, crossings: 0 });
    swapJoinedTurns([toEnd, intoChoice], new BoxGrid([current.box, choice.box]));
    expect(figures([toEnd, intoChoice], [current, choice])).toMatchObject({ joins: 0, crossings: 1, overlaps: 0, jogs: 0 });
    expect(toEnd.points.map((p) => [p.x, p.y])).toEqual([[615, 283.5], [994, 283.5], [994, 345.5], [1682, 345.5], [1682, 283.5], [1698, 283.5]]);
    expect(intoChoice.points.map((p) => [p.x, p.y])).toEqual([[978, 354], [1006, 354], [1006, 283.5], [1022, 283.5]]);
  });

  test('left alone when the swap would run a route through a node', () => {
    const { current, choice, toEnd, intoChoice } = scene();
    const inTheWay = nodeAt('x', 'rectangle', 1003, 300, 7, 30);
    const before = [toEnd, intoChoice].map((e) => e.points.map((p) => ({ ...p })));
    swapJoinedTurns([toEnd, intoChoice], new BoxGrid([current.box, choice.box, inTheWay.box]));
    expect([toEnd.points, intoChoice.points]).toEqual(before);
  });

  test('left alone when both routes join the same two lines: swapped, they would share the other one', () => {
    // kyc: one lane's step into the other lane's next node, and back the other way.
    const down = stepOf('u', 'a', [[400, 146], [482, 146], [482, 342], [510, 342]]);
    const up = { ...stepOf('d', 'f', [[455, 342], [494, 342], [494, 146], [510, 146]]), index: 1 };
    const before = [down, up].map((e) => e.points.map((p) => ({ ...p })));
    swapJoinedTurns([down, up], new BoxGrid([]));
    expect([down.points, up.points]).toEqual(before);
  });
});
