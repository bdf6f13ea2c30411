// Semantic checks on an ASL definition, for `flowlane check FILE.asl.json`, from-asl and to-asl.
// Input: a parsed definition (any JSON value) and a Locator that turns a path in it into a range of
// the text that explains it (the input file for from-asl and check, the `.fz` diagram for to-asl).
// Output: diagnostics naming the state and the problem. No I/O.
import { compressedRows, diagnostic, reachableFrom, withinEditDistance } from '../core/index.js';
import type { Diagnostic, DiagnosticCode, JsonValue } from '../core/index.js';
import { JSONATA_ONLY, JSONPATH_ONLY, MAX_STATE_NAME, STATE_TYPES, isObject } from './fields.js';
import { MAX_ASL_DEPTH, tooDeepPath } from './limits.js';
import type { JsonObject, JsonPath, Locator } from './types.js';

export function checkDefinition(definition: JsonValue, locate: Locator): Diagnostic[] {
  const out: Diagnostic[] = [];
  const report = (code: DiagnosticCode, path: JsonPath, message: string): void => {
    out.push(diagnostic(code, locate(path), message));
  };
  // The checks below recurse into Parallel and Map scopes: nothing nested without bound may reach them.
  const deep = tooDeepPath(definition);
  if (deep !== undefined) {
    report('asl-too-deep', deep, `The definition is nested deeper than ${MAX_ASL_DEPTH} levels of objects and arrays here; flowlane reads no deeper (a real state machine stays far below).`);
    return out;
  }
  if (!isObject(definition)) {
    report('asl-not-state-machine', [], `This is not a state machine: expected an object with "StartAt" and "States", found ${describe(definition)}.`);
    return out;
  }
  if (!isObject(definition.States)) {
    const found = definition.States === undefined ? 'no "States" field' : `"States" is ${describe(definition.States)}`;
    report('asl-not-state-machine', [], `This is not a state machine: expected an object with "StartAt" and "States" (an object of states), found ${found}.`);
    return out;
  }
  const topLanguage = typeof definition.QueryLanguage === 'string' ? definition.QueryLanguage : 'JSONPath';
  checkLanguageValue(definition, [], report);
  const names = new Set<string>();
  checkScope(definition, [], 'state machine', topLanguage, names, report);
  return out;
}

type Report = (code: DiagnosticCode, path: JsonPath, message: string) => void;
/** A state's path with more segments after it, made only when something is reported. */
type StatePath = (...rest: Array<string | number>) => JsonPath;

function describe(v: JsonValue | undefined): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return `the ${typeof v} ${JSON.stringify(v)}`;
}

function checkLanguageValue(o: JsonObject, path: JsonPath, report: Report): void {
  if (o.QueryLanguage !== undefined && o.QueryLanguage !== 'JSONPath' && o.QueryLanguage !== 'JSONata') {
    report('asl-invalid-state', [...path, 'QueryLanguage'], `QueryLanguage must be "JSONPath" or "JSONata", not ${describe(o.QueryLanguage)}.`);
  }
}

