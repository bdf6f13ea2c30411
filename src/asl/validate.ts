// Validation of a state machine with asl-validator, the reference validator the issue asks for.
// Input: an ASL definition and a Locator. Output: one diagnostic per validator finding, pointing at
// the state it names. No I/O.
//
// Placeholder resources (`<Name:ARN>`, `${FunctionArn}`, `arn:${AWS::Partition}:…`) are not ARNs and
// asl-validator's ARN check rejects them, while `checkArn: false` makes it reject `${…}` for another
// reason (both schema alternatives match). So the ARN check stays on and each placeholder Resource
// is replaced, in a copy, by a well-formed ARN: real ARNs are still checked, placeholders pass.
import aslValidator from 'asl-validator';
import { diagnostic } from '../core/index.js';
import type { Diagnostic, JsonValue } from '../core/index.js';
import { STATE_TYPES, isObject } from './fields.js';
import type { JsonPath, Locator } from './types.js';

const PLACEHOLDER_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:placeholder';

/** A Resource that is a template placeholder rather than an ARN someone typed wrong. */
export function isPlaceholderResource(resource: string): boolean {
  return !resource.startsWith('arn:') || /\$\{|<[^>]*>|%[^%]*%|_tbd_/.test(resource);
}

export function validateAsl(definition: JsonValue, locate: Locator): Diagnostic[] {
  // The validator writes QueryLanguage into every state it sees: give it a copy.
  const copy = structuredClone(definition);
  replacePlaceholders(copy);
  let result: ReturnType<typeof aslValidator>;
  try {
    result = aslValidator(copy, { checkArn: true, checkPaths: true });
  } catch (e) {
    // asl-validator 4 throws on some inputs (a state named "Iterator", a non-object in States);
    // checkDefinition reports those faults itself.
    return [diagnostic('asl-validator', locate([]), `asl-validator could not check this definition (${e instanceof Error ? e.message : String(e)}).`, { severity: 'warning' })];
  }
  if (result.isValid) return [];
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
  return (kept.length > 0 ? kept : errors).map((err) => {
    const pointer = err.schemaError?.instancePath;
    const path = pointer ? pointerToPath(pointer) : pathFromMessage(err.Message, definition);
    return diagnostic('asl-validator', locate(path), `asl-validator: ${err.Message} (${err['Error code']}).`);
  });
}

type AslError = ReturnType<typeof aslValidator>['errors'][number];

function valueAt(v: JsonValue | undefined, path: JsonPath): JsonValue | undefined {
  for (const seg of path) {
    if (Array.isArray(v) && typeof seg === 'number') v = v[seg];
    else if (isObject(v) && typeof seg === 'string') v = v[seg];
    else return undefined;
  }
  return v;
}

function replacePlaceholders(v: JsonValue): void {
  if (Array.isArray(v)) {
    for (const x of v) replacePlaceholders(x);
    return;
  }
  if (!isObject(v)) return;
  if (isObject(v.States)) {
    for (const state of Object.values(v.States)) {
      if (isObject(state) && state.Type === 'Task' && typeof state.Resource === 'string' && isPlaceholderResource(state.Resource)) {
        state.Resource = PLACEHOLDER_ARN;
      }
    }
  }
  for (const x of Object.values(v)) replacePlaceholders(x);
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
