// Errors of a running state machine, named as AWS names them (`States.Runtime`, `States.TaskFailed`, …).
// Input: nothing (types and helpers). Output: StatesError, thrown inside the interpreter and caught by
// Retry/Catch or turned into the execution's `FAILED` status; RunSetupError for problems that stop a
// run before or outside the machine's semantics (invalid mocks, a state without a mock).

/** An error a state raises: what `Retry`/`Catch` match on `ErrorEquals`, and what a failed execution reports. */
export class StatesError extends Error {
  constructor(
    readonly error: string,
    override readonly cause: string,
  ) {
    super(`${error}: ${cause}`);
  }
}

/** Not a state machine error but a problem with what the run was given (mocks, handlers, options). */
export class RunSetupError extends Error {}

/**
 * Errors that `States.ALL` does not catch or retry: AWS documents `States.Runtime` and
 * `States.DataLimitExceeded` as terminal.
 */
export const TERMINAL_ERRORS = new Set(['States.Runtime', 'States.DataLimitExceeded']);

/** Whether an `ErrorEquals` list matches an error, with AWS's wildcards `States.ALL` and `States.TaskFailed`. */
export function errorMatches(errorEquals: readonly unknown[], error: string, inTask: boolean): boolean {
  for (const name of errorEquals) {
    if (name === error) return true;
    if (name === 'States.ALL' && !TERMINAL_ERRORS.has(error)) return true;
    // States.TaskFailed matches any error a Task raises except a timeout.
    if (name === 'States.TaskFailed' && inTask && error !== 'States.Timeout' && !TERMINAL_ERRORS.has(error)) return true;
  }
  return false;
}
