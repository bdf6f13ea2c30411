// The run stage against the AWS documentation's own examples: each test cites the page whose example
// (definition fragment, input, documented output) it reproduces.
import { describe, expect, test } from 'vitest';
import { parseMockFile, RunSetupError, runStateMachine, taskResolver } from '../../src/run/index.js';
import type { RunOptions } from '../../src/run/index.js';

type Json = Record<string, unknown>;
const DOCS = 'https://docs.aws.amazon.com/step-functions/latest/dg';

/** A one-state machine (Pass unless given) around a state's fields, run on an input. */
async function one(state: Json, input: unknown, options: RunOptions = {}) {
  return runStateMachine({ StartAt: 'S', States: { S: { Type: 'Pass', End: true, ...state } } }, { input, ...options });
}
async function output(state: Json, input: unknown) {
  const r = await one(state, input);
  expect(r.status, `${r.error}: ${r.cause}`).toBe('SUCCEEDED');
  return r.output;
}
const handlers = (h: Record<string, unknown>) => ({ resolveTask: taskResolver({ handlers: h }) });

describe(`paths: ${DOCS}/input-output-inputpath-params.html`, () => {
  test('InputPath selects a part of the input', async () => {
    const input = { comment: 'Example for InputPath.', dataset1: { val1: 1, val2: 2, val3: 3 }, dataset2: { val1: 'a', val2: 'b', val3: 'c' } };
    expect(await output({ InputPath: '$.dataset2' }, input)).toEqual({ val1: 'a', val2: 'b', val3: 'c' });
  });
  test('a path can select a list: $.a[0:2]', async () => {
    expect(await output({ InputPath: '$.a[0:2]' }, { a: [1, 2, 3, 4] })).toEqual([1, 2]);
  });
  test('Parameters with .$ keys select values and keep static ones', async () => {
    const input = { comment: 'Example for Parameters.', product: { details: { color: 'blue', size: 'small', material: 'cotton' }, availability: 'in stock', sku: '2317', cost: '$23' } };
    const Parameters = { comment: 'Selecting what I care about.', MyDetails: { 'size.$': '$.product.details.size', 'exists.$': '$.product.availability', StaticValue: 'foo' } };
    expect(await output({ Parameters }, input)).toEqual({ comment: 'Selecting what I care about.', MyDetails: { size: 'small', exists: 'in stock', StaticValue: 'foo' } });
  });
  test('ResultSelector picks from a task result before ResultPath places it', async () => {
    const result = { resourceType: 'elasticmapreduce', resource: 'createCluster.sync', output: { SdkHttpMetadata: { httpStatusCode: 200 }, ClusterId: 'AKIAIOSFODNN7EXAMPLE' } };
    const r = await one(
      { Type: 'Task', Resource: 'arn:aws:states:::elasticmapreduce:createCluster.sync', ResultSelector: { 'ClusterId.$': '$.output.ClusterId', 'ResourceType.$': '$.resourceType' }, ResultPath: '$.EMROutput' },
      { foo: 'bar' },
      handlers({ S: () => result }),
    );
    expect(r.output).toEqual({ foo: 'bar', EMROutput: { ClusterId: 'AKIAIOSFODNN7EXAMPLE', ResourceType: 'elasticmapreduce' } });
  });
  test('a path that selects nothing is States.Runtime', async () => {
    const r = await one({ InputPath: '$.missing' }, {});
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.Runtime');
  });
  test('InputPath and OutputPath null give {}', async () => {
    expect(await output({ InputPath: null }, { a: 1 })).toEqual({});
    expect(await output({ OutputPath: null }, { a: 1 })).toEqual({});
  });
});

