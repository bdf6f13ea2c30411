// The interpreter: runs an Amazon States Language state machine offline, state by state, as AWS
// documents the language (JSONPath and JSONata states, variables, Retry/Catch, Parallel, Map inline and
// distributed). Input: the definition (the ASL stage's model: plain JSON) and RunOptions. Output: a
// RunResult (status, output or error, states entered, GetExecutionHistory events). Deterministic: the
// clock is virtual (Wait and retry intervals advance it), randomness follows a seed, and Parallel
// branches and Map iterations run one after the other in index order.
import { isTimestamp, ruleMatches } from './choice.js';
import { errorMatches, RunSetupError, StatesError, TERMINAL_ERRORS } from './errors.js';
import { evaluateIntrinsic, isIntrinsic, mulberry32 } from './intrinsics.js';
import { requirePath, setPath } from './jsonpath.js';
import type { PathScope } from './jsonpath.js';
import type { TaskResolver } from './mocks.js';
import { evaluateExpression, evaluateTemplates, templateExpression } from './query.js';
import type { QueryEnv, StatesBinding } from './query.js';
import type { HistoryEvent, RunOptions, RunResult } from './types.js';

type Obj = Record<string, unknown>;
/** What a state gives the next one: its output, the next state's name (none at an end), its assignments. */
type Step = { output: unknown; next?: string | undefined; assign?: Obj | undefined };
type State = Obj & { Type: string };
interface Machine {
  StartAt: string;
  States: Record<string, State>;
  QueryLanguage?: string;
}

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const MAX_TEMPLATE_DEPTH = 64;
const MAX_NESTED_MACHINES = 64;

/** Variables of one scope; inner scopes (Parallel branches, Map iterations) read the outer ones. */
class Scope {
  private readonly own = new Map<string, unknown>();
  constructor(private readonly parent?: Scope) {}
  get(name: string): { found: boolean; value?: unknown } {
    for (let s: Scope | undefined = this; s; s = s.parent) if (s.own.has(name)) return { found: true, value: s.own.get(name) };
    return { found: false };
  }
  /** Assignments land in this scope: a branch or iteration never changes its parent's variables. */
  set(name: string, value: unknown): void {
    this.own.set(name, value);
  }
  all(): Record<string, unknown> {
    const chain: Scope[] = [];
    for (let s: Scope | undefined = this; s; s = s.parent) chain.unshift(s);
    const out: Record<string, unknown> = {};
    for (const s of chain) for (const [k, v] of s.own) out[k] = v;
    return out;
  }
}

/** What a sequence of states runs in: its machine, variables, Map item, and nesting depth. */
interface Frame {
  machine: Machine;
  scope: Scope;
  language: string;
  mapItem?: { Index: number; Value: unknown };
  depth: number;
}

class ExecutionTimedOut extends Error {}

class LazyScope implements PathScope {
  private ctx: Obj | undefined;
  constructor(
    private readonly scope: Scope,
    private readonly make: () => Obj,
  ) {}
  get context(): Obj {
    return (this.ctx ??= this.make());
  }
  variable(name: string): { found: boolean; value?: unknown } {
    return this.scope.get(name);
  }
}

/** Runs a state machine definition to its end. Never throws for the machine's own errors: see RunResult. */
export async function runStateMachine(definition: unknown, options: RunOptions = {}): Promise<RunResult> {
  return new Execution(definition, options).run();
}

class Execution {
  private readonly events: HistoryEvent[] = [];
  private readonly states: string[] = [];
  private transitions = 0;
  private clock: number;
  private readonly startClock: number;
  private readonly random: () => number;
  private readonly invocations = new Map<string, number>();
  private readonly maxTransitions: number;
  private readonly maxPayload: number;
  private readonly recording: boolean;
  private readonly resolveTask: TaskResolver;
  private readonly timeoutSeconds: number | undefined;
  private readonly context: Obj;
  private nowClock = NaN;
  // Inside a distributed Map's iterations: child executions, whose events AWS keeps out of this history.
  private childDepth = 0;
  private nowText = '';
  // The JSON text of the last state output: the next state's input is usually the same value.
  private lastOutput: unknown = undefined;
  private lastOutputText = '';

  constructor(
    private readonly definition: unknown,
    private readonly options: RunOptions,
  ) {
    const start = Date.parse(options.startTime ?? '2024-01-01T00:00:00.000Z');
    if (Number.isNaN(start)) throw new RunSetupError(`the start time "${options.startTime}" is not an ISO 8601 date`);
    this.clock = this.startClock = start;
    this.random = mulberry32(options.seed ?? 0);
    this.maxTransitions = options.maxTransitions ?? 25_000;
    this.maxPayload = options.maxPayloadBytes ?? 256 * 1024;
    this.recording = options.history !== false;
    this.resolveTask =
      options.resolveTask ??
      (async (call) => {
        throw new RunSetupError(`no mock for state "${call.state}"`);
      });
    const t = isObj(definition) ? definition.TimeoutSeconds : undefined;
    this.timeoutSeconds = typeof t === 'number' ? t : undefined;
    const machineName = options.stateMachineName ?? 'StateMachine';
    const executionName = options.executionName ?? 'local';
    this.context = {
      Execution: {
        Id: `arn:aws:states:us-east-1:123456789012:execution:${machineName}:${executionName}`,
        Input: options.input ?? {},
        Name: executionName,
        RoleArn: 'arn:aws:iam::123456789012:role/flowlane-local',
        StartTime: new Date(start).toISOString(),
        RedriveCount: 0,
      },
      StateMachine: { Id: `arn:aws:states:us-east-1:123456789012:stateMachine:${machineName}`, Name: machineName },
    };
  }

