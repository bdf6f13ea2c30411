// A Catch bundle whose members come from another lane and pass over steps of the target's lane
// runs in that lane's channel on the far side (below its steps in direction right, right of them
// in direction down), on one line, as the "routed in a channel along the lane's bottom"
// asks (src/layout/to-elk.ts, presetAcross). Through the middle of the lane, every step between
// the lanes (a Task above, its Wait below, and back) crossed it. The machine is written for the
// test: two polling loops, each Task catching into one Fail state, with service lanes.
import { describe, expect, test } from 'vitest';
import { layout } from '../../src/layout/index.js';
import type { LaidOutDiagram } from '../../src/layout/index.js';
import { fromAsl } from '../../src/api/index.js';
import { parseDiagram } from '../../src/model/index.js';
import { measureDrawing } from '../../bench/quality-metrics.mjs';

const task = (next: string) => ({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Next: next, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Failed' }] });
const POLL = {
  StartAt: 'Start export',
  States: {
    'Start export': task('Wait for export'),
    'Wait for export': { Type: 'Wait', Seconds: 30, Next: 'Check export' },
    'Check export': task('Export done?'),
    'Export done?': { Type: 'Choice', Choices: [{ Variable: '$.status', StringEquals: 'done', Next: 'Start import' }], Default: 'Wait for export' },
    'Start import': task('Wait for import'),
    'Wait for import': { Type: 'Wait', Seconds: 30, Next: 'Check import' },
    'Check import': task('Import done?'),
    'Import done?': { Type: 'Choice', Choices: [{ Variable: '$.status', StringEquals: 'done', Next: 'Done' }], Default: 'Wait for import' },
    Done: { Type: 'Succeed' },
    Failed: { Type: 'Fail' },
  },
};

async function laidOut(direction: 'right' | 'down'): Promise<LaidOutDiagram> {
  const converted = fromAsl(POLL, { lanes: 'service' });
  if (!converted.ok) throw new Error('from-asl failed');
  const parsed = parseDiagram(converted.value.text);
  expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return layout(parsed.value!, { direction });
}

describe('a Catch bundle from another lane', () => {
  for (const direction of ['right', 'down'] as const) {
    const horizontal = direction === 'right';

    test(`runs on one line beyond the steps of its target's lane (${direction})`, async () => {
      const laid = await laidOut(direction);
      const failed = laid.nodes.find((n) => n.label.lines.join(' ') === 'Failed')!;
      const members = laid.edges.filter((e) => e.kind === 'catch' && e.to === failed.id);
      expect(members).toHaveLength(4);
      const steps = laid.nodes.filter((n) => n.lane === failed.lane && n.id !== failed.id);
      expect(steps.length).toBeGreaterThanOrEqual(4);
      const farSide = Math.max(...steps.map((n) => (horizontal ? n.box.y + n.box.height : n.box.x + n.box.width)));
      // The members that pass over steps of the target's lane (all but the last Task's), each by
      // its longest run along the flow: beyond all the steps, on one line.
      const label = (id: string): string => laid.nodes.find((n) => n.id === id)!.label.lines.join(' ');
      const lines = members
        .filter((e) => ['Start export', 'Check export', 'Start import'].includes(label(e.from)))
        .map((e) => {
          let best = { length: 0, line: 0 };
          e.points.slice(1).forEach((q, k) => {
            const p = e.points[k]!;
            const length = horizontal ? (Math.abs(p.y - q.y) < 0.5 ? Math.abs(p.x - q.x) : 0) : Math.abs(p.x - q.x) < 0.5 ? Math.abs(p.y - q.y) : 0;
            if (length > best.length) best = { length, line: horizontal ? p.y : p.x };
          });
          return best;
        });
      expect(lines).toHaveLength(3);
      for (const l of lines) expect(l.line).toBeGreaterThan(farSide);
      expect(new Set(lines.map((l) => Math.round(l.line))).size).toBe(1);
    });

    test(`crosses few of the steps between the lanes (${direction})`, async () => {
      const laid = await laidOut(direction);
      // Through the middle of the lane: 22 crossings (23 going down); in the channel, the drops
      // from the Tasks cross only the two loops back.
      expect(measureDrawing(laid).crossings).toBeLessThanOrEqual(8);
    });
  }
});