describe(`ResultPath: ${DOCS}/input-output-resultpath.html`, () => {
  const input = { comment: 'This is a test of the input and output of a Task state.', details: 'Default example', who: 'AWS Step Functions' };
  test('a result added to the input', async () => {
    expect(await output({ Result: 'Hello, AWS Step Functions!', ResultPath: '$.taskresult' }, input)).toEqual({ ...input, taskresult: 'Hello, AWS Step Functions!' });
  });
  test('a result added deeper, creating the objects on the way', async () => {
    expect(await output({ Result: 'x', ResultPath: '$.strings.lambdaresult' }, input)).toEqual({ ...input, strings: { lambdaresult: 'x' } });
  });
  test('ResultPath null discards the result; $ replaces the input', async () => {
    expect(await output({ Result: 'x', ResultPath: null }, input)).toEqual(input);
    expect(await output({ Result: 'x' }, input)).toBe('x');
  });
  test('a step through a value that is not an object is States.ResultPathMatchFailure', async () => {
    const r = await one({ Result: 1, ResultPath: '$.who.name' }, input);
    expect(r.error).toBe('States.ResultPathMatchFailure');
  });
  test('OutputPath selects from the combined input and result', async () => {
    expect(await output({ Result: { a: 1 }, ResultPath: '$.r', OutputPath: '$.r.a' }, input)).toBe(1);
  });
});

describe(`intrinsic functions: ${DOCS}/intrinsic-functions.html`, () => {
  const call = async (expr: string, input: unknown) => ((await output({ Parameters: { 'v.$': expr } }, input)) as Json).v;
  test.each([
    ["States.Format('Hello, my name is {}.', $.name)", { name: 'Arnav' }, 'Hello, my name is Arnav.'],
    ['States.StringToJson($.someString)', { someString: '{"number": 20}' }, { number: 20 }],
    ['States.JsonToString($.someJson)', { someJson: { name: 'Foo', year: 2020 } }, '{"name":"Foo","year":2020}'],
    ["States.Array('Foo', 2020, $.someJson, null)", { someJson: { random: 'abcdefghij' } }, ['Foo', 2020, { random: 'abcdefghij' }, null]],
    ['States.ArrayPartition($.inputArray,4)', { inputArray: [1, 2, 3, 4, 5, 6, 7] }, [[1, 2, 3, 4], [5, 6, 7]]],
    ['States.ArrayContains($.inputArray, $.lookingFor)', { inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9], lookingFor: 5 }, true],
    ['States.ArrayRange(1, 9, 2)', {}, [1, 3, 5, 7, 9]],
    ['States.ArrayGetItem($.inputArray, $.index)', { inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9], index: 5 }, 6],
    ['States.ArrayLength($.inputArray)', { inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9] }, 9],
    ['States.ArrayUnique($.inputArray)', { inputArray: [1, 2, 3, 3, 3, 3, 3, 3, 4] }, [1, 2, 3, 4]],
    ['States.Base64Encode($.input)', { input: 'Data to encode' }, 'RGF0YSB0byBlbmNvZGU='],
    ['States.Base64Decode($.base64)', { base64: 'RGF0YSB0byBlbmNvZGU=' }, 'Data to encode'],
    ['States.Hash($.Data, $.Algorithm)', { Data: 'input data', Algorithm: 'SHA-1' }, 'aaff4a450a104cd177d28d18d74485e8cae074b7'],
    ['States.JsonMerge($.json1, $.json2, false)', { json1: { a: { a1: 1, a2: 2 }, b: 2 }, json2: { a: { a3: 1, a4: 2 }, c: 3 } }, { a: { a3: 1, a4: 2 }, b: 2, c: 3 }],
    ['States.MathAdd($.value1, $.step)', { value1: 111, step: -1 }, 110],
    ['States.StringSplit($.inputString, $.splitter)', { inputString: '1,2,3,4,5', splitter: ',' }, ['1', '2', '3', '4', '5']],
    ['States.StringSplit($.inputString, $.splitter)', { inputString: 'This.is+a,test=string', splitter: '.+,=' }, ['This', 'is', 'a', 'test', 'string']],
    ["States.Format('{} and {}', States.ArrayLength($.a), 'x')", { a: [1, 2] }, '2 and x'],
    ["States.Format('Escaped \\\\{\\\\} {}', $.n)", { n: 7 }, 'Escaped {} 7'],
  ])('%s', async (expr, input, expected) => {
    expect(await call(expr, input)).toEqual(expected);
  });
  test('States.MathRandom stays in [start, end) and States.UUID is a v4 UUID; both follow the seed', async () => {
    const params = { Parameters: { 'r.$': 'States.MathRandom($.start, $.end)', 'u.$': 'States.UUID()' } };
    const a = (await output(params, { start: 1, end: 999 })) as Json;
    expect(a.r).toBeGreaterThanOrEqual(1);
    expect(a.r).toBeLessThan(999);
    expect(a.u).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await output(params, { start: 1, end: 999 })).toEqual(a);
    const other = await one(params, { start: 1, end: 999 }, { seed: 7 });
    expect(other.output).not.toEqual(a);
  });
  test('a bad argument is States.IntrinsicFailure', async () => {
    const r = await one({ Parameters: { 'v.$': 'States.ArrayGetItem($.a, 9)' } }, { a: [1] });
    expect(r.error).toBe('States.IntrinsicFailure');
  });
});