  async run(): Promise<RunResult> {
    const input = this.options.input ?? {};
    const machine = this.definition;
    if (!isObj(machine) || typeof machine.StartAt !== 'string' || !isObj(machine.States)) {
      throw new RunSetupError('the definition has no StartAt and States');
    }
    const language = typeof machine.QueryLanguage === 'string' ? machine.QueryLanguage : 'JSONPath';
    this.event('ExecutionStarted', { executionStartedEventDetails: { input: JSON.stringify(input), inputDetails: { truncated: false }, roleArn: (this.context.Execution as Obj).RoleArn } });
    try {
      this.checkSize(input, 'the execution input');
      const output = await this.runMachine({ machine: machine as unknown as Machine, scope: new Scope(), language, depth: 0 }, input);
      this.event('ExecutionSucceeded', { executionSucceededEventDetails: { output: JSON.stringify(output), outputDetails: { truncated: false } } });
      return this.result({ status: 'SUCCEEDED', output });
    } catch (e) {
      if (e instanceof ExecutionTimedOut) {
        const cause = `The execution ran longer than its TimeoutSeconds (${this.timeoutSeconds} s).`;
        this.event('ExecutionTimedOut', { executionTimedOutEventDetails: { error: 'States.Timeout', cause } });
        return this.result({ status: 'TIMED_OUT', error: 'States.Timeout', cause });
      }
      if (!(e instanceof StatesError)) throw e;
      this.event('ExecutionFailed', { executionFailedEventDetails: { error: e.error, cause: e.cause } });
      return this.result({ status: 'FAILED', error: e.error, cause: e.cause });
    }
  }

  private result(r: Pick<RunResult, 'status' | 'output' | 'error' | 'cause'>): RunResult {
    return { ...r, states: this.states, transitions: this.transitions, history: this.events };
  }

  private event(type: string, details: Obj): void {
    if (!this.recording || this.childDepth > 0) return;
    const id = this.events.length + 1;
    // AWS links the first state's entry to event 0, not to ExecutionStarted (seen in recorded histories).
    this.events.push({ timestamp: this.now(), type, id, previousEventId: id === 2 ? 0 : id - 1, ...details });
  }

  /** JSON text of a payload, refusing one over the size limit with AWS's error. */
  private checkSize(value: unknown, what: string): string {
    let text: string;
    try {
      text = JSON.stringify(value) ?? 'null';
    } catch {
      // Only a payload nested deeper than the JavaScript stack allows gets here.
      throw new StatesError('States.Runtime', `${what} is nested too deeply to be serialised as JSON.`);
    }
    // UTF-8 bytes: only count exactly when the text could be near the limit.
    if (text.length * 3 > this.maxPayload && utf8Length(text) > this.maxPayload) {
      throw new StatesError('States.DataLimitExceeded', `The size of ${what} exceeds the maximum number of bytes service limit (${this.maxPayload}).`);
    }
    return text;
  }

  private async advance(seconds: number): Promise<void> {
    if (seconds <= 0) return;
    this.clock += seconds * 1000;
    if (this.options.realTime) await new Promise((r) => setTimeout(r, seconds * 1000));
    this.checkTimeout();
  }

  private checkTimeout(): void {
    if (this.timeoutSeconds !== undefined && this.clock - this.startClock > this.timeoutSeconds * 1000) throw new ExecutionTimedOut();
  }

  private async runMachine(frame: Frame, input: unknown): Promise<unknown> {
    if (frame.depth > MAX_NESTED_MACHINES) throw new StatesError('States.Runtime', `Parallel and Map states nest more than ${MAX_NESTED_MACHINES} deep.`);
    let name: string = frame.machine.StartAt;
    let data = input;
    for (;;) {
      const state = frame.machine.States[name];
      if (!isObj(state)) throw new StatesError('States.Runtime', `The state '${name}' does not exist in the state machine.`);
      if (++this.transitions > this.maxTransitions) {
        throw new StatesError('States.Runtime', `The execution reached the limit of ${this.maxTransitions} state transitions (AWS's execution history limit is 25,000 events).`);
      }
      this.checkTimeout();
      this.states.push(name);
      // Most JSONPath states finish synchronously; awaiting only real promises keeps loops fast.
      const pending = this.runState(name, state as State, data, frame);
      const step = pending instanceof Promise ? await pending : pending;
      if (step.next === undefined) return step.output;
      name = step.next;
      data = step.output;
    }
  }

  /** The clock as ISO 8601, computed once per clock value (it changes only at Waits and retries). */
  private now(): string {
    if (this.nowClock !== this.clock) {
      this.nowClock = this.clock;
      this.nowText = new Date(this.clock).toISOString();
    }
    return this.nowText;
  }

  /**
   * The context object. `State.RetryCount` only for the states that retry (Task, Parallel, Map):
   * AWS records `$$.State` of a Pass or a Choice as `{Name, EnteredTime}` alone (LocalStack's
   * AWS-recorded context-object, outputdecl and express snapshots).
   */
  private contextFor(name: string, frame: Frame, retryCount: number | undefined, extra?: Obj): Obj {
    const ctx: Obj = { ...this.context, State: retryCount === undefined ? { EnteredTime: this.now(), Name: name } : { EnteredTime: this.now(), Name: name, RetryCount: retryCount } };
    if (frame.mapItem) ctx.Map = { Item: frame.mapItem };
    if (extra) Object.assign(ctx, extra);
    return ctx;
  }

