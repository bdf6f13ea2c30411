// The intrinsic functions of JSONPath states (`States.Format(...)`, `States.Array(...)`, …), as AWS
// documents them in "Intrinsic functions for JSONPath states". Input: the text of a `.$` value that calls
// one, the data and scope its paths read. Output: the value, or a StatesError (`States.IntrinsicFailure`
// for bad arguments, `States.Runtime` for a path that selects nothing).
import { HASH_ALGORITHMS, hashHex } from './hash.js';
import { StatesError } from './errors.js';
import { requirePath } from './jsonpath.js';
import type { PathScope } from './jsonpath.js';

type Arg = { kind: 'literal'; value: unknown } | { kind: 'path'; path: string } | { kind: 'call'; name: string; args: Arg[] };

const parsed = new Map<string, Arg>();
const MAX_NESTING = 32;

export interface IntrinsicEnv {
  scope: PathScope;
  /** A deterministic source of random numbers in [0, 1), for UUID and MathRandom. */
  random: () => number;
  /** The state's name, for error messages. */
  where: string;
}

/** Whether a `.$` value is an intrinsic function call rather than a path. */
export function isIntrinsic(text: string): boolean {
  return /^\s*States\.[A-Za-z0-9]+\s*\(/.test(text);
}

export function evaluateIntrinsic(text: string, data: unknown, env: IntrinsicEnv): unknown {
  let call = parsed.get(text);
  if (!call) {
    call = parseIntrinsic(text, env.where);
    parsed.set(text, call);
  }
  return evaluate(call, data, env);
}

function fail(where: string, message: string): StatesError {
  return new StatesError('States.IntrinsicFailure', `The value for the field in state '${where}' is invalid: ${message}`);
}

function parseIntrinsic(text: string, where: string): Arg {
  let i = 0;
  const s = text;
  const ws = (): void => {
    while (i < s.length && /\s/.test(s[i]!)) i++;
  };
  const parseArg = (depth: number): Arg => {
    if (depth > MAX_NESTING) throw fail(where, `intrinsic functions nest more than ${MAX_NESTING} deep`);
    ws();
    const c = s[i];
    if (c === "'") {
      let out = '';
      i++;
      while (i < s.length && s[i] !== "'") {
        // Backslash escapes the characters that are special in intrinsic strings: ' { } \
        if (s[i] === '\\' && i + 1 < s.length) {
          const next = s[i + 1]!;
          out += next === '{' || next === '}' ? `\\${next}` : next;
          i += 2;
        } else out += s[i++];
      }
      if (s[i] !== "'") throw fail(where, `unterminated string in ${text}`);
      i++;
      return { kind: 'literal', value: out };
    }
    if (c === '$') {
      const start = i;
      let depthB = 0;
      let quote: string | undefined;
      while (i < s.length) {
        const ch = s[i]!;
        if (quote) {
          if (ch === quote) quote = undefined;
        } else if (ch === "'" || ch === '"') quote = ch;
        else if (ch === '[' || ch === '(') depthB++;
        else if (ch === ']' || (ch === ')' && depthB > 0)) depthB--;
        else if ((ch === ',' || ch === ')') && depthB === 0) break;
        i++;
      }
      return { kind: 'path', path: s.slice(start, i).trim() };
    }
    const fn = /^States\.[A-Za-z0-9]+/.exec(s.slice(i));
    if (fn) {
      i += fn[0].length;
      ws();
      if (s[i] !== '(') throw fail(where, `expected '(' after ${fn[0]}`);
      i++;
      const args: Arg[] = [];
      ws();
      if (s[i] === ')') i++;
      else {
        for (;;) {
          args.push(parseArg(depth + 1));
          ws();
          if (s[i] === ',') {
            i++;
            continue;
          }
          if (s[i] === ')') {
            i++;
            break;
          }
          throw fail(where, `expected ',' or ')' in ${text}`);
        }
      }
      return { kind: 'call', name: fn[0], args };
    }
    const lit = /^(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null)/.exec(s.slice(i));
    if (lit) {
      i += lit[0].length;
      return { kind: 'literal', value: JSON.parse(lit[0]) };
    }
    throw fail(where, `unexpected text at column ${i + 1} of ${text}`);
  };
  const call = parseArg(0);
  ws();
  if (i !== s.length || call.kind !== 'call') throw fail(where, `${text} is not one intrinsic function call`);
  return call;
}

function evaluate(arg: Arg, data: unknown, env: IntrinsicEnv): unknown {
  if (arg.kind === 'literal') return typeof arg.value === 'string' ? unescapeBraces(arg.value) : arg.value;
  if (arg.kind === 'path') return requirePath(arg.path, data, env.scope, env.where);
  const fn = FUNCTIONS[arg.name];
  if (!fn) throw fail(env.where, `${arg.name} is not an intrinsic function`);
  // States.Format needs the template with its escapes intact, to tell \{ from a placeholder.
  const values = arg.args.map((a, k) => (arg.name === 'States.Format' && k === 0 && a.kind === 'literal' ? a.value : evaluate(a, data, env)));
  return fn(values, env, arg.name);
}

function unescapeBraces(s: string): string {
  return s.includes('\\') ? s.replace(/\\([{}])/g, '$1') : s;
}

type Fn = (args: unknown[], env: IntrinsicEnv, name: string) => unknown;

function count(args: unknown[], min: number, max: number, env: IntrinsicEnv, name: string): void {
  if (args.length < min || args.length > max) {
    throw fail(env.where, `${name} takes ${min === max ? min : `${min} to ${max}`} argument${max === 1 ? '' : 's'}, got ${args.length}`);
  }
}

function want<T>(ok: boolean, value: unknown, env: IntrinsicEnv, name: string, what: string): T {
  if (!ok) throw fail(env.where, `${name} expects ${what}, got ${JSON.stringify(value)}`);
  return value as T;
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const str = (v: unknown, env: IntrinsicEnv, name: string): string => want<string>(typeof v === 'string', v, env, name, 'a string');
const arr = (v: unknown, env: IntrinsicEnv, name: string): unknown[] => want<unknown[]>(Array.isArray(v), v, env, name, 'an array');
const int = (v: unknown, env: IntrinsicEnv, name: string): number => want<number>(isInt(v), v, env, name, 'an integer');

/** JSON equality, as ArrayContains and ArrayUnique compare values. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => jsonEqual(x, bb[i]));
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b as object, k) && jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}


/** Base64 of a text's UTF-8 bytes (btoa takes one byte per character). */
function utf8ToBase64(s: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(s)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The text whose UTF-8 bytes a base64 string holds (bytes that are not UTF-8 become U+FFFD). */
function base64ToUtf8(s: string): string {
  return new TextDecoder().decode(Uint8Array.from(atob(s), (c) => c.charCodeAt(0)));
}

/** A version-4 UUID drawn from the run's seeded random source (so a run is reproducible). */
export function seededUuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const FUNCTIONS: Record<string, Fn> = {
  'States.Format': (args, env, name) => {
    if (args.length < 1) throw fail(env.where, `${name} needs a template`);
    const template = str(args[0], env, name);
    let next = 1;
    const out = template.replace(/\\([{}])|\{\}/g, (m, escaped: string | undefined) => {
      if (escaped) return escaped;
      if (next >= args.length) throw fail(env.where, `${name}: the template has more {} than arguments`);
      const v = args[next++];
      return typeof v === 'string' ? v : JSON.stringify(v);
    });
    if (next !== args.length) throw fail(env.where, `${name}: ${args.length - 1} arguments for ${next - 1} placeholders`);
    return out;
  },
  'States.StringToJson': (args, env, name) => {
    count(args, 1, 1, env, name);
    try {
      return JSON.parse(str(args[0], env, name));
    } catch (e) {
      if (e instanceof StatesError) throw e;
      throw fail(env.where, `${name}: the string is not JSON`);
    }
  },
  'States.JsonToString': (args, env, name) => {
    count(args, 1, 1, env, name);
    return JSON.stringify(args[0]);
  },
  'States.Array': (args) => args,
  'States.ArrayPartition': (args, env, name) => {
    count(args, 2, 2, env, name);
    const a = arr(args[0], env, name);
    const size = int(args[1], env, name);
    if (size <= 0) throw fail(env.where, `${name}: the chunk size must be positive`);
    const out: unknown[][] = [];
    for (let k = 0; k < a.length; k += size) out.push(a.slice(k, k + size));
    return out;
  },
  'States.ArrayContains': (args, env, name) => {
    count(args, 2, 2, env, name);
    return arr(args[0], env, name).some((x) => jsonEqual(x, args[1]));
  },
  'States.ArrayRange': (args, env, name) => {
    count(args, 3, 3, env, name);
    const [start, end, step] = args.map((a) => int(a, env, name)) as [number, number, number];
    if (step === 0) throw fail(env.where, `${name}: the step must not be 0`);
    const out: number[] = [];
    for (let v = start; step > 0 ? v <= end : v >= end; v += step) {
      out.push(v);
      if (out.length > 1000) throw fail(env.where, `${name}: the array would have more than 1000 items`);
    }
    return out;
  },
  'States.ArrayGetItem': (args, env, name) => {
    count(args, 2, 2, env, name);
    const a = arr(args[0], env, name);
    const k = int(args[1], env, name);
    if (k < 0 || k >= a.length) throw fail(env.where, `${name}: index ${k} is out of bounds`);
    return a[k];
  },
  'States.ArrayLength': (args, env, name) => {
    count(args, 1, 1, env, name);
    return arr(args[0], env, name).length;
  },
  'States.ArrayUnique': (args, env, name) => {
    count(args, 1, 1, env, name);
    const out: unknown[] = [];
    for (const x of arr(args[0], env, name)) if (!out.some((y) => jsonEqual(x, y))) out.push(x);
    return out;
  },
  'States.Base64Encode': (args, env, name) => {
    count(args, 1, 1, env, name);
    const s = str(args[0], env, name);
    if (s.length > 10_000) throw fail(env.where, `${name}: the input is longer than 10,000 characters`);
    return utf8ToBase64(s);
  },
  'States.Base64Decode': (args, env, name) => {
    count(args, 1, 1, env, name);
    const s = str(args[0], env, name);
    if (s.length > 10_000) throw fail(env.where, `${name}: the input is longer than 10,000 characters`);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s)) throw fail(env.where, `${name}: the input is not base64`);
    return base64ToUtf8(s);
  },
  'States.Hash': (args, env, name) => {
    count(args, 2, 2, env, name);
    const algorithm = str(args[1], env, name);
    if (!(HASH_ALGORITHMS as readonly string[]).includes(algorithm)) throw fail(env.where, `${name}: the algorithm must be one of ${HASH_ALGORITHMS.join(', ')}`);
    const data = typeof args[0] === 'string' ? args[0] : JSON.stringify(args[0]);
    if (data.length > 10_000) throw fail(env.where, `${name}: the input is longer than 10,000 characters`);
    return hashHex(algorithm, data)!;
  },
  'States.JsonMerge': (args, env, name) => {
    count(args, 3, 3, env, name);
    const isObj = (v: unknown): boolean => v !== null && typeof v === 'object' && !Array.isArray(v);
    const a = want<object>(isObj(args[0]), args[0], env, name, 'an object');
    const b = want<object>(isObj(args[1]), args[1], env, name, 'an object');
    if (args[2] !== false) throw fail(env.where, `${name}: only a shallow merge (false) is supported by AWS`);
    return { ...a, ...b };
  },
  'States.MathRandom': (args, env, name) => {
    count(args, 2, 3, env, name);
    const start = int(args[0], env, name);
    const end = int(args[1], env, name);
    if (end <= start) throw fail(env.where, `${name}: the end must be greater than the start`);
    // With a seed argument the number depends on the seed only, as on AWS; without, on the run's seed.
    const r = args.length === 3 ? mulberry32(int(args[2], env, name))() : env.random();
    return start + Math.floor(r * (end - start));
  },
  'States.MathAdd': (args, env, name) => {
    count(args, 2, 2, env, name);
    // AWS takes non-integers too and drops their fraction (59 + 4.3 gives 63 in a recorded execution).
    const num = (v: unknown): number => Math.trunc(want<number>(typeof v === 'number' && Number.isFinite(v), v, env, name, 'a number'));
    return num(args[0]) + num(args[1]);
  },
  'States.StringSplit': (args, env, name) => {
    count(args, 2, 2, env, name);
    const s = str(args[0], env, name);
    const delimiters = str(args[1], env, name);
    if (delimiters === '') return [s];
    // Splits at every delimiter character and drops empty pieces: executions recorded on AWS give
    // [] for ",,,," split at ",", and [" ", " "] for " , ".
    const out: string[] = [];
    let cur = '';
    for (const ch of s) {
      if (delimiters.includes(ch)) {
        if (cur !== '') out.push(cur);
        cur = '';
      } else cur += ch;
    }
    if (cur !== '') out.push(cur);
    return out;
  },
  'States.UUID': (args, env, name) => {
    count(args, 0, 0, env, name);
    return seededUuid(env.random);
  },
};

/** A small seeded PRNG: the run's randomness (jitter, UUIDs, MathRandom) follows from its seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
