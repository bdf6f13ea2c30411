// Validation of a state machine with asl-validator, the reference validator the issue asks for.
// Input: an ASL definition and a Locator. Output: one diagnostic per validator finding, pointing at
// the state it names. No I/O.
//
// What AWS accepts and asl-validator rejects (placeholder Resources, Jayway JSONPath forms, JSONata
// literals…) is replaced, in a copy, by a form the validator takes (false-positives.ts); the copy is
// validated, and the original's findings at the replaced places come back as warnings naming the
// rule. The ARN check stays on (`checkArn: false` rejects `${…}` for another reason: both schema
// alternatives match), so real ARNs are still checked.
import { Ajv } from 'ajv';
import aslValidator from 'asl-validator';
import { diagnostic } from '../core/index.js';
import type { Diagnostic, JsonValue } from '../core/index.js';
import { FALSE_POSITIVES, applyStandIns, restoreAt, valueAt } from './false-positives.js';
import type { FalsePositiveId, StandIn } from './false-positives.js';
import { STATE_TYPES, isObject } from './fields.js';
import { MAX_ASL_DEPTH, MAX_DEFINITION_BYTES, definitionBytes, tooDeepPath } from './limits.js';
import type { JsonObject, JsonPath, Locator } from './types.js';

export { isPlaceholderResource } from './false-positives.js';

/**
 * asl-validator's findings on a definition, in bounded time. Its schema check costs twice as much
 * for every level of Parallel or Map nesting (6.5 s at 20 levels, a minute at 24) and its graph
 * checks grow with the square of the number of states, so: a definition nested deeper than
 * MAX_ASL_DEPTH or larger than AWS's 1 MiB quota is reported and not given to it, and a deeply nested
 * definition is validated in parts of a few levels each, with the nested scopes below a part
 * replaced by a one-state stand-in every LEVELS_PER_CALL levels, which makes the work linear in the depth.
 */
