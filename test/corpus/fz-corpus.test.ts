// Every FlowZap sample of ../shared/corpus/fz parses; a sample is clean (no error) unless its manifest
// marks it as breaking FlowZap's rules, and then the errors found are the ones the manifest names.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseDiagram, withoutRanges } from '../../src/model/index.js';
import { print } from '../../src/print/index.js';
import { corpusAvailable, corpusDir } from '../helpers/paths.js';

const fzDir = join(corpusDir, 'fz');

interface Entry {
  file: string;
  lanes: number;
  nodes: number;
  edges: number;
  notes: string;
}

function manifest(): Entry[] {
  const [header, ...rows] = readFileSync(join(fzDir, 'MANIFEST.tsv'), 'utf8').trim().split('\n');
  const cols = header!.split('\t');
  return rows.map((row) => {
    const cells = row.split('\t');
    const get = (name: string) => cells[cols.indexOf(name)] ?? '';
    return { file: get('file'), lanes: Number(get('lanes')), nodes: Number(get('nodes')), edges: Number(get('edges')), notes: get('notes') };
  });
}

describe.runIf(corpusAvailable)('FlowZap corpus', () => {
  const entries = corpusAvailable ? manifest() : [];

  test('the manifest lists every sample', () => {
    const files = readdirSync(fzDir).filter((f) => f.endsWith('.fz')).sort();
    expect(entries.map((e) => e.file).sort()).toEqual(files);
    expect(files.length).toBeGreaterThanOrEqual(8);
  });

  test.each(entries.map((e) => [e.file, e] as const))('%s', (_file, entry) => {
    const text = readFileSync(join(fzDir, entry.file), 'utf8');
    const result = parseDiagram(text);
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    const model = result.value;
    expect(model.lanes.length).toBe(entry.lanes);
    expect(model.nodes.length).toBe(entry.nodes);
    expect(model.edges.length).toBe(entry.edges);

    // The manifest's own rule notes: syntax errors FlowZap reports, and the label-on-the-next-line variant.
    const expected = new Set<string>();
    if (entry.notes.includes('unknown shape')) expected.add('unknown-shape');
    if (entry.notes.includes('is not defined')) expected.add('undefined-node');
    expect(new Set(errors.map((d) => d.code))).toEqual(expected);
    // FlowZap warns about a lane label on the line after the brace, and so do we.
    const nextLine = result.diagnostics.filter((d) => d.code === 'lane-label-next-line');
    expect(nextLine.every((d) => d.severity === 'warning')).toBe(true);
    expect(nextLine.length > 0).toBe(entry.notes.includes('lane label on the line after the brace'));

    // Whatever its errors, the partial model prints and reads back as the same model.
    expect(withoutRanges(parseDiagram(print(model)).value)).toEqual(withoutRanges(model));
  });
});
