// JSONPath as Step Functions uses it: reading paths (`InputPath`, `OutputPath`, `.$` values, Choice
// variables), reference paths (`ResultPath`, written into the input), variables (`$name.field`) and the
// context object (`$$`). Input: a path string and the data. Output: the selected value, or a StatesError.
// Simple paths (`$.a.b[0]['c d']`), nearly all paths in real definitions, are walked here directly, for
// speed and to tell a missing field from a null one; paths with wildcards, slices, filters or recursive
// descent go to jsonpath-plus, which returns the list of matches as AWS does for such paths.
import { JSONPath } from 'jsonpath-plus';
import { StatesError } from './errors.js';

export type Segment = string | number;

/** The root a path starts from: the state's data, the context object, or a variable. */
export interface ParsedPath {
  root: { kind: 'data' } | { kind: 'context' } | { kind: 'variable'; name: string };
  /** The segments of a simple path; undefined when the path needs the full JSONPath engine. */
  segments: Segment[] | undefined;
  /** The path with its root replaced by `$`, for jsonpath-plus. */
  rest: string;
}

const cache = new Map<string, ParsedPath | null>();

/** Parses a path; null when it does not start with `$`. Results are cached: definitions repeat their paths. */
export function parsePath(path: string): ParsedPath | null {
  let parsed = cache.get(path);
  if (parsed !== undefined) return parsed;
  parsed = parseUncached(path);
  if (cache.size > 10_000) cache.clear();
  cache.set(path, parsed);
  return parsed;
}

function parseUncached(path: string): ParsedPath | null {
  const p = path.trim();
  if (!p.startsWith('$')) return null;
  let root: ParsedPath['root'];
  let i: number;
  if (p.startsWith('$$')) {
    root = { kind: 'context' };
    i = 2;
  } else {
    const m = /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(p);
    if (m) {
      root = { kind: 'variable', name: m[1]! };
      i = m[0].length;
    } else {
      root = { kind: 'data' };
      i = 1;
    }
  }
  const rest = `$${p.slice(i)}`;
  return { root, segments: simpleSegments(p, i), rest };
}

/** The segments of `.name`, `['name']`, `["name"]` and `[3]` steps; undefined for anything else. */
function simpleSegments(p: string, start: number): Segment[] | undefined {
  const out: Segment[] = [];
  let i = start;
  while (i < p.length) {
    const c = p[i];
    if (c === '.') {
      const m = /^[^.[\]*?()@,:'"\s]+/.exec(p.slice(i + 1));
      if (!m) return undefined;
      out.push(m[0]);
      i += 1 + m[0].length;
    } else if (c === '[') {
      const m = /^\[(?:(\d+)|'([^'\\]*)'|"([^"\\]*)")\]/.exec(p.slice(i));
      if (!m) return undefined;
      out.push(m[1] !== undefined ? Number(m[1]) : (m[2] ?? m[3])!);
      i += m[0].length;
    } else return undefined;
  }
  return out;
}

/** Whether a path can select several values: outside quotes it has `*`, `..`, `?(`, or `:`/`,` in brackets. */
function isIndefinite(path: string): boolean {
  const bare = path.replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g, "''");
  return /\*|\.\.|\?\(|\[[^\]]*[:,][^\]]*\]/.test(bare);
}

const MISSING = Symbol('missing');

/** Walks segments; MISSING when a step does not exist (as opposed to existing and being null). */
function walk(value: unknown, segments: readonly Segment[]): unknown {
  let v = value;
  for (const s of segments) {
    if (typeof s === 'number') {
      if (!Array.isArray(v) || s >= v.length) return MISSING;
      v = v[s];
    } else {
      if (v === null || typeof v !== 'object' || Array.isArray(v) || !Object.hasOwn(v, s)) return MISSING;
      v = (v as Record<string, unknown>)[s];
    }
  }
  return v;
}

/** Where paths look things up: the state's data, the context object and the variables in scope. */
export interface PathScope {
  context: unknown;
  variable(name: string): { found: boolean; value?: unknown };
}

/**
 * Reads a path. Returns `{found: false}` for a simple path that selects nothing (the caller decides
 * whether that is an error, as for `IsPresent`); paths with wildcards or filters always find a list.
 */
export function readPath(path: string, data: unknown, scope: PathScope): { found: boolean; value?: unknown } {
  const parsed = parsePath(path);
  if (!parsed) throw new StatesError('States.Runtime', `Invalid path '${path}': a path starts with '$'.`);
  let base: unknown;
  if (parsed.root.kind === 'data') base = data;
  else if (parsed.root.kind === 'context') base = scope.context;
  else {
    const v = scope.variable(parsed.root.name);
    if (!v.found) return { found: false };
    base = v.value;
  }
  if (parsed.segments) {
    const v = walk(base, parsed.segments);
    return v === MISSING ? { found: false } : { found: true, value: v };
  }
  let matches: unknown;
  try {
    matches = JSONPath({ path: parsed.rest, json: base as object, wrap: true, eval: 'safe' });
  } catch (e) {
    throw new StatesError('States.Runtime', `Invalid path '${path}': ${e instanceof Error ? e.message : String(e)}`);
  }
  const list = Array.isArray(matches) ? matches : [];
  // Wildcards, recursive descent, filters, slices and unions select a list (even of one); a path that
  // needed the engine only for its quoting (`$['a\\'b']`) selects one value.
  if (isIndefinite(parsed.rest)) return { found: true, value: list };
  return list.length === 0 ? { found: false } : { found: true, value: list[0] };
}

/** Reads a path that must select something: a missing value is `States.Runtime`, as AWS reports it. */
export function requirePath(path: string, data: unknown, scope: PathScope, where: string): unknown {
  const r = readPath(path, data, scope);
  if (!r.found) throw new StatesError('States.Runtime', `An error occurred while executing the state '${where}'. Invalid path '${path}' : No results for path: ${path}`);
  return r.value;
}

/**
 * Writes `value` at a reference path (`ResultPath`) inside a copy of `target`: objects along the path are
 * copied, missing ones created. A step through a value that is not an object is
 * `States.ResultPathMatchFailure`, as on AWS.
 */
export function setPath(target: unknown, path: string, value: unknown, where: string): unknown {
  const parsed = parsePath(path);
  if (!parsed || parsed.root.kind !== 'data' || !parsed.segments) {
    throw new StatesError('States.Runtime', `Invalid ResultPath '${path}' in state '${where}': a reference path names fields and indexes only.`);
  }
  const segs = parsed.segments;
  if (segs.length === 0) return value;
  const put = (node: unknown, k: number): unknown => {
    const s = segs[k]!;
    if (typeof s === 'number') {
      if (!Array.isArray(node) || s >= node.length) throw resultPathFailure(path, where);
      const copy = node.slice();
      copy[s] = k === segs.length - 1 ? value : put(copy[s], k + 1);
      return copy;
    }
    let obj: Record<string, unknown>;
    if (node === undefined) obj = {};
    else if (node !== null && typeof node === 'object' && !Array.isArray(node)) obj = { ...(node as Record<string, unknown>) };
    else throw resultPathFailure(path, where);
    obj[s] = k === segs.length - 1 ? value : put(obj[s], k + 1);
    return obj;
  };
  return put(target, 0);
}

function resultPathFailure(path: string, where: string): StatesError {
  return new StatesError('States.ResultPathMatchFailure', `Unable to apply step "${path}" to input in state '${where}'.`);
}
