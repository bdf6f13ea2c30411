// asl-validator's known false positives: forms AWS Step Functions accepts and asl-validator 4
// rejects. Input: a copy of a definition (changed in place). Output: the stand-ins made, each with
// its rule and path. No I/O.
//
// The validator stays the judge of everything else, so instead of filtering its messages (a state
// that fails one schema alternative makes ajv complain about all the others) each accepted form is
// replaced, in the copy, by one the validator takes, and the copy is validated. A finding of the
// validator on the original at a replaced place is then reported as a warning naming the rule
// (grammar/SPEC.md section 5.1 has the table; test/asl/false-positives.test.ts a real definition per row).
import type { JsonValue } from '../core/index.js';
import { isObject, setKey } from './fields.js';
import type { JsonObject, JsonPath } from './types.js';

export interface FalsePositive {
  id: string;
  /** What asl-validator says. */
  finding: string;
  /** What AWS does with it. */
  aws: string;
  /** `warning`: the validator's finding becomes a warning; `accepted`: no word (the deploy tool fills it in). */
  flowlane: 'warning' | 'accepted';
}

export const FALSE_POSITIVES = {
  'placeholder-resource': {
    id: 'placeholder-resource',
    finding: 'a Task Resource such as `${LambdaArn}`, `arn:${AWS::Partition}:states:::lambda:invoke`, `<Fn:ARN>` or `_tbd_` does not match the ARN schema',
    aws: 'never sees it: CloudFormation / SAM DefinitionSubstitutions, CDK or a test harness replace it before the definition is created',
    flowlane: 'accepted',
  },
  'template-token': {
    id: 'template-token',
    finding: 'a whole-value template token (`${Timeout}`, `%PLACEHOLDER%`, `_tbd_`) where a number, a path or a Choice comparator is required, or a CloudFormation intrinsic object (`{"Fn::Join": …}`, `{"Ref": …}`) inside a state',
    aws: 'never sees it: the template or test harness substitutes it before the definition is created',
    flowlane: 'accepted',
  },
  'jsonpath-forms': {
    id: 'jsonpath-forms',
    finding: 'a JSONPath that the validator\'s path grammar lacks: filters and dot-brackets in payload templates and intrinsic arguments (`"young.$": "$.cats[?(@.age < 2)]"`, `"$.[0]"`, `"$.a.[0].b"`, `"$..[?(@.x)]"`), bracket names (`$[\'a\',\'b\']`), functions (`$.a.length()`), in InputPath, OutputPath, ItemsPath, a Choice Variable or a `…Path` comparator (also on `$$.` context paths)',
    aws: 'accepts it: Step Functions evaluates paths with Jayway JsonPath, which reads these forms (ResultPath stays a reference path and is not covered)',
    flowlane: 'warning',
  },
  'jsonata-condition-literal': {
    id: 'jsonata-condition-literal',
    finding: 'a JSONata Choice rule whose `Condition` is the boolean `true` or `false` ("must be string")',
    aws: 'accepts it: a Condition may be a literal boolean as well as a `{% %}` expression',
    flowlane: 'warning',
  },
  'jsonata-output-literal': {
    id: 'jsonata-output-literal',
    finding: 'a JSONata `Output` (of a state, a Choice rule or a Catch) that is a literal string without `{% %}`, or `null`',
    aws: 'accepts it: Output is any JSON value, a string without `{% %}` being a literal',
    flowlane: 'warning',
  },
  'null-literal': {
    id: 'null-literal',
    finding: 'a `null` literal inside `Assign`, `Arguments` or `Output`',
    aws: 'accepts it: these fields take any JSON value, null included',
    flowlane: 'warning',
  },
  'jsonata-text-in-jsonpath': {
    id: 'jsonata-text-in-jsonpath',
    finding: 'a string that starts with `{%` inside an array of a JSONPath state\'s `Assign`',
    aws: 'accepts it: in a JSONPath state such a string is a literal like any other (LocalStack\'s AWS-recorded Assign tests use it)',
    flowlane: 'warning',
  },
  'jsonata-closing-space': {
    id: 'jsonata-closing-space',
    finding: 'a JSONata expression `{% expr%}` without a space before the closing `%}`',
    aws: 'accepts it (AWS samples deployed with it: step-functions-workflows-collection, aws-stepfunctions-examples); `{%expr%}` without either space is not known to be accepted and stays an error',
    flowlane: 'warning',
  },
  'reader-max-items-zero': {
    id: 'reader-max-items-zero',
    finding: '`ItemReader.ReaderConfig.MaxItems: 0` ("must be >= 1")',
    aws: 'accepts it (an aws-stepfunctions-examples CloudFormation stack deploys it)',
    flowlane: 'warning',
  },
  'tolerated-failure-fraction': {
    id: 'tolerated-failure-fraction',
    finding: 'a `ToleratedFailurePercentage` between 0 and 100 that is not an integer (`0.5`, "must be integer")',
    aws: 'accepts it: the field is a number from 0 to 100 (LocalStack\'s AWS-recorded Map tests use 0.5)',
    flowlane: 'warning',
  },
} as const satisfies Record<string, FalsePositive>;