/** Checks one scope: the machine, a Parallel branch or a Map processor. */
function checkScope(sm: JsonObject, path: JsonPath, what: string, topLanguage: string, names: Set<string>, report: Report): void {
  const states = sm.States as JsonObject;
  const statesPath = [...path, 'States'];
  const stateNames = Object.keys(states);
  const suggest = suggester(stateNames);
  const has = (n: JsonValue | undefined): boolean => typeof n === 'string' && Object.hasOwn(states, n);
  let broken = false;
  // Until a nested scope adds its names, the set holds only this scope's (unique) keys: no lookup
  // needed. And a first scope without nested scopes needs no set at all.
  let fresh = names.size === 0;
  let record = !fresh;
  for (const n of stateNames) {
    const v = states[n];
    if (record) break;
    if (isObject(v) && (v.Type === 'Parallel' || v.Type === 'Map')) record = true;
  }

  if (sm.StartAt === undefined) {
    report('asl-missing-transition', path, `The ${what} has no "StartAt": name the state it starts with.`);
    broken = true;
  } else if (!has(sm.StartAt)) {
    report('asl-missing-target', [...path, 'StartAt'], `The ${what}'s StartAt ${describe(sm.StartAt)} names no state of the ${what}${suggest(sm.StartAt)}.`);
    broken = true;
  }
  if (stateNames.length === 0) report('asl-not-state-machine', statesPath, `The ${what} has no states.`);

  // The graph by state index, in flat arrays: Map and Set operations on 100,000 names were most of a check.
  const index = new Map<string, number>();
  stateNames.forEach((n, i) => index.set(n, i));
  const edgeFrom: number[] = [];
  const edgeTo: number[] = [];
  const terminal = new Uint8Array(stateNames.length);
  // Paths and messages are built only when something is reported: a clean 50,000-state machine
  // should cost a few property reads per state, not a dozen short-lived arrays and strings.
  const missing = (name: string, value: JsonValue, where: JsonPath, field: string): void => {
    report('asl-missing-target', where, `State ${JSON.stringify(name)}: ${field} ${describe(value)} names no state of the ${what}${suggest(value)}.`);
    broken = true;
  };
  for (let si = 0; si < stateNames.length; si++) {
    const name = stateNames[si]!;
    const state = states[name]!;
    const sp = (...rest: Array<string | number>): JsonPath => [...statesPath, name, ...rest];
    if (name.length > MAX_STATE_NAME) {
      report('asl-name-too-long', sp(), `State name ${JSON.stringify(name.slice(0, 40))}… is ${name.length} characters long; AWS allows at most ${MAX_STATE_NAME}.`);
    }
    if (!fresh && names.has(name)) {
      report('asl-duplicate-state-name', sp(), `State name ${JSON.stringify(name)} is used twice in the state machine; state names must be unique, also across Parallel branches and Map processors.`);
    } else if (record) {
      names.add(name);
    }
    if (!isObject(state)) {
      report('asl-invalid-state', sp(), `States entry ${JSON.stringify(name)} is ${describe(state)}, not a state object (a field that belongs outside "States"?).`);
      broken = true;
      continue;
    }
    const q = (): string => JSON.stringify(name);
    const type = state.Type;
    if (typeof type !== 'string') {
      report('asl-invalid-state', sp(), `State ${q()} has ${type === undefined ? 'no "Type"' : `the Type ${describe(type)}`}; it must be one of ${STATE_TYPES.join(', ')}.`);
    } else if (!(STATE_TYPES as readonly string[]).includes(type)) {
      report('asl-invalid-state', sp('Type'), `State ${q()} has the unknown Type ${JSON.stringify(type)}; it must be one of ${STATE_TYPES.join(', ')}.`);
    }
    if (state.QueryLanguage !== undefined) checkLanguageValue(state, sp(), report);
    /** Records a transition to a state of the scope; false when the value names none. */
    const to = (target: JsonValue): boolean => {
      const t = typeof target === 'string' ? index.get(target) : undefined;
      if (t === undefined) return false;
      edgeFrom.push(si);
      edgeTo.push(t);
      return true;
    };
    if (state.Next !== undefined) {
      if (!to(state.Next)) missing(name, state.Next, sp('Next'), 'Next');
    }
    if (state.Default !== undefined) {
      if (!to(state.Default)) missing(name, state.Default, sp('Default'), 'Default');
    }
    if (state.Choices !== undefined) {
      if (!Array.isArray(state.Choices)) report('asl-invalid-state', sp('Choices'), `State ${q()}: Choices must be an array of rules.`);
      else
        state.Choices.forEach((c, i) => {
          if (!isObject(c)) return report('asl-invalid-state', sp('Choices', i), `State ${q()}: Choices[${i}] is ${describe(c)}, not a rule object.`);
          if (c.Next === undefined) {
            report('asl-missing-transition', sp('Choices', i), `State ${q()}: Choices[${i}] has no "Next".`);
            broken = true;
          } else if (!to(c.Next)) missing(name, c.Next, sp('Choices', i, 'Next'), `Choices[${i}].Next`);
          if (!Object.keys(c).some((k) => k !== 'Next' && k !== 'Comment' && k !== 'Assign' && k !== 'Output')) {
            report('asl-choice-without-rule', sp('Choices', i), `State ${q()}: Choices[${i}] has no rule (Variable with a comparison, And/Or/Not, or Condition).`);
          }
        });
    }
    if (state.Catch !== undefined) {
      if (!Array.isArray(state.Catch)) report('asl-invalid-state', sp('Catch'), `State ${q()}: Catch must be an array of catchers.`);
      else
        state.Catch.forEach((c, i) => {
          if (!isObject(c)) return report('asl-invalid-state', sp('Catch', i), `State ${q()}: Catch[${i}] is ${describe(c)}, not a catcher object.`);
          if (c.Next === undefined) {
            report('asl-missing-transition', sp('Catch', i), `State ${q()}: Catch[${i}] has no "Next".`);
            broken = true;
          } else if (!to(c.Next)) missing(name, c.Next, sp('Catch', i, 'Next'), `Catch[${i}].Next`);
        });
      checkAllLast(state, sp, q, 'Catch', report);
    }
    if (state.Retry !== undefined) checkAllLast(state, sp, q, 'Retry', report);
    if (type === 'Succeed' || type === 'Fail' || state.End === true) terminal[si] = 1;
    if (typeof type === 'string' && type !== 'Succeed' && type !== 'Fail' && type !== 'Choice' && state.Next === undefined && state.End !== true) {
      report('asl-missing-transition', sp(), `State ${q()} has neither "Next" nor "End": say where it goes, or end the ${what} with "End": true.`);
      broken = true;
    }
    if (state.Next !== undefined && state.End !== undefined) {
      report('asl-transition-conflict', sp('End'), `State ${q()} has both "Next" and "End": a state either goes on or ends; remove one of them.`);
    }
    if (type === 'Choice' && (!Array.isArray(state.Choices) || state.Choices.length === 0)) {
      report('asl-invalid-state', sp(), `Choice state ${q()} has no Choices; it needs at least one rule.`);
    }
    checkQueryLanguage(state, sp, q, typeof state.QueryLanguage === 'string' ? state.QueryLanguage : topLanguage, report);

    // Nested scopes.
    if (type === 'Parallel') {
      if (!Array.isArray(state.Branches) || state.Branches.length === 0) {
        report('asl-invalid-state', sp(), `Parallel state ${q()} has no Branches.`);
      } else {
        state.Branches.forEach((b, i) => {
          const bp = sp('Branches', i);
          if (!isObject(b) || !isObject(b.States)) report('asl-invalid-state', bp, `Parallel state ${q()}: Branches[${i}] is not a state machine (an object with StartAt and States).`);
          else {
            checkScope(b, bp, `branch ${i + 1} of ${q()}`, topLanguage, names, report);
            fresh = false;
          }
        });
      }
    }
    if (type === 'Map') {
      const field = state.ItemProcessor !== undefined ? 'ItemProcessor' : state.Iterator !== undefined ? 'Iterator' : undefined;
      if (field === undefined) report('asl-invalid-state', sp(), `Map state ${q()} has no ItemProcessor (or legacy Iterator) to run for each item.`);
      else {
        const p = state[field];
        if (!isObject(p) || !isObject(p.States)) report('asl-invalid-state', sp(field), `Map state ${q()}: ${field} is not a state machine (an object with StartAt and States).`);
        else {
          checkScope(p, sp(field), `${field} of ${q()}`, topLanguage, names, report);
          fresh = false;
        }
      }
    }
  }

  if (broken || typeof sm.StartAt !== 'string') return;
  // Reachability from StartAt, and whether each reachable state can still reach an end.
  // Both are searches that visit each state and transition once (linear in the machine's size).
  const count = stateNames.length;
  const reached = reachableFrom(compressedRows(count, edgeFrom, edgeTo), [index.get(sm.StartAt)!], count);
  for (let i = 0; i < count; i++) {
    if (!reached[i]) report('asl-unreachable-state', [...statesPath, stateNames[i]!], `State ${JSON.stringify(stateNames[i]!)} is unreachable: no transition of the ${what} leads to it.`);
  }
  // A state can end when it is terminal or some transition leads to one that can: search backwards from the ends.
  const ends: number[] = [];
  for (let i = 0; i < count; i++) if (terminal[i]) ends.push(i);
  const canEnd = reachableFrom(compressedRows(count, edgeTo, edgeFrom), ends, count);
  const stuck = stateNames.filter((_, i) => reached[i] && !canEnd[i]);
  for (const name of stuck) {
    const loop = stuck.length > 1 ? ` (a cycle with no exit through ${stuck.slice(0, 5).map((s) => JSON.stringify(s)).join(', ')}${stuck.length > 5 ? ', …' : ''})` : '';
    report('asl-no-terminal', [...statesPath, name], `State ${JSON.stringify(name)} can never reach an end of the ${what}${loop}: add a transition to a Succeed or Fail state, or "End": true.`);
  }
}

