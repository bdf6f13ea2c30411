// Types of the run stage: what an execution takes and what it gives back.
// Input: nothing (types only). Output: the vocabulary of the interpreter, the CLI's run and test commands.
import type { TaskResolver } from './mocks.js';

export type ExecutionStatus = 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT';

/** One event in the shape of Step Functions' `GetExecutionHistory` (`…EventDetails` by type). */
export interface HistoryEvent {
  timestamp: string;
  type: string;
  id: number;
  previousEventId: number;
  [details: string]: unknown;
}

export interface RunOptions {
  /** The execution input (default `{}`). */
  input?: unknown;
  /** Where Task results come from (mocks, handlers); without it every Task fails with "no mock for state". */
  resolveTask?: TaskResolver;
  /** The state machine's name, in `$$.StateMachine` (default `StateMachine`). */
  stateMachineName?: string;
  /** The execution's name, in `$$.Execution` (default `local`). */
  executionName?: string;
  /** The execution's start time, ISO 8601 (default 2024-01-01T00:00:00.000Z): the run's clock starts there. */
  startTime?: string;
  /** Seed of every random choice: retry jitter, `States.UUID`, `States.MathRandom`, `$random()` (default 0). */
  seed?: number;
  /** End the run with an error after this many state transitions (default 25,000, AWS's history limit). */
  maxTransitions?: number;
  /** The largest payload (input, output, result) in bytes of UTF-8 JSON (default 262,144: AWS's 256 KiB). */
  maxPayloadBytes?: number;
  /** Sleep through `Wait` states and retry intervals instead of only advancing the run's clock. */
  realTime?: boolean;
  /** Record the history events (default true; off for benchmarks of the interpreter itself). */
  history?: boolean;
  /** Reads an object for a distributed Map's `ItemReader` (`s3:getObject`); undefined when there is none. */
  readObject?: (bucket: string, key: string) => string | undefined;
  /** Lists object keys under a prefix, for `ItemReader` with `s3:listObjectsV2`. */
  listObjects?: (bucket: string, prefix: string) => string[];
  /** Receives a distributed Map's results when it has a `ResultWriter`: file name to content. */
  writeResults?: (bucket: string, prefix: string, files: Record<string, string>) => void;
}

export interface RunResult {
  status: ExecutionStatus;
  output?: unknown;
  error?: string;
  cause?: string;
  /** Names of the states entered, in order, nested states included. */
  states: string[];
  transitions: number;
  history: HistoryEvent[];
}
