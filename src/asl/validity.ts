// The one judgement of an ASL definition that `check`, `to-asl`, `from-asl` and `render` share:
// what AWS (CreateStateMachine / ValidateStateMachineDefinition) rejects is an error, what it accepts
// is at most a warning.
// Input: a definition (any JSON value) and a Locator. Output: diagnostics. No I/O.
//
// flowlane's own checks (check.ts: StartAt, targets, transitions, reachability, ends, names over 80,
// query-language fields) come first; asl-validator (validate.ts) second, with its known false
// positives turned into warnings (false-positives.ts, table in grammar/SPEC.md section 5.1).
import type { Diagnostic, JsonValue } from '../core/index.js';
import { checkDefinition } from './check.js';
import type { Locator } from './types.js';
import { validateAsl } from './validate.js';

/** Validator messages that repeat a transition fault checkDefinition already explained. */
const REPEATS = /Missing 'StartAt'|is missing a terminal state|MUST contain exactly one of "End", "Next"|\/(Type|QueryLanguage) is invalid\. must be equal to one of the allowed values/;

export function judgeDefinition(definition: JsonValue, locate: Locator): Diagnostic[] {
  const own = checkDefinition(definition, locate);
  // Not a state machine, or too deep to walk: the validator has nothing to add.
  if (own.some((d) => d.code === 'asl-not-state-machine' || d.code === 'asl-too-deep')) return own;
  const ownErrors = own.some((d) => d.severity === 'error');
  return [...own, ...validateAsl(definition, locate).filter((d) => !(ownErrors && REPEATS.test(d.message)))];
}

/** True when AWS would reject the definition these diagnostics judge. */
export function rejected(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