function checkAllLast(state: JsonObject, sp: StatePath, q: () => string, field: 'Catch' | 'Retry', report: Report): void {
  const list = state[field];
  if (!Array.isArray(list)) return;
  const allAt = list.findIndex((c) => isObject(c) && Array.isArray(c.ErrorEquals) && c.ErrorEquals.includes('States.ALL'));
  if (allAt < 0) return;
  const entry = list[allAt] as JsonObject;
  if ((entry.ErrorEquals as JsonValue[]).length > 1) {
    report('asl-catch-after-all', sp(field, allAt), `State ${q()}: in ${field}[${allAt}], "States.ALL" must appear alone in ErrorEquals.`);
  }
  if (allAt < list.length - 1) {
    report('asl-catch-after-all', sp(field, allAt + 1), `State ${q()}: ${field}[${allAt + 1}] comes after a ${field === 'Catch' ? 'catcher' : 'retrier'} for "States.ALL", so it can never apply; "States.ALL" must be last.`);
  }
}

function checkQueryLanguage(state: JsonObject, sp: StatePath, q: () => string, language: string, report: Report): void {
  if (language === 'JSONata') {
    for (const f of JSONPATH_ONLY) {
      if (state[f] !== undefined) report('asl-wrong-query-language', sp(f), `State ${q()} uses JSONata, where ${f} does not exist (a JSONPath field); use ${jsonataFor(f)}, or set "QueryLanguage": "JSONPath" on the state.`);
    }
    if (Array.isArray(state.Choices)) {
      state.Choices.forEach((c, i) => {
        if (isObject(c) && c.Variable !== undefined) report('asl-wrong-query-language', sp('Choices', i), `State ${q()} uses JSONata: Choices[${i}] needs a "Condition", not a JSONPath "Variable" rule.`);
      });
    }
  } else if (language === 'JSONPath') {
    for (const f of JSONATA_ONLY) {
      if (state[f] !== undefined) report('asl-wrong-query-language', sp(f), `State ${q()} uses JSONPath, where ${f} does not exist (a JSONata field); set "QueryLanguage": "JSONata" on the state or the machine.`);
    }
    if (Array.isArray(state.Choices)) {
      state.Choices.forEach((c, i) => {
        if (isObject(c) && c.Condition !== undefined) report('asl-wrong-query-language', sp('Choices', i), `State ${q()} uses JSONPath: Choices[${i}] has a JSONata "Condition"; set "QueryLanguage": "JSONata" or write a Variable rule.`);
      });
    }
  }
}

