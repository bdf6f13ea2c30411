// The path overlay: an execution's history drawn over its diagram (run --svg, render --trace).
// Real runs of the interpreter on a .fz machine with a loop, a Choice and a Catch, and on an ASL
// machine with a Map and a Parallel; the SVG read back with a strict XML parser; the CLI as a user
// runs it, bad history files included.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sax from 'sax';
import { describe, expect, test } from 'vitest';
import { fromAsl, loadAsl, toAslWithLocator } from '../../src/asl/index.js';
import { layout } from '../../src/layout/index.js';
import { parseDiagram } from '../../src/model/index.js';
import type { Diagram } from '../../src/model/index.js';
import { renderSvg } from '../../src/render/index.js';
import { pathOverlay } from '../../src/render/trace.js';
import { executedPath, parseMockFile, runStateMachine, taskResolver } from '../../src/run/index.js';
import type { RunResult } from '../../src/run/index.js';
import { repoRoot } from '../helpers/paths.js';

const fixtures = join(repoRoot, 'test', 'render', 'fixtures');
const bin = join(repoRoot, 'bin', 'flowlane.js');
const cli = (args: string[]) => {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: repoRoot });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const temp = () => mkdtempSync(join(tmpdir(), 'flowlane-trace-'));

interface El {
  name: string;
  attrs: Record<string, string>;
  children: El[];
  text: string;
}

/** The SVG as a tree (strict XML: a malformed drawing fails here). */
function parseSvg(svg: string): El {
  const parser = sax.parser(true);
  const root: El = { name: '#root', attrs: {}, children: [], text: '' };
  const stack = [root];
  parser.onopentag = (t) => {
    const el: El = { name: t.name, attrs: t.attributes as Record<string, string>, children: [], text: '' };
    stack[stack.length - 1]!.children.push(el);
    stack.push(el);
  };
  parser.onclosetag = () => void stack.pop();
  parser.ontext = (t) => void (stack[stack.length - 1]!.text += t);
  parser.write(svg).close();
  return root.children[0]!;
}

function all(el: El, pred: (e: El) => boolean, out: El[] = []): El[] {
  if (pred(el)) out.push(el);
  for (const c of el.children) all(c, pred, out);
  return out;
}
const classes = (e: El): string[] => (e.attrs.class ?? '').split(' ');
const textOf = (e: El): string => e.text + e.children.map(textOf).join('');

/** Node groups by label (the text of their fz-label). */
function nodesByLabel(svg: El): Map<string, El> {
  const out = new Map<string, El>();
  for (const g of all(svg, (e) => classes(e).includes('fz-node'))) {
    const label = g.children.find((c) => c.name === 'text' && classes(c).includes('fz-label'));
    if (label) out.set(textOf(label), g);
  }
  return out;
}

function edge(svg: El, from: string, to: string): El {
  const found = all(svg, (e) => classes(e).includes('fz-edge') && e.attrs['data-from'] === from && e.attrs['data-to'] === to);
  expect(found).toHaveLength(1);
  return found[0]!;
}

const orderFz = readFileSync(join(fixtures, 'trace-order.fz'), 'utf8');
const orderMocks = parseMockFile(JSON.parse(readFileSync(join(fixtures, 'trace-order.mocks.json'), 'utf8')));

