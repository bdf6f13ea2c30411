// Every bad input in ../shared/corpus/asl-invalid is rejected by the ASL check, with a message
// about its actual fault (and a position in the file).
import { describe, expect, test } from 'vitest';
import { checkAslText } from '../../src/asl/index.js';
import { corpusFiles, readCorpus } from './corpus-helpers.js';

/** What the message must mention, per file: the field or rule that is actually wrong. */
const FAULTS: Record<string, RegExp> = {
  'aslvalidator__invalid-assign.asl.json': /Assign/,
  'aslvalidator__invalid-choice-state-variable.asl.json': /Choices\/0\/Variable/,
  'aslvalidator__invalid-dupe-fields.asl.json': /duplicate field.*conflict/,
  'aslvalidator__invalid-duplicate-fields.asl.json': /duplicate field.*channel/,
  'aslvalidator__invalid-error-equals.asl.json': /Catch\/0.*ErrorEquals/,
  'aslvalidator__invalid-exercise-ajv.asl.json': /InputPath/,
  'aslvalidator__invalid-fail-dupe-error.asl.json': /"Error", "ErrorPath"/,
  'aslvalidator__invalid-json-path.asl.json': /ResultPath/,
  'aslvalidator__invalid-jsonata-fields.asl.json': /JSONata, where Parameters/,
  'aslvalidator__invalid-jsonata-surround-syntax-no-close.asl.json': /Output/,
  'aslvalidator__invalid-jsonata-surround-syntax-no-spaces.asl.json': /Output/,
  'aslvalidator__invalid-jsonata-syntax-jsonpath-in-jsonata-surround.asl.json': /Output/,
  'aslvalidator__invalid-map-distributed.asl.json': /"MaxItems", "MaxItemsPath"/,
  'aslvalidator__invalid-map-item-batcher-dupe-subfields.asl.json': /MaxItemsPerBatch/,
  'aslvalidator__invalid-map-missing-iterator.asl.json': /no ItemProcessor/,
  'aslvalidator__invalid-map-tolerated-value.asl.json': /ToleratedFailurePercentage.*<= 100/,
  'aslvalidator__invalid-math-add.asl.json': /Parameters\/foo\.\$/,
  'aslvalidator__invalid-missing-terminal-parallel.asl.json': /"Wait 20s" has neither "Next" nor "End"/,
  'aslvalidator__invalid-next-with-end.asl.json': /"Send SNS Message" has both "Next" and "End"/,
  'aslvalidator__invalid-parallel-missing-branches.asl.json': /"Parallel" has no Branches/,
  'aslvalidator__invalid-payload-template.asl.json': /Parameters\/lorem\.\$/,
  'aslvalidator__invalid-task-alias-function.asl.json': /MissingAlias\/Resource/,
  'aslvalidator__invalid-task-credentials-object.asl.json': /Credentials/,
  'aslvalidator__invalid-task-timout.asl.json': /"TimeoutSeconds", "TimeoutSecondsPath"/,
  'aslvalidator__invalid-variable-result-path.asl.json': /Fin\/ResultPath/,
  'localstack__invalid-der.asl.json': /Invalid JSON/,
  'sfwc__sfn-iot-data-analytics-dataset-statemachine.asl.json': /Invalid JSON: Expected ','/,
};

const files = corpusFiles('asl-invalid', '.json');

describe.skipIf(files.length === 0)('invalid ASL corpus', () => {
  test('every file has an expected fault', () => {
    expect(files.length).toBe(27);
    for (const f of files) expect(FAULTS[f], f).toBeDefined();
  });
  test.each(files)('%s is rejected for its fault', (file) => {
    const result = checkAslText(readCorpus('asl-invalid', file), { name: file });
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.map((d) => d.message).join('\n')).toMatch(FAULTS[file]!);
  });
});
