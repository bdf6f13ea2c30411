// JSON files are located by a scan of their own text (src/asl/json-locate.ts) instead of a YAML
// parse: the ranges must be exactly those the YAML locator gives for the same text (JSON is YAML),
// for every path of the examples' state machines and of hand-written awkward documents.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadAsl, toAsl } from '../../src/asl/index.js';
import type { JsonValue } from '../../src/core/index.js';
import { parseDiagram } from '../../src/model/index.js';
import { repoRoot } from '../helpers/paths.js';

function paths(v: JsonValue, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...prefix, i], out));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...prefix, k], out);
  return out;
}

function expectSameRanges(text: string): number {
  const json = loadAsl(text, { name: 'x.json' }).value;
  const yaml = loadAsl(text, { name: 'x.yaml' }).value;
  const all = paths(JSON.parse(text) as JsonValue);
  for (const p of all) expect(json.locate(p), JSON.stringify(p)).toEqual(yaml.locate(p));
  // A path that leaves the document ends at its deepest part, as before.
  expect(json.locate(['States', 'nope', 'x'])).toEqual(yaml.locate(['States', 'nope', 'x']));
  return all.length;
}

describe('the JSON locator agrees with the YAML one', () => {
  const examples = readdirSync(join(repoRoot, 'examples')).filter((f) => f.endsWith('.fz'));
  test.each(examples)('%s as ASL, indented and compact', (file) => {
    const machine = toAsl(parseDiagram(readFileSync(join(repoRoot, 'examples', file), 'utf8')).value, { validate: false }).value;
    expect(expectSameRanges(JSON.stringify(machine, null, 2))).toBeGreaterThan(5);
    expectSameRanges(JSON.stringify(machine));
  });

  test('escaped keys, repeated keys, strings with brackets, numbers and literals', () => {
    const text = '{\n "StartAt": "A\\"}",\n "States": {"A\\"}": {"Type":"Pass","End":true,"Parameters":{"x.$":"$[0]","n":-1.5e3,"b":[true,false,null,[],{}]}},\n "A\\u0042": {"Type":"Succeed"}, "A\\u0042": {"Type":"Fail"}}\n}\n';
    expectSameRanges(text);
  });
});