export type FalsePositiveId = keyof typeof FALSE_POSITIVES;

export interface StandIn {
  rule: FalsePositiveId;
  path: JsonPath;
  /** The value that was replaced (undefined for a renamed key). */
  original?: JsonValue;
}

export const PLACEHOLDER_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:placeholder';

/** A Resource that is a template placeholder rather than an ARN someone typed wrong. */
export function isPlaceholderResource(resource: string): boolean {
  return !resource.startsWith('arn:') || /\$\{|<[^>]*>|%[^%]*%|_tbd_/.test(resource);
}

/** A whole value that a template or test harness fills in. */
const TOKEN = /^(?:\$\{[^}]*\}|%[A-Za-z0-9_]+%|_+tbd_+|<[^<>]+>)$/;

/** Fields that must be numbers (the token stand-in is 1). */
const NUMERIC = new Set([
  'Seconds',
  'TimeoutSeconds',
  'HeartbeatSeconds',
  'MaxConcurrency',
  'MaxAttempts',
  'IntervalSeconds',
  'BackoffRate',
  'MaxDelaySeconds',
  'ToleratedFailureCount',
  'ToleratedFailurePercentage',
  'MaxItems',
  'MaxItemsPerBatch',
  'MaxInputBytesPerBatch',
]);

/** JSONPath fields whose value is a Path (not a reference path): Jayway's forms are accepted there. */
const PATH_FIELDS = new Set(['InputPath', 'OutputPath', 'ItemsPath']);

/**
 * Replaces, in `definition` (a copy), every form of the table above by one asl-validator accepts.
 * Returns what it replaced, where.
 */
export function applyStandIns(definition: JsonValue): StandIn[] {
  const out: StandIn[] = [];
  if (!isObject(definition)) return out;
  const before = structuredClone(definition);
  const top = definition.QueryLanguage === 'JSONata' ? 'JSONata' : 'JSONPath';
  scope(definition, [], top, out);
  for (const s of out) s.original = valueAt(before, s.path);
  return out;
}

export function valueAt(v: JsonValue | undefined, path: JsonPath): JsonValue | undefined {
  for (const seg of path) {
    if (Array.isArray(v) && typeof seg === 'number') v = v[seg];
    else if (isObject(v) && typeof seg === 'string' && Object.hasOwn(v, seg)) v = v[seg];
    else return undefined;
  }
  return v;
}

/** Puts `value` back at `path` in `root` (the path's parent must exist). */
export function restoreAt(root: JsonValue, path: JsonPath, value: JsonValue): void {
  const parent = valueAt(root, path.slice(0, -1));
  const last = path[path.length - 1]!;
  if (Array.isArray(parent) && typeof last === 'number') parent[last] = value;
  else if (isObject(parent) && typeof last === 'string') setKey(parent, last, value);
}

function scope(sm: JsonObject, path: JsonPath, language: string, out: StandIn[]): void {
  if (!isObject(sm.States)) return;
  for (const [name, st] of Object.entries(sm.States)) {
    if (!isObject(st)) continue;
    const sp = [...path, 'States', name];
    const lang = st.QueryLanguage === 'JSONata' || st.QueryLanguage === 'JSONPath' ? st.QueryLanguage : language;
    state(st, sp, lang, out);
    if (Array.isArray(st.Branches)) st.Branches.forEach((b, i) => isObject(b) && scope(b, [...sp, 'Branches', i], language, out));
    for (const f of ['ItemProcessor', 'Iterator']) {
      const p = st[f];
      if (isObject(p)) scope(p, [...sp, f], language, out);
    }
  }
}

