// asl-validator compiles its schemas once per process here (validate.ts reuses the Ajv it compiled
// at the first call). Reuse must not carry anything from one definition to the next, must keep the
// path and ARN formats working, and must leave Ajv as it was for every other user.
import { createRequire } from 'node:module';
import { describe, expect, test } from 'vitest';
import { validateAsl } from '../../src/asl/index.js';
import type { JsonValue } from '../../src/core/index.js';

const locate = () => ({ start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
const findings = (definition: JsonValue): string[] => validateAsl(definition, locate).filter((d) => d.severity === 'error').map((d) => d.message);

const valid: JsonValue = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Succeed' } } };
const badPath: JsonValue = { StartAt: 'A', States: { A: { Type: 'Pass', InputPath: 'not a path', End: true } } };
const badArn: JsonValue = { StartAt: 'A', States: { A: { Type: 'Task', Resource: 'arn:aws:lambda:nowhere', End: true } } };
const badRetry: JsonValue = { StartAt: 'A', States: { A: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 'soon' }], End: true } } };

describe('asl-validator with its schemas compiled once', () => {
  test('each definition gets its own findings, in any order, again and again', () => {
    const first = [badPath, valid, badArn, badRetry].map(findings);
    expect(first[0]!.join()).toMatch(/InputPath/);
    expect(first[1]).toEqual([]);
    expect(first[2]!.join()).toMatch(/Resource/);
    expect(first[3]!.join()).toMatch(/IntervalSeconds/);
    // The same definitions in the reverse order (as fresh objects: nothing is cached by identity).
    const again = [badRetry, badArn, valid, badPath].map((d) => findings(structuredClone(d))).reverse();
    expect(again).toEqual(first);
  });

  test('Ajv is the same class for everyone else once a validation is over', () => {
    findings(badPath);
    const require = createRequire(import.meta.url);
    const ajvExport = require('ajv') as { default: unknown; Ajv: unknown };
    expect(ajvExport.default).toBe(ajvExport);
    expect(ajvExport.Ajv).toBe(ajvExport);
    // And a new Ajv made outside is a fresh instance, not the validator's.
    const AjvClass = ajvExport.default as new () => { getSchema(ref: string): unknown };
    expect(new AjvClass().getSchema('http://asl-validator.cloud/state-machine.json#')).toBeUndefined();
  });
});