describe(`Choice: ${DOCS}/state-choice.html`, () => {
  const machine = {
    StartAt: 'C',
    States: {
      C: {
        Type: 'Choice',
        Choices: [
          { Not: { Variable: '$.type', StringEquals: 'Private' }, Next: 'Public' },
          { Variable: '$.value', IsPresent: false, Next: 'NoValue' },
          { And: [{ Variable: '$.value', NumericGreaterThanEquals: 20 }, { Variable: '$.value', NumericLessThan: 30 }], Next: 'ValueInTwenties' },
          { Variable: '$.file', StringMatches: 'log-*.txt', Next: 'Log' },
          { Variable: '$.rating', NumericGreaterThanPath: '$.auditThreshold', Next: 'StartAudit' },
          { Or: [{ Variable: '$.when', TimestampLessThan: '2020-01-01T00:00:00Z' }, { Variable: '$.flag', BooleanEquals: true }], Next: 'Old' },
        ],
        Default: 'DefaultState',
      },
      Public: { Type: 'Succeed' },
      NoValue: { Type: 'Succeed' },
      ValueInTwenties: { Type: 'Succeed' },
      Log: { Type: 'Succeed' },
      StartAudit: { Type: 'Succeed' },
      Old: { Type: 'Succeed' },
      DefaultState: { Type: 'Fail', Error: 'DefaultStateError', Cause: 'No Matches!' },
    },
  };
  test.each([
    [{ type: 'Public' }, 'Public'],
    [{ type: 'Private' }, 'NoValue'],
    [{ type: 'Private', value: 25 }, 'ValueInTwenties'],
    [{ type: 'Private', value: 35, file: 'log-1.txt', rating: 0, auditThreshold: 1 }, 'Log'],
    [{ type: 'Private', value: 35, file: 'x', rating: 53, auditThreshold: 50 }, 'StartAudit'],
    [{ type: 'Private', value: 35, file: 'x', rating: 1, auditThreshold: 50, when: '2019-05-01T00:00:00Z', flag: false }, 'Old'],
    [{ type: 'Private', value: '25', file: 1, rating: 1, auditThreshold: 50, when: 'no', flag: 'true' }, 'DefaultState'],
  ])('%j goes to %s', async (input, target) => {
    const r = await runStateMachine(machine, { input });
    expect(r.states).toEqual(['C', target]);
  });
  test('no match and no Default is States.NoChoiceMatched; a missing variable is States.Runtime', async () => {
    const noDefault = { StartAt: 'C', States: { C: { Type: 'Choice', Choices: [{ Variable: '$.a', NumericEquals: 1, Next: 'E' }] }, E: { Type: 'Succeed' } } };
    expect((await runStateMachine(noDefault, { input: { a: 2 } })).error).toBe('States.NoChoiceMatched');
    expect((await runStateMachine(noDefault, { input: {} })).error).toBe('States.Runtime');
  });
});

