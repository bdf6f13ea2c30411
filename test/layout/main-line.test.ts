// The main path stays one straight line through the stacks around it (src/layout/to-elk.ts:
// stackOrder, presetAcross, anchorRooms, the label beside a Catch into the state's Next), and a
// merge into a branch's end dot joins just before the dot (apply-layout.ts, joinAtMarkers).
// The machine is a Map that prunes versions, of the shape of a real one in the corpus: two side
// paths (a Choice's Default, then a later one's) end in the branch's end dot, beside a step that
// goes on along the main line; that step's state also catches an error into its Next.
import { describe, expect, test } from 'vitest';
import { layout } from '../../src/layout/index.js';
import type { LaidOutDiagram, LaidOutEdge } from '../../src/layout/index.js';
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
