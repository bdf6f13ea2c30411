// Golden files for the four seed workflows, both directions, in test/golden/asl/<name>/:
// `to-asl.asl.json` (the diagram converted to ASL, with `to-asl.diagnostics.txt` listing the
// inferences) and `from-asl.fz` (that ASL, or the published definition, drawn as a diagram).
// Accept changes with `npx vitest run test/asl -u` and review the diff.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { fromAsl, toAsl } from '../../src/asl/index.js';
import { parseDiagram } from '../../src/model/index.js';
import { print } from '../../src/print/index.js';
import { repoRoot, seedsDir } from './corpus-helpers.js';

const golden = (name: string, file: string): string => join(repoRoot, 'test', 'golden', 'asl', name, file);

/** The seed workflows as `.fz`: the examples written for seeds 1-3 and the published template of seed 4. */
const DIAGRAMS: Array<[string, string]> = [
  ['microservices', join(repoRoot, 'examples', 'microservices.fz')],
  ['game-housekeeping', join(repoRoot, 'examples', 'game-housekeeping.fz')],
  ['image-processing', join(repoRoot, 'examples', 'image-processing.fz')],
  ['lottery', join(repoRoot, 'examples', 'lottery.fz')],
  ['orchestration-template', join(seedsDir, 'orchestration-template.fz')],
];

describe('seed workflows: .fz -> ASL -> .fz', () => {
  test.each(DIAGRAMS.filter(([, f]) => existsSync(f)))('%s', async (name, file) => {
    const parsed = parseDiagram(readFileSync(file, 'utf8'));
    expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const asl = toAsl(parsed.value);
    expect(asl.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const notes = asl.diagnostics.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity}: ${d.message} [${d.code}]`).join('\n');
    await expect(`${JSON.stringify(asl.value, null, 2)}\n`).toMatchFileSnapshot(golden(name, 'to-asl.asl.json'));
    await expect(`${notes}\n`).toMatchFileSnapshot(golden(name, 'to-asl.diagnostics.txt'));
    const fz = print(fromAsl(asl.value).value);
    await expect(fz).toMatchFileSnapshot(golden(name, 'from-asl.fz'));
    // And back: the drawn diagram converts to the same ASL.
    expect(toAsl(parseDiagram(fz).value, { validate: false }).value).toEqual(asl.value);
  });
});

describe('seed definition: lottery.asl.json -> .fz -> ASL', () => {
  const seed = join(seedsDir, 'lottery.asl.json');
  test.skipIf(!existsSync(seed))('the published lottery keeps its placeholder ARNs', async () => {
    const x = JSON.parse(readFileSync(seed, 'utf8')) as unknown;
    const converted = fromAsl(x);
    expect(converted.diagnostics).toEqual([]);
    const fz = print(converted.value);
    await expect(fz).toMatchFileSnapshot(golden('lottery-published', 'from-asl.fz'));
    expect(fz).toContain('Resource:"<RandomSelectWinners:ARN>"');
    const back = toAsl(parseDiagram(fz).value);
    expect(back.value).toEqual(x);
    // Placeholder resources pass asl-validator (ARN checks off for them): no error.
    expect(back.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    await expect(`${JSON.stringify(back.value, null, 2)}\n`).toMatchFileSnapshot(golden('lottery-published', 'to-asl.asl.json'));
  });
});
