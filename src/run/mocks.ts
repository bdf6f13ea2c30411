// Where Task results come from: a mock file in the format of AWS Step Functions Local
// (`StateMachines.<machine>.TestCases.<case>.<state> = <response>`, `MockedResponses.<response>.<"0" | "1-2">
// = {Return} | {Throw}`), or handler functions by state name or resource. No AWS call is ever made.
// Input: the parsed mock file (the CLI reads it). Output: a TaskResolver, or RunSetupError for a file
// that is not in that format, naming the place.
import { RunSetupError, StatesError } from './errors.js';

export type MockResponse = { Return: unknown } | { Throw: { Error: string; Cause?: string } };

/** One Task invocation, as a resolver sees it. */
export interface TaskCall {
  state: string;
  resource: string;
  input: unknown;
  /** 0 for the first invocation of this state in the run, counting retries and Map iterations. */
  invocation: number;
  context: unknown;
}

/** Returns the Task's result, or throws a StatesError for a mocked failure. */
export type TaskResolver = (call: TaskCall) => Promise<unknown>;

export interface MockFile {
  StateMachines: Record<string, { TestCases: Record<string, Record<string, string>> }>;
  MockedResponses: Record<string, Record<string, MockResponse>>;
}

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Checks the shape of a mock file; the messages name the JSON path of the problem. */
export function parseMockFile(value: unknown): MockFile {
  const bad = (where: string, what: string): never => {
    throw new RunSetupError(`mock config: ${where} ${what}`);
  };
  if (!isObj(value)) bad('the file', 'is not a JSON object');
  const v = value as Record<string, unknown>;
  if (!isObj(v.StateMachines)) bad('StateMachines', 'is missing or not an object');
  if (!isObj(v.MockedResponses)) bad('MockedResponses', 'is missing or not an object');
  for (const [machine, m] of Object.entries(v.StateMachines as Record<string, unknown>)) {
    if (!isObj(m) || !isObj(m.TestCases)) bad(`StateMachines.${machine}`, 'has no TestCases object');
    for (const [tc, states] of Object.entries((m as Record<string, Record<string, unknown>>).TestCases!)) {
      if (!isObj(states)) bad(`StateMachines.${machine}.TestCases.${tc}`, 'is not an object of state names to response names');
      for (const [state, response] of Object.entries(states as Record<string, unknown>)) {
        if (typeof response !== 'string') bad(`StateMachines.${machine}.TestCases.${tc}.${state}`, 'is not the name of a mocked response');
        else if (!Object.hasOwn(v.MockedResponses as object, response)) bad(`StateMachines.${machine}.TestCases.${tc}.${state}`, `names "${response}", which MockedResponses does not define`);
      }
    }
  }
  for (const [name, r] of Object.entries(v.MockedResponses as Record<string, unknown>)) {
    if (!isObj(r)) bad(`MockedResponses.${name}`, 'is not an object');
    for (const [range, resp] of Object.entries(r as Record<string, unknown>)) {
      if (!/^\d+(-\d+)?$/.test(range)) bad(`MockedResponses.${name}."${range}"`, 'is not an invocation number or range such as "0" or "1-2"');
      if (!isObj(resp) || (!('Return' in resp) && !isObj(resp.Throw))) bad(`MockedResponses.${name}."${range}"`, 'has neither Return nor Throw');
      const t = (resp as Record<string, unknown>).Throw;
      if (isObj(t) && typeof t.Error !== 'string') bad(`MockedResponses.${name}."${range}".Throw`, 'has no Error string');
    }
  }
  return value as MockFile;
}

/** The test cases a mock file defines for a state machine (in file order). */
export function testCases(mocks: MockFile, machine: string): string[] {
  const m = mocks.StateMachines[machine];
  return m ? Object.keys(m.TestCases) : [];
}

/** The machine names of a mock file, for error messages. */
export function machineNames(mocks: MockFile): string[] {
  return Object.keys(mocks.StateMachines);
}

/**
 * The mock file's machine for a definition read from `fileName`: the only one in the file, or the
 * one named as the file is (without `.asl` and its extension); undefined when that does not decide.
 */
export function machineFor(mocks: MockFile, fileName: string): string | undefined {
  const names = machineNames(mocks);
  if (names.length === 1) return names[0]!;
  const base = fileName.replace(/^.*[\\/]/, '').replace(/(\.asl)?\.(fz|json|ya?ml)$/i, '');
  return names.includes(base) ? base : undefined;
}

/** The response of a mocked response for one invocation number: "0", or a range "1-2" that contains it. */
function pick(responses: Record<string, MockResponse>, n: number): MockResponse | undefined {
  for (const [range, r] of Object.entries(responses)) {
    const [from, to] = range.split('-').map(Number) as [number, number | undefined];
    if (n >= from && n <= (to ?? from)) return r;
  }
  return undefined;
}

export interface ResolverOptions {
  mocks?: { file: MockFile; machine: string; testCase: string };
  /** Functions by state name or by resource ARN; called with the Task's input and context. */
  handlers?: Record<string, unknown>;
}

/** A resolver trying the mock test case first, then the handlers; else `flowlane: no mock for state "X"`. */
export function taskResolver(options: ResolverOptions): TaskResolver {
  let cases: Record<string, string> | undefined;
  if (options.mocks) {
    const { file, machine, testCase } = options.mocks;
    const m = file.StateMachines[machine];
    if (!m) throw new RunSetupError(`mock config: no state machine "${machine}" (it has: ${machineNames(file).join(', ') || 'none'})`);
    cases = m.TestCases[testCase];
    if (!cases) throw new RunSetupError(`mock config: state machine "${machine}" has no test case "${testCase}" (it has: ${Object.keys(m.TestCases).join(', ') || 'none'})`);
  }
  return async (call) => {
    const responseName = cases?.[call.state];
    if (responseName !== undefined && options.mocks) {
      const r = pick(options.mocks.file.MockedResponses[responseName]!, call.invocation);
      if (!r) throw new RunSetupError(`mock config: MockedResponses.${responseName} has no response for invocation ${call.invocation} of state "${call.state}"`);
      if ('Throw' in r) throw new StatesError(r.Throw.Error, r.Throw.Cause ?? '');
      return structuredClone(r.Return);
    }
    const handler = options.handlers?.[call.state] ?? options.handlers?.[call.resource];
    if (typeof handler === 'function') {
      try {
        return await (handler as (input: unknown, context: unknown) => unknown)(structuredClone(call.input), call.context);
      } catch (e) {
        // A handler fails a Task by throwing; the error name is the ASL error (`{name:'MyError'}` or an Error subclass).
        if (e instanceof StatesError) throw e;
        const err = e as { name?: unknown; error?: unknown; message?: unknown; cause?: unknown };
        const name = typeof err?.error === 'string' ? err.error : typeof err?.name === 'string' && err.name !== 'Error' ? err.name : 'Error';
        const cause = typeof err?.cause === 'string' ? err.cause : typeof err?.message === 'string' ? err.message : String(e);
        throw new StatesError(name, cause);
      }
    }
    throw new RunSetupError(`no mock for state "${call.state}"`);
  };
}
