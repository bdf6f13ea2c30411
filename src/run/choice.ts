// Choice rules of JSONPath states: the comparison operators, `And`/`Or`/`Not`, and the type tests
// (`IsPresent`, `IsNull`, `IsNumeric`, `IsString`, `IsBoolean`, `IsTimestamp`), as "Choice workflow state"
// in the AWS documentation defines them. Input: a rule, the state's input and the scope. Output: whether it
// matches. A comparison whose variable has another type is false; a variable path that selects nothing is
// `States.Runtime` (except under `IsPresent`), as on AWS.
import { StatesError } from './errors.js';
import { readPath, requirePath } from './jsonpath.js';
import type { PathScope } from './jsonpath.js';

type Rule = Record<string, unknown>;

const MAX_DEPTH = 64;
// RFC 3339 as AWS accepts it: a date, T, a time with optional fraction, and Z or an offset.
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export function isTimestamp(v: unknown): v is string {
  return typeof v === 'string' && TIMESTAMP.test(v) && !Number.isNaN(Date.parse(v));
}

type Compare = (a: unknown, b: unknown) => boolean;
const str = (f: (a: string, b: string) => boolean): Compare => (a, b) => typeof a === 'string' && typeof b === 'string' && f(a, b);
const num = (f: (a: number, b: number) => boolean): Compare => (a, b) => typeof a === 'number' && typeof b === 'number' && f(a, b);
const time = (f: (a: number, b: number) => boolean): Compare => (a, b) => isTimestamp(a) && isTimestamp(b) && f(Date.parse(a), Date.parse(b));

const COMPARISONS: Record<string, Compare> = {
  StringEquals: str((a, b) => a === b),
  StringLessThan: str((a, b) => a < b),
  StringGreaterThan: str((a, b) => a > b),
  StringLessThanEquals: str((a, b) => a <= b),
  StringGreaterThanEquals: str((a, b) => a >= b),
  StringMatches: str((a, b) => wildcard(b).test(a)),
  NumericEquals: num((a, b) => a === b),
  NumericLessThan: num((a, b) => a < b),
  NumericGreaterThan: num((a, b) => a > b),
  NumericLessThanEquals: num((a, b) => a <= b),
  NumericGreaterThanEquals: num((a, b) => a >= b),
  BooleanEquals: (a, b) => typeof a === 'boolean' && a === b,
  TimestampEquals: time((a, b) => a === b),
  TimestampLessThan: time((a, b) => a < b),
  TimestampGreaterThan: time((a, b) => a > b),
  TimestampLessThanEquals: time((a, b) => a <= b),
  TimestampGreaterThanEquals: time((a, b) => a >= b),
};

const TYPE_TESTS: Record<string, (v: unknown) => boolean> = {
  IsNull: (v) => v === null,
  IsNumeric: (v) => typeof v === 'number',
  IsString: (v) => typeof v === 'string',
  IsBoolean: (v) => typeof v === 'boolean',
  IsTimestamp: isTimestamp,
};

const wildcards = new Map<string, RegExp>();
/** `StringMatches` patterns: `*` matches any run of characters, `\*` a literal star, `\\` a backslash. */
function wildcard(pattern: string): RegExp {
  let re = wildcards.get(pattern);
  if (!re) {
    let src = '';
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern[i]!;
      if (c === '\\' && i + 1 < pattern.length) src += escapeRe(pattern[++i]!);
      else if (c === '*') src += '[\\s\\S]*';
      else src += escapeRe(c);
    }
    re = new RegExp(`^${src}$`);
    wildcards.set(pattern, re);
  }
  return re;
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Whether a rule matches; `where` names the Choice state for error messages. */
export function ruleMatches(rule: Rule, input: unknown, scope: PathScope, where: string, depth = 0): boolean {
  if (depth > MAX_DEPTH) throw new StatesError('States.Runtime', `Choice rules in state '${where}' nest more than ${MAX_DEPTH} deep.`);
  if (Array.isArray(rule.And)) return rule.And.every((r) => ruleMatches(r as Rule, input, scope, where, depth + 1));
  if (Array.isArray(rule.Or)) return rule.Or.some((r) => ruleMatches(r as Rule, input, scope, where, depth + 1));
  if (rule.Not !== undefined && rule.Not !== null && typeof rule.Not === 'object') return !ruleMatches(rule.Not as Rule, input, scope, where, depth + 1);
  const variable = rule.Variable;
  if (typeof variable !== 'string') throw new StatesError('States.Runtime', `A Choice rule in state '${where}' has no Variable.`);
  if (typeof rule.IsPresent === 'boolean') return readPath(variable, input, scope).found === rule.IsPresent;
  const value = requirePath(variable, input, scope, where);
  for (const [test, check] of Object.entries(TYPE_TESTS)) {
    if (typeof rule[test] === 'boolean') return check(value) === rule[test];
  }
  for (const key of Object.keys(rule)) {
    const isPath = key.endsWith('Path');
    const op = COMPARISONS[isPath ? key.slice(0, -4) : key];
    if (!op) continue;
    const expected = isPath ? requirePath(String(rule[key]), input, scope, where) : rule[key];
    return op(value, expected);
  }
  throw new StatesError('States.Runtime', `A Choice rule in state '${where}' has no comparison operator.`);
}
