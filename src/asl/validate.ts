// Validation of a state machine with asl-validator, the reference validator the issue asks for.
// Input: an ASL definition and a Locator. Output: one diagnostic per validator finding, pointing at
// the state it names. No I/O.
//
// What AWS accepts and asl-validator rejects (placeholder Resources, Jayway JSONPath forms, JSONata
// literals…) is replaced, in a copy, by a form the validator takes (false-positives.ts); the copy is
// validated, and the original's findings at the replaced places come back as warnings naming the
// rule. The ARN check stays on (`checkArn: false` rejects `${…}` for another reason: both schema
// alternatives match), so real ARNs are still checked.
import aslValidator from 'asl-validator';
import { diagnostic } from '../core/index.js';
import type { Diagnostic, JsonValue } from '../core/index.js';
import { FALSE_POSITIVES, applyStandIns, restoreAt, valueAt } from './false-positives.js';
import type { FalsePositiveId, StandIn } from './false-positives.js';
import { STATE_TYPES, isObject } from './fields.js';
import type { JsonPath, Locator } from './types.js';

export { isPlaceholderResource } from './false-positives.js';

export function validateAsl(definition: JsonValue, locate: Locator): Diagnostic[] {
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
  return [
    ...downgraded,
    ...(kept.length > 0 ? kept : errors).map((err) => diagnostic('asl-validator', locate(errorPath(err, definition)), `asl-validator: ${err.Message} (${err['Error code']}).`)),
  ];
}

type AslError = ReturnType<typeof aslValidator>['errors'][number];

/**
 * asl-validator builds and compiles its schemas anew at every call (0.3 to 1 s), and one command
 * judges the same definition several times (from-asl's input, then to-asl's identical output; the
 * editor at each keystroke): the last results are kept by the definition's text. The validator
 * writes QueryLanguage into its input, so it gets its own copy.
 */
const recent = new Map<string, ReturnType<typeof aslValidator> | { thrown: unknown }>();

function runValidator(definition: JsonValue): ReturnType<typeof aslValidator> {
  const key = JSON.stringify(definition);
  let r = recent.get(key);
  if (r === undefined) {
    try {
      r = aslValidator(structuredClone(definition), { checkArn: true, checkPaths: true });
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
  return pointer ? pointerToPath(pointer) : pathFromMessage(err.Message, definition);
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
function pathFromMessage(message: string, definition: JsonValue): JsonPath {
  const m = /State "([^"]*)"|target: (.*)$|^State (.*) is not reachable/.exec(message);
  const name = m?.[1] ?? m?.[2] ?? m?.[3];
  if (name === undefined) return [];
  const find = (sm: JsonValue, path: JsonPath): JsonPath | undefined => {
    if (!isObject(sm) || !isObject(sm.States)) return undefined;
    for (const [n, st] of Object.entries(sm.States)) {
      const sp = [...path, 'States', n];
      if (n === name) return sp;
      if (!isObject(st)) continue;
      if (Array.isArray(st.Branches)) {
        for (let i = 0; i < st.Branches.length; i++) {
          const r = find(st.Branches[i]!, [...sp, 'Branches', i]);
          if (r) return r;
        }
      }
      for (const f of ['ItemProcessor', 'Iterator']) {
        const r = find(st[f] ?? null, [...sp, f]);
        if (r) return r;
      }
    }
    return undefined;
  };
  return find(definition, []) ?? [];
}
