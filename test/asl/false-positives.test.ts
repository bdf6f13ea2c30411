// The table of asl-validator's known false positives (grammar/SPEC.md 5.1), one real definition per
// row (fixtures/false-positives/SOURCES.md): asl-validator itself rejects it, flowlane's judgement
// accepts it (a warning naming the row where the table says so), and it round-trips through .fz with
// validation on. And the limits of each row: what AWS rejects stays an error.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import aslValidator from 'asl-validator';
import { describe, expect, test } from 'vitest';
import { FALSE_POSITIVES, checkAslText, fromAsl, toAsl } from '../../src/asl/index.js';
import type { FalsePositiveId } from '../../src/asl/index.js';
import { parseDiagram } from '../../src/model/index.js';
import { print } from '../../src/print/index.js';
import { repoRoot } from './corpus-helpers.js';

const dir = join(repoRoot, 'test', 'asl', 'fixtures', 'false-positives');
const read = (file: string): string => readFileSync(join(dir, file), 'utf8');

/** Each row, with the real definitions that show it and what the validator says about them. */
const ROWS: Record<FalsePositiveId, { files: string[]; says: RegExp }> = {
  'placeholder-resource': { files: ['localstack__sfn-retry-catch--statem555caa27.asl.json', 'awsdocs__sample-eventbridge-custom-event--block0.asl.json'], says: /Resource/ },
  'template-token': {
    files: [
      'sfwc__human-task-reminder.asl.json',
      'localstack__choiceoperators--template.asl.json',
      'localstack__context-object--context-object-input-path.asl.json',
      'sfnexamples__app-low-code-you-know-counter--template--youknowtranscribestatemachine.asl.json',
    ],
    says: /Seconds|Choices\/0|InputPath|Resource/,
  },
  'jsonpath-forms': {
    files: ['localstack__base--pass-result-regex-json-path.asl.json', 'sfwc__parallelized-embedding-pipeline--example-workflow--definition.asl.json', 'adapted__context-path-variable.asl.json'],
    says: /asl_payload_template|asl_ref_path/,
  },
  'jsonata-condition-literal': { files: ['adapted__choice-condition-literal.asl.json'], says: /Condition is invalid\. must be string/ },
  'jsonata-output-literal': {
    files: ['localstack__outputdecl--choice-condition-jsonata.asl.json', 'localstack__outputdecl--base-output-any.asl.json', 'sfnexamples__app-meeting-summarization--transcribe-file.asl.json'],
    says: /Output/,
  },
  'null-literal': { files: ['localstack__assign--base-var.asl.json'], says: /Assign/ },
  'jsonata-text-in-jsonpath': { files: ['localstack__assign--base-var.asl.json'], says: /Assign/ },
  'jsonata-closing-space': { files: ['sfwc__distributed-data-stream-aggregator--data-extraction-child.asl.json'], says: /Assign/ },
  'reader-max-items-zero': { files: ['sfnexamples__usecases--distributedmap--monte-carlo-simulation--cloudformation--ec2--main--dataprocessor.asl.json'], says: /MaxItems is invalid\. must be >= 1/ },
  'tolerated-failure-fraction': { files: ['localstack__scenarios--map-state-tolerated-failure-percentage.asl.json'], says: /ToleratedFailurePercentage is invalid\. must be integer/ },
};

function rawValidator(definition: unknown): string[] {
  const r = aslValidator(structuredClone(definition), { checkArn: true, checkPaths: true });
  return r.isValid ? [] : r.errors.map((e) => e.Message);
}

