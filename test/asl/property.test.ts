// Property: random state machines (every state type, nesting, both query languages, odd field
// names, transitions to missing states, non-object States entries) round-trip losslessly through
// fromAsl/toAsl, and through .fz text.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { fromAsl, toAsl } from '../../src/asl/index.js';
import { parseDiagram } from '../../src/model/index.js';
import { print } from '../../src/print/index.js';
import { stateOrder } from './corpus-helpers.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const name = fc.oneof(fc.constantFrom('A', 'B', 'Check "x"', 'Iterator', 'État 2', 'a\\b', ''), fc.string({ minLength: 1, maxLength: 12 }));
const fieldKey = fc.oneof(fc.constantFrom('Comment', 'ResultPath', 'InputPath', 'Parameters', 'Assign', 'Output', 'Arguments', 'QueryLanguage', 'TimeoutSeconds', 'X-Custom', 'resultPath', 'Foo.Bar', '$x', '__proto__'), fc.string({ maxLength: 8 }));
const value: fc.Arbitrary<Json> = fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>;
const TYPES = ['Task', 'Pass', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map'];

/** A machine of `n` states whose transitions name states of the same scope (or, sometimes, none). */
function machine(depth: number): fc.Arbitrary<Json> {
  return fc
    .uniqueArray(name, { minLength: 1, maxLength: 5 })
    .chain((names) => {
      const target = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...names) }, { weight: 1, arbitrary: fc.constantFrom('Missing', 42 as unknown as string) });
      const state: fc.Arbitrary<Json> = fc
        .record({
          type: fc.constantFrom(...TYPES, 'Unknown'),
          fields: fc.dictionary(fieldKey, value, { maxKeys: 3 }),
          next: fc.option(target, { nil: undefined }),
          end: fc.option(fc.constantFrom(true, false, 'yes' as unknown as boolean), { nil: undefined }),
          choices: fc.option(fc.array(fc.record({ rule: fc.dictionary(fieldKey, value, { maxKeys: 2 }), next: target }), { maxLength: 3 }), { nil: undefined }),
          default: fc.option(target, { nil: undefined }),
          catches: fc.option(fc.array(fc.record({ errors: fc.array(fc.constantFrom('States.ALL', 'States.Timeout', 'MyError'), { maxLength: 2 }), next: target }), { maxLength: 2 }), { nil: undefined }),
          nested: depth > 0 ? fc.option(fc.array(machine(depth - 1), { minLength: 1, maxLength: 2 }), { nil: undefined }) : fc.constant(undefined),
          legacy: fc.boolean(),
        })
        .map((r) => {
          const s: { [k: string]: Json } = { Type: r.type };
          for (const [k, v] of Object.entries(r.fields)) Object.defineProperty(s, k, { value: v, enumerable: true, writable: true, configurable: true });
          if (r.next !== undefined) s.Next = r.next;
          if (r.end !== undefined) s.End = r.end;
          if (r.choices) s.Choices = r.choices.map((c) => ({ ...c.rule, Next: c.next }));
          if (r.default !== undefined) s.Default = r.default;
          if (r.catches) s.Catch = r.catches.map((c) => ({ ErrorEquals: c.errors, Next: c.next }));
          if (r.nested) {
            if (r.type === 'Map') s[r.legacy ? 'Iterator' : 'ItemProcessor'] = r.nested[0]!;
            else s.Branches = r.nested;
          }
          return s as Json;
        });
      const entry = fc.oneof({ weight: 8, arbitrary: state }, { weight: 1, arbitrary: value });
      return fc.tuple(fc.constant(names), fc.array(entry, { minLength: names.length, maxLength: names.length }), fc.option(target, { nil: undefined }), fc.dictionary(fieldKey, value, { maxKeys: 2 }));
    })
    .map(([names, entries, startAt, fields]) => {
      const states: { [k: string]: Json } = {};
      names.forEach((n, i) => Object.defineProperty(states, n, { value: entries[i]!, enumerable: true, writable: true, configurable: true }));
      const sm: { [k: string]: Json } = {};
      for (const [k, v] of Object.entries(fields)) if (k !== 'States' && k !== 'StartAt') Object.defineProperty(sm, k, { value: v, enumerable: true, writable: true, configurable: true });
      if (startAt !== undefined) sm.StartAt = startAt;
      sm.States = states;
      // As a file would hold it: through JSON text (which also turns -0 into 0, as printing does).
      return JSON.parse(JSON.stringify(sm)) as Json;
    });
}

describe('random state machines', () => {
  test('round-trip through the model', () => {
    fc.assert(
      fc.property(machine(2), (x) => {
        const back = toAsl(fromAsl(x, { validate: false }).value, { validate: false }).value;
        expect(back).toEqual(x);
        expect(stateOrder(back)).toEqual(stateOrder(x));
      }),
      { numRuns: 300 },
    );
  });
  test('round-trip through .fz text', () => {
    fc.assert(
      fc.property(machine(2), (x) => {
        const text = print(fromAsl(x, { validate: false }).value);
        const back = toAsl(parseDiagram(text).value, { validate: false }).value;
        expect(back).toEqual(x);
        expect(stateOrder(back)).toEqual(stateOrder(x));
      }),
      { numRuns: 200 },
    );
  });
});
