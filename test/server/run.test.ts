// flowlane/run over real stdio LSP: the document's machine runs in a worker, the answer has the
// result and the path overlay SVG; mocks by path (beside the document) or inline; setup problems
// and a run past its time limit come back as `problem`, and the server keeps answering.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startSession, type Session } from './harness.js';
import type { RunAnswer as ServerRunAnswer } from '../../src/server/run.js';

const fixtures = join(import.meta.dirname, '..', 'render', 'fixtures');
const orderFz = readFileSync(join(fixtures, 'trace-order.fz'), 'utf8');
const orderMocksPath = join(fixtures, 'trace-order.mocks.json');
const parallelAsl = readFileSync(join(fixtures, 'trace-parallel.asl.json'), 'utf8');

/** What the server answers: the run's answer for one version of the document. */
type RunAnswer = ServerRunAnswer & { uri: string; version: number };

let s: Session;
beforeAll(async () => {
  s = await startSession();
});
afterAll(async () => {
  await s?.stop();
});

const nodeClass = (svg: string, dataId: string): string => new RegExp(`<g class="([^"]*)"[^>]* data-id="${dataId}"`).exec(svg)?.[1] ?? '';

test('a test case of a mock file by absolute path: the result, the states, and the path drawn', async () => {
  const uri = s.open('trace-order.fz', orderFz);
  const r = await s.request<RunAnswer>('flowlane/run', { uri, input: { tries: 0 }, testCase: 'Declined', mockConfig: orderMocksPath });
  expect(r.problem).toBeUndefined();
  expect(r).toMatchObject({ uri, version: 1, status: 'FAILED', output: null, error: 'OrderFailed', cause: 'The card was declined' });
  expect(r.states).toEqual(['Count Try', 'Enough Tries?', 'Count Try', 'Enough Tries?', 'Count Try', 'Enough Tries?', 'Charge Card', 'Report Failure', 'Order Failed']);
  expect(r.svg).toMatch(/^<\?xml/);
  expect(nodeClass(r.svg!, 'n2')).toContain('fz-visited');
  expect(r.svg).toMatch(/data-id="n2"[^>]*data-visits="3"/);
  expect(nodeClass(r.svg!, 'n5')).toContain('fz-untaken');
  expect(nodeClass(r.svg!, 'n7')).toContain('fz-failed');
  expect(r.svg).toContain('data-error="OrderFailed"');
});

test('an inline mock config, and a relative path beside the document with the input from its expectations file', async () => {
  const uri = s.open('trace-order.fz', orderFz);
  const inline = JSON.parse(readFileSync(orderMocksPath, 'utf8'));
  const paid = await s.request<RunAnswer>('flowlane/run', { uri, input: { tries: 2 }, testCase: 'Paid', mockConfig: inline, stateMachine: 'trace-order' });
  expect(paid).toMatchObject({ status: 'SUCCEEDED', output: { StatusCode: 200, Payload: { charged: true } }, error: null });
  expect(paid.states).toEqual(['Count Try', 'Enough Tries?', 'Charge Card', 'Paid']);
  // The harness opens documents under /tmp/flowlane-test/; a mock file beside them is found by its relative path.
  const dir = '/tmp/flowlane-test';
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'order.mock.json'), JSON.stringify(inline));
  writeFileSync(join(dir, 'order.mock.expect.json'), JSON.stringify({ TestCases: { Paid: { input: { tries: 1 } } } }));
  const beside = await s.request<RunAnswer>('flowlane/run', { uri, testCase: 'Paid', mockConfig: 'order.mock.json' });
  expect(beside.status).toBe('SUCCEEDED');
  expect(beside.states).toEqual(['Count Try', 'Enough Tries?', 'Count Try', 'Enough Tries?', 'Charge Card', 'Paid']);
});

test('an ASL document runs as loaded and is drawn through from-asl', async () => {
  const uri = s.open('trace-parallel.asl.json', parallelAsl);
  const r = await s.request<RunAnswer>('flowlane/run', { textDocument: { uri }, input: { items: [1, 2] }, mockConfig: { StateMachines: { m: { TestCases: { t: { Bill: 'ok' } } } }, MockedResponses: { ok: { '0': { Return: { invoice: 1 } } } } }, testCase: 't' });
  expect(r.problem).toBeUndefined();
  expect(r.status).toBe('SUCCEEDED');
  expect(r.states).toEqual(['Price Items', 'Price Item', 'Price Item', 'Ship And Bill', 'Ship', 'Bill', 'Done']);
  expect(r.svg).toMatch(/data-visits="2"/);
  expect(r.svg).not.toMatch(/class="[^"]*fz-untaken/);
});

test('setup problems: a Task without a mock, an unknown test case, bad JSON, an invalid diagram, a time limit', async () => {
  const uri = s.open('trace-order.fz', orderFz);
  expect((await s.request<RunAnswer>('flowlane/run', { uri, input: { tries: 2 } })).problem).toBe('no mock for state "Charge Card"');
  // A runtime error is the execution's result, not a problem: States.MathAdd of a missing number.
  expect(await s.request<RunAnswer>('flowlane/run', { uri })).toMatchObject({ status: 'FAILED', error: 'States.Runtime', states: ['Count Try'] });
  expect((await s.request<RunAnswer>('flowlane/run', { uri, testCase: 'Nope', mockConfig: orderMocksPath })).problem).toMatch(/has no test case "Nope" \(it has: Paid, Declined\)/);
  const bad = '/tmp/flowlane-test/bad.mock.json';
  writeFileSync(bad, '{"StateMachines": ');
  expect((await s.request<RunAnswer>('flowlane/run', { uri, testCase: 'x', mockConfig: bad })).problem).toMatch(/^\/tmp\/flowlane-test\/bad\.mock\.json: the mock config is not valid JSON/);
  const broken = s.open('broken.fz', 'Orders { # Orders\n  n1: rectangle label:"A" Type:"Task"\n}\n');
  expect((await s.request<RunAnswer>('flowlane/run', { uri: broken })).problem).toMatch(/^the state machine is invalid \(line 2, column \d+: /);
  const slow = await s.request<RunAnswer>('flowlane/run', { uri, testCase: 'Paid', mockConfig: orderMocksPath, input: { tries: 0 }, timeoutMs: 1 });
  expect(slow.problem).toBe('the run did not finish within 0.001 s');
  // Still answering.
  expect((await s.request<RunAnswer>('flowlane/run', { uri, testCase: 'Paid', mockConfig: orderMocksPath, input: { tries: 2 } })).status).toBe('SUCCEEDED');
  expect(s.alive()).toBe(true);
});

test('a document that is not open answers null', async () => {
  expect(await s.request('flowlane/run', { uri: 'file:///nowhere.fz' })).toBeNull();
});
