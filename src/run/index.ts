// The run stage: executes an ASL state machine offline (see interpreter.ts), with Task results from
// AWS Step Functions Local mock files or handler functions (mocks.ts).
// Input: the ASL definition (the ASL stage's output, or a loaded ASL file) and RunOptions.
// Output: RunResult (status, output/error, states entered, GetExecutionHistory events).
export { runStateMachine, describeResource } from './interpreter.js';
export { parseMockFile, taskResolver, testCases, machineNames, machineFor } from './mocks.js';
export type { MockFile, MockResponse, TaskCall, TaskResolver, ResolverOptions } from './mocks.js';
export { StatesError, RunSetupError } from './errors.js';
export type { ExecutionStatus, HistoryEvent, RunOptions, RunResult } from './types.js';
import type { ExecutionStatus, RunResult } from './types.js';

/** A run's result as `run --format json` prints it and `flowlane/run` answers it: status, output, error, cause, the states entered. */
export function runReport(result: RunResult): { status: ExecutionStatus; output: unknown; error: string | null; cause: string | null; states: string[] } {
  return {
    status: result.status,
    output: result.status === 'SUCCEEDED' ? result.output : null,
    error: result.error ?? null,
    cause: result.cause ?? null,
    states: result.states,
  };
}
export { executedPath, historyEvents } from './path.js';
export type { ExecutedPath, HistoryProblem } from './path.js';