describe('false-positive table', () => {
  test('every row of the table has real definitions here', () => {
    expect(Object.keys(ROWS).sort()).toEqual(Object.keys(FALSE_POSITIVES).sort());
  });

  describe.each(Object.entries(ROWS))('%s', (id, row) => {
    const rule = FALSE_POSITIVES[id as FalsePositiveId];
    test.each(row.files)('%s', (file) => {
      const text = read(file);
      const x = JSON.parse(text) as unknown;
      // asl-validator rejects the definition, for the reason of this row.
      expect(rawValidator(x).join('\n')).toMatch(row.says);
      // flowlane's judgement: no error; a warning naming the row where the table says so.
      const checked = checkAslText(text, { name: file }).diagnostics;
      expect(checked.filter((d) => d.severity === 'error')).toEqual([]);
      const named = checked.filter((d) => d.code === 'asl-validator-false-positive' && d.message.endsWith(`[${id}].`));
      if (rule.flowlane === 'warning') {
        expect(named.length).toBeGreaterThan(0);
        for (const d of named) expect(d.severity).toBe('warning');
        // The warning sits on the line of the offending value, not at the top of the file.
        expect(named[0]!.range.start.line).toBeGreaterThan(0);
      } else expect(named).toEqual([]);
      // Lossless through .fz text, and to-asl, validating, does not refuse from-asl's output.
      const converted = fromAsl(x);
      expect(converted.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const back = toAsl(parseDiagram(print(converted.value)).value);
      expect(back.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(back.value).toEqual(x);
    });
  });
});

describe('what AWS rejects stays an error', () => {
  const machine = (state: Record<string, unknown>, top: Record<string, unknown> = {}): string =>
    JSON.stringify({ ...top, StartAt: 'A', States: { A: { ...state }, B: { Type: 'Succeed' } } });
  const errors = (text: string): string[] =>
    checkAslText(text, { name: 'x.asl.json' })
      .diagnostics.filter((d) => d.severity === 'error')
      .map((d) => d.message);

  test('a filter in ResultPath (a reference path) is an error', () => {
    expect(errors(machine({ Type: 'Pass', ResultPath: '$.a[?(@.x > 0)]', Next: 'B' })).join('\n')).toMatch(/ResultPath/);
  });
  test('a path that is not JSONPath at all is an error', () => {
    expect(errors(machine({ Type: 'Pass', Parameters: { 'x.$': '$.a[?(@.x' }, Next: 'B' })).join('\n')).toMatch(/x\.\$/);
    expect(errors(machine({ Type: 'Pass', OutputPath: 'a.b', Next: 'B' })).join('\n')).toMatch(/OutputPath/);
  });
  test('{%expr%} without either space is an error; a Condition that is a number is an error', () => {
    expect(errors(machine({ Type: 'Pass', Output: '{%10%}', Next: 'B' }, { QueryLanguage: 'JSONata' })).join('\n')).toMatch(/Output/);
    expect(errors(machine({ Type: 'Choice', Choices: [{ Condition: 1, Next: 'B' }], Default: 'B' }, { QueryLanguage: 'JSONata' })).join('\n')).toMatch(/Condition/);
  });
  test('MaxItems below 0 and a percentage over 100 are errors', () => {
    const map = (extra: Record<string, unknown>) => ({ Type: 'Map', ItemProcessor: { StartAt: 'X', States: { X: { Type: 'Succeed' } } }, Next: 'B', ...extra });
    expect(errors(machine(map({ ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'MANIFEST', MaxItems: -1 }, Parameters: { Bucket: 'b', Key: 'k' } } }))).join('\n')).toMatch(/MaxItems/);
    expect(errors(machine(map({ ToleratedFailurePercentage: 100.5 }))).join('\n')).toMatch(/ToleratedFailurePercentage/);
  });
  test('an ARN that is not a placeholder is still checked', () => {
    expect(errors(machine({ Type: 'Task', Resource: 'arn:aws:lambda:region-1:1234567890:function:FUNCTION_NAME:', Next: 'B' })).join('\n')).toMatch(/Resource/);
  });
  test('a problem next to a false positive is still reported, and only that one', () => {
    const text = machine({ Type: 'Pass', Parameters: { 'first.$': '$.cats.[0]' }, ResultPath: 'nope', Next: 'B' });
    const found = errors(text);
    expect(found.join('\n')).toMatch(/ResultPath/);
    expect(found.join('\n')).not.toMatch(/first/);
    // Without the real problem, the false positive is a warning.
    const alone = checkAslText(machine({ Type: 'Pass', Parameters: { 'first.$': '$.cats.[0]' }, Next: 'B' }), { name: 'x.asl.json' }).diagnostics;
    expect(alone.map((d) => [d.severity, d.code])).toEqual([['warning', 'asl-validator-false-positive']]);
  });
});