function state(st: JsonObject, sp: JsonPath, language: string, out: StandIn[]): void {
  const put = (o: JsonObject, key: string, path: JsonPath, rule: FalsePositiveId, value: JsonValue): void => {
    setKey(o, key, value);
    out.push({ rule, path: [...path, key] });
  };
  if (st.Type === 'Task' && typeof st.Resource === 'string' && isPlaceholderResource(st.Resource)) put(st, 'Resource', sp, 'placeholder-resource', PLACEHOLDER_ARN);
  // Template tokens and CloudFormation intrinsics anywhere inside the state (nested scopes aside).
  tokens(st, sp, out, true);
  if (language === 'JSONata' && st.Output !== undefined) jsonataOutput(st, sp, out);
  for (const field of ['Output', 'Assign', 'Arguments']) if (st[field] !== undefined) nulls(st, field, sp, out);
  if (language === 'JSONata') {
    closingSpace(st, sp, out, true);
  } else {
    for (const f of PATH_FIELDS) if (typeof st[f] === 'string' && isAwsOnlyPath(st[f] as string)) put(st, f, sp, 'jsonpath-forms', rootOf(st[f] as string));
    if (st.Assign !== undefined) literalJsonata(st.Assign, [...sp, 'Assign'], out);
    for (const f of ['Parameters', 'ResultSelector', 'ItemSelector', 'Credentials', 'Assign', 'ItemReader', 'ResultWriter', 'ItemBatcher']) {
      if (st[f] !== undefined) payload(st[f]!, [...sp, f], out);
    }
  }
  if (Array.isArray(st.Choices)) {
    st.Choices.forEach((rule, i) => {
      if (!isObject(rule)) return;
      const rp = [...sp, 'Choices', i];
      if (language === 'JSONata') {
        if (typeof rule.Condition === 'boolean') put(rule, 'Condition', rp, 'jsonata-condition-literal', `{% ${rule.Condition} %}`);
        if (rule.Output !== undefined) jsonataOutput(rule, rp, out);
      } else choiceRule(rule, rp, out);
    });
  }
  if (Array.isArray(st.Catch) && language === 'JSONata') st.Catch.forEach((c, i) => isObject(c) && c.Output !== undefined && jsonataOutput(c, [...sp, 'Catch', i], out));
  const reader = st.ItemReader;
  if (isObject(reader) && isObject(reader.ReaderConfig) && reader.ReaderConfig.MaxItems === 0) put(reader.ReaderConfig, 'MaxItems', [...sp, 'ItemReader', 'ReaderConfig'], 'reader-max-items-zero', 1);
  const tolerated = st.ToleratedFailurePercentage;
  if (typeof tolerated === 'number' && tolerated >= 0 && tolerated <= 100 && !Number.isInteger(tolerated)) put(st, 'ToleratedFailurePercentage', sp, 'tolerated-failure-fraction', Math.round(tolerated));
}

/** The keys of a state that hold nested scopes: their states are walked as states of their own. */
const SCOPES = new Set(['Branches', 'ItemProcessor', 'Iterator']);

