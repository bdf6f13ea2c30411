// Lossless round trip over the real ASL corpus in ../shared/corpus/asl: toAsl(fromAsl(x)) equals x
// (key order aside; array order and States order kept), and the YAML originals read as their JSON.
import { describe, expect, test } from 'vitest';
import { fromAsl, loadAsl, toAsl } from '../../src/asl/index.js';
import { corpusFiles, readCorpus, stateOrder } from './corpus-helpers.js';

const files = corpusFiles('asl', '.asl.json');

describe.skipIf(files.length === 0)('ASL corpus round trip', () => {
  test('the corpus is there', () => {
    expect(files.length).toBeGreaterThanOrEqual(500);
  });
  test.each(files)('%s', (file) => {
    const x = JSON.parse(readCorpus('asl', file)) as unknown;
    const diagram = fromAsl(x, { validate: false }).value;
    const back = toAsl(diagram, { validate: false }).value;
    expect(back).toEqual(x);
    expect(stateOrder(back)).toEqual(stateOrder(x));
  });
});

const yamlFiles = corpusFiles('asl', '.asl.yaml');
describe.skipIf(yamlFiles.length === 0)('ASL corpus YAML originals', () => {
  test.each(yamlFiles)('%s reads as its JSON conversion', (file) => {
    const loaded = loadAsl(readCorpus('asl', file), { name: file });
    expect(loaded.diagnostics).toEqual([]);
    const json = JSON.parse(readCorpus('asl', file.replace(/\.yaml$/, '.json'))) as unknown;
    expect(loaded.value.definition).toEqual(json);
  });
});
