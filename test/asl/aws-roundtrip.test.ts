// Over the real corpus (../shared/corpus/asl), through the commands' own conversion functions and with
// validation on: every definition the shared judgement accepts (what AWS accepts) goes .fz and back
// exactly, and to-asl never refuses from-asl's output; every definition it rejects is refused by
// from-asl with the very errors `check` prints. The rejected ones are exactly the four the corpus
// manifest marks as deliberately invalid in their source.
import { describe, expect, test } from 'vitest';
import { checkAslText } from '../../src/asl/index.js';
import { convertFromAslText, convertToAslText } from '../../src/cli/convert.js';
import { formatDiagnostic } from '../../src/cli/io.js';
import { corpusFiles, readCorpus, stateOrder } from './corpus-helpers.js';

const files = corpusFiles('asl', '.asl.json');

/** asl-validator 4.0.0's own verdict (ARN and path checks on), as the manifest records it: running it costs 0.5 s a file. */
const validatorVerdict = new Map(
  files.length === 0
    ? []
    : readCorpus('asl', 'MANIFEST.tsv')
        .trim()
        .split('\n')
        .slice(1)
        .map((row) => row.split('\t'))
        .map((cells) => [cells[0]!, cells[5]!] as const),
);

/** What AWS rejects in the corpus: test inputs their sources mean to fail (manifest notes). */
const AWS_REJECTS = new Set([
  'localstack__assign--task-retry-reference-exception.asl.json', // Retry IntervalSeconds "$intervalSeconds": the test expects the exception
  'localstack__test-state--base-invalid-state-definition.asl.json', // Type "TypeThatDoesNotExist"
  'nibble__statemachine-test--2870.asl.json', // Type "InvalidType", an unknown top-level field
  'sfnworkshop__module-5--step-4--index-pt--block0.asl.json', // a "**BLANK**" to fill in as Next
]);

const tally = { accepted: 0, exact: 0, validatorRejects: 0, validatorRejectsAccepted: 0 };

describe.skipIf(files.length === 0)('ASL corpus: AWS-accepted definitions round-trip with validation on', () => {
  test.each(files)('%s', { timeout: 120_000 }, (file) => {
    const text = readCorpus('asl', file);
    const x = JSON.parse(text) as unknown;
    const checked = checkAslText(text, { name: file }).diagnostics;
    const errors = checked.filter((d) => d.severity === 'error');
    const validatorRejects = validatorVerdict.get(file) === 'fail';
    if (validatorRejects) tally.validatorRejects++;
    const fz = convertFromAslText(text, file);
    if (AWS_REJECTS.has(file)) {
      expect(errors.length).toBeGreaterThan(0);
      // Refused, with the same located errors as check.
      expect(fz.text).toBeUndefined();
      const shown = (ds: typeof checked) => ds.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(file, d));
      expect(shown(fz.diagnostics)).toEqual(shown(checked));
      return;
    }
    expect(errors.map((d) => formatDiagnostic(file, d))).toEqual([]);
    tally.accepted++;
    if (validatorRejects) tally.validatorRejectsAccepted++;
    expect(fz.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const back = convertToAslText(fz.text!);
    expect(back.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
    const y = JSON.parse(back.text!) as unknown;
    expect(y).toEqual(x);
    expect(stateOrder(y)).toEqual(stateOrder(x));
    tally.exact++;
  });

  test('counts', () => {
    // Measured on this corpus: 514 of 518 accepted, all 514 exact; asl-validator rejects 62, of which 58 AWS accepts.
    expect(tally.accepted).toBe(files.length - AWS_REJECTS.size);
    expect(tally.exact).toBe(tally.accepted);
    expect(tally.validatorRejectsAccepted).toBe(tally.validatorRejects - AWS_REJECTS.size);
    console.log(`ASL corpus: ${tally.exact}/${tally.accepted} AWS-accepted definitions round-trip exactly (${files.length} in all); asl-validator rejects ${tally.validatorRejects}, of which ${tally.validatorRejectsAccepted} are accepted`);
  });
});