function tokens(o: JsonObject | JsonValue[], path: JsonPath, out: StandIn[], isState = false): void {
  const entries: Array<[string | number, JsonValue]> = Array.isArray(o) ? o.map((v, i) => [i, v]) : Object.entries(o);
  for (const [key, value] of entries) {
    if (isState && typeof key === 'string' && SCOPES.has(key)) continue;
    const here = [...path, key];
    const set = (v: JsonValue): void => {
      if (Array.isArray(o)) o[key as number] = v;
      else setKey(o, key as string, v);
      out.push({ rule: 'template-token', path: here });
    };
    const field = typeof key === 'string' ? key : '';
    if (isObject(value) && isIntrinsic(value)) set(field === 'Resource' ? PLACEHOLDER_ARN : NUMERIC.has(field) ? 1 : 'placeholder');
    else if (typeof value === 'string' && TOKEN.test(value) && field !== 'Resource' && field !== 'Output' && field !== 'Comment') {
      if (NUMERIC.has(field)) set(1);
      else if (field.endsWith('Path') || field.endsWith('.$') || field === 'Variable') set('$');
      else if (field === 'Items') set([]);
      else if (field === 'Timestamp') set('2000-01-01T00:00:00Z');
    } else if (Array.isArray(value) || isObject(value)) tokens(value, here, out);
  }
  // A Choice comparator filled in by a test harness: `"%ComparisonOperatorType%": "$.Value"`.
  if (!Array.isArray(o) && typeof o.Next === 'string') {
    for (const key of Object.keys(o)) {
      if (!TOKEN.test(key)) continue;
      const v = o[key]!;
      renameKey(o, key, typeof v === 'string' && v.startsWith('$') ? 'StringEqualsPath' : 'StringEquals');
      if (typeof v !== 'string') o.StringEquals = String(v);
      out.push({ rule: 'template-token', path: [...path, key] });
    }
  }
}

function isIntrinsic(o: JsonObject): boolean {
  const keys = Object.keys(o);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'));
}

function renameKey(o: JsonObject, from: string, to: string): void {
  const entries = Object.entries(o);
  for (const k of Object.keys(o)) delete o[k];
  for (const [k, v] of entries) setKey(o, k === from ? to : k, v);
}

function nulls(o: JsonObject | JsonValue[], key: string | number, path: JsonPath, out: StandIn[]): void {
  const v = Array.isArray(o) ? o[key as number] : o[key as string];
  const here = [...path, key];
  if (v === null) {
    if (Array.isArray(o)) o[key as number] = 0;
    else setKey(o, key as string, 0);
    out.push({ rule: 'null-literal', path: here });
  } else if (Array.isArray(v)) v.forEach((_, i) => nulls(v, i, here, out));
  else if (isObject(v)) for (const k of Object.keys(v)) nulls(v, k, here, out);
}

function jsonataOutput(o: JsonObject, path: JsonPath, out: StandIn[]): void {
  const v = o.Output;
  if ((typeof v === 'string' && !v.startsWith('{%')) || v === null) {
    setKey(o, 'Output', {});
    out.push({ rule: 'jsonata-output-literal', path: [...path, 'Output'] });
  }
}

function closingSpace(o: JsonObject | JsonValue[], path: JsonPath, out: StandIn[], isState = false): void {
  const entries: Array<[string | number, JsonValue]> = Array.isArray(o) ? o.map((v, i) => [i, v]) : Object.entries(o);
  for (const [key, value] of entries) {
    if (isState && typeof key === 'string' && (SCOPES.has(key) || key === 'Comment')) continue;
    if (typeof value === 'string' && /^\{%\s[\s\S]*\S%\}$/.test(value)) {
      const fixed = `${value.slice(0, -2)} %}`;
      if (Array.isArray(o)) o[key as number] = fixed;
      else setKey(o, key as string, fixed);
      out.push({ rule: 'jsonata-closing-space', path: [...path, key] });
    } else if (Array.isArray(value) || isObject(value)) closingSpace(value, [...path, key], out);
  }
}

function literalJsonata(v: JsonValue, path: JsonPath, out: StandIn[]): void {
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      if (typeof x === 'string' && x.startsWith('{%')) {
        v[i] = 'literal';
        out.push({ rule: 'jsonata-text-in-jsonpath', path: [...path, i] });
      } else literalJsonata(x, [...path, i], out);
    });
  } else if (isObject(v)) for (const [k, x] of Object.entries(v)) literalJsonata(x, [...path, k], out);
}

/** Payload templates: `key.$` values that are paths or intrinsic calls with Jayway-only paths. */
function payload(v: JsonValue, path: JsonPath, out: StandIn[]): void {
  if (Array.isArray(v)) v.forEach((x, i) => payload(x, [...path, i], out));
  if (!isObject(v)) return;
  for (const [key, value] of Object.entries(v)) {
    if (key.endsWith('.$') && typeof value === 'string') {
      const replaced = replaceAwsOnlyPaths(value);
      if (replaced !== value) {
        setKey(v, key, replaced);
        out.push({ rule: 'jsonpath-forms', path: [...path, key] });
      }
    } else payload(value, [...path, key], out);
  }
}

