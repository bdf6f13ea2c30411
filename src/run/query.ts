// JSONata states: `{% expression %}` strings in `Arguments`, `Output`, `Assign`, `Condition`, `Items`,
// `Seconds`, …, evaluated with the `jsonata` package and the `$states` binding (input, result,
// errorOutput, context), plus the functions AWS adds ($partition, $range, $hash, $random, $uuid, $parse).
// Input: a field value (any JSON, templates anywhere inside) and the bindings. Output: the value, or
// `States.QueryEvaluationError` as AWS reports a failing or undefined expression.
import { HASH_ALGORITHMS, hashHex } from './hash.js';
import jsonata from 'jsonata';
import { StatesError } from './errors.js';
import { mulberry32, seededUuid } from './intrinsics.js';

type Expression = ReturnType<typeof jsonata>;
const compiled = new Map<string, Expression>();
const MAX_DEPTH = 64;

/** The `$states` binding of one evaluation. */
export interface StatesBinding {
  input: unknown;
  result?: unknown;
  errorOutput?: unknown;
  context: unknown;
}

export interface QueryEnv {
  states: StatesBinding;
  variables: Record<string, unknown>;
  random: () => number;
  /** The run's clock in ms since the epoch, for $now() and $millis(). */
  now: number;
  where: string;
}

// Exactly `{%` … `%}`: AWS takes " {% x %} " (with spaces outside) as a plain string (recorded executions).
const TEMPLATE = /^\{%([\s\S]*)%\}$/;

/** The expression of a `{% … %}` string; undefined for other values. */
export function templateExpression(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = TEMPLATE.exec(value);
  return m ? m[1]! : undefined;
}

/** Evaluates every `{% %}` string inside a value; other values are kept as they are. */
export async function evaluateTemplates(value: unknown, env: QueryEnv, field: string, depth = 0): Promise<unknown> {
  if (depth > MAX_DEPTH) throw new StatesError('States.QueryEvaluationError', `The field ${field} of state '${env.where}' nests more than ${MAX_DEPTH} deep.`);
  const expr = templateExpression(value);
  if (expr !== undefined) return evaluateExpression(expr, env, field);
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const v of value) out.push(await evaluateTemplates(v, env, field, depth + 1));
    return out;
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const r = await evaluateTemplates(v, env, field, depth + 1);
      if (r !== undefined) out[k] = r;
    }
    return out;
  }
  return value;
}

export async function evaluateExpression(expr: string, env: QueryEnv, field: string): Promise<unknown> {
  let e = compiled.get(expr);
  if (!e) {
    try {
      e = jsonata(expr);
    } catch (err) {
      throw new StatesError('States.QueryEvaluationError', `The JSONata expression '${expr.trim()}' in field ${field} of state '${env.where}' is invalid: ${message(err)}`);
    }
    if (compiled.size > 10_000) compiled.clear();
    compiled.set(expr, e);
  }
  let result: unknown;
  try {
    result = await e.evaluate(undefined, { ...env.variables, states: env.states, ...awsFunctions(env) });
  } catch (err) {
    throw new StatesError('States.QueryEvaluationError', `An error occurred while evaluating the JSONata expression '${expr.trim()}' in field ${field} of state '${env.where}': ${message(err)}`);
  }
  if (result === undefined) {
    throw new StatesError('States.QueryEvaluationError', `The JSONata expression '${expr.trim()}' in field ${field} of state '${env.where}' returned nothing.`);
  }
  return normalise(result);
}

function message(err: unknown): string {
  if (err && typeof err === 'object' && 'message' in err) return String((err as { message: unknown }).message);
  return String(err);
}

/** jsonata marks sequences with extra properties and may return functions; keep plain JSON. */
function normalise(v: unknown): unknown {
  if (typeof v === 'function') return {};
  if (Array.isArray(v)) return v.map(normalise);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined && typeof x !== 'function') out[k] = normalise(x);
    return out;
  }
  return v;
}


function awsFunctions(env: QueryEnv): Record<string, unknown> {
  return {
    partition: (array: unknown[], size: number) => {
      if (!Array.isArray(array) || !Number.isInteger(size) || size <= 0) throw new Error('$partition(array, size) needs an array and a positive integer');
      const out: unknown[][] = [];
      for (let k = 0; k < array.length; k += size) out.push(array.slice(k, k + size));
      return out;
    },
    range: (start: number, end: number, step: number) => {
      if (![start, end, step].every(Number.isInteger) || step === 0) throw new Error('$range(start, end, step) needs integers and a step other than 0');
      const out: number[] = [];
      for (let v = start; step > 0 ? v <= end : v >= end; v += step) {
        out.push(v);
        if (out.length > 1000) throw new Error('$range would return more than 1000 items');
      }
      return out;
    },
    hash: (value: unknown, algorithm: string) => {
      const digest = hashHex(algorithm, typeof value === 'string' ? value : JSON.stringify(value));
      if (digest === undefined) throw new Error(`$hash: the algorithm must be one of ${HASH_ALGORITHMS.join(', ')}`);
      return digest;
    },
    random: (seed?: number) => (seed === undefined ? env.random() : mulberry32(seed)()),
    uuid: () => seededUuid(env.random),
    parse: (text: string) => {
      try {
        return JSON.parse(text);
      } catch {
        throw new Error('$parse: the string is not JSON');
      }
    },
    // The run's clock, so that a run is reproducible.
    now: () => new Date(env.now).toISOString(),
    millis: () => env.now,
  };
}