describe(`context object: ${DOCS}/input-output-contextobject.html`, () => {
  test('$$ gives the execution, state and state machine, fixed by the options', async () => {
    const out = (await one({ Parameters: { 'id.$': '$$.Execution.Id', 'name.$': '$$.State.Name', 'start.$': '$$.Execution.StartTime', 'input.$': '$$.Execution.Input' } }, { a: 1 }, { executionName: 'e1', stateMachineName: 'M', startTime: '2025-06-01T12:00:00.000Z' })).output;
    expect(out).toEqual({ id: 'arn:aws:states:us-east-1:123456789012:execution:M:e1', name: 'S', start: '2025-06-01T12:00:00.000Z', input: { a: 1 } });
  });
});

describe(`Map: ${DOCS}/state-map-inline.html`, () => {
  test('ItemSelector builds each iteration input from $$.Map.Item.Value and the state input', async () => {
    const input = { 'ship-date': '2016-03-14T01:59:00Z', detail: { 'delivery-partner': 'UQS', shipped: [{ prod: 'R31', 'dest-code': 9511, quantity: 1344 }, { prod: 'S39', 'dest-code': 9511, quantity: 40 }] } };
    const r = await one({ Type: 'Map', ItemsPath: '$.detail.shipped', ItemSelector: { 'parcel.$': '$$.Map.Item.Value', 'courier.$': '$.detail.delivery-partner', 'index.$': '$$.Map.Item.Index' }, ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } }, input);
    expect(r.output).toEqual([
      { parcel: { prod: 'R31', 'dest-code': 9511, quantity: 1344 }, courier: 'UQS', index: 0 },
      { parcel: { prod: 'S39', 'dest-code': 9511, quantity: 40 }, courier: 'UQS', index: 1 },
    ]);
    expect(r.history.filter((e) => e.type === 'MapIterationStarted')).toHaveLength(2);
  });
  test('an iteration that fails fails the Map with its error', async () => {
    const r = await one({ Type: 'Map', ItemProcessor: { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Bad', Cause: 'item' } } } }, [1]);
    expect([r.status, r.error, r.cause]).toEqual(['FAILED', 'Bad', 'item']);
  });
});

describe(`distributed Map: ${DOCS}/state-map-distributed.html`, () => {
  const csv = 'id,name\n1,"Smith, A"\n2,B\n';
  const reader = { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' }, Parameters: { Bucket: 'b', Key: 'k.csv' } };
  const processor = { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };
  test('ItemReader reads a CSV file as objects keyed by the header; ItemBatcher groups them', async () => {
    const readObject = (bucket: string, key: string) => (bucket === 'b' && key === 'k.csv' ? csv : undefined);
    const plain = await one({ Type: 'Map', ItemReader: reader, ItemProcessor: processor }, {}, { readObject });
    expect(plain.output).toEqual([{ id: '1', name: 'Smith, A' }, { id: '2', name: 'B' }]);
    const batched = await one({ Type: 'Map', ItemReader: reader, ItemBatcher: { MaxItemsPerBatch: 5, BatchInput: { 'f.$': '$.f' } }, ItemProcessor: processor }, { f: 1 }, { readObject });
    expect(batched.output).toEqual([{ BatchInput: { f: 1 }, Items: [{ id: '1', name: 'Smith, A' }, { id: '2', name: 'B' }] }]);
  });
  test('ToleratedFailureCount lets some items fail; beyond it States.ExceedToleratedFailureThreshold', async () => {
    const failOdd = { ProcessorConfig: { Mode: 'DISTRIBUTED' }, StartAt: 'C', States: { C: { Type: 'Choice', Choices: [{ Variable: '$', NumericEquals: 1, Next: 'F' }], Default: 'P' }, F: { Type: 'Fail', Error: 'Odd' }, P: { Type: 'Pass', End: true } } };
    const ok = await one({ Type: 'Map', ToleratedFailureCount: 1, ItemProcessor: failOdd }, [0, 1, 2]);
    expect(ok.output).toEqual([0, { Error: 'Odd', Cause: '' }, 2]);
    const bad = await one({ Type: 'Map', ToleratedFailureCount: 0, ItemProcessor: failOdd }, [0, 1, 2]);
    expect(bad.error).toBe('States.ExceedToleratedFailureThreshold');
  });
});

describe(`Parallel: ${DOCS}/state-parallel.html`, () => {
  test('the output is the list of branch outputs, in branch order', async () => {
    const branch = (v: number) => ({ StartAt: 'B', States: { B: { Type: 'Pass', Result: v, End: true } } });
    expect(await output({ Type: 'Parallel', Branches: [branch(1), branch(2)] }, {})).toEqual([1, 2]);
  });
});

describe(`Retry and Catch: ${DOCS}/concepts-error-handling.html`, () => {
  const failing = (times: number, error = 'Boom') => {
    let n = 0;
    return handlers({ S: () => {
      if (n++ < times) throw Object.assign(new Error('went wrong'), { name: error });
      return 'done';
    } });
  };
  test('retries after IntervalSeconds × BackoffRate^n: 3 s then 4.5 s', async () => {
    const r = await one({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 3, MaxAttempts: 2, BackoffRate: 1.5 }] }, {}, failing(2));
    expect(r.output).toBe('done');
    const scheduled = r.history.filter((e) => e.type === 'TaskScheduled').map((e) => Date.parse(e.timestamp) - Date.parse(r.history[0]!.timestamp));
    expect(scheduled).toEqual([0, 3000, 7500]);
  });
  test('MaxDelaySeconds caps the wait; FULL jitter is the same under the same seed', async () => {
    const state = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Retry: [{ ErrorEquals: ['Boom'], IntervalSeconds: 10, MaxAttempts: 3, BackoffRate: 10, MaxDelaySeconds: 15, JitterStrategy: 'FULL' }] };
    const a = await one(state, {}, { ...failing(3), seed: 3 });
    const b = await one(state, {}, { ...failing(3), seed: 3 });
    expect(JSON.stringify(a.history)).toBe(JSON.stringify(b.history));
    const end = Date.parse(a.history.at(-1)!.timestamp) - Date.parse(a.history[0]!.timestamp);
    expect(end).toBeLessThanOrEqual(10_000 + 15_000 + 15_000);
    expect(end).toBeGreaterThan(0);
  });
  test('when retries run out, Catch places {Error, Cause} at its ResultPath', async () => {
    const r = await one({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Retry: [{ ErrorEquals: ['Boom'], MaxAttempts: 1 }], Catch: [{ ErrorEquals: ['States.TaskFailed'], ResultPath: '$.error-info', Next: 'H' }], End: undefined, Next: undefined }, { a: 1 }, failing(5));
    expect(r.states).toEqual(['S']);
    expect(r.status).toBe('FAILED');
    const caught = await runStateMachine({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error-info', Next: 'H' }], End: true }, H: { Type: 'Pass', End: true } } }, { input: { a: 1 }, resolveTask: taskResolver({ handlers: { T: () => { throw Object.assign(new Error('went wrong'), { name: 'Boom' }); } } }) });
    expect(caught.output).toEqual({ a: 1, 'error-info': { Error: 'Boom', Cause: 'went wrong' } });
    expect(caught.states).toEqual(['T', 'H']);
  });
  test('States.ALL does not catch States.Runtime', async () => {
    const r = await runStateMachine({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', InputPath: '$.missing', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'H' }], End: true }, H: { Type: 'Pass', End: true } } }, { input: {}, resolveTask: async () => 1 });
    expect([r.status, r.error]).toEqual(['FAILED', 'States.Runtime']);
  });
});

describe(`callback tasks: ${DOCS}/connect-to-resource.html`, () => {
  test('.waitForTaskToken gets a generated token at $$.Task.Token; the mock answers as the callback would', async () => {
    const state = { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { 'MessageBody.$': '$$.Task.Token' } };
    const seen: unknown[] = [];
    const a = await one(state, {}, handlers({ S: (input: Json) => (seen.push(input.MessageBody), { ok: 1 }) }));
    expect(a.output).toEqual({ ok: 1 });
    expect(seen[0]).toMatch(/^flowlane-token-[0-9a-f]{48}$/);
    await one(state, {}, handlers({ S: (input: Json) => (seen.push(input.MessageBody), {}) }));
    expect(seen[1]).toBe(seen[0]);
  });
});

describe('Step Functions Local mock files (per-invocation numbering, retries included)', () => {
  const mocks = parseMockFile({
    StateMachines: { M: { TestCases: { Retry: { S: 'Flaky' } } } },
    MockedResponses: { Flaky: { '0': { Throw: { Error: 'Lambda.TimeoutException', Cause: 't' } }, '1-2': { Throw: { Error: 'Lambda.TimeoutException', Cause: 't' } }, '3': { Return: { ok: true } } } },
  });
  const resolveTask = taskResolver({ mocks: { file: mocks, machine: 'M', testCase: 'Retry' } });
  test('the fourth invocation returns', async () => {
    const r = await one({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Retry: [{ ErrorEquals: ['Lambda.TimeoutException'], MaxAttempts: 3, IntervalSeconds: 0 }] }, {}, { resolveTask });
    expect(r.output).toEqual({ ok: true });
    expect(r.history.filter((e) => e.type === 'TaskFailed')).toHaveLength(3);
  });
  test('a state without a mock stops the run with a clear error', async () => {
    await expect(one({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke' }, {})).rejects.toThrow(new RunSetupError('no mock for state "S"'));
  });
  test('a malformed mock file is refused with the place of the problem', () => {
    expect(() => parseMockFile({ StateMachines: { M: { TestCases: { T: { S: 'Nope' } } } }, MockedResponses: {} })).toThrow(/StateMachines\.M\.TestCases\.T\.S names "Nope"/);
    expect(() => parseMockFile({ StateMachines: {}, MockedResponses: { R: { first: { Return: 1 } } } })).toThrow(/"first" is not an invocation number/);
  });
});

describe(`variables: ${DOCS}/workflow-variables.html`, () => {
  test('Assign in JSONPath states; later states read $name; a Map iteration reads outer variables but does not change them', async () => {
    const machine = {
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Assign: { productName: 'product1', count: 42, 'who.$': '$.user' }, Next: 'M' },
        M: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', Assign: { count: 0 }, Parameters: { 'n.$': '$productName', 'c.$': '$count' }, End: true } } }, ResultPath: '$.mapped', Next: 'B' },
        B: { Type: 'Pass', Parameters: { 'name.$': '$productName', 'count.$': '$count', 'who.$': '$who', 'mapped.$': '$.mapped' }, End: true },
      },
    };
    const r = await runStateMachine(machine, { input: { user: 'u1', items: [1, 2] } });
    expect(r.output).toEqual({ name: 'product1', count: 42, who: 'u1', mapped: [{ n: 'product1', c: 42 }, { n: 'product1', c: 42 }] });
  });
});

describe(`JSONata: ${DOCS}/transforming-data.html`, () => {
  const jsonataMachine = (states: Json, start = 'S') => ({ QueryLanguage: 'JSONata', StartAt: start, States: states });
  test('Arguments and Output with $states.input and $states.result', async () => {
    const m = jsonataMachine({ S: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Arguments: { FunctionName: 'f', Payload: { total: '{% $sum($states.input.prices) %}' } }, Output: { charged: '{% $states.result.Payload.total %}' }, End: true } });
    const r = await runStateMachine(m, { input: { prices: [1, 2, 3.5] }, ...handlers({ S: (input: Json) => ({ Payload: input.Payload }) }) });
    expect(r.output).toEqual({ charged: 6.5 });
  });
  test('Choice Condition, Assign and variables; a JSONata choice that should succeed succeeds', async () => {
    const m = jsonataMachine({
      A: { Type: 'Pass', Assign: { limit: '{% $states.input.limit %}' }, Next: 'C' },
      C: { Type: 'Choice', Choices: [{ Condition: '{% $states.input.amount <= $limit %}', Next: 'Ok', Assign: { approved: true } }], Default: 'No' },
      Ok: { Type: 'Succeed', Output: '{% {"approved": $approved, "amount": $states.input.amount} %}' },
      No: { Type: 'Fail', Error: 'TooMuch' },
    }, 'A');
    expect((await runStateMachine(m, { input: { limit: 10, amount: 5 } })).output).toEqual({ approved: true, amount: 5 });
    expect((await runStateMachine(m, { input: { limit: 10, amount: 50 } })).error).toBe('TooMuch');
  });
  test('the functions AWS adds: $partition, $range, $hash, $parse; $uuid and $random follow the seed', async () => {
    const m = jsonataMachine({ S: { Type: 'Pass', Output: { p: '{% $partition([1,2,3,4], 2) %}', r: '{% $range(0, 10, 2) %}', h: '{% $hash("input data", "SHA-1") %}', j: '{% $parse(\'{"a": 1}\') %}', u: '{% $uuid() %}' }, End: true } });
    const a = await runStateMachine(m, { seed: 1 });
    expect(a.output).toMatchObject({ p: [[1, 2], [3, 4]], r: [0, 2, 4, 6, 8, 10], h: 'aaff4a450a104cd177d28d18d74485e8cae074b7', j: { a: 1 } });
    expect((await runStateMachine(m, { seed: 1 })).output).toEqual(a.output);
  });
  test('Map Items and ItemSelector with $states.context.Map.Item', async () => {
    const m = jsonataMachine({ S: { Type: 'Map', Items: '{% $states.input.xs %}', ItemSelector: { v: '{% $states.context.Map.Item.Value * 10 %}', i: '{% $states.context.Map.Item.Index %}' }, ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, End: true } });
    expect((await runStateMachine(m, { input: { xs: [1, 2] } })).output).toEqual([{ v: 10, i: 0 }, { v: 20, i: 1 }]);
  });
  test('Catch Output sees $states.errorOutput', async () => {
    const m = jsonataMachine({ S: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Catch: [{ ErrorEquals: ['States.ALL'], Output: { e: '{% $states.errorOutput.Error %}' }, Next: 'H' }], End: true }, H: { Type: 'Pass', End: true } });
    const r = await runStateMachine(m, handlers({ S: () => { throw Object.assign(new Error('x'), { name: 'Oops' }); } }));
    expect(r.output).toEqual({ e: 'Oops' });
  });
  test('an expression that fails is States.QueryEvaluationError', async () => {
    const m = jsonataMachine({ S: { Type: 'Pass', Output: '{% $states.input.a.b %}', End: true } });
    expect((await runStateMachine(m, { input: {} })).error).toBe('States.QueryEvaluationError');
  });
});

describe('guards and determinism', () => {
  test('a loop ends at the transition limit with an error, never a hang', async () => {
    const r = await runStateMachine({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'A' } } }, { maxTransitions: 1000 });
    expect([r.status, r.error, r.transitions]).toEqual(['FAILED', 'States.Runtime', 1001]);
    const d = await runStateMachine({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'A' } } });
    expect(d.transitions).toBe(25_001);
  });
  test('a payload over 256 KiB is States.DataLimitExceeded', async () => {
    const r = await one({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'S' }] }, {}, handlers({ S: () => 'x'.repeat(300 * 1024) }));
    expect([r.status, r.error]).toEqual(['FAILED', 'States.DataLimitExceeded']);
    const big = await one({}, { big: 'x'.repeat(300 * 1024) });
    expect(big.error).toBe('States.DataLimitExceeded');
  });
  test('TimeoutSeconds of the machine ends a run whose Waits exceed it: TIMED_OUT', async () => {
    const r = await runStateMachine({ TimeoutSeconds: 5, StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 10, End: true } } });
    expect([r.status, r.error]).toEqual(['TIMED_OUT', 'States.Timeout']);
    expect(r.history.at(-1)!.type).toBe('ExecutionTimedOut');
  });
  test('Wait advances the run clock without sleeping', async () => {
    const started = Date.now();
    const r = await runStateMachine({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, Next: 'P' }, P: { Type: 'Pass', Parameters: { 't.$': '$$.State.EnteredTime' }, End: true } } });
    expect(r.output).toEqual({ t: '2024-01-01T01:00:00.000Z' });
    expect(Date.now() - started).toBeLessThan(5000);
  });
  test('history: ids chain, types as GetExecutionHistory names them', async () => {
    const r = await one({}, { a: 1 });
    expect(r.history.map((e) => [e.id, e.previousEventId, e.type])).toEqual([[1, 0, 'ExecutionStarted'], [2, 0, 'PassStateEntered'], [3, 2, 'PassStateExited'], [4, 3, 'ExecutionSucceeded']]);
    expect(r.history[2]!.stateExitedEventDetails).toEqual({ name: 'S', output: '{"a":1}', outputDetails: { truncated: false } });
  });
});