function jsonataFor(field: string): string {
  if (field === 'Parameters') return 'Arguments';
  if (field === 'ItemsPath') return 'Items';
  if (field === 'ResultSelector' || field === 'OutputPath' || field === 'ResultPath') return 'Output (and Assign)';
  if (field.endsWith('Path')) return `${field.slice(0, -4)} with a {% %} expression`;
  return 'the JSONata equivalent';
}

/** ` (did you mean "X"?)` when a state name is close to the one written. */
/** Near misses the scope's names are searched for, each search reading every name. */
const FUZZY_SUGGESTIONS_PER_SCOPE = 50;

/**
 * A "did you mean" for a name that names no state of the scope: the same name in other case, found
 * at once, or one a few edits away. A scope with thousands of broken transitions gets the fuzzy
 * search for the first FUZZY_SUGGESTIONS_PER_SCOPE only, so that checking stays linear.
 */
function suggester(names: string[]): (value: JsonValue | undefined) => string {
  let byLowerCase: Map<string, string> | undefined;
  let fuzzyLeft = FUZZY_SUGGESTIONS_PER_SCOPE;
  return (value) => {
    if (typeof value !== 'string' || names.length === 0) return '';
    if (!byLowerCase) {
      byLowerCase = new Map();
      for (const n of names) if (!byLowerCase.has(n.toLowerCase().trim())) byLowerCase.set(n.toLowerCase().trim(), n);
    }
    let close = byLowerCase.get(value.toLowerCase().trim());
    if (close === undefined && value.length >= 4 && fuzzyLeft > 0) {
      fuzzyLeft--;
      const max = Math.max(1, Math.floor(value.length / 5));
      close = names.find((n) => Math.abs(n.length - value.length) <= 3 && withinEditDistance(n, value, max));
    }
    return close === undefined ? '' : ` (did you mean ${JSON.stringify(close)}?)`;
  };
}

