// Differential test: on generated JSONPath state machines without Tasks (Pass with Parameters, Result,
// ResultPath, InputPath/OutputPath and intrinsic functions; Choice with comparisons, And/Not; inline Map
// with ItemSelector and $$.Map.Item; Parallel; Succeed/Fail), flowlane's interpreter gives the same
// status and output as aws-local-stepfunctions 3.0.0, on features that library implements as AWS does.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { runStateMachine } from '../../src/run/index.js';

// aws-local-stepfunctions 3 calls Promise.withResolvers, which Node 20 lacks.
const P = Promise as unknown as { withResolvers?: () => unknown };
P.withResolvers ??= function withResolvers<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
};
const { StateMachine } = await import('aws-local-stepfunctions');

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const VALUE_EXPRESSIONS = [
  '$.a', '$.b', '$.o.x', '$.arr', '$.o',
  "States.Format('{}-{}', $.a, $.b)",
  'States.ArrayLength($.arr)',
  'States.MathAdd($.a, 3)',
  'States.JsonToString($.o)',
  'States.ArrayContains($.arr, $.a)',
  'States.Array($.a, $.b, null)',
  "States.StringSplit($.b, ',')",
  'States.Base64Encode($.b)',
  'States.ArrayUnique($.arr)',
  'States.ArrayPartition($.arr, 2)',
  "States.Hash($.b, 'SHA-256')",
  'States.ArrayRange(1, 7, 3)',
  'States.StringToJson(States.JsonToString($.o))',
];

const valueExpr = fc.constantFrom(...VALUE_EXPRESSIONS);
const parameters = fc.dictionary(fc.constantFrom('p', 'q', 'r'), valueExpr, { minKeys: 1, maxKeys: 3 }).map((d) => Object.fromEntries(Object.entries(d).map(([k, v]) => [`${k}.$`, v])));
const rule = fc.oneof(
  fc.record({ Variable: fc.constant('$.a'), op: fc.constantFrom('NumericEquals', 'NumericLessThan', 'NumericGreaterThanEquals'), v: fc.integer({ min: -3, max: 3 }) }).map((r) => ({ Variable: r.Variable, [r.op]: r.v })),
  fc.record({ v: fc.constantFrom('a', 'b', 'a,b', 'x') }).map((r) => ({ Variable: '$.b', StringEquals: r.v })),
  fc.constant({ Variable: '$.o.x', NumericLessThanPath: '$.a' }),
  fc.constant({ Not: { Variable: '$.b', StringMatches: 'a*' } }),
  fc.constant({ And: [{ Variable: '$.a', NumericGreaterThan: -2 }, { Variable: '$.arr', IsPresent: true }] }),
);

type Step =
  | { kind: 'pass'; params?: Json; result?: Json }
  | { kind: 'choice'; rule: Json }
  | { kind: 'map' }
  | { kind: 'parallel' };
const step: fc.Arbitrary<Step> = fc.oneof(
  parameters.map((params) => ({ kind: 'pass' as const, params })),
  // Falsy Results (null, false, 0, "") are left out: the library takes them for no Result at all.
  fc.jsonValue({ maxDepth: 2 }).filter((v) => Boolean(v)).map((result) => ({ kind: 'pass' as const, result: result as Json })),
  rule.map((r) => ({ kind: 'choice' as const, rule: r as Json })),
  fc.constant({ kind: 'map' as const }),
  fc.constant({ kind: 'parallel' as const }),
);

/** A machine that runs the steps in order, each result stored at $.s<k> so the base fields stay readable. */
function machine(steps: Step[], end: 'succeed' | 'fail', outputPath: string | undefined): Json {
  const states: Record<string, Json> = {};
  const name = (k: number) => (k < steps.length ? `S${k}` : 'End');
  steps.forEach((s, k) => {
    const next = name(k + 1);
    const resultPath = `$.s${k}`;
    if (s.kind === 'pass') states[`S${k}`] = { Type: 'Pass', ...(s.params ? { Parameters: s.params } : { Result: s.result ?? null }), ResultPath: resultPath, Next: next };
    else if (s.kind === 'choice') {
      states[`S${k}`] = { Type: 'Choice', Choices: [{ ...(s.rule as Record<string, Json>), Next: `S${k}yes` }], Default: `S${k}no` };
      states[`S${k}yes`] = { Type: 'Pass', Result: 'yes', ResultPath: resultPath, Next: next };
      states[`S${k}no`] = { Type: 'Pass', Result: 'no', ResultPath: resultPath, Next: next };
    } else if (s.kind === 'map') {
      states[`S${k}`] = {
        Type: 'Map',
        ItemsPath: '$.arr',
        ItemSelector: { 'v.$': '$$.Map.Item.Value', 'i.$': '$$.Map.Item.Index', 'a.$': '$.a' },
        ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: `Add${k}`, States: { [`Add${k}`]: { Type: 'Pass', Parameters: { 's.$': 'States.MathAdd($.v, $.i)', 'a.$': '$.a' }, End: true } } },
        ResultPath: resultPath,
        Next: next,
      };
    } else {
      const branch = (v: Json): Json => ({ StartAt: `B${k}${v}`, States: { [`B${k}${v}`]: { Type: 'Pass', Parameters: { 'v.$': '$.b', c: v }, End: true } } });
      states[`S${k}`] = { Type: 'Parallel', Branches: [branch(1), branch('two')], ResultPath: resultPath, Next: next };
    }
  });
  states.End = end === 'succeed' ? { Type: 'Succeed', ...(outputPath ? { OutputPath: outputPath } : {}) } : { Type: 'Fail', Error: 'Generated', Cause: 'the end' };
  return { StartAt: name(0), States: states };
}

const input = fc.record({
  a: fc.integer({ min: -3, max: 3 }),
  // No string with empty pieces between commas: AWS drops them in States.StringSplit (recorded
  // executions, see conformance.test.ts), aws-local-stepfunctions keeps them.
  b: fc.constantFrom('a', 'b', 'a,b', 'ab,c', ' , '),
  arr: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 4 }),
  o: fc.record({ x: fc.integer({ min: -3, max: 3 }) }),
});

async function theirs(definition: Json, data: Json): Promise<{ status: string; output?: unknown; error?: string }> {
  const sm = new StateMachine(definition as never, { validationOptions: { checkArn: false, checkPaths: false } });
  try {
    return { status: 'SUCCEEDED', output: await sm.run(structuredClone(data) as never).result };
  } catch (e) {
    const cause = (e as { cause?: { name?: string } }).cause;
    return { status: 'FAILED', error: cause?.name };
  }
}

describe('flowlane run = aws-local-stepfunctions on JSONPath machines without Tasks', () => {
  test('same status and output', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 5 }), fc.constantFrom('succeed', 'fail'), fc.constantFrom(undefined, '$.a', '$.s0'), input, async (steps, end, outputPath, data) => {
        const definition = machine(steps, end as 'succeed' | 'fail', outputPath);
        const ours = await runStateMachine(definition, { input: data });
        const ref = await theirs(definition, data as Json);
        expect(ours.status).toBe(ref.status);
        if (ref.status === 'SUCCEEDED') expect(ours.output).toEqual(ref.output);
        else expect(ours.error).toBe('Generated');
      }),
      { numRuns: 150, seed: 15 },
    );
  });
});
