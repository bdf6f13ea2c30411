// A route still crooked after every rerouting pass (more than 4 corners) gets room: one node near
// it moves across the flow, inside its lane, and the edges at that node are routed afresh
// (src/layout/apply-layout.ts, makeRoomForCrooked). The machine below is written for this test: ELK
// puts the Fail state of the first check in the gap that the second check's Default must pass, so
// that Default went round the Fail state with 5 corners.
import { expect, test } from 'vitest';
import { layout } from '../../src/layout/index.js';
import type { LaidOutDiagram } from '../../src/layout/index.js';
import { fromAsl } from '../../src/asl/index.js';
import { measureDrawing } from '../../bench/quality-metrics.mjs';

const retry = (times: number) => [{ ErrorEquals: ['States.ALL'], MaxAttempts: times }];
const RUN_RECORDER = {
  StartAt: 'GatherRunOutput',
  States: {
    GatherRunOutput: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', ResultPath: '$.gatheredrunresults', Retry: retry(15), Next: 'CheckRunOutputFields' },
    CheckRunOutputFields: {
      Type: 'Choice',
      Choices: [
        {
          And: [
            { Variable: '$.gatheredrunresults.Payload.RunStatus', IsPresent: true },
            { Not: { Variable: '$.gatheredrunresults.Payload.RunStatus', StringEquals: '' } },
          ],
          Next: 'DidTheRunPassOrFail',
        },
      ],
      Default: 'OutputIncomplete',
    },
    OutputIncomplete: { Type: 'Fail', Error: 'OutputIncomplete' },
    DidTheRunPassOrFail: {
      Type: 'Choice',
      Choices: [{ Variable: '$.gatheredrunresults.Payload.RunStatus', StringEquals: 'SUCCEEDED', Next: 'EmitRun-ElapsedTimeMetric' }],
      Default: 'EmitRun-OutcomeStatusMetric',
    },
    'EmitRun-ElapsedTimeMetric': { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:cloudwatch:putMetricData', Retry: retry(3), Catch: [{ ErrorEquals: ['States.ALL'], Next: 'EmitRun-OutcomeStatusMetric' }], Next: 'EmitRun-OutcomeStatusMetric' },
    'EmitRun-OutcomeStatusMetric': { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:cloudwatch:putMetricData', Retry: retry(3), Catch: [{ ErrorEquals: ['States.ALL'], Next: 'StoreRun-InDynamoDB' }], Next: 'StoreRun-InDynamoDB' },
    'StoreRun-InDynamoDB': { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Retry: retry(15), Next: 'ClearRunOutput' },
    ClearRunOutput: { Type: 'Pass', End: true },
  },
};

type Box = { x: number; y: number; width: number; height: number };
const meet = (a: Box, b: Box): boolean => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
/** Corners of a route, points on a straight run not counted. */
const corners = (points: { x: number; y: number }[]): number =>
  points.slice(1, -1).filter((p, i) => {
    const [a, b] = [points[i]!, points[i + 2]!];
    return !((Math.abs(a.x - p.x) < 0.5 && Math.abs(p.x - b.x) < 0.5) || (Math.abs(a.y - p.y) < 0.5 && Math.abs(p.y - b.y) < 0.5));
  }).length;

async function drawn(): Promise<{ laid: LaidOutDiagram; name: (id: string) => string }> {
  const laid = await layout(fromAsl(RUN_RECORDER).value!, { direction: 'down' });
  const names = new Map(laid.nodes.map((n) => [n.id, n.label.lines.join('')]));
  return { laid, name: (id) => names.get(id)! };
}

test('a Default that had to go round a Fail state set beside its check gets room: at most 4 corners, clear of every node', async () => {
  const { laid, name } = await drawn();
  const detour = laid.edges.find((e) => name(e.from) === 'DidTheRunPassOrFail' && e.kind === 'default')!;
  expect(name(detour.to)).toBe('EmitRun-OutcomeStatusMetric');
  expect(corners(detour.points)).toBeLessThanOrEqual(4);
  // Its route runs through no node, its label sits on it and on nothing else.
  for (const n of laid.nodes) {
    if (n.id === detour.from || n.id === detour.to) continue;
    detour.points.slice(1).forEach((q, i) => {
      const p = detour.points[i]!;
      const run = { x: Math.min(p.x, q.x), y: Math.min(p.y, q.y), width: Math.abs(q.x - p.x) || 1, height: Math.abs(q.y - p.y) || 1 };
      expect(meet(run, n.box), name(n.id)).toBe(false);
    });
    expect(meet(detour.label!.box, n.box), name(n.id)).toBe(false);
  }
  for (const e of laid.edges) if (e !== detour && e.label) expect(meet(e.label.box, detour.label!.box)).toBe(false);
  // The Fail state moved: no two nodes meet, and every edge of the drawing keeps to the rules.
  for (const a of laid.nodes) for (const b of laid.nodes) if (a !== b && a.kind !== 'container' && b.kind !== 'container') expect(meet(a.box, b.box), `${name(a.id)} ${name(b.id)}`).toBe(false);
  expect(measureDrawing(laid)).toMatchObject({ jogs: 0, overlaps: 0, joins: 0, intrusions: 0 });
  for (const e of laid.edges) expect(corners(e.points), `${name(e.from)} -> ${name(e.to)}`).toBeLessThanOrEqual(4);
});

test('making room draws the same every time', async () => {
  const [a, b] = [await drawn(), await drawn()];
  expect(JSON.stringify(b.laid)).toBe(JSON.stringify(a.laid));
});