  private pathScope(frame: Frame, context: Obj): PathScope {
    return { context, variable: (n) => frame.scope.get(n) };
  }

  /** A scope whose context object is built only if a path reads `$$` (most states never do). */
  private lazyScope(frame: Frame, make: () => Obj): PathScope {
    return new LazyScope(frame.scope, make);
  }

  private queryEnv(frame: Frame, name: string, states: StatesBinding): QueryEnv {
    return { states, variables: frame.scope.all(), random: this.random, now: this.clock, where: name };
  }

  private runState(name: string, state: State, raw: unknown, frame: Frame): Step | Promise<Step> {
    const type = state.Type;
    const jsonata = (typeof state.QueryLanguage === 'string' ? state.QueryLanguage : frame.language) === 'JSONata';
    const inputText = raw === this.lastOutput && raw !== undefined ? this.lastOutputText : this.checkSize(raw, `the input to state '${name}'`);
    this.event(`${type}StateEntered`, { stateEnteredEventDetails: { name, input: inputText, inputDetails: { truncated: false } } });
    const run = jsonata ? this.jsonataState(name, state, raw, frame) : this.jsonPathState(name, state, raw, frame);
    return run instanceof Promise ? run.then((step) => this.exitState(name, type, step, frame)) : this.exitState(name, type, run, frame);
  }

  private exitState(name: string, type: string, step: Step, frame: Frame): Step {
    const { output, assign } = step;
    if (assign) for (const [k, v] of Object.entries(assign)) frame.scope.set(k, v);
    const outputText = this.checkSize(output, `the output of state '${name}'`);
    this.lastOutput = output;
    this.lastOutputText = outputText;
    if (type !== 'Fail') {
      // AWS records the variables a state assigns, each as JSON text, on its exit event.
      const assigned = assign && this.recording ? { assignedVariables: Object.fromEntries(Object.entries(assign).map(([k, v]) => [k, JSON.stringify(v)])), assignedVariablesDetails: { truncated: false } } : {};
      this.event(`${type}StateExited`, { stateExitedEventDetails: { ...assigned, name, output: outputText, outputDetails: { truncated: false } } });
    }
    return step;
  }

  // ---- JSONPath states -------------------------------------------------------------------------

  /** A payload template (`Parameters`, `ResultSelector`, `ItemSelector`, `Assign`): `.$` keys are read. */
  private template(value: unknown, data: unknown, scope: PathScope, name: string, depth = 0): unknown {
    if (depth > MAX_TEMPLATE_DEPTH) throw new StatesError('States.Runtime', `A payload template of state '${name}' nests more than ${MAX_TEMPLATE_DEPTH} deep.`);
    if (Array.isArray(value)) return value.map((v) => this.template(v, data, scope, name, depth + 1));
    if (!isObj(value)) return value;
    const out: Obj = {};
    for (const [k, v] of Object.entries(value)) {
      if (k.endsWith('.$') && typeof v === 'string') out[k.slice(0, -2)] = this.pathValue(v, data, scope, name);
      else out[k] = this.template(v, data, scope, name, depth + 1);
    }
    return out;
  }

  /** A `.$` value: an intrinsic function call or a path. */
  private pathValue(text: string, data: unknown, scope: PathScope, name: string): unknown {
    if (isIntrinsic(text)) return evaluateIntrinsic(text, data, { scope, random: this.random, where: name });
    return requirePath(text, data, scope, name);
  }

  /** `InputPath`/`OutputPath`: absent means `$`, null means `{}`. */
  private selectPath(path: unknown, data: unknown, scope: PathScope, name: string): unknown {
    if (path === undefined || path === '$') return data;
    if (path === null) return {};
    return requirePath(String(path), data, scope, name);
  }

  private applyResultPath(path: unknown, raw: unknown, result: unknown, name: string): unknown {
    if (path === undefined || path === '$') return result;
    if (path === null) return raw;
    return setPath(raw, String(path), result, name);
  }