async function runOrder(testCase: string): Promise<{ diagram: Diagram; result: RunResult; svg: string }> {
  const diagram = parseDiagram(orderFz).value;
  const converted = toAslWithLocator(diagram);
  expect(converted.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const result = await runStateMachine(converted.value, { input: { tries: 0 }, resolveTask: taskResolver({ mocks: { file: orderMocks, machine: 'trace-order', testCase } }) });
  const trace = pathOverlay(diagram, converted.stateNodes, executedPath(converted.value, result.history).value);
  const svg = renderSvg(await layout(diagram), { id: `fz-trace-${testCase}`, embedFont: false, trace });
  return { diagram, result, svg };
}

describe('the path overlay of a .fz machine (loop, Choice, Catch)', () => {
  test('success: the loop entered three times, the Choice back edge and Default taken, the Catch branch dimmed', async () => {
    const { result, svg } = await runOrder('Paid');
    expect(result.status).toBe('SUCCEEDED');
    const root = parseSvg(svg);
    expect(classes(root)).toEqual(expect.arrayContaining(['fz-trace', 'fz-trace-succeeded']));
    const nodes = nodesByLabel(root);
    for (const label of ['Start', 'Count Try', 'Enough Tries?', 'Charge Card', 'Paid']) expect(classes(nodes.get(label)!)).toContain('fz-visited');
    for (const label of ['Report Failure', 'Order Failed']) expect(classes(nodes.get(label)!)).toContain('fz-untaken');
    expect(nodes.get('Count Try')!.attrs['data-visits']).toBe('3');
    const badge = all(nodes.get('Count Try')!, (e) => classes(e).includes('fz-visit-badge'));
    expect(badge.map(textOf)[0]).toContain('×3');
    // One visit: no badge.
    expect(all(nodes.get('Charge Card')!, (e) => classes(e).includes('fz-visit-badge'))).toEqual([]);
    expect(classes(edge(root, 'n3', 'n2'))).toEqual(expect.arrayContaining(['fz-edge-choice', 'fz-taken']));
    expect(classes(edge(root, 'n3', 'n4'))).toEqual(expect.arrayContaining(['fz-edge-default', 'fz-taken']));
    expect(classes(edge(root, 'n1', 'n2'))).toContain('fz-taken');
    expect(classes(edge(root, 'n4', 'n5'))).toContain('fz-taken');
    expect(classes(edge(root, 'n4', 'n6'))).toEqual(expect.arrayContaining(['fz-edge-catch', 'fz-untaken']));
    expect(classes(edge(root, 'n6', 'n7'))).toContain('fz-untaken');
    expect(all(root, (e) => classes(e).includes('fz-failed'))).toEqual([]);
    await expect(svg).toMatchFileSnapshot('../golden/trace/trace-order.paid.svg');
  });

  test('failure: the Catch edge taken and the Fail state marked with its error', async () => {
    const { result, svg } = await runOrder('Declined');
    expect(result.status).toBe('FAILED');
    const root = parseSvg(svg);
    expect(classes(root)).toContain('fz-trace-failed');
    const nodes = nodesByLabel(root);
    expect(classes(edge(root, 'n4', 'n6'))).toEqual(expect.arrayContaining(['fz-edge-catch', 'fz-taken']));
    expect(classes(edge(root, 'n4', 'n5'))).toContain('fz-untaken');
    expect(classes(nodes.get('Paid')!)).toContain('fz-untaken');
    const failed = all(root, (e) => classes(e).includes('fz-failed'));
    expect(failed).toEqual([nodes.get('Order Failed')]);
    const mark = all(failed[0]!, (e) => classes(e).includes('fz-failed-mark'))[0]!;
    expect(mark.attrs['data-error']).toBe('OrderFailed');
    expect(textOf(mark)).toContain('OrderFailed');
    expect(textOf(mark)).toContain('The card was declined');
    await expect(svg).toMatchFileSnapshot('../golden/trace/trace-order.declined.svg');
  });

  test('no trace, no trace markup: the drawing is byte for byte the plain one', async () => {
    const diagram = parseDiagram(orderFz).value;
    const laid = await layout(diagram);
    const plain = renderSvg(laid, { id: 'x' });
    expect(plain).not.toMatch(/fz-visited|fz-taken|fz-untaken|fz-failed|fz-trace|--fz-path/);
    expect(renderSvg(laid, { id: 'x', trace: undefined })).toBe(plain);
  });
});

test('a plain FlowZap `loop`: the edge into and out of the Choice to-asl adds for it (a state without a node) is taken', async () => {
  const diagram = parseDiagram(readFileSync(join(repoRoot, 'examples', 'feature-loops.fz'), 'utf8')).value;
  const converted = toAslWithLocator(diagram);
  const result = await runStateMachine(converted.value, {});
  expect(result.states).toContain('retry until all items processed');
  const overlay = pathOverlay(diagram, converted.stateNodes, executedPath(converted.value, result.history).value);
  const taken = diagram.edges.filter((_, i) => overlay.taken.has(i)).map((e) => `${e.from.node}>${e.to.node}`);
  expect(taken.sort()).toEqual(['n1>n2', 'n2>n3', 'n3>n4', 'n4>n5']);
});

describe('the path overlay of an ASL machine (drawn through from-asl)', () => {
  const aslFile = join(fixtures, 'trace-parallel.asl.json');
  const mocks = join(fixtures, 'trace-parallel.mocks.json');

  test('run --svg: a Map item state entered per item, the failing Task inside a Parallel branch marked', () => {
    const dir = temp();
    const out = join(dir, 'path.svg');
    const r = cli(['run', aslFile, '--input', '{"items":[1,2,3]}', '--mock-config', mocks, '--test-case', 'BillingDown', '--svg', out, '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).error).toBe('Billing.Unavailable');
    const root = parseSvg(readFileSync(out, 'utf8'));
    const nodes = nodesByLabel(root);
    expect(nodes.get('Price Item')!.attrs['data-visits']).toBe('3');
    expect(classes(nodes.get('Ship')!)).toContain('fz-visited');
    const bill = nodes.get('Bill')!;
    expect(classes(bill)).toEqual(expect.arrayContaining(['fz-visited', 'fz-failed']));
    expect(textOf(all(bill, (e) => classes(e).includes('fz-failed-mark'))[0]!)).toContain('Billing.Unavailable');
    expect(classes(nodes.get('Done')!)).toContain('fz-untaken');
  });

  test('render --trace with the history run --history wrote, as {"events":[…]} and as a bare array, gives the run --svg drawing', () => {
    const dir = temp();
    const history = join(dir, 'history.json');
    const direct = join(dir, 'direct.svg');
    expect(cli(['run', aslFile, '--input', '{"items":[1,2]}', '--mock-config', mocks, '--test-case', 'Billed', '--history', history, '--svg', direct]).code).toBe(0);
    const bare = join(dir, 'bare.json');
    writeFileSync(bare, JSON.stringify(JSON.parse(readFileSync(history, 'utf8')).events));
    for (const trace of [history, bare]) {
      const out = join(dir, `from-${trace === bare ? 'bare' : 'events'}.svg`);
      const r = cli(['render', aslFile, '--trace', trace, '-o', out]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(readFileSync(out, 'utf8').replace(/id="fz-[^"-]+/g, '')).toBe(readFileSync(direct, 'utf8').replace(/id="fz-[^"-]+/g, ''));
    }
    const root = parseSvg(readFileSync(direct, 'utf8'));
    const nodes = nodesByLabel(root);
    expect(nodes.get('Price Item')!.attrs['data-visits']).toBe('2');
    expect(classes(nodes.get('Done')!)).toContain('fz-visited');
    expect(all(root, (e) => classes(e).includes('fz-untaken'))).toEqual([]);
    expect(all(root, (e) => classes(e).includes('fz-taken')).length).toBe(all(root, (e) => classes(e).includes('fz-edge')).length);
  });

  test('the same trace drawn from the ASL and from its .fz conversion marks the same states', async () => {
    const text = readFileSync(aslFile, 'utf8');
    const definition = loadAsl(text, { name: aslFile }).value.definition;
    const diagram = fromAsl(definition).value;
    const converted = toAslWithLocator(diagram);
    expect(converted.value).toEqual(definition);
    const result = await runStateMachine(definition, { input: { items: [1] }, resolveTask: taskResolver({ handlers: { Bill: () => ({ invoice: 1 }) } }) });
    const overlay = pathOverlay(diagram, converted.stateNodes, executedPath(definition, result.history).value);
    const visitedStates = [...overlay.visits.keys()].map((id) => diagram.nodes.find((n) => n.id === id)!.label).filter((l) => l !== 'Start' && l !== 'End');
    expect(new Set(visitedStates)).toEqual(new Set(result.states));
  });
});

describe('the path read from a history', () => {
  const definition = {
    StartAt: 'Fork',
    States: {
      Fork: {
        Type: 'Parallel',
        Next: 'Join',
        Branches: [
          { StartAt: 'A1', States: { A1: { Type: 'Pass', Next: 'A2' }, A2: { Type: 'Pass', End: true } } },
          { StartAt: 'B1', States: { B1: { Type: 'Pass', Next: 'B2' }, B2: { Type: 'Pass', End: true } } },
        ],
      },
      Join: { Type: 'Succeed' },
    },
  };
  const entered = (name: string) => ({ type: 'PassStateEntered', stateEnteredEventDetails: { name } });
  const exited = (name: string) => ({ type: 'PassStateExited', stateExitedEventDetails: { name } });

  test('branches interleaved as AWS records them: only the transitions the definition has', () => {
    const events = [
      { type: 'ExecutionStarted' },
      { type: 'ParallelStateEntered', stateEnteredEventDetails: { name: 'Fork' } },
      entered('A1'), entered('B1'), exited('A1'), exited('B1'), entered('B2'), entered('A2'), exited('A2'), exited('B2'),
      { type: 'ParallelStateExited', stateExitedEventDetails: { name: 'Fork' } },
      { type: 'SucceedStateEntered', stateEnteredEventDetails: { name: 'Join' } },
      { type: 'ExecutionSucceeded' },
    ];
    const { value, problems } = executedPath(definition, events);
    expect(problems).toEqual([]);
    const pairs = [...value.transitions].flatMap(([from, to]) => [...to].map((t) => `${from}>${t}`)).sort();
    expect(pairs).toEqual(['A1>A2', 'A2>Join', 'B1>B2', 'B2>Join', 'Fork>A1', 'Fork>B1', 'Fork>Join']);
    expect(value.status).toBe('SUCCEEDED');
  });

  test('a failure inside a branch names the innermost state, with the execution\'s error', () => {
    const events = [
      { type: 'ParallelStateEntered', stateEnteredEventDetails: { name: 'Fork' } },
      entered('A1'), exited('A1'), entered('A2'),
      { type: 'ParallelStateFailed' },
      { type: 'ExecutionFailed', executionFailedEventDetails: { error: 'States.Runtime', cause: 'boom' } },
    ];
    expect(executedPath(definition, events).value.failure).toEqual({ state: 'A2', error: 'States.Runtime', cause: 'boom' });
  });
});

describe('render --trace with a bad history', () => {
  const fz = join(fixtures, 'trace-order.fz');
  const attempt = (content: string) => {
    const dir = temp();
    const trace = join(dir, 'bad.json');
    writeFileSync(trace, content);
    const out = join(dir, 'out.svg');
    const r = cli(['render', fz, '--trace', trace, '-o', out]);
    return { ...r, written: existsSync(out), trace };
  };

  test('invalid JSON: one located line, exit 1, nothing written', () => {
    const r = attempt('{"events": [\n  {"type": "ExecutionStarted",}\n]}');
    expect(r.code).toBe(1);
    expect(r.written).toBe(false);
    expect(r.stderr).toMatch(new RegExp(`^flowlane: ${r.trace.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:\\d+: the execution history is not valid JSON`));
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test('not a history, and a history of another machine: the event named at its line', () => {
    const notHistory = attempt('{"executions": []}');
    expect(notHistory.code).toBe(1);
    expect(notHistory.written).toBe(false);
    expect(notHistory.stderr).toContain(':1:1: an execution history is {"events": [...]}');
    const other = attempt(JSON.stringify({ events: [{ type: 'ExecutionStarted', id: 1, previousEventId: 0 }, { type: 'PassStateEntered', id: 2, previousEventId: 1, stateEnteredEventDetails: { name: 'Elsewhere' } }] }, null, 2));
    expect(other.code).toBe(1);
    expect(other.written).toBe(false);
    expect(other.stderr).toMatch(/:8:5: the history enters a state "Elsewhere" that the state machine does not have/);
    const notEvent = attempt('[\n  {"type": "ExecutionStarted"},\n  42\n]');
    expect(notEvent.stderr).toMatch(/:3:3: event 2 is not a history event/);
  });

  test('--trace takes one input', () => {
    const r = cli(['render', fz, join(fixtures, 'trace-parallel.asl.json'), '--trace', fz]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--trace takes one input');
  });
});
