// Every example's ASL runs to the end in aws-local-stepfunctions, with each Task stubbed by a local
// handler: it reaches a Succeed (or End) or a Fail state of the diagram, never an interpreter error.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { toAsl } from '../../src/asl/index.js';
import { parseDiagram } from '../../src/model/index.js';
import { repoRoot, seedsDir } from './corpus-helpers.js';

import { runMachine, type Json } from '../helpers/run-asl.js';

function exampleFiles(): string[] {
  const dir = join(repoRoot, 'examples');
  const seed = join(seedsDir, 'orchestration-template.fz');
  const own = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.fz')).sort().map((f) => join(dir, f)) : [];
  return existsSync(seed) ? [...own, seed] : own;
}

const files = exampleFiles();

describe.skipIf(files.length === 0)('examples run in aws-local-stepfunctions', () => {
  test.each(files.map((f) => [f.split('/').slice(-2).join('/'), f]))('%s', async (_name, file) => {
    const parsed = parseDiagram(readFileSync(file, 'utf8'));
    const syntaxErrors = parsed.diagnostics.filter((d) => d.severity === 'error');
    if (syntaxErrors.length > 0) return; // an example of diagnostics, not a workflow
    const converted = toAsl(parsed.value);
    const errors = converted.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => `${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
    const result = await runMachine(converted.value as Json);
    if (!result.ok) expect(result.failState, String((result.error as Error).message)).toBe(true);
  });
});