  private jsonPathState(name: string, state: State, raw: unknown, frame: Frame): Step | Promise<Step> {
    const scope = this.lazyScope(frame, () => this.contextFor(name, frame, undefined));
    const next = state.End === true ? undefined : (state.Next as string | undefined);
    const assignWith = (data: unknown, assign: unknown): Obj | undefined => (isObj(assign) ? (this.template(assign, data, scope, name) as Obj) : undefined);
    switch (state.Type) {
      case 'Pass': {
        const effective = this.selectPath(state.InputPath, raw, scope, name);
        const params = state.Parameters !== undefined ? this.template(state.Parameters, effective, scope, name) : effective;
        const result = state.Result !== undefined ? state.Result : params;
        const assign = assignWith(result, state.Assign);
        const output = this.selectPath(state.OutputPath, this.applyResultPath(state.ResultPath, raw, result, name), scope, name);
        return { output, next, assign };
      }
      case 'Succeed':
      case 'Wait': {
        const effective = this.selectPath(state.InputPath, raw, scope, name);
        const finish = (): Step => ({ output: this.selectPath(state.OutputPath, effective, scope, name), next: state.Type === 'Wait' ? next : undefined, assign: assignWith(effective, state.Assign) });
        if (state.Type === 'Succeed') return finish();
        return this.advance(this.waitSeconds(state, effective, scope, name)).then(finish);
      }
      case 'Fail':
        throw this.failError(state, raw, scope, name);
      case 'Choice': {
        const effective = this.selectPath(state.InputPath, raw, scope, name);
        const choices = Array.isArray(state.Choices) ? (state.Choices as Obj[]) : [];
        let target: string | undefined;
        let ruleAssign: Obj | undefined;
        for (const rule of choices) {
          if (ruleMatches(rule, effective, scope, name)) {
            target = rule.Next as string;
            ruleAssign = assignWith(effective, rule.Assign);
            break;
          }
        }
        if (target === undefined) {
          if (typeof state.Default !== 'string') throw new StatesError('States.NoChoiceMatched', `No Matches! in state '${name}'.`);
          target = state.Default;
        }
        const assign = ruleAssign ?? assignWith(effective, state.Assign);
        return { output: this.selectPath(state.OutputPath, effective, scope, name), next: target, assign };
      }
      case 'Task':
      case 'Parallel':
      case 'Map':
        return this.withRetryAndCatch(name, state, raw, frame, next, false, async (retryCount) => {
          const ctx = this.contextFor(name, frame, retryCount);
          const sc = this.pathScope(frame, ctx);
          const effective = this.selectPath(state.InputPath, raw, sc, name);
          let result: unknown;
          if (state.Type === 'Task') {
            const params = state.Parameters !== undefined ? this.template(state.Parameters, effective, this.taskScope(state, frame, ctx, sc), name) : effective;
            result = await this.invokeTask(name, state, params, ctx, await this.timeoutOf(state, effective, sc, name, false));
          } else if (state.Type === 'Parallel') {
            const params = state.Parameters !== undefined ? this.template(state.Parameters, effective, sc, name) : effective;
            result = await this.runParallel(name, state, params, frame);
          } else {
            result = await this.runMapJsonPath(name, state, effective, frame, sc);
          }
          if (state.ResultSelector !== undefined) result = this.template(state.ResultSelector, result, sc, name);
          const assign = assignWith(result, state.Assign);
          const output = this.selectPath(state.OutputPath, this.applyResultPath(state.ResultPath, raw, result, name), sc, name);
          return { output, assign };
        });
      default:
        throw new StatesError('States.Runtime', `The state '${name}' has the unknown type '${state.Type}'.`);
    }
  }

  /** Task states that wait for a callback see a generated token at `$$.Task.Token`. */
  private taskScope(state: State, frame: Frame, ctx: Obj, scope: PathScope): PathScope {
    if (typeof state.Resource !== 'string' || !state.Resource.endsWith('.waitForTaskToken')) return scope;
    const token = Array.from({ length: 48 }, () => Math.floor(this.random() * 16).toString(16)).join('');
    ctx.Task = { Token: `flowlane-token-${token}` };
    return this.pathScope(frame, ctx);
  }

  private waitSeconds(state: State, data: unknown, scope: PathScope, name: string): number {
    if (typeof state.Seconds === 'number') return state.Seconds;
    if (typeof state.SecondsPath === 'string') {
      const v = requirePath(state.SecondsPath, data, scope, name);
      if (typeof v !== 'number' || v < 0) throw new StatesError('States.Runtime', `The SecondsPath of state '${name}' selects ${JSON.stringify(v)}, not a number of seconds.`);
      return v;
    }
    const ts = typeof state.Timestamp === 'string' ? state.Timestamp : typeof state.TimestampPath === 'string' ? requirePath(state.TimestampPath, data, scope, name) : undefined;
    if (ts === undefined) return 0;
    if (!isTimestamp(ts)) throw new StatesError('States.Runtime', `The timestamp of state '${name}' is not an RFC 3339 timestamp: ${JSON.stringify(ts)}.`);
    return Math.max(0, (Date.parse(ts) - this.clock) / 1000);
  }

  private failError(state: State, data: unknown, scope: PathScope, name: string): StatesError {
    const pick = (literal: unknown, path: unknown): string => {
      if (typeof literal === 'string') return literal;
      if (typeof path === 'string') {
        const v = this.pathValue(path, data, scope, name);
        if (typeof v !== 'string') throw new StatesError('States.Runtime', `The path '${path}' of Fail state '${name}' selects ${JSON.stringify(v)}, not a string.`);
        return v;
      }
      return '';
    };
    return new StatesError(pick(state.Error, state.ErrorPath) || 'States.Fail', pick(state.Cause, state.CausePath));
  }

  // ---- JSONata states --------------------------------------------------------------------------

