// from-asl picks handles from the flow of a scope, not from the order of its JSON: the main way on
// right -> left, a loop back over the top, a Choice's other rules fanned over and under, Catch edges
// down onto their handler. Checked on small machines written for each rule, on a 20,000-state loop,
// and on the real corpus through the layout (every right -> left edge runs downstream, every
// top -> top edge runs back), where the round trip stays exact.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { fromAsl, loadAsl, toAsl } from '../../src/asl/index.js';
import { layout } from '../../src/layout/index.js';
import type { Diagram } from '../../src/model/types.js';
import { aslQualityPicks } from '../../bench/quality-metrics.mjs';
import { corpusDir } from './corpus-helpers.js';

/** Every edge as `From.side -> To.side`, by label (markers as Start/End), in the diagram's order. */
function handlesOf(d: Diagram): string[] {
  const label = new Map(d.nodes.map((n) => [n.id, n.label ?? n.id]));
  return d.edges.map((e) => `${label.get(e.from.node)}.${e.from.handle} -> ${label.get(e.to.node)}.${e.to.handle}`);
}

const draw = (definition: unknown): string[] => {
  const r = fromAsl(definition, { validate: false });
  expect(toAsl(r.value, { validate: false }).value).toEqual(definition);
  return handlesOf(r.value);
};

/** With service lanes: the diagram (its round trip checked) and each state's lane, counted from the top. */
const inServiceLanes = (definition: unknown): { diagram: Diagram; laneOf: Map<string, number> } => {
  const r = fromAsl(definition, { validate: false, lanes: 'service' });
  expect(toAsl(r.value, { validate: false }).value).toEqual(definition);
  const lanes = r.value.lanes.map((l) => l.id);
  return { diagram: r.value, laneOf: new Map(r.value.nodes.map((n) => [n.label ?? n.id, lanes.indexOf(n.lane)])) };
};

const task = (next: string): Record<string, unknown> => ({ Type: 'Pass', Next: next });
const rule = (value: string, next: string): Record<string, unknown> => ({ Variable: '$.x', StringEquals: value, Next: next });