// Behaviours taken from executions recorded on AWS (LocalStack's Step Functions snapshots; see
// scripts/conformance-recorded.mjs).
describe('as recorded on AWS', () => {
  test('" {% x %} " with spaces outside the braces is a plain string, not an expression', async () => {
    const r = await runStateMachine({ QueryLanguage: 'JSONata', StartAt: 'S', States: { S: { Type: 'Pass', Output: { a: ' {% states.input %} ', b: '{% 1 + 1 %}' }, End: true } } });
    expect(r.output).toEqual({ a: ' {% states.input %} ', b: 2 });
  });
  test('States.MathAdd drops fractions: 59 + 4.3 = 63', async () => {
    expect(await output({ Parameters: { 'v.$': 'States.MathAdd($.a, $.b)' } }, { a: 59, b: 4.3 })).toEqual({ v: 63 });
  });
  test('a quoted-key path selects one value, not a list; a backslash in quotes is a plain character', async () => {
    expect(await output({ Parameters: { 'v.$': "$['Test\\\"\"Name\"']" } }, { 'Test\\""Name"': 'x' })).toEqual({ v: 'x' });
  });
  test('the exit event lists the variables a state assigns, as JSON text', async () => {
    const r = await one({ Assign: { n: 1, s: 'a' } }, {});
    expect(r.history[2]!.stateExitedEventDetails).toEqual({ assignedVariables: { n: '1', s: '"a"' }, assignedVariablesDetails: { truncated: false }, name: 'S', output: '{}', outputDetails: { truncated: false } });
  });
  test('$$.State has RetryCount only in the states that retry: a Pass (JSONPath or JSONata) has Name and EnteredTime alone', async () => {
    expect(await output({ Parameters: { 's.$': '$$.State' } }, {})).toEqual({ s: { Name: 'S', EnteredTime: '2024-01-01T00:00:00.000Z' } });
    const jsonata = await runStateMachine({ QueryLanguage: 'JSONata', StartAt: 'S', States: { S: { Type: 'Pass', Output: '{% $states.context.State %}', End: true } } });
    expect(jsonata.output).toEqual({ Name: 'S', EnteredTime: '2024-01-01T00:00:00.000Z' });
    const task = await runStateMachine(
      { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'n.$': '$$.State.RetryCount' }, Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 2 }], End: true } } },
      { resolveTask: taskResolver({ handlers: { T: (input: { n: number }) => { if (input.n < 1) throw Object.assign(new Error('again'), { name: 'Flaky' }); return input.n; } } }) },
    );
    expect(task.output).toBe(1);
  });
  test("a distributed Map's iterations are child executions: MapRun events, none of theirs in this history", async () => {
    const r = await one({ Type: 'Map', ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } }, [1, 2]);
    expect(r.history.map((e) => e.type)).toEqual(['ExecutionStarted', 'MapStateEntered', 'MapStateStarted', 'MapRunStarted', 'MapRunSucceeded', 'MapStateSucceeded', 'MapStateExited', 'ExecutionSucceeded']);
    expect(r.states).toEqual(['S', 'P', 'P']);
  });
});
