// `flowlane test FILE --mock-config F [--expect F]`: runs every test case that an AWS Step Functions
// Local mock file defines for the state machine, and checks each against an expectations file.
// Input: the definition, the mock file, the expectations. Output: one line per test case; exit 1 on any
// mismatch or invalid file, 2 for usage.
//
// Expectations (default: the mock file's name with `.expect.json` for `.json`):
//   { "TestCases": { "<case>": { "input": {…}, "status": "SUCCEEDED", "output": {…},
//                                "error": "…", "cause": "…", "states": ["A", "B"] } } }
// Every field is optional: a case checks only what it states; a case without expectations passes when
// its execution runs to an end.
import type { Command } from 'commander';
import type { RunResult } from '../../run/index.js';
// The interpreter is imported where it is used: `flowlane --help` loads this module too.
import { testCases } from '../../run/mocks.js';
import { CommandFailure, execute, guarded, prepareRun, readJsonFile, readMocks, mockMachine } from './run.js';
import type { RunCliOptions } from './run.js';

interface Expectation {
  input?: unknown;
  status?: string;
  output?: unknown;
  error?: string;
  cause?: string;
  states?: string[];
}

interface TestCliOptions {
  mockConfig: string;
  expect?: string;
  stateMachine?: string;
  handlers?: string;
}

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function readExpectations(path: string): Record<string, Expectation> {
  const value = readJsonFile(path, 'expectations file');
  if (!isObj(value) || !isObj(value.TestCases)) throw new CommandFailure(`${path}: expected {"TestCases": {"<case>": {…}}}`, 1);
  for (const [name, e] of Object.entries(value.TestCases)) {
    if (!isObj(e)) throw new CommandFailure(`${path}: TestCases.${name} is not an object`, 1);
    if (e.status !== undefined && !['SUCCEEDED', 'FAILED', 'TIMED_OUT'].includes(e.status as string)) throw new CommandFailure(`${path}: TestCases.${name}.status must be SUCCEEDED, FAILED or TIMED_OUT`, 1);
    if (e.states !== undefined && !(Array.isArray(e.states) && e.states.every((s) => typeof s === 'string'))) throw new CommandFailure(`${path}: TestCases.${name}.states must be a list of state names`, 1);
  }
  return value.TestCases as Record<string, Expectation>;
}

/** What differs between a result and its expectation, in words; empty when it matches. */
export function mismatches(result: RunResult, expected: Expectation, jsonEqual: (a: unknown, b: unknown) => boolean): string[] {
  const out: string[] = [];
  const show = (v: unknown): string => {
    const t = JSON.stringify(v) ?? 'nothing';
    return t.length > 120 ? `${t.slice(0, 119)}…` : t;
  };
  if (expected.status !== undefined && expected.status !== result.status) out.push(`status ${result.status}${result.error ? ` (${result.error})` : ''}, expected ${expected.status}`);
  if (expected.output !== undefined && !jsonEqual(result.output, expected.output)) out.push(`output ${show(result.output)}, expected ${show(expected.output)}`);
  if (expected.error !== undefined && expected.error !== result.error) out.push(`error ${show(result.error)}, expected ${show(expected.error)}`);
  if (expected.cause !== undefined && expected.cause !== result.cause) out.push(`cause ${show(result.cause)}, expected ${show(expected.cause)}`);
  if (expected.states !== undefined && !jsonEqual(result.states, expected.states)) out.push(`states ${result.states.join(' → ')}, expected ${expected.states.join(' → ')}`);
  return out;
}

export function register(program: Command): void {
  program
    .command('test')
    .description('run every test case of a Step Functions Local mock file and check it against an expectations file')
    .argument('<file>', '.fz diagram, or ASL JSON/YAML')
    .requiredOption('--mock-config <file>', 'AWS Step Functions Local mock file')
    .option('--expect <file>', 'expectations file (default: the mock file with .expect.json)')
    .option('--state-machine <name>', 'the state machine of the mock file to test')
    .option('--handlers <file>', 'handlers for Tasks the test cases do not mock')
    .addHelpText('after', '\nExpectations: {"TestCases": {"<case>": {"input": {}, "status": "SUCCEEDED", "output": {}, "error": "", "cause": "", "states": []}}}\nEvery field is optional. Exit codes: 0 all cases match, 1 a mismatch or an invalid file, 2 usage.')
    .action((file: string, options: TestCliOptions) =>
      guarded(async () => {
        const mocks = readMocks(options.mockConfig);
        const machine = mockMachine(mocks, file, options.stateMachine);
        const cases = testCases(mocks, machine);
        if (cases.length === 0) throw new CommandFailure(`${options.mockConfig}: no test cases for state machine "${machine}"`, 1);
        const expectPath = options.expect ?? options.mockConfig.replace(/(\.json)?$/i, '.expect.json');
        const expectations = readExpectations(expectPath);
        const { jsonEqual } = await import('../../run/intrinsics.js');
        let failed = 0;
        for (const name of cases) {
          const expected = expectations[name] ?? {};
          const runOptions: RunCliOptions = { mockConfig: options.mockConfig, testCase: name, stateMachine: machine, input: JSON.stringify(expected.input ?? {}) };
          if (options.handlers !== undefined) runOptions.handlers = options.handlers;
          let problems: string[];
          let summary = '';
          try {
            const result = await execute(await prepareRun(file, runOptions));
            problems = mismatches(result, expected, jsonEqual);
            summary = `${result.status}, ${result.states.length} state${result.states.length === 1 ? '' : 's'}`;
          } catch (e) {
            if (!(e instanceof CommandFailure) || e.exitCode !== 1) throw e;
            problems = [e.message];
          }
          if (problems.length === 0) console.log(`PASS ${name} (${summary})`);
          else {
            failed++;
            console.log(`FAIL ${name}: ${problems.join('; ')}`);
          }
        }
        const unknown = Object.keys(expectations).filter((n) => !cases.includes(n));
        for (const n of unknown) console.log(`FAIL ${n}: expected, but the mock file has no such test case for "${machine}"`);
        failed += unknown.length;
        console.log(`${cases.length - (failed - unknown.length)} of ${cases.length} test case${cases.length === 1 ? '' : 's'} passed`);
        process.exitCode = failed > 0 ? 1 : 0;
      }),
    );
}