  private async jsonataState(name: string, state: State, raw: unknown, frame: Frame): Promise<{ output: unknown; next?: string; assign?: Obj }> {
    const context = this.contextFor(name, frame, undefined);
    const next = state.End === true ? undefined : (state.Next as string | undefined);
    const env = (states: Partial<StatesBinding>, ctx: Obj = context): QueryEnv => this.queryEnv(frame, name, { input: raw, context: ctx, ...states });
    // Output and Assign read the variables as they were before the state: both are evaluated first.
    const finish = async (e: QueryEnv, fallback: unknown, assignField: unknown = state.Assign, outputField: unknown = state.Output): Promise<{ output: unknown; assign?: Obj }> => {
      const assign = isObj(assignField) ? ((await evaluateTemplates(assignField, e, 'Assign')) as Obj) : undefined;
      const output = outputField !== undefined ? await evaluateTemplates(outputField, e, 'Output') : fallback;
      return assign ? { output, assign } : { output };
    };
    switch (state.Type) {
      case 'Pass':
      case 'Succeed': {
        const r = await finish(env({}), raw);
        return { ...r, ...(state.Type === 'Pass' && next !== undefined ? { next } : {}) };
      }
      case 'Wait': {
        const e = env({});
        let seconds = 0;
        if (state.Seconds !== undefined) {
          const v = await evaluateTemplates(state.Seconds, e, 'Seconds');
          if (typeof v !== 'number' || v < 0) throw new StatesError('States.QueryEvaluationError', `The Seconds of state '${name}' is ${JSON.stringify(v)}, not a number of seconds.`);
          seconds = v;
        } else if (state.Timestamp !== undefined) {
          const v = await evaluateTemplates(state.Timestamp, e, 'Timestamp');
          if (!isTimestamp(v)) throw new StatesError('States.QueryEvaluationError', `The Timestamp of state '${name}' is not an RFC 3339 timestamp: ${JSON.stringify(v)}.`);
          seconds = Math.max(0, (Date.parse(v) - this.clock) / 1000);
        }
        await this.advance(seconds);
        return { ...(await finish(e, raw)), ...(next !== undefined ? { next } : {}) };
      }
      case 'Fail': {
        const e = env({});
        const text = async (field: 'Error' | 'Cause'): Promise<string> => {
          if (state[field] === undefined) return '';
          const v = await evaluateTemplates(state[field], e, field);
          if (typeof v !== 'string') throw new StatesError('States.QueryEvaluationError', `The ${field} of Fail state '${name}' is ${JSON.stringify(v)}, not a string.`);
          return v;
        };
        const error = await text('Error');
        throw new StatesError(error || 'States.Fail', await text('Cause'));
      }
      case 'Choice': {
        const e = env({});
        const choices = Array.isArray(state.Choices) ? (state.Choices as Obj[]) : [];
        for (const rule of choices) {
          const expr = templateExpression(rule.Condition);
          const v = expr !== undefined ? await evaluateExpression(expr, e, 'Condition') : rule.Condition;
          if (typeof v !== 'boolean') throw new StatesError('States.QueryEvaluationError', `The Condition of a choice in state '${name}' is ${JSON.stringify(v)}, not a boolean.`);
          if (v) return { ...(await finish(e, raw, rule.Assign ?? state.Assign, rule.Output ?? state.Output)), next: rule.Next as string };
        }
        if (typeof state.Default !== 'string') throw new StatesError('States.NoChoiceMatched', `No Matches! in state '${name}'.`);
        return { ...(await finish(e, raw)), next: state.Default };
      }
      case 'Task':
      case 'Parallel':
      case 'Map':
        return this.withRetryAndCatch(name, state, raw, frame, next, true, async (retryCount) => {
          const ctx = this.contextFor(name, frame, retryCount);
          let result: unknown;
          if (state.Type === 'Task') {
            if (typeof state.Resource === 'string' && state.Resource.endsWith('.waitForTaskToken')) this.taskScope(state, frame, ctx, this.pathScope(frame, ctx));
            const e = env({}, ctx);
            const args = state.Arguments !== undefined ? await evaluateTemplates(state.Arguments, e, 'Arguments') : raw;
            result = await this.invokeTask(name, state, args, ctx, await this.timeoutOf(state, raw, this.pathScope(frame, ctx), name, true, e));
          } else if (state.Type === 'Parallel') {
            const e = env({}, ctx);
            const args = state.Arguments !== undefined ? await evaluateTemplates(state.Arguments, e, 'Arguments') : raw;
            result = await this.runParallel(name, state, args, frame);
          } else {
            result = await this.runMapJsonata(name, state, raw, frame, ctx);
          }
          return finish(env({ result }, ctx), result);
        });
      default:
        throw new StatesError('States.Runtime', `The state '${name}' has the unknown type '${state.Type}'.`);
    }
  }

  // ---- Retry and Catch -------------------------------------------------------------------------

  private async withRetryAndCatch(
    name: string,
    state: State,
    raw: unknown,
    frame: Frame,
    next: string | undefined,
    jsonata: boolean,
    attempt: (retryCount: number) => Promise<{ output: unknown; assign?: Obj }>,
  ): Promise<{ output: unknown; next?: string; assign?: Obj }> {
    const retriers = Array.isArray(state.Retry) ? (state.Retry as Obj[]) : [];
    const attemptsByRetrier = retriers.map(() => 0);
    let retryCount = 0;
    for (;;) {
      try {
        const r = await attempt(retryCount);
        return next === undefined ? r : { ...r, next };
      } catch (e) {
        if (!(e instanceof StatesError)) throw e;
        const inTask = state.Type === 'Task';
        const k = retriers.findIndex((r) => Array.isArray(r.ErrorEquals) && errorMatches(r.ErrorEquals, e.error, inTask));
        const retrier = retriers[k];
        if (retrier) {
          const max = typeof retrier.MaxAttempts === 'number' ? retrier.MaxAttempts : 3;
          if (attemptsByRetrier[k]! < max) {
            await this.advance(this.retryDelay(retrier, attemptsByRetrier[k]!));
            attemptsByRetrier[k]!++;
            retryCount++;
            continue;
          }
        }
        if (TERMINAL_ERRORS.has(e.error)) throw e;
        const catchers = Array.isArray(state.Catch) ? (state.Catch as Obj[]) : [];
        const catcher = catchers.find((c) => Array.isArray(c.ErrorEquals) && errorMatches(c.ErrorEquals, e.error, inTask));
        if (!catcher) throw e;
        const errorOutput = { Error: e.error, Cause: e.cause };
        if (jsonata) {
          const ctx = this.contextFor(name, frame, retryCount);
          const env = this.queryEnv(frame, name, { input: raw, context: ctx, errorOutput });
          const assign = isObj(catcher.Assign) ? ((await evaluateTemplates(catcher.Assign, env, 'Assign')) as Obj) : undefined;
          const output = catcher.Output !== undefined ? await evaluateTemplates(catcher.Output, env, 'Output') : errorOutput;
          return { output, next: catcher.Next as string, ...(assign ? { assign } : {}) };
        }
        const ctx = this.contextFor(name, frame, retryCount);
        const scope = this.pathScope(frame, ctx);
        const assign = isObj(catcher.Assign) ? (this.template(catcher.Assign, errorOutput, scope, name) as Obj) : undefined;
        const output = this.applyResultPath(catcher.ResultPath, raw, errorOutput, name);
        return { output, next: catcher.Next as string, ...(assign ? { assign } : {}) };
      }
    }
  }