export function validateAsl(definition: JsonValue, locate: Locator): Diagnostic[] {
  const deep = tooDeepPath(definition);
  if (deep !== undefined) return [diagnostic('asl-too-deep', locate(deep), `The definition is nested deeper than ${MAX_ASL_DEPTH} levels of objects and arrays here; flowlane does not validate deeper.`)];
  const bytes = definitionBytes(definition);
  if (bytes > MAX_DEFINITION_BYTES) {
    return [diagnostic('asl-too-large', locate([]), `The definition is ${bytes.toLocaleString('en-US')} bytes of JSON; AWS refuses definitions over 1 MiB (${MAX_DEFINITION_BYTES.toLocaleString('en-US')} bytes, a hard quota). Split it into state machines that start each other.`)];
  }
  if (!isObject(definition)) return validateScope(definition, locate);
  const language = typeof definition.QueryLanguage === 'string' ? definition.QueryLanguage : undefined;
  const out: Diagnostic[] = [];
  for (const scope of splitScopes(definition, language)) {
    const at: Locator = (path) => locate([...scope.path, ...path]);
    const pointer = scope.path.map((seg) => `/${String(seg).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
    const chunks = chunkStates(scope.machine);
    for (const chunk of chunks) {
      const found = validateScope(chunk, at, pointer);
      // A chunk starts at its first state, so what it cannot reach says nothing (checkDefinition judges reachability).
      out.push(...(chunks.length > 1 ? found.filter((d) => !/ is not reachable \(/.test(d.message)) : found));
    }
  }
  return out;
}

/**
 * States validated in one call. asl-validator's transition-target check compares every state name
 * with every transition (quadratic: 2 s at 20,000 states), so a larger scope is validated in
 * chunks; each call also compiles the schemas again (about 90 ms), so chunks stay large.
 */
const STATES_PER_CALL = 5000;
const OUTSIDE = 'flowlane: outside this chunk';

/** A machine whose States are cut into chunks; transitions out of a chunk lead to one stand-in state. */
function chunkStates(machine: JsonValue): JsonValue[] {
  if (!isObject(machine) || !isObject(machine.States)) return [machine];
  const names = Object.keys(machine.States);
  if (names.length <= STATES_PER_CALL) return [machine];
  const chunks: JsonValue[] = [];
  for (let from = 0; from < names.length; from += STATES_PER_CALL) {
    const mine = new Set(names.slice(from, from + STATES_PER_CALL));
    const inside = (t: JsonValue | undefined): JsonValue | undefined => (typeof t === 'string' && !mine.has(t) ? OUTSIDE : t);
    const states: JsonObject = {};
    for (const name of mine) {
      const state = machine.States[name]!;
      if (!isObject(state)) {
        states[name] = state;
        continue;
      }
      const copy: JsonObject = { ...state };
      if (state.Next !== undefined) copy.Next = inside(state.Next)!;
      if (state.Default !== undefined) copy.Default = inside(state.Default)!;
      for (const field of ['Choices', 'Catch']) {
        const list = state[field];
        if (Array.isArray(list)) copy[field] = list.map((r) => (isObject(r) && r.Next !== undefined ? { ...r, Next: inside(r.Next)! } : r));
      }
      states[name] = copy;
    }
    states[OUTSIDE] = { Type: 'Succeed' };
    chunks.push({ ...machine, StartAt: names[from]!, States: states });
  }
  return chunks;
}

/** A one-state machine that stands in for a nested scope while its parent is validated. */
const STAND_IN = (): JsonObject => ({ StartAt: 'Nested', States: { Nested: { Type: 'Succeed' } } });

/**
 * Levels of scope nesting validated in one asl-validator call. Its cost doubles per level from
 * about 12 on (0.2 s at 12, 4 s at 20), and each call compiles its schemas afresh (about 90 ms),
 * so a definition is validated whole up to this depth, and in parts of this depth beyond it.
 */
const LEVELS_PER_CALL = 12;

/**
 * The definition cut into parts of at most LEVELS_PER_CALL levels of nested scopes: a scope at that
 * depth is replaced by a stand-in and becomes the root of a part of its own, validated as a machine.
 */
function splitScopes(definition: JsonObject, language: string | undefined): { machine: JsonValue; path: JsonPath }[] {
  const parts: { machine: JsonValue; path: JsonPath }[] = [];
  const roots: { scope: JsonObject; path: JsonPath }[] = [{ scope: definition, path: [] }];
  // Copies a scope with its nested scopes down to the part's depth; deeper ones become roots.
  const copyScope = (scope: JsonObject, path: JsonPath, level: number): JsonObject => {
    if (level === LEVELS_PER_CALL) {
      roots.push({ scope, path });
      return { ...scope, ...STAND_IN() };
    }
    if (!isObject(scope.States)) return scope;
    const states: JsonObject = {};
    for (const [name, state] of Object.entries(scope.States)) {
      if (!isObject(state)) {
        states[name] = state;
        continue;
      }
      const copy: JsonObject = { ...state };
      const sp = [...path, 'States', name];
      if (Array.isArray(state.Branches)) {
        copy.Branches = state.Branches.map((b, k) => (isObject(b) && isObject(b.States) ? copyScope(b, [...sp, 'Branches', k], level + 1) : b));
      }
      for (const field of ['ItemProcessor', 'Iterator']) {
        const p = state[field];
        if (isObject(p) && isObject(p.States)) copy[field] = copyScope(p, [...sp, field], level + 1);
      }
      states[name] = copy;
    }
    return { ...scope, States: states };
  };
  for (let i = 0; i < roots.length; i++) {
    const { scope, path } = roots[i]!;
    const machine = copyScope(scope, path, 0);
    if (path.length > 0) {
      // A branch or processor validated as a machine: its states keep the machine's language.
      delete machine.ProcessorConfig;
      if (language !== undefined) machine.QueryLanguage = language;
    }
    parts.push({ machine, path });
  }
  return parts;
}

/** `prefix`: the JSON pointer of the part in the whole definition, so that messages name whole paths. */
function validateScope(definition: JsonValue, locate: Locator, prefix = ''): Diagnostic[] {
  // The validator writes QueryLanguage into every state it sees: give it a copy.
  const copy = structuredClone(definition);
  const standIns = applyStandIns(copy);
  let result: ReturnType<typeof aslValidator>;
  try {
    result = runValidator(copy);
  } catch (e) {
    // asl-validator 4 throws on some inputs (a state named "Iterator", a non-object in States);
    // checkDefinition reports those faults itself.
    return [diagnostic('asl-validator', locate([]), `asl-validator could not check this definition (${e instanceof Error ? e.message : String(e)}).`, { severity: 'warning' })];
  }
  const downgraded = falsePositiveWarnings(copy, standIns, locate);
  if (result.isValid) return downgraded;
  const seen = new Set<string>();
  const errors = result.errors.filter((err) => {
    const key = `${err['Error code']}:${err.Message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  // When a state fails one schema alternative, ajv also reports that its valid Type and
  // QueryLanguage match none of the others: noise that hides the real fault.
  const noise = (err: AslError): boolean => {
    const m = /^(.*)\/(Type|QueryLanguage) is invalid\. must be equal to one of the allowed values$/.exec(err.Message);
    if (!m || errors.length < 2) return false;
    const value = valueAt(definition, pointerToPath(`${m[1]}/${m[2]}`));
    return m[2] === 'Type' ? typeof value === 'string' && (STATE_TYPES as readonly string[]).includes(value) : value === undefined || value === 'JSONPath' || value === 'JSONata';
  };
  const kept = errors.filter((e) => !noise(e));
  let states: Map<string, JsonPath> | undefined;
  const statePaths = (): Map<string, JsonPath> => (states ??= indexStates(definition));
  return [
    ...downgraded,
    ...(kept.length > 0 ? kept : errors).map((err) => {
      const pointer = err.schemaError?.instancePath;
      const path = pointer ? pointerToPath(pointer) : pathFromMessage(err.Message, statePaths);
      return diagnostic('asl-validator', locate(path), `asl-validator: ${prefix && err.Message.startsWith('/') ? prefix + err.Message : err.Message} (${err['Error code']}).`);
    }),
  ];
}

type AslError = ReturnType<typeof aslValidator>['errors'][number];

/**
 * One command judges the same definition several times (from-asl's input, then to-asl's identical
 * output; the editor at each keystroke): the last results are kept by the definition's text. The
 * validator writes QueryLanguage into its input, so it gets its own copy.
 */
const recent = new Map<string, ReturnType<typeof aslValidator> | { thrown: unknown }>();

const VALIDATOR_OPTIONS = { checkArn: true, checkPaths: true } as const;

/**
 * asl-validator makes a new Ajv for every definition, adds its fifteen schemas and formats and
 * compiles them: 85 % of the time of checking one definition (30 to 170 ms each, more at depth).
 * What it compiles depends only on its options, which are always VALIDATOR_OPTIONS here, so while
 * it runs, the `new Ajv(…)` it makes (it reads `require("ajv").default` at each call) gets back the
 * instance compiled at the first call; the formats it adds again are the same functions' twins.
 * Outside the call, Ajv is untouched for everyone else.
 */
let compiledAjv: InstanceType<typeof Ajv> | undefined;

function withCompiledSchemas<T>(run: () => T): T {
  // `require("ajv")` is the class itself, and its `default` is the class again.
  const exported = Ajv as unknown as { default: typeof Ajv };
  const original = exported.default;
  if (typeof original !== 'function') return run(); // not the Ajv build this was written for: compile each time
  exported.default = function reuseCompiledAjv(options: ConstructorParameters<typeof Ajv>[0]) {
    if (!compiledAjv) {
      const ajv = new original(options);
      // ajv-formats adds its keywords again at every call, which Ajv refuses once they exist.
      const addKeyword = ajv.addKeyword.bind(ajv);
      ajv.addKeyword = (definition) => {
        const names = typeof definition === 'string' ? [definition] : [definition.keyword ?? []].flat();
        return names.length > 0 && names.every((name) => ajv.getKeyword(name)) ? ajv : addKeyword(definition);
      };
      compiledAjv = ajv;
    }
    return compiledAjv;
  } as unknown as typeof Ajv;
  try {
    return run();
  } finally {
    exported.default = original;
  }
}

function runValidator(definition: JsonValue): ReturnType<typeof aslValidator> {
  const key = JSON.stringify(definition);
  let r = recent.get(key);
  if (r === undefined) {
    try {
      const copy = structuredClone(definition);
      r = withCompiledSchemas(() => aslValidator(copy, VALIDATOR_OPTIONS));
    } catch (thrown) {
      r = { thrown };
    }
    if (recent.size >= 32) recent.delete(recent.keys().next().value!);
  } else recent.delete(key);
  recent.set(key, r);
  if ('thrown' in r) throw r.thrown;
  return r;
}

function errorPath(err: AslError, definition: JsonValue): JsonPath {
  const pointer = err.schemaError?.instancePath;
  return pointer ? pointerToPath(pointer) : pathFromMessage(err.Message, () => indexStates(definition));
}

/**
 * The validator's findings that AWS does not share: for each rule with `warning` stand-ins, the copy
 * is validated again with that rule's originals put back, and each of its stand-ins at (or under) a
 * place the validator then reports becomes one warning.
 */
function falsePositiveWarnings(copy: JsonValue, standIns: StandIn[], locate: Locator): Diagnostic[] {
  const byRule = new Map<FalsePositiveId, StandIn[]>();
  for (const s of standIns) if (FALSE_POSITIVES[s.rule].flowlane === 'warning' && s.original !== undefined) byRule.set(s.rule, [...(byRule.get(s.rule) ?? []), s]);
  const out: Diagnostic[] = [];
  for (const [id, list] of byRule) {
    const trial = structuredClone(copy);
    for (const s of list) restoreAt(trial, s.path, s.original!);
    let errors: AslError[];
    try {
      errors = runValidator(trial).errors;
    } catch {
      continue;
    }
    const rule = FALSE_POSITIVES[id];
    for (const s of list) {
      const hit = errors.find((err) => {
        const p = errorPath(err, trial);
        return p.length > 0 && p.length <= s.path.length && p.every((seg, i) => seg === s.path[i]);
      });
      if (hit) out.push(diagnostic('asl-validator-false-positive', locate(s.path), `asl-validator rejects this (${hit.Message}), but AWS ${rule.aws} [${rule.id}].`));
    }
  }
  return out;
}

function pointerToPath(pointer: string): JsonPath {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
}

/** Messages like `State "X" MUST …` name a state: find its path so the diagnostic lands on it. */
function pathFromMessage(message: string, statePaths: () => Map<string, JsonPath>): JsonPath {
  const m = /State "([^"]*)"|target: (.*)$|^State (.*) is not reachable/.exec(message);
  const name = m?.[1] ?? m?.[2] ?? m?.[3];
  if (name === undefined) return [];
  return statePaths().get(name) ?? [];
}

/** Every state's path by its name (the first one of a name, in document order), in one walk. */
function indexStates(definition: JsonValue): Map<string, JsonPath> {
  const index = new Map<string, JsonPath>();
  const visit = (sm: JsonValue | undefined, path: JsonPath): void => {
    if (!isObject(sm) || !isObject(sm.States)) return;
    for (const [n, st] of Object.entries(sm.States)) {
      const sp = [...path, 'States', n];
      if (!index.has(n)) index.set(n, sp);
      if (!isObject(st)) continue;
      if (Array.isArray(st.Branches)) st.Branches.forEach((b, i) => visit(b, [...sp, 'Branches', i]));
      for (const f of ['ItemProcessor', 'Iterator']) visit(st[f], [...sp, f]);
    }
  };
  visit(definition, []);
  return index;
}
