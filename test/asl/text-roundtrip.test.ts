// Through text: toAsl(parseDiagram(print(fromAsl(x)))) equals x for every corpus definition, and
// for every ASL-profile example, .fz -> ASL -> .fz gives back the same model.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { fromAsl, toAsl } from '../../src/asl/index.js';
import { parseDiagram, withoutRanges } from '../../src/model/index.js';
import { print } from '../../src/print/index.js';
import { corpusFiles, readCorpus, repoRoot, stateOrder } from './corpus-helpers.js';

const files = corpusFiles('asl', '.asl.json');

describe.skipIf(files.length === 0)('ASL corpus round trip through .fz text', () => {
  test.each(files)('%s', (file) => {
    const x = JSON.parse(readCorpus('asl', file)) as unknown;
    const text = print(fromAsl(x, { validate: false }).value);
    const parsed = parseDiagram(text);
    expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const back = toAsl(parsed.value, { validate: false }).value;
    expect(back).toEqual(x);
    expect(stateOrder(back)).toEqual(stateOrder(x));
  });
});

const examples = readdirSync(join(repoRoot, 'examples'))
  .filter((f) => f.endsWith('.fz'))
  .sort();

describe('examples: .fz -> ASL -> .fz', () => {
  test.each(examples)('%s', (file) => {
    const parsed = parseDiagram(readFileSync(join(repoRoot, 'examples', file), 'utf8'));
    if (parsed.diagnostics.some((d) => d.severity === 'error')) return;
    const asl = toAsl(parsed.value, { validate: false });
    if (asl.diagnostics.some((d) => d.code === 'asl-inferred')) {
      // A plain FlowZap diagram: its ASL is inferred; converting that ASL back and forth is stable.
      const again = toAsl(fromAsl(asl.value).value, { validate: false }).value;
      expect(again).toEqual(asl.value);
      return;
    }
    const back = fromAsl(asl.value).value;
    // The same model: same states, fields, transitions and nesting (ids, lanes and handles are fromAsl's).
    expect(toAsl(parseDiagram(print(back)).value, { validate: false }).value).toEqual(asl.value);
    expect(withoutRanges(parseDiagram(print(back)).value)).toEqual(withoutRanges(back));
  });
});
