// Bad ASL input: each problem is an error that names the state and the problem, at its line.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { checkAslText, fromAsl, loadAsl, toAsl } from '../../src/asl/index.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

function errorsOf(text: string, name = 'x.asl.json'): string[] {
  return checkAslText(text, { name })
    .diagnostics.filter((d) => d.severity === 'error')
    .map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message} [${d.code}]`);
}

const machine = (states: object, extra: object = {}): string => JSON.stringify({ StartAt: Object.keys(states)[0], States: states, ...extra }, null, 2);

describe('bad ASL input', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['invalid JSON', '{\n  "StartAt": "A",\n  "States": {,}\n}', /^3:14 Invalid JSON.*\[asl-invalid-input\]/],
    ['invalid YAML', 'StartAt: A\nStates:\n  A: [unclosed\n', /Invalid YAML.*\[asl-invalid-input\]/],
    // 1e309 reads as Infinity, which JSON writes back as null: refused where it is, never changed (fuzz seed 1202, input 139276).
    ['a number too large for JSON', '{\n  "StartAt": "A",\n  "States": {\n    "A": { "Type": "Pass", "Result": { "users": 1e309 }, "End": true }\n  }\n}', /^4:40 This number is too large for JSON.*\[asl-invalid-input\]/],
    ['a 310-digit number', `{"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": [${'9'.repeat(310)}], "End": true}}}`, /^1:62 This number is too large for JSON.*\[asl-invalid-input\]/],
    ['YAML .inf', 'StartAt: A\nStates:\n  A:\n    Type: Pass\n    Result: .inf\n    End: true\n', /^5:5 This number is too large for JSON.*\[asl-invalid-input\]/],
    ['not a state machine', '[1, 2]', /not a state machine.*found an array/],
    ['no States', '{"StartAt": "A"}', /found no "States" field/],
    ['Next to a missing state', machine({ A: { Type: 'Pass', Next: 'b' }, B: { Type: 'Succeed' } }), /^6:7 State "A": Next the string "b" names no state of the state machine \(did you mean "B"\?\).*\[asl-missing-target\]/],
    ['name over 80 characters', machine({ ['S'.repeat(81)]: { Type: 'Succeed' } }), /81 characters long; AWS allows at most 80.*\[asl-name-too-long\]/],
    ['cycle with no exit', machine({ A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'A' } }), /^4:5 State "A" can never reach an end.*cycle with no exit through "A", "B".*\[asl-no-terminal\]/],
    ['non-object in States', machine({ A: { Type: 'Succeed' }, QueryLanguage: 'JSONata' }), /States entry "QueryLanguage" is the string "JSONata", not a state object.*\[asl-invalid-state\]/],
    ['missing Type', machine({ A: { Next: 'A' } }), /State "A" has no "Type"/],
    ['Catch after States.ALL', machine({ A: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'F' }, { ErrorEquals: ['X'], Next: 'F' }] }, F: { Type: 'Fail' } }), /Catch\[1\] comes after a catcher for "States.ALL".*\[asl-catch-after-all\]/],
    ['JSONPath field in JSONata', machine({ A: { Type: 'Pass', InputPath: '$.x', End: true } }, { QueryLanguage: 'JSONata' }), /uses JSONata, where InputPath does not exist.*\[asl-wrong-query-language\]/],
    ['JSONata field in JSONPath', machine({ A: { Type: 'Pass', Output: '{% 1 %}', End: true } }), /uses JSONPath, where Output does not exist.*\[asl-wrong-query-language\]/],
    ['unreachable state', machine({ A: { Type: 'Succeed' }, B: { Type: 'Succeed' } }), /State "B" is unreachable.*\[asl-unreachable-state\]/],
    ['Choice rule without rule', machine({ A: { Type: 'Choice', Choices: [{ Next: 'B' }], Default: 'B' }, B: { Type: 'Succeed' } }), /Choices\[0\] has no rule.*\[asl-choice-without-rule\]/],
  ];
  test.each(cases)('%s', (_name, text, expected) => {
    const errors = errorsOf(text, text.startsWith('StartAt:') ? 'x.asl.yaml' : 'x.asl.json');
    expect(errors.join('\n')).toMatch(new RegExp(expected.source, 'm'));
  });

  test('fromAsl reports the same faults and still draws the input, losslessly', () => {
    const x = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'nowhere', End: false }, B: 'not a state' } };
    const r = fromAsl(x);
    expect(r.diagnostics.map((d) => d.code)).toEqual(expect.arrayContaining(['asl-missing-target', 'asl-invalid-state']));
    expect(toAsl(r.value, { validate: false }).value).toEqual(x);
  });
});

describe('templates', () => {
  test('the first state machine of a SAM template, with CloudFormation tags', () => {
    const r = loadAsl(fixture('template.yaml'), { name: 'template.yaml' });
    expect(r.diagnostics).toEqual([]);
    expect(r.value.resource).toBe('OrderMachine');
    expect(r.value.definition).toEqual({
      StartAt: 'Place Order',
      States: { 'Place Order': { Type: 'Task', Resource: { 'Fn::GetAtt': ['OrderFunction', 'Arn'] }, Next: 'Done' }, Done: { Type: 'Succeed' } },
    });
    // Positions point into the template: the state's line.
    expect(r.value.locate(['States', 'Done']).start.line).toBe(15);
  });
  test('a named resource with a DefinitionString', () => {
    const r = loadAsl(fixture('template.yaml'), { name: 'template.yaml', resource: 'AuditMachine' });
    expect(r.value.definition).toEqual({ StartAt: 'Log', States: { Log: { Type: 'Pass', End: true } } });
  });
  test('a resource that is not a state machine', () => {
    const r = loadAsl(fixture('template.yaml'), { name: 'template.yaml', resource: 'OrderFunction' });
    expect(r.diagnostics[0]!.message).toMatch(/"OrderFunction" is not a state machine; its state machines: OrderMachine, AuditMachine/);
  });
});