function choiceRule(rule: JsonObject, path: JsonPath, out: StandIn[]): void {
  for (const [key, value] of Object.entries(rule)) {
    if ((key === 'Variable' || (key.endsWith('Path') && key !== 'Next')) && typeof value === 'string' && isAwsOnlyPath(value)) {
      setKey(rule, key, rootOf(value));
      out.push({ rule: 'jsonpath-forms', path: [...path, key] });
    } else if ((key === 'And' || key === 'Or') && Array.isArray(value)) value.forEach((r, i) => isObject(r) && choiceRule(r, [...path, key, i], out));
    else if (key === 'Not' && isObject(value)) choiceRule(value, [...path, key], out);
  }
}

/** The root a path starts from: `$$` (the context object), `$name` (a variable) or `$`. */
function rootOf(path: string): string {
  return path.startsWith('$$') ? '$$' : (/^\$[A-Za-z_][A-Za-z0-9_]*/.exec(path)?.[0] ?? '$');
}

/** A path Step Functions reads (Jayway JsonPath) that is more than dots and indexes, which the validator knows. */
function isAwsOnlyPath(s: string): boolean {
  return scanPath(s, 0) === s.length && !/^\$\$?(?:[A-Za-z_][A-Za-z0-9_]*)?(?:\.[A-Za-z_][A-Za-z0-9_-]*|\[\d+\])*$/.test(s);
}

/** `s` with each Jayway-only path (a whole value, or an argument of an intrinsic call) replaced by its root. */
function replaceAwsOnlyPaths(s: string): string {
  if (s.startsWith('$')) return isAwsOnlyPath(s) ? rootOf(s) : s;
  if (!s.startsWith('States.')) return s;
  let result = '';
  let quoted = false;
  for (let i = 0; i < s.length; ) {
    const c = s[i]!;
    if (c === '\\' && quoted) {
      result += s.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (c === "'") quoted = !quoted;
    if (!quoted && c === '$') {
      const n = scanPath(s, i);
      if (n > 0) {
        const p = s.slice(i, i + n);
        result += isAwsOnlyPath(p) ? rootOf(p) : p;
        i += n;
        continue;
      }
    }
    result += c;
    i++;
  }
  return result;
}

/**
 * The length of the JSONPath that starts at `s[i]` as Jayway JsonPath reads it (`$`, `$$` or a
 * `$variable`, then `.name`, `..name`, `.*`, `[…]` with quotes and nested brackets, `.fn()`), or 0.
 */
function scanPath(s: string, i: number): number {
  if (s[i] !== '$') return 0;
  let j = i + 1;
  if (s[j] === '$') j++;
  else while (j < s.length && /[A-Za-z0-9_]/.test(s[j]!)) j++;
  const name = (k: number): number => {
    let m = k;
    while (m < s.length && !/[.[\]\s(),'"]/.test(s[m]!)) m++;
    return m;
  };
  for (;;) {
    if (s[j] === '.') {
      const k = s[j + 1] === '.' ? j + 2 : j + 1;
      if (s[k] === '[') {
        const e = bracket(s, k);
        if (e < 0) return 0;
        j = e;
      } else if (s[k] === '*') j = k + 1;
      else {
        const e = name(k);
        if (e === k) return 0;
        j = s.startsWith('()', e) ? e + 2 : e;
      }
    } else if (s[j] === '[') {
      const e = bracket(s, j);
      if (e < 0) return 0;
      j = e;
    } else break;
  }
  return j - i;
}

/** The index after the `]` that closes the `[` at `s[i]`, skipping quoted text and nested brackets; -1 if unclosed. */
function bracket(s: string, i: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let j = i; j < s.length; j++) {
    const c = s[j]!;
    if (quote) {
      if (c === '\\') j++;
      else if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '[' || c === '(') depth++;
    else if (c === ']' || c === ')') {
      depth--;
      if (depth === 0) return c === ']' ? j + 1 : -1;
    }
  }
  return -1;
}