  /** The wait before retry number `n` (0-based) of a retrier; FULL jitter draws from the run's seed. */
  private retryDelay(retrier: Obj, n: number): number {
    const interval = typeof retrier.IntervalSeconds === 'number' ? retrier.IntervalSeconds : 1;
    const backoff = typeof retrier.BackoffRate === 'number' ? retrier.BackoffRate : 2;
    let delay = interval * backoff ** n;
    if (typeof retrier.MaxDelaySeconds === 'number') delay = Math.min(delay, retrier.MaxDelaySeconds);
    if (retrier.JitterStrategy === 'FULL') delay = this.random() * delay;
    return delay;
  }

  // ---- Task ------------------------------------------------------------------------------------

  private async timeoutOf(state: State, data: unknown, scope: PathScope, name: string, jsonata: boolean, env?: QueryEnv): Promise<number | undefined> {
    if (typeof state.TimeoutSeconds === 'number') return state.TimeoutSeconds;
    if (jsonata && env && state.TimeoutSeconds !== undefined) {
      const v = await evaluateTemplates(state.TimeoutSeconds, env, 'TimeoutSeconds');
      return typeof v === 'number' ? v : undefined;
    }
    if (typeof state.TimeoutSecondsPath === 'string') {
      const v = requirePath(state.TimeoutSecondsPath, data, scope, name);
      return typeof v === 'number' ? v : undefined;
    }
    return undefined;
  }

  private async invokeTask(name: string, state: State, params: unknown, context: Obj, timeoutSeconds: number | undefined): Promise<unknown> {
    const resource = typeof state.Resource === 'string' ? state.Resource : '';
    const { resourceType, resourceName } = describeResource(resource);
    const paramsText = this.checkSize(params, `the parameters of state '${name}'`);
    this.event('TaskScheduled', { taskScheduledEventDetails: { resourceType, resource: resourceName, region: 'us-east-1', parameters: paramsText, ...(timeoutSeconds !== undefined ? { timeoutInSeconds: timeoutSeconds } : {}) } });
    this.event('TaskStarted', { taskStartedEventDetails: { resourceType, resource: resourceName } });
    const invocation = this.invocations.get(name) ?? 0;
    this.invocations.set(name, invocation + 1);
    let result: unknown;
    try {
      const call = this.resolveTask({ state: name, resource, input: params, invocation, context });
      // Handlers run in real time; a Task's TimeoutSeconds bounds them (mocks answer at once).
      result = timeoutSeconds === undefined ? await call : await raceTimeout(call, timeoutSeconds, name);
    } catch (e) {
      if (e instanceof StatesError) {
        this.event('TaskFailed', { taskFailedEventDetails: { resourceType, resource: resourceName, error: e.error, cause: e.cause } });
      }
      throw e;
    }
    if (result === undefined) result = null;
    const text = this.checkSize(result, `the result of state '${name}'`);
    this.event('TaskSucceeded', { taskSucceededEventDetails: { resourceType, resource: resourceName, output: text, outputDetails: { truncated: false } } });
    return result;
  }

  // ---- Parallel --------------------------------------------------------------------------------

  private async runParallel(name: string, state: State, input: unknown, frame: Frame): Promise<unknown[]> {
    const branches = Array.isArray(state.Branches) ? (state.Branches as Machine[]) : [];
    this.event('ParallelStateStarted', {});
    const out: unknown[] = [];
    try {
      for (const branch of branches) {
        const language = typeof branch.QueryLanguage === 'string' ? branch.QueryLanguage : frame.language;
        out.push(await this.runMachine({ machine: branch, scope: new Scope(frame.scope), language, depth: frame.depth + 1 }, input));
      }
    } catch (e) {
      if (e instanceof StatesError) this.event('ParallelStateFailed', {});
      throw e;
    }
    this.event('ParallelStateSucceeded', {});
    return out;
  }

  // ---- Map -------------------------------------------------------------------------------------

  private async runMapJsonPath(name: string, state: State, effective: unknown, frame: Frame, scope: PathScope): Promise<unknown> {
    let items: unknown;
    if (isObj(state.ItemReader)) items = this.readItems(name, state.ItemReader, this.template(state.ItemReader.Parameters ?? {}, effective, scope, name) as Obj);
    else items = state.ItemsPath === undefined ? effective : requirePath(String(state.ItemsPath), effective, scope, name);
    const list = this.itemList(items, name);
    const selector = state.ItemSelector ?? state.Parameters;
    const batched = this.batch(state, list, (b) => this.template(b, effective, scope, name));
    return this.runIterations(name, state, frame, batched, (item, index) => {
      if (selector === undefined || batched.batched) return item;
      const ctx: Obj = { ...scope.context as Obj, Map: { Item: { Index: index, Value: item } } };
      return this.template(selector, effective, { context: ctx, variable: (n) => scope.variable(n) }, name);
    });
  }

