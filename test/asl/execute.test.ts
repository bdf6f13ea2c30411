// Every example's ASL runs to the end in flowlane's own interpreter (src/run), with each Task answered
// by a local handler: it reaches a Succeed (or End) or a Fail state of the diagram, never an
// interpreter error. (aws-local-stepfunctions, used here before, implements neither JSONata nor
// variables: it ran feature-jsonata's Choice into its Fail state.)
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { toAsl } from '../../src/asl/index.js';
import { parseDiagram } from '../../src/model/index.js';
import { repoRoot, seedsDir } from './corpus-helpers.js';

import { runStateMachine } from '../../src/run/index.js';
import { statesOfType, universalInput, type Json } from '../helpers/asl-inputs.js';

/** Runs a definition with every Task answering the universal input; the run's result and the Fail states' names. */
export async function runMachine(definition: Json) {
  const input = universalInput(definition);
  const result = await runStateMachine(definition, { input: structuredClone(input), resolveTask: async () => structuredClone(input) });
  return { result, failStates: statesOfType(definition, 'Fail') };
}

function exampleFiles(): string[] {
  const dir = join(repoRoot, 'examples');
  const seed = join(seedsDir, 'orchestration-template.fz');
  const own = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.fz')).sort().map((f) => join(dir, f)) : [];
  return existsSync(seed) ? [...own, seed] : own;
}

const files = exampleFiles();

describe.skipIf(files.length === 0)('examples run in flowlane run', () => {
  test.each(files.map((f) => [f.split('/').slice(-2).join('/'), f]))('%s', async (_name, file) => {
    const parsed = parseDiagram(readFileSync(file, 'utf8'));
    const syntaxErrors = parsed.diagnostics.filter((d) => d.severity === 'error');
    if (syntaxErrors.length > 0) return; // an example of diagnostics, not a workflow
    const converted = toAsl(parsed.value);
    const errors = converted.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => `${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
    const { result, failStates } = await runMachine(converted.value as Json);
    const last = result.states.at(-1);
    // It ends where the diagram draws an end: succeeded, or failed in one of the diagram's Fail states.
    if (result.status !== 'SUCCEEDED') expect({ status: result.status, error: result.error, cause: result.cause, failedIn: failStates.includes(last ?? '') ? 'a Fail state' : last }).toMatchObject({ status: 'FAILED', failedIn: 'a Fail state' });
    expect(result.states.length).toBeGreaterThan(0);
  });
});
