// The path an execution took through a state machine, read from its history.
// Input: the ASL definition and the events of a run (RunResult.history, what `run --history` writes,
// or what AWS's GetExecutionHistory returns). Output: ExecutedPath, the states entered (how often),
// the transitions taken between them and the state whose failure ended the run. Pure.
// The path overlay of the render stage (src/render/trace.ts) draws it on the diagram.

/** What the history says the execution went through, by state name. */
export interface ExecutedPath {
  /** Times each state was entered (a Map's iterations and loops enter a state more than once). */
  visits: Map<string, number>;
  /** States left by an exit event (so an edge to an end marker after them was followed). */
  exited: Set<string>;
  /** Transitions followed, as `from` → set of `to` state names. */
  transitions: Map<string, Set<string>>;
  /** How the execution ended, when the history has its last event. */
  status?: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  /** For a failed (or timed out) execution: the innermost state that failed, with the error. */
  failure?: { state?: string; error: string; cause?: string };
}

/** A history that does not fit the definition, at the index of the event about it (-1: the whole history). */
export interface HistoryProblem {
  event: number;
  message: string;
}

interface StateInfo {
  type: string;
  /** Next, Choices[].Next, Default and Catch[].Next. */
  successors: Set<string>;
  /** For Parallel and Map: the StartAt of each branch (processor). */
  starts: string[];
  /** For Parallel and Map: the states of its branches that end them (End: true, or Succeed). */
  terminals: string[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const MAX_DEPTH = 200;

/** Every state of the definition, nested ones included, by name. Bounded by the nesting limit. */
function statesOf(definition: unknown): Map<string, StateInfo> {
  const out = new Map<string, StateInfo>();
  const scope = (machine: unknown, depth: number): { start?: string; names: string[] } => {
    const names: string[] = [];
    if (!isObj(machine) || depth > MAX_DEPTH || !isObj(machine.States)) return { names };
    for (const [name, state] of Object.entries(machine.States)) {
      if (!isObj(state)) continue;
      names.push(name);
      const info: StateInfo = { type: typeof state.Type === 'string' ? state.Type : '', successors: new Set(), starts: [], terminals: [] };
      const to = (v: unknown): void => void (typeof v === 'string' && info.successors.add(v));
      to(state.Next);
      to(state.Default);
      for (const list of [state.Choices, state.Catch]) if (Array.isArray(list)) for (const c of list) if (isObj(c)) to(c.Next);
      const blocks = Array.isArray(state.Branches) ? state.Branches : [state.ItemProcessor ?? state.Iterator].filter((b) => b !== undefined);
      out.set(name, info);
      for (const block of blocks) {
        const inner = scope(block, depth + 1);
        if (inner.start !== undefined) info.starts.push(inner.start);
        for (const n of inner.names) {
          const child = isObj(block) && isObj(block.States) ? block.States[n] : undefined;
          if (isObj(child) && (child.End === true || child.Type === 'Succeed')) info.terminals.push(n);
        }
      }
    }
    return { ...(typeof machine.StartAt === 'string' ? { start: machine.StartAt } : {}), names };
  };
  scope(definition, 0);
  return out;
}

const BLOCK_TYPES = new Set(['Parallel', 'Map']);
const MAX_UNFOLLOWED = 64;

/** The error fields of a failure event (`TaskFailed`, `ExecutionFailed`, …), whatever its details key. */
function errorOf(event: Obj): { error?: string; cause?: string } {
  for (const [k, v] of Object.entries(event)) {
    if (!k.endsWith('EventDetails') || !isObj(v)) continue;
    const out: { error?: string; cause?: string } = {};
    if (typeof v.error === 'string') out.error = v.error;
    if (typeof v.cause === 'string') out.cause = v.cause;
    return out;
  }
  return {};
}

/**
 * Reads the path out of a history. Taken transitions are those the definition allows between a
 * state and the next one entered (a Catch target after a failed Task included), a Parallel or Map
 * into its branches' first states, and a branch's last states on to the block's Next. A transition
 * is only counted where the definition has it, so whether branches come one after the other (this
 * interpreter) or interleaved (AWS), a state of one branch never seems to lead into another.
 */
export function executedPath(definition: unknown, events: readonly unknown[]): { value: ExecutedPath; problems: HistoryProblem[] } {
  const states = statesOf(definition);
  const startOf = new Map<string, Set<string>>();
  for (const [name, info] of states) for (const s of info.starts) (startOf.get(s) ?? startOf.set(s, new Set()).get(s)!).add(name);
  const path: ExecutedPath = { visits: new Map(), exited: new Set(), transitions: new Map() };
  const problems: HistoryProblem[] = [];
  const take = (from: string, to: string): void => void (path.transitions.get(from) ?? path.transitions.set(from, new Set()).get(from)!).add(to);
  // States entered and not yet left, innermost last. A state that failed has no exit event: it is
  // dropped when the next state is entered (a Catch moved on) unless it is an open Parallel/Map.
  const open: string[] = [];
  // States left (or entered, for one whose failure a Catch may follow) whose transition is still to
  // come, most recent last. AWS interleaves Parallel branches and Map iterations in its histories, so
  // the state before an entry is not always the one that led there. States without successors are
  // never kept, and the list is bounded: a Map of many items keeps it short.
  const unfollowed: string[] = [];
  const remember = (name: string): void => {
    if (states.get(name)!.successors.size === 0) return;
    const at = unfollowed.lastIndexOf(name);
    if (at >= 0) unfollowed.splice(at, 1);
    unfollowed.push(name);
    if (unfollowed.length > MAX_UNFOLLOWED) unfollowed.shift();
  };
  let last: string | undefined;
  let failedLeaf: string | undefined;
  const isBlock = (name: string): boolean => BLOCK_TYPES.has(states.get(name)?.type ?? '');
  events.forEach((raw, i) => {
    if (!isObj(raw)) return;
    const type = typeof raw.type === 'string' ? raw.type : '';
    if (type.endsWith('StateEntered')) {
      const details = raw.stateEnteredEventDetails;
      const name = isObj(details) ? details.name : undefined;
      if (typeof name !== 'string' || !states.has(name)) {
        problems.push({ event: i, message: typeof name === 'string' ? `the history enters a state "${name}" that the state machine does not have` : `event ${i + 1} (${type}) has no stateEnteredEventDetails.name` });
        return;
      }
      failedLeaf = undefined;
      while (open.length > 0 && !isBlock(open[open.length - 1]!)) open.pop();
      let from: string | undefined;
      for (let k = unfollowed.length - 1; k >= 0 && from === undefined; k--) {
        if (states.get(unfollowed[k]!)!.successors.has(name)) from = unfollowed.splice(k, 1)[0];
      }
      if (from !== undefined) {
        take(from, name);
        for (const t of states.get(from)!.terminals) if (path.exited.has(t)) take(t, name);
      } else {
        const parents = startOf.get(name);
        const parent = parents ? [...open].reverse().find((p) => parents.has(p)) : undefined;
        if (parent !== undefined) take(parent, name);
      }
      path.visits.set(name, (path.visits.get(name) ?? 0) + 1);
      open.push(name);
      remember(name);
      last = name;
    } else if (type.endsWith('StateExited')) {
      const details = raw.stateExitedEventDetails;
      const name = isObj(details) ? details.name : undefined;
      if (typeof name !== 'string' || !states.has(name)) {
        problems.push({ event: i, message: typeof name === 'string' ? `the history leaves a state "${name}" that the state machine does not have` : `event ${i + 1} (${type}) has no stateExitedEventDetails.name` });
        return;
      }
      path.exited.add(name);
      remember(name);
      const at = open.lastIndexOf(name);
      if (at >= 0) open.splice(at);
      last = name;
      failedLeaf = undefined;
    } else if (type === 'ParallelStateFailed' || type === 'MapStateFailed') {
      failedLeaf ??= open[open.length - 1];
      let at = open.length - 1;
      while (at >= 0 && !isBlock(open[at]!)) at--;
      if (at >= 0) open.splice(at);
    } else if (type.endsWith('Failed') && !type.startsWith('Execution') && !type.startsWith('MapIteration') && !type.startsWith('MapRun')) {
      // TaskFailed, LambdaFunctionFailed, …: the state on top is the one that failed (unless caught).
      failedLeaf = open[open.length - 1] ?? failedLeaf;
    } else if (type === 'ExecutionSucceeded') {
      path.status = 'SUCCEEDED';
    } else if (type === 'ExecutionFailed' || type === 'ExecutionTimedOut' || type === 'ExecutionAborted') {
      path.status = type === 'ExecutionFailed' ? 'FAILED' : type === 'ExecutionTimedOut' ? 'TIMED_OUT' : 'ABORTED';
      const { error, cause } = errorOf(raw);
      const state = failedLeaf ?? open[open.length - 1] ?? last;
      path.failure = {
        ...(state !== undefined ? { state } : {}),
        error: error ?? (type === 'ExecutionTimedOut' ? 'States.Timeout' : type === 'ExecutionAborted' ? 'Aborted' : 'Failed'),
        ...(cause !== undefined ? { cause } : {}),
      };
    }
  });
  return { value: path, problems };
}

/**
 * The events of a history file: `{"events": [...]}` (what `run --history` writes and the AWS CLI
 * prints) or a bare array. A problem names the event (by index) it is about, -1 for the whole file.
 */
export function historyEvents(data: unknown): { events?: unknown[]; problem?: HistoryProblem } {
  const events = Array.isArray(data) ? data : isObj(data) && Array.isArray(data.events) ? data.events : undefined;
  if (events === undefined) return { problem: { event: -1, message: 'an execution history is {"events": [...]} (as `flowlane run --history` writes it and `aws stepfunctions get-execution-history` prints it) or an array of events' } };
  if (events.length === 0) return { problem: { event: -1, message: 'the execution history has no events' } };
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (!isObj(e) || typeof e.type !== 'string') return { problem: { event: i, message: `event ${i + 1} is not a history event (an object with a "type")` } };
  }
  return { events };
}