describe('from-asl handles', () => {
  test('a forward step to a state declared earlier in the JSON goes right -> left, not over the top', () => {
    const handles = draw({ StartAt: 'A', States: { C: { Type: 'Succeed' }, B: task('C'), A: task('B') } });
    expect(handles).toEqual(['Start.right -> A.left', 'B.right -> C.left', 'A.right -> B.left']);
  });

  test('only a real cycle goes back over the top; a Catch back under the bottom', () => {
    const handles = draw({
      StartAt: 'Wait',
      States: {
        Wait: { Type: 'Wait', Seconds: 5, Next: 'Poll' },
        Poll: { Type: 'Pass', Next: 'Done?', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Wait' }] },
        'Done?': { Type: 'Choice', Choices: [rule('yes', 'Finish')], Default: 'Wait' },
        Finish: { Type: 'Succeed' },
      },
    });
    expect(handles).toEqual([
      'Start.right -> Wait.left',
      'Wait.right -> Poll.left',
      'Poll.right -> Done?.left',
      'Poll.bottom -> Wait.bottom',
      'Done?.right -> Finish.left',
      'Done?.top -> Wait.top',
    ]);
  });

  test('a Choice continues straight on its longest way: the Default when the rules leave early', () => {
    const handles = draw({
      StartAt: 'Valid?',
      States: {
        'Valid?': { Type: 'Choice', Choices: [rule('bad', 'Reject')], Default: 'Store' },
        Reject: { Type: 'Fail' },
        Store: task('Notify'),
        Notify: { Type: 'Pass', End: true },
      },
    });
    expect(handles).toContain('Valid?.right -> Store.left');
    expect(handles).toContain('Valid?.bottom -> Reject.left');
  });

  test('on a tie the first rule goes straight; further rules fan out, the first half over the top', () => {
    const handles = draw({
      StartAt: 'Which?',
      States: {
        'Which?': { Type: 'Choice', Choices: [rule('a', 'A'), rule('b', 'B'), rule('c', 'C')], Default: 'D' },
        A: { Type: 'Succeed' },
        B: { Type: 'Succeed' },
        C: { Type: 'Succeed' },
        D: { Type: 'Succeed' },
      },
    });
    expect(handles).toEqual(['Start.right -> Which?.left', 'Which?.right -> A.left', 'Which?.top -> B.left', 'Which?.bottom -> C.left', 'Which?.bottom -> D.left']);
  });

  // web-contact-form-processor: POSITIVE and the Default both go to "Not Bad". Fanned one over the
  // top and one under, the Default came up from below round the main way, crossing it (5 bends).
  test('a Choice\'s ways into one state fan out on one side', () => {
    const handles = draw({
      StartAt: 'Good?',
      States: {
        'Good?': { Type: 'Choice', Choices: [rule('bad', 'Bad'), rule('good', 'Fine')], Default: 'Fine' },
        Bad: task('Notify'),
        Notify: { Type: 'Pass', End: true },
        Fine: { Type: 'Succeed' },
      },
    });
    expect(handles.filter((h) => h.startsWith('Good?.'))).toEqual(['Good?.right -> Bad.left', 'Good?.bottom -> Fine.left', 'Good?.bottom -> Fine.left']);
    // With a way to another state as well, the distinct targets split over and under, each target's ways together.
    const split = draw({
      StartAt: 'Which?',
      States: {
        'Which?': { Type: 'Choice', Choices: [rule('a', 'A'), rule('b', 'B'), rule('c', 'C'), rule('bb', 'B')], Default: 'C' },
        A: task('A2'),
        A2: { Type: 'Succeed' },
        B: { Type: 'Succeed' },
        C: { Type: 'Succeed' },
      },
    });
    expect(split.filter((h) => h.startsWith('Which?.'))).toEqual(['Which?.right -> A.left', 'Which?.top -> B.left', 'Which?.bottom -> C.left', 'Which?.top -> B.left', 'Which?.bottom -> C.left']);
  });

  test('a Choice that a loop comes back into keeps its top for the loop: its other rules go under', () => {
    const handles = draw({
      StartAt: 'Which?',
      States: {
        'Which?': { Type: 'Choice', Choices: [rule('a', 'A'), rule('b', 'B'), rule('c', 'C')], Default: 'D' },
        A: task('Which?'),
        B: { Type: 'Succeed' },
        C: { Type: 'Succeed' },
        D: { Type: 'Succeed' },
      },
    });
    expect(handles.filter((h) => h.startsWith('Which?.'))).toEqual(['Which?.right -> A.left', 'Which?.bottom -> B.left', 'Which?.bottom -> C.left', 'Which?.bottom -> D.left']);
    expect(handles).toContain('A.top -> Which?.top');
  });

  test('a forward Catch drops onto its handler; a self-loop goes over the top', () => {
    const handles = draw({
      StartAt: 'Work',
      States: {
        Work: { Type: 'Pass', Next: 'Again?', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Failed' }] },
        'Again?': { Type: 'Choice', Choices: [rule('again', 'Again?')], Default: 'Done' },
        Done: { Type: 'Succeed' },
        Failed: { Type: 'Fail' },
      },
    });
    expect(handles).toContain('Work.bottom -> Failed.top');
    expect(handles).toContain('Again?.top -> Again?.top');
    expect(handles).toContain('Again?.right -> Done.left');
  });

  test('with service lanes, a lone branch and a Catch into a lane above leave by the top; into a lane below, by the bottom', () => {
    // Lanes in order of first use: Lambda (the Tasks), then Step Functions (the Choice, the Wait, Fail).
    const lambda = (next: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Next: next, ...extra });
    const definition = {
      StartAt: 'Fetch',
      States: {
        Fetch: lambda('Ready?', { Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Failed' }] }),
        'Ready?': { Type: 'Choice', Choices: [rule('no', 'Retry later')], Default: 'Wait' },
        Wait: { Type: 'Wait', Seconds: 5, Next: 'Store' },
        Store: lambda('Done', { Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Tidy up' }] }),
        'Retry later': lambda('Done'),
        'Tidy up': lambda('Failed'),
        Done: { Type: 'Succeed' },
        Failed: { Type: 'Fail' },
      },
    };
    const { diagram, laneOf } = inServiceLanes(definition);
    expect(laneOf.get('Fetch')!).toBeLessThan(laneOf.get('Ready?')!);
    const handles = handlesOf(diagram);
    // The Choice's one other way goes up to a Task: out of its top, not round under it.
    expect(handles).toContain('Ready?.top -> Retry later.left');
    // A Catch from a Task down to the Fail state drops onto it; one within the lane as before.
    expect(handles).toContain('Fetch.bottom -> Failed.top');
    expect(handles).toContain('Store.bottom -> Tidy up.top');
    // Single lanes keep the split over and under.
    expect(draw(definition)).toContain('Ready?.bottom -> Retry later.left');
  });

  // security-incident: "allow" into a Task in the lane below was the first of two side ways and
  // went over the top, climbing over its own Choice to come down again (5 bends).
  test('with service lanes, each side way of a fan into another lane leaves by that lane\'s side', () => {
    const definition = {
      StartAt: 'Ask',
      States: {
        Ask: { Type: 'Pass', Next: 'Choice' },
        Choice: { Type: 'Choice', Choices: [rule('delete', 'Denied'), rule('allow', 'Approve')], Default: 'Denied' },
        Approve: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Next: 'Done' },
        Denied: { Type: 'Pass', Next: 'Done' },
        Done: { Type: 'Succeed' },
      },
    };
    const { diagram, laneOf } = inServiceLanes(definition);
    expect(laneOf.get('Choice')!).toBeLessThan(laneOf.get('Approve')!);
    const handles = handlesOf(diagram).filter((h) => h.startsWith('Choice.'));
    expect(handles).toEqual(['Choice.right -> Denied.left', 'Choice.bottom -> Approve.left', 'Choice.bottom -> Denied.left']);
    // In one lane the two targets split over and under.
    expect(draw(definition).filter((h) => h.startsWith('Choice.'))).toEqual(['Choice.right -> Denied.left', 'Choice.top -> Approve.left', 'Choice.bottom -> Denied.left']);
  });

  // cfn-stacksets: "create" (the longest way ahead) and "delete" go into the lane below, the Default
  // to a Fail in the Choice's own lane. With "create" as the main way the Default joined "delete"
  // on the bottom and hooked back up round the diamond; the way along the lane now runs straight.
  test('with service lanes, a Choice runs straight along its own lane; its ways into another lane leave by that lane\'s side', async () => {
    const definition = {
      StartAt: 'Choice',
      States: {
        Choice: { Type: 'Choice', Choices: [rule('create', 'Create'), rule('delete', 'Delete')], Default: 'Invalid' },
        Invalid: { Type: 'Fail', Error: 'InvalidInput' },
        Create: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:cloudformation:createStackSet', Next: 'Done' },
        Delete: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:cloudformation:deleteStackSet', Next: 'Done' },
        Done: { Type: 'Succeed' },
      },
    };
    const { diagram } = inServiceLanes(definition);
    expect(handlesOf(diagram).filter((h) => h.startsWith('Choice.'))).toEqual(['Choice.bottom -> Create.left', 'Choice.bottom -> Delete.left', 'Choice.right -> Invalid.left']);
    // In one lane the longest way ahead stays the main one.
    expect(draw(definition).filter((h) => h.startsWith('Choice.'))).toEqual(['Choice.right -> Create.left', 'Choice.top -> Delete.left', 'Choice.bottom -> Invalid.left']);
    for (const direction of ['right', 'down'] as const) {
      const laid = await layout(diagram, { direction });
      const invalid = laid.nodes.find((n) => n.label?.lines.join(' ') === 'Invalid')!;
      expect(laid.edges.find((e) => e.to === invalid.id)!.points, direction).toHaveLength(2);
    }
  });

  // job-status-poller: the Default loops back over the Choice's top, so "SUCCEEDED" into the lane
  // above cannot leave by the top; under the bottom it would hook round across "FAILED".
  test('with service lanes, a way into the lane above stays the main one when a loop holds the top', () => {
    const definition = {
      StartAt: 'Submit',
      States: {
        Submit: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Next: 'Wait' },
        Wait: { Type: 'Wait', Seconds: 5, Next: 'Status' },
        Status: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Next: 'Complete?' },
        'Complete?': { Type: 'Choice', Choices: [rule('FAILED', 'Failed'), rule('SUCCEEDED', 'Final')], Default: 'Wait' },
        Failed: { Type: 'Fail' },
        Final: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Next: 'Done' },
        Done: { Type: 'Succeed' },
      },
    };
    const { diagram, laneOf } = inServiceLanes(definition);
    expect(laneOf.get('Final')!).toBeLessThan(laneOf.get('Complete?')!);
    expect(handlesOf(diagram).filter((h) => h.startsWith('Complete?.'))).toEqual(['Complete?.bottom -> Failed.left', 'Complete?.right -> Final.left', 'Complete?.top -> Wait.top']);
  });

  test('with service lanes, a Catch up to a handler in the lane above leaves by the top into its bottom', () => {
    const definition = {
      StartAt: 'Wait',
      States: {
        Wait: { Type: 'Wait', Seconds: 5, Next: 'Call' },
        Call: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Next: 'Done', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Report' }] },
        Report: { Type: 'Pass', Next: 'Done' },
        Done: { Type: 'Succeed' },
      },
    };
    const { diagram } = inServiceLanes(definition);
    expect(handlesOf(diagram)).toContain('Call.top -> Report.bottom');
  });

  // summarize-transcription: each step calls the next service, so with a right -> left step each
  // way into the next lane turned twice and the machine became a staircase across the page.
  test('with service lanes, a step into the neighbouring lane drops across the border, where both sides are free', async () => {
    const lambda = 'arn:aws:states:::lambda:invoke';
    const definition = {
      StartAt: 'Prepare',
      States: {
        Prepare: { Type: 'Pass', Next: 'Summarise' },
        Summarise: { Type: 'Task', Resource: lambda, Next: 'Store' },
        Store: { Type: 'Task', Resource: 'arn:aws:states:::s3:putObject', Next: 'Notify', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Clean up' }] },
        'Clean up': { Type: 'Task', Resource: 'arn:aws:states:::s3:deleteObject', Next: 'Retry' },
        Notify: { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', Next: 'Retry' },
        Retry: { Type: 'Task', Resource: 'arn:aws:states:::s3:putObject', Next: 'Done' },
        Done: { Type: 'Succeed' },
      },
    };
    const { diagram, laneOf } = inServiceLanes(definition);
    // Step Functions, Lambda, S3, SNS.
    expect(['Prepare', 'Summarise', 'Store', 'Notify', 'Retry', 'Done'].map((n) => laneOf.get(n))).toEqual([0, 1, 2, 3, 2, 0]);
    const handles = handlesOf(diagram);
    expect(handles).toContain('Prepare.bottom -> Summarise.top');
    expect(handles).toContain('Summarise.bottom -> Store.top');
    // Store's Catch holds its bottom: its Next steps on right -> left.
    expect(handles).toContain('Store.bottom -> Clean up.top');
    expect(handles).toContain('Store.right -> Notify.left');
    // Retry is entered twice, so placed by the later way in: no drop from Notify.
    expect(handles).toContain('Notify.right -> Retry.left');
    // Two lanes up: no drop.
    expect(handles).toContain('Retry.right -> Done.left');
    // In one lane nothing drops.
    expect(draw(definition)).toContain('Prepare.right -> Summarise.left');
    // Drawn, the drops are straight lines, down the lanes in direction right, across them in direction down.
    for (const direction of ['right', 'down'] as const) {
      const laid = await layout(diagram, { direction });
      const id = new Map(laid.nodes.map((n) => [n.label?.lines.join(' '), n.id]));
      for (const [from, to] of [['Prepare', 'Summarise'], ['Summarise', 'Store']]) {
        const e = laid.edges.find((x) => x.from === id.get(from) && x.to === id.get(to))!;
        expect(e.points, `${from} -> ${to} (${direction})`).toHaveLength(2);
      }
    }
  });

  test('a 20,000-state loop: every step right -> left, the one edge back over the top, without recursion', () => {
    const n = 20_000;
    const states: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) states[`S${i}`] = task(`S${(i + 1) % n}`);
    const handles = handlesOf(fromAsl({ StartAt: 'S0', States: states }, { validate: false }).value);
    expect(handles.filter((h) => h.includes('.top'))).toEqual([`S${n - 1}.top -> S0.top`]);
    expect(handles.filter((h) => /\.right -> .*\.left$/.test(h))).toHaveLength(n);
  });
});

// The same search as the layout's cycle breaking: in the drawing, a right -> left edge never runs
// backwards and a top -> top edge never runs forwards (a hump), over every machine `npm run
// quality` measures.
const manifest = join(corpusDir, 'asl', 'MANIFEST.tsv');
const picks = (() => {
  try {
    return aslQualityPicks(readFileSync(manifest, 'utf8')) as string[];
  } catch {
    return [];
  }
})();

describe.skipIf(picks.length === 0)('from-asl handles in the corpus drawings', () => {
  test('no hump over the top for a forward step, no straight handle pair for a step back', async () => {
    const wrong: string[] = [];
    for (const file of picks) {
      const definition = loadAsl(readFileSync(join(corpusDir, 'asl', file), 'utf8'), { name: file }).value.definition;
      const laid = await layout(fromAsl(definition, { validate: false }).value, { direction: 'right' });
      const centre = new Map(laid.nodes.map((n) => [n.id, n.box.x + n.box.width / 2]));
      for (const e of laid.edges) {
        if (e.from === e.to) continue;
        const forward = centre.get(e.to)! > centre.get(e.from)!;
        if (e.fromHandle === 'top' && e.toHandle === 'top' && forward) wrong.push(`${file}: ${e.from} -> ${e.to} over the top`);
        if (e.fromHandle === 'right' && e.toHandle === 'left' && !forward) wrong.push(`${file}: ${e.from} -> ${e.to} right -> left backwards`);
      }
    }
    expect(picks.length).toBeGreaterThanOrEqual(90);
    expect(wrong).toEqual([]);
  }, 120_000);
});