  private async runMapJsonata(name: string, state: State, raw: unknown, frame: Frame, ctx: Obj): Promise<unknown> {
    const env = this.queryEnv(frame, name, { input: raw, context: ctx });
    let items: unknown;
    if (isObj(state.ItemReader)) items = this.readItems(name, state.ItemReader, (await evaluateTemplates(state.ItemReader.Arguments ?? {}, env, 'ItemReader')) as Obj);
    else items = state.Items === undefined ? raw : await evaluateTemplates(state.Items, env, 'Items');
    const list = this.itemList(items, name);
    const batched = this.batch(state, list, (b) => b);
    const selected: unknown[] = [];
    // ItemSelector sees each item at $states.context.Map.Item; evaluated before the iterations start.
    if (state.ItemSelector !== undefined && !batched.batched) {
      for (let i = 0; i < batched.items.length; i++) {
        const itemCtx = { ...ctx, Map: { Item: { Index: i, Value: batched.items[i] } } };
        selected.push(await evaluateTemplates(state.ItemSelector, this.queryEnv(frame, name, { input: raw, context: itemCtx }), 'ItemSelector'));
      }
    }
    return this.runIterations(name, state, frame, batched, (item, index) => (selected.length > 0 ? selected[index] : item));
  }

  private itemList(items: unknown, name: string): unknown[] {
    if (!Array.isArray(items)) throw new StatesError('States.Runtime', `The items of Map state '${name}' are ${JSON.stringify(items)?.slice(0, 80)}, not an array.`);
    return items;
  }

  /** `ItemBatcher`: items grouped into `{Items, BatchInput}` objects, by count and by size. */
  private batch(state: State, items: unknown[], evaluate: (batchInput: unknown) => unknown): { items: unknown[]; batched: boolean } {
    const batcher = state.ItemBatcher;
    if (!isObj(batcher)) return { items, batched: false };
    const maxItems = typeof batcher.MaxItemsPerBatch === 'number' ? batcher.MaxItemsPerBatch : Infinity;
    const maxBytes = typeof batcher.MaxInputBytesPerBatch === 'number' ? batcher.MaxInputBytesPerBatch : 256 * 1024;
    const batchInput = batcher.BatchInput !== undefined ? evaluate(batcher.BatchInput) : undefined;
    const out: unknown[] = [];
    let cur: unknown[] = [];
    let bytes = 0;
    for (const item of items) {
      const size = utf8Length(JSON.stringify(item));
      if (cur.length > 0 && (cur.length >= maxItems || bytes + size > maxBytes)) {
        out.push(batchInput === undefined ? { Items: cur } : { BatchInput: batchInput, Items: cur });
        cur = [];
        bytes = 0;
      }
      cur.push(item);
      bytes += size;
    }
    if (cur.length > 0) out.push(batchInput === undefined ? { Items: cur } : { BatchInput: batchInput, Items: cur });
    return { items: out, batched: true };
  }

  /** `ItemReader` from the files given by RunOptions.readObject: JSON, JSONL or CSV objects, or a listing. */
  private readItems(name: string, reader: Obj, params: Obj): unknown[] {
    const resource = String(reader.Resource ?? '');
    const bucket = String(params.Bucket ?? '');
    const config = isObj(reader.ReaderConfig) ? reader.ReaderConfig : {};
    if (resource.endsWith('s3:listObjectsV2')) {
      if (!this.options.listObjects) throw new RunSetupError(`Map state "${name}" lists S3 objects, but the run was given no local folder for buckets`);
      return this.options.listObjects(bucket, String(params.Prefix ?? '')).map((Key) => ({ Key, Etag: '', LastModified: this.context.Execution && (this.context.Execution as Obj).StartTime, Size: 0, StorageClass: 'STANDARD' }));
    }
    const key = String(params.Key ?? '');
    const text = this.options.readObject?.(bucket, key);
    if (text === undefined) throw new RunSetupError(`Map state "${name}" reads s3://${bucket}/${key}, which the run has no local file for`);
    const type = String(config.InputType ?? 'JSON');
    let items: unknown[];
    if (type === 'CSV') items = csvItems(text, config);
    else if (type === 'JSONL') items = text.split(/\r?\n/).filter((l) => l.trim() !== '').map((l) => parseJson(l, name));
    else {
      const v = parseJson(text, name);
      if (!Array.isArray(v)) throw new StatesError('States.ItemReaderFailed', `The object s3://${bucket}/${key} read by Map state '${name}' is not a JSON array.`);
      items = v;
    }
    if (typeof config.MaxItems === 'number') items = items.slice(0, config.MaxItems);
    return items;
  }

