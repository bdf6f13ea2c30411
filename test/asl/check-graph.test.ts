// The semantic check's graph findings, on small machines written for them: duplicate names across
// scopes, unreachable states, cycles without an exit, transitions to no state. The check reads
// states by index; these pin what it reports and where.
import { describe, expect, test } from 'vitest';
import { checkDefinition } from '../../src/asl/check.js';
import type { JsonValue } from '../../src/core/index.js';

const findings = (definition: JsonValue): Array<[string, string, string]> => {
  const paths: string[] = [];
  const out = checkDefinition(definition, (path) => {
    paths.push(path.join('/'));
    return { start: { line: paths.length - 1, character: 0 }, end: { line: paths.length - 1, character: 0 } };
  });
  return out.map((d) => [d.code, paths[d.range.start.line]!, d.message]);
};

describe('semantic check of a state machine', () => {
  test('a name used in a branch and at the top is reported where it comes second, in either order', () => {
    const before = findings({
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Next: 'P' },
        P: { Type: 'Parallel', Branches: [{ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }], Next: 'B' },
        B: { Type: 'Pass', End: true },
      },
    });
    expect(before.filter((f) => f[0] === 'asl-duplicate-state-name').map((f) => f[1])).toEqual(['States/P/Branches/0/States/A']);
    const after = findings({
      StartAt: 'P',
      States: {
        P: { Type: 'Parallel', Branches: [{ StartAt: 'X', States: { X: { Type: 'Pass', End: true } } }], Next: 'X' },
        X: { Type: 'Pass', End: true },
      },
    });
    expect(after.filter((f) => f[0] === 'asl-duplicate-state-name').map((f) => f[1])).toEqual(['States/X']);
  });

  test('two branches and a Map processor share one namespace', () => {
    const f = findings({
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'S', States: { S: { Type: 'Pass', End: true } } },
            { StartAt: 'S', States: { S: { Type: 'Pass', End: true } } },
          ],
          Next: 'M',
        },
        M: { Type: 'Map', ItemProcessor: { StartAt: 'S', States: { S: { Type: 'Pass', End: true } } }, End: true },
      },
    });
    expect(f.filter((x) => x[0] === 'asl-duplicate-state-name').map((x) => x[1])).toEqual(['States/P/Branches/1/States/S', 'States/M/ItemProcessor/States/S']);
  });

  test('a machine without nested scopes has no duplicate-name finding', () => {
    expect(findings({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Succeed' } } })).toEqual([]);
  });

  test('unreachable states and a cycle without an exit are named, each at its state', () => {
    const f = findings({
      StartAt: 'A',
      States: {
        A: { Type: 'Choice', Choices: [{ Variable: '$.x', BooleanEquals: true, Next: 'Loop1' }], Default: 'Done' },
        Loop1: { Type: 'Pass', Next: 'Loop2' },
        Loop2: { Type: 'Pass', Next: 'Loop1' },
        Done: { Type: 'Succeed' },
        Orphan: { Type: 'Pass', End: true },
      },
    });
    expect(f.filter((x) => x[0] === 'asl-unreachable-state').map((x) => x[1])).toEqual(['States/Orphan']);
    const stuck = f.filter((x) => x[0] === 'asl-no-terminal');
    expect(stuck.map((x) => x[1])).toEqual(['States/Loop1', 'States/Loop2']);
    expect(stuck[0]![2]).toContain('a cycle with no exit through "Loop1", "Loop2"');
  });

  test('a transition to no state is reported at its field with a suggestion, and stops the graph checks', () => {
    const f = findings({
      StartAt: 'A',
      States: {
        A: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:1:function:f', Next: 'notify customer', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Nowhere' }] },
        'Notify Customer': { Type: 'Succeed' },
        Orphan: { Type: 'Pass', End: true },
      },
    });
    expect(f.map((x) => [x[0], x[1]])).toEqual([
      ['asl-missing-target', 'States/A/Next'],
      ['asl-missing-target', 'States/A/Catch/0/Next'],
    ]);
    expect(f[0]![2]).toContain('did you mean "Notify Customer"');
  });

  test('a chain of 20,000 states is checked with no finding, and its broken end is found', () => {
    const states: Record<string, JsonValue> = {};
    for (let i = 0; i < 20_000; i++) states[`S${i}`] = { Type: 'Pass', Next: `S${i + 1}` };
    states['S20000'] = { Type: 'Succeed' };
    expect(findings({ StartAt: 'S0', States: states })).toEqual([]);
    states['S20000'] = { Type: 'Pass', Next: 'S0' };
    const f = findings({ StartAt: 'S0', States: states });
    expect(f).toHaveLength(20_001);
    expect(new Set(f.map((x) => x[0]))).toEqual(new Set(['asl-no-terminal']));
  });
});
