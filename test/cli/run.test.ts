// `flowlane run` and `flowlane test` as a user runs them: real files, stdout, exit codes.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { repoRoot } from '../helpers/paths.js';

const bin = join(repoRoot, 'bin', 'flowlane.js');
const fixtures = join(repoRoot, 'test', 'run', 'fixtures');
const run = (args: string[]) => {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: repoRoot });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const temp = () => mkdtempSync(join(tmpdir(), 'flowlane-run-cli-'));
const asl = join(fixtures, 'lambda-sqs.asl.json');
const mocks = join(fixtures, 'lambda-sqs.mocks.json');

describe('flowlane run', () => {
  test('a .fz diagram with JSONata runs the path its input decides (--format json: one object)', () => {
    const file = join(repoRoot, 'examples', 'feature-jsonata.fz');
    const big = run(['run', file, '--input', '{"items":[{"price":150},{"price":20}]}', '--format', 'json']);
    expect(big.code).toBe(0);
    expect(JSON.parse(big.stdout)).toEqual({ status: 'SUCCEEDED', output: { total: 170 }, error: null, cause: null, states: ['Compute Total', 'Large Order?', 'Ask Approval', 'Accepted'] });
    const small = JSON.parse(run(['run', file, '--input', '{"items":[{"price":5}]}', '--format', 'json']).stdout);
    expect(small.states).toEqual(['Compute Total', 'Large Order?', 'Accepted']);
  });

  test('a mock test case with retries: text report, and --history in GetExecutionHistory shape', () => {
    const history = join(temp(), 'history.json');
    const r = run(['run', asl, '--mock-config', mocks, '--test-case', 'RetryPath', '--history', history]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^LambdaState +→ \{"StatusCode":200/m);
    expect(r.stdout).toMatch(/^SUCCEEDED \{"MD5OfMessageBody"/m);
    const events = JSON.parse(readFileSync(history, 'utf8')).events as { id: number; previousEventId: number; type: string; timestamp: string }[];
    expect(events.map((e) => e.type).filter((t) => t.startsWith('Task'))).toEqual([
      'TaskStateEntered', ...Array(4).fill(['TaskScheduled', 'TaskStarted']).flatMap((x, i) => [...x, i < 3 ? 'TaskFailed' : 'TaskSucceeded']), 'TaskStateExited',
      'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSucceeded', 'TaskStateExited',
    ]);
    expect(events.every((e, i) => e.id === i + 1 && e.previousEventId === (i === 1 ? 0 : i))).toBe(true);
    // Retries wait 2, 4 and 8 s on the run's clock (IntervalSeconds 2, BackoffRate 2).
    expect(Date.parse(events.at(-1)!.timestamp) - Date.parse(events[0]!.timestamp)).toBe(14_000);
  });

  test('the same definition, input, mocks and seed give the same history byte for byte', () => {
    const dir = temp();
    const args = (out: string) => ['run', asl, '--mock-config', mocks, '--test-case', 'HappyPath', '--input', '{"a":1}', '--seed', '5', '--history', join(dir, out)];
    expect(run(args('a.json')).code).toBe(0);
    expect(run(args('b.json')).code).toBe(0);
    expect(readFileSync(join(dir, 'a.json'), 'utf8')).toBe(readFileSync(join(dir, 'b.json'), 'utf8'));
  });

  test('a Task without a mock is exit 1 with a clear message, no stack', () => {
    const r = run(['run', asl, '--mock-config', mocks, '--test-case', 'HybridPath']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('flowlane: no mock for state "SQSState"\n');
  });

  test('handlers answer the Tasks a test case leaves unmocked', () => {
    const r = run(['run', asl, '--mock-config', mocks, '--test-case', 'HybridPath', '--handlers', join(fixtures, 'handlers.mjs'), '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).output).toEqual({ MessageId: 'sent:200' });
  });

  test('an execution that fails still exits 0 and reports the error', () => {
    const dir = temp();
    const file = join(dir, 'fail.asl.json');
    writeFileSync(file, JSON.stringify({ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Nope', Cause: 'because' } } }));
    const r = run(['run', file, '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'FAILED', error: 'Nope', cause: 'because', states: ['F'] });
  });

  test('an invalid definition or mock file is exit 1 with the place; usage mistakes are exit 2', () => {
    const dir = temp();
    const bad = join(dir, 'bad.asl.json');
    writeFileSync(bad, '{\n  "StartAt": "A",\n  "States": {\n    "A": { "Type": "Pass", "Next": "Nowhere" }\n  }\n}\n');
    const r = run(['run', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.asl\.json:\d+:\d+: error: .*Nowhere/);
    const badMocks = join(dir, 'mocks.json');
    writeFileSync(badMocks, JSON.stringify({ StateMachines: { M: { TestCases: { T: { A: 'Missing' } } } }, MockedResponses: {} }));
    const m = run(['run', asl, '--mock-config', badMocks, '--test-case', 'T']);
    expect(m.code).toBe(1);
    expect(m.stderr).toMatch(/StateMachines\.M\.TestCases\.T\.A names "Missing"/);
    expect(run(['run', asl, '--input', '{nope']).code).toBe(2);
    expect(run(['run', asl, '--format', 'xml']).code).toBe(2);
    expect(run(['run', asl, '--test-case', 'X']).code).toBe(2);
    for (const x of [r, m]) expect(x.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('flowlane test', () => {
  test('one line per test case; all match: exit 0', () => {
    const r = run(['test', asl, '--mock-config', mocks, '--handlers', join(fixtures, 'handlers.mjs')]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean)).toEqual(['PASS HappyPath (SUCCEEDED, 2 states)', 'PASS RetryPath (SUCCEEDED, 2 states)', 'PASS HybridPath (SUCCEEDED, 2 states)', '3 of 3 test cases passed']);
  });

  test('a mismatch (or a missing mock) is a FAIL line and exit 1', () => {
    const dir = temp();
    const expectFile = join(dir, 'expect.json');
    writeFileSync(expectFile, JSON.stringify({ TestCases: { HappyPath: { status: 'FAILED' }, RetryPath: { states: ['LambdaState'] } } }));
    const r = run(['test', asl, '--mock-config', mocks, '--expect', expectFile]);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('FAIL HappyPath: status SUCCEEDED, expected FAILED');
    expect(lines[1]).toBe('FAIL RetryPath: states LambdaState → SQSState, expected LambdaState');
    expect(lines[2]).toBe('FAIL HybridPath: no mock for state "SQSState"');
    expect(lines[3]).toBe('0 of 3 test cases passed');
  });
});

describe('flowlane run --bucket-dir (a distributed Map reading and writing S3 as folders)', () => {
  test('ItemReader reads DIR/<bucket>/<key> (CSV), ResultWriter writes DIR/<bucket>/<prefix>/', () => {
    const dir = temp();
    const buckets = join(dir, 's3');
    mkdirSync(join(buckets, 'orders'), { recursive: true });
    writeFileSync(join(buckets, 'orders', 'list.csv'), 'id,amount\n1,10\n2,"1,5"\n');
    const file = join(dir, 'dmap.asl.json');
    writeFileSync(file, JSON.stringify({
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' }, Parameters: { Bucket: 'orders', Key: 'list.csv' } },
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Tag', States: { Tag: { Type: 'Pass', Parameters: { 'id.$': '$.id', seen: true }, End: true } } },
          ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'results', Prefix: 'run1' } },
          End: true,
        },
      },
    }));
    const r = run(['run', file, '--bucket-dir', buckets, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.status).toBe('SUCCEEDED');
    expect(out.states).toEqual(['Each', 'Tag', 'Tag']);
    expect(out.output.ResultWriterDetails).toEqual({ Bucket: 'results', Key: 'run1/manifest.json' });
    const succeeded = JSON.parse(readFileSync(join(buckets, 'results', 'run1', 'SUCCEEDED_0.json'), 'utf8'));
    expect(succeeded.map((x: { Output: string }) => JSON.parse(x.Output))).toEqual([{ id: '1', seen: true }, { id: '2', seen: true }]);
    const missing = run(['run', file]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/reads s3:\/\/orders\/list\.csv, which the run has no local file for/);
  });
});
