// Every example, through every stage of the language core, pinned by golden files under
// test/golden/<example>/ (accept changes with `npx vitest run -u` and review the diff like code).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from '../../src/parser/index.js';
import { buildModel, parseDiagram, withoutRanges } from '../../src/model/index.js';
import { print } from '../../src/print/index.js';
import { exampleFiles, examplesDir, repoRoot } from '../helpers/paths.js';

const golden = (example: string, file: string) => join(repoRoot, 'test', 'golden', example.replace(/\.fz$/, ''), file);

describe.each(exampleFiles())('%s', (file) => {
  const text = readFileSync(join(examplesDir, file), 'utf8');

  test('parses without errors or warnings', () => {
    const result = parseDiagram(text);
    expect(result.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
  });

  test('AST and model match their golden files', async () => {
    const ast = parse(text);
    await expect(JSON.stringify(ast.value, null, 2) + '\n').toMatchFileSnapshot(golden(file, 'ast.json'));
    const model = buildModel(ast.value);
    await expect(JSON.stringify(model.value, null, 2) + '\n').toMatchFileSnapshot(golden(file, 'model.json'));
  });

  test('is in canonical form, and formatting is stable', () => {
    const once = print(parseDiagram(text).value);
    expect(once).toBe(text);
    expect(print(parseDiagram(once).value)).toBe(once);
  });

  test('printing and parsing give back the same model', () => {
    const model = parseDiagram(text).value;
    expect(withoutRanges(parseDiagram(print(model)).value)).toEqual(withoutRanges(model));
  });
});