  private async runIterations(name: string, state: State, frame: Frame, batched: { items: unknown[] }, itemInput: (item: unknown, index: number) => unknown): Promise<unknown> {
    const processor = (isObj(state.ItemProcessor) ? state.ItemProcessor : state.Iterator) as Machine & { ProcessorConfig?: Obj };
    if (!isObj(processor)) throw new StatesError('States.Runtime', `The Map state '${name}' has no ItemProcessor.`);
    const distributed = isObj(processor.ProcessorConfig) && processor.ProcessorConfig.Mode === 'DISTRIBUTED';
    const items = batched.items;
    const toleratedCount = typeof state.ToleratedFailureCount === 'number' ? state.ToleratedFailureCount : 0;
    const toleratedPercent = typeof state.ToleratedFailurePercentage === 'number' ? state.ToleratedFailurePercentage : 0;
    const language = typeof processor.QueryLanguage === 'string' ? processor.QueryLanguage : frame.language;
    this.event('MapStateStarted', { mapStateStartedEventDetails: { length: items.length } });
    const mapRunArn = `${(this.context.Execution as Obj).Id}:${name}`.replace(':execution:', ':mapRun:');
    if (distributed) this.event('MapRunStarted', { mapRunStartedEventDetails: { mapRunArn } });
    const results: unknown[] = [];
    let failures = 0;
    for (let index = 0; index < items.length; index++) {
      const item = items[index];
      if (!distributed) this.event('MapIterationStarted', { mapIterationStartedEventDetails: { name, index } });
      // A distributed Map's child executions do not see the parent's variables.
      const scope = distributed ? new Scope() : new Scope(frame.scope);
      if (distributed) this.childDepth++;
      try {
        const input = itemInput(item, index);
        results.push(await this.runMachine({ machine: processor, scope, language, mapItem: { Index: index, Value: item }, depth: frame.depth + 1 }, input));
        if (distributed) this.childDepth--;
        else this.event('MapIterationSucceeded', { mapIterationSucceededEventDetails: { name, index } });
      } catch (e) {
        if (distributed) this.childDepth--;
        if (!(e instanceof StatesError)) throw e;
        if (!distributed) this.event('MapIterationFailed', { mapIterationFailedEventDetails: { name, index } });
        if (!distributed || TERMINAL_ERRORS.has(e.error)) {
          this.event('MapStateFailed', {});
          throw e;
        }
        failures++;
        if (failures > toleratedCount && (failures / items.length) * 100 > toleratedPercent) {
          this.event('MapRunFailed', { mapRunFailedEventDetails: { error: 'States.ExceedToleratedFailureThreshold' } });
          this.event('MapStateFailed', {});
          throw new StatesError('States.ExceedToleratedFailureThreshold', `The Map state '${name}' had ${failures} failed item(s), more than its tolerated failure threshold.`);
        }
        results.push({ Error: e.error, Cause: e.cause });
      }
    }
    if (distributed) this.event('MapRunSucceeded', {});
    this.event('MapStateSucceeded', {});
    if (distributed && isObj(state.ResultWriter)) return this.writeResults(name, state.ResultWriter, results);
    return results;
  }

  /** `ResultWriter`: the results go to files (through RunOptions.writeResults); the output describes them. */
  private writeResults(name: string, writer: Obj, results: unknown[]): unknown {
    const params = isObj(writer.Parameters) ? writer.Parameters : isObj(writer.Arguments) ? writer.Arguments : {};
    const bucket = String(params.Bucket ?? '');
    const prefix = String(params.Prefix ?? '');
    if (!this.options.writeResults) throw new RunSetupError(`Map state "${name}" writes its results to S3, but the run was given no local folder for buckets`);
    const failed = results.filter((r) => isObj(r) && 'Error' in r && 'Cause' in r);
    const succeeded = results.filter((r) => !failed.includes(r));
    this.options.writeResults(bucket, prefix, {
      'SUCCEEDED_0.json': JSON.stringify(succeeded.map((o) => ({ Output: JSON.stringify(o), Status: 'SUCCEEDED' }))),
      'FAILED_0.json': JSON.stringify(failed.map((o) => ({ ...(o as Obj), Status: 'FAILED' }))),
      'manifest.json': JSON.stringify({ DestinationBucket: bucket, MapRunArn: `${(this.context.Execution as Obj).Id}:${name}`, ResultFiles: { FAILED: [{ Key: `${prefix}/FAILED_0.json`, Size: 0 }], SUCCEEDED: [{ Key: `${prefix}/SUCCEEDED_0.json`, Size: 0 }] } }),
    });
    return { MapRunArn: `${(this.context.Execution as Obj).Id}:${name}`, ResultWriterDetails: { Bucket: bucket, Key: `${prefix}/manifest.json` } };
  }
}

function parseJson(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new StatesError('States.ItemReaderFailed', `An object read by Map state '${name}' is not valid JSON.`);
  }
}

/** CSV rows as objects keyed by the header (first row, or ReaderConfig.CSVHeaders); values stay strings. */
function csvItems(text: string, config: Obj): Obj[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  const given = config.CSVHeaderLocation === 'GIVEN' && Array.isArray(config.CSVHeaders) ? (config.CSVHeaders as string[]) : undefined;
  const header = given ?? rows.shift() ?? [];
  return rows.filter((r) => r.some((f) => f !== '')).map((r) => Object.fromEntries(header.map((h, k) => [h, r[k] ?? ''])));
}

/** The `resourceType` and `resource` of task events: `lambda`/`invoke` for `arn:aws:states:::lambda:invoke`. */
export function describeResource(resource: string): { resourceType: string; resourceName: string } {
  const m = /^arn:[^:]+:states:::([^:]+):([^.]+)/.exec(resource);
  if (m) return { resourceType: m[1]!, resourceName: m[2]! };
  const l = /^arn:[^:]+:([^:]+):/.exec(resource);
  return { resourceType: l ? l[1]! : 'unknown', resourceName: resource };
}

async function raceTimeout(call: Promise<unknown>, seconds: number, name: string): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StatesError('States.Timeout', `The task of state '${name}' ran longer than its TimeoutSeconds (${seconds} s).`)), seconds * 1000);
  });
  try {
    return await Promise.race([call, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The UTF-8 length of a text, counted in place (no Buffer in a page, no encoded copy). */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) (bytes += 4), i++;
    else bytes += 3;
  }
  return bytes;
}
