// The bounds every ASL definition is held to before anything recursive (asl-validator, the checks,
// the conversions) touches it, so that no input can overflow the stack or run for minutes.
// Input: JSON text or a parsed value. Output: where a limit is crossed. No I/O, no recursion.
import type { JsonValue } from '../core/index.js';
import type { JsonPath } from './types.js';

/**
 * Deepest nesting of objects and arrays a definition may have. A Parallel or Map level takes four
 * (state, Branches, branch, States), so this allows 50 nested levels, far beyond real machines;
 * the diagram from-asl writes for it stays within the `.fz` parser's 256 braces, so both
 * directions agree on what they accept.
 */
export const MAX_ASL_DEPTH = 200;

/** AWS's hard quota for a state machine definition (CreateStateMachine refuses larger ones). */
export const MAX_DEFINITION_BYTES = 1_048_576;

/** The offset in JSON text of the bracket that opens level `max + 1`, or -1 when the text stays within `max`. */
export function jsonDepthOffset(text: string, max = MAX_ASL_DEPTH): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Skip a string, with its escapes.
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return i;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return -1;
}

// Definitions already found within MAX_ASL_DEPTH: the checks and the validator each ask about the
// same value, and a walk of a 100,000-state definition is not free.
const withinDepth = new WeakSet<object>();

/** Marks a value as known to be within MAX_ASL_DEPTH (its text was scanned before parsing). */
export function markWithinDepth(value: JsonValue): void {
  if (value !== null && typeof value === 'object') withinDepth.add(value);
}

/** The path of the first value nested deeper than `max` levels, or undefined. Iterative, linear. */
export function tooDeepPath(value: JsonValue, max = MAX_ASL_DEPTH): JsonPath | undefined {
  const known = max === MAX_ASL_DEPTH && value !== null && typeof value === 'object';
  if (known && withinDepth.has(value)) return undefined;
  const found = walkDepth(value, max);
  if (known && found === undefined) withinDepth.add(value);
  return found;
}

function walkDepth(value: JsonValue, max: number): JsonPath | undefined {
  // Containers only, with their depths on a parallel stack: no object per value. Only when the
  // limit is crossed is the walk repeated along the way down, to name the path.
  const values: object[] = [];
  const depths: number[] = [];
  if (value !== null && typeof value === 'object') values.push(value), depths.push(0);
  while (values.length > 0) {
    const v = values.pop()!;
    const depth = depths.pop()!;
    if (depth >= max) return pathTo(value, v);
    if (Array.isArray(v)) {
      for (const x of v) if (x !== null && typeof x === 'object') values.push(x), depths.push(depth + 1);
    } else {
      // for…in over a JSON object (no inherited enumerable keys): no array of its values per object.
      for (const k in v) {
        const x = (v as Record<string, unknown>)[k];
        if (x !== null && typeof x === 'object') values.push(x), depths.push(depth + 1);
      }
    }
  }
  return undefined;
}

/**
 * A number literal too large for a double (`1e309`, 310 digits) is read as Infinity, which JSON
 * cannot write: it would come back as `null`. Whether a text may hold one, by a scan that finds no
 * false negatives (an exponent of three digits or more, or a run of 309 digits).
 */
export const MAY_OVERFLOW = /[eE]\+?[0-9]{3}|[0-9]{309}/;

/** The path of the first number in `value` that is not finite (Infinity, NaN), or undefined. Iterative. */
export function nonFinitePath(value: JsonValue): JsonPath | undefined {
  const stack: { v: JsonValue; path: JsonPath }[] = [{ v: value, path: [] }];
  while (stack.length > 0) {
    const { v, path } = stack.pop()!;
    if (typeof v === 'number' && !Number.isFinite(v)) return path;
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i]!, path: [...path, i] });
    else for (const k of Object.keys(v).reverse()) stack.push({ v: v[k]!, path: [...path, k] });
  }
  return undefined;
}

/** The path from `root` to the container `target` (found by a second walk, only on failure). */
function pathTo(root: JsonValue, target: object): JsonPath {
  const parents = new Map<object, { parent: object; key: string | number }>();
  const stack: object[] = [root as object];
  while (stack.length > 0) {
    const v = stack.pop()!;
    if (v === target) break;
    const entries: [string | number, JsonValue][] = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
    for (const [k, x] of entries) {
      if (x === null || typeof x !== 'object' || parents.has(x)) continue;
      parents.set(x, { parent: v, key: k });
      stack.push(x);
    }
  }
  const path: (string | number)[] = [];
  for (let at = parents.get(target); at; at = parents.get(at.parent)) path.push(at.key);
  return path.reverse();
}

/** The definition's size as AWS counts it: the bytes of its JSON text (compact, as tools deploy it). */
export function definitionBytes(definition: JsonValue): number {
  const text = JSON.stringify(definition);
  // UTF-8 length counted in place: encoding a 4 MB string only to measure it costs a copy.
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
