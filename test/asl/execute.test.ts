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

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/**
 * An input that has a value at every JSONPath the machine reads (`$.body.userId`, `ItemsPath`,
 * Choice variables), at every depth, so that stubbed tasks returning it keep the paths valid after
 * InputPath narrows the input. Choice variables get the value of their first rule.
 */
function universalInput(definition: Json): Json {
  type Tree = Map<string, Tree | { leaf: Json }>;
  const root: Tree = new Map();
  const add = (path: string, leaf: Json): void => {
    const parts = path.split('.').slice(1).filter((p) => p !== '');
    let node = root;
    parts.forEach((p, i) => {
      const last = i === parts.length - 1;
      const cur = node.get(p);
      if (last) {
        if (!cur) node.set(p, { leaf });
        return;
      }
      if (!(cur instanceof Map)) node.set(p, new Map());
      node = node.get(p) as Tree;
    });
  };
  const walk = (v: Json, key: string): void => {
    if (typeof v === 'string') {
      for (const m of v.matchAll(/(?<![$\w])\$((?:\.[A-Za-z_][A-Za-z0-9_]*)+)/g)) add(`$${m[1]}`, key === 'ItemsPath' ? [] : 0);
      // JSONata expressions read the input as $states.input.a.b.
      for (const m of v.matchAll(/\$states\.input((?:\.[A-Za-z_][A-Za-z0-9_]*)+)/g)) add(`$${m[1]}`, 0);
    } else if (Array.isArray(v)) v.forEach((x) => walk(x, key));
    else if (v && typeof v === 'object') {
      if (typeof v.Variable === 'string') {
        const cmp = Object.entries(v).find(([k]) => /Equals$|Than|Matches/.test(k) && !k.endsWith('Path'));
        if (cmp) add(v.Variable, cmp[1]);
      }
      for (const [k, x] of Object.entries(v)) walk(x, k);
    }
  };
  walk(definition, '');
  const build = (tree: Tree, depth: number): { [k: string]: Json } => {
    if (depth < 0) return {};
    const out: { [k: string]: Json } = depth > 0 ? build(root, depth - 1) : {};
    for (const [k, child] of tree) {
      if (child instanceof Map) out[k] = build(child, depth - 1);
      else out[k] = Array.isArray(child.leaf) ? [build(root, depth - 1), build(root, depth - 1)] : child.leaf;
    }
    return out;
  };
  return build(root, 3);
}

/** Names of the states of a given type, at any depth. */
function statesOfType(sm: Json, type: string, out: string[] = []): string[] {
  if (Array.isArray(sm)) for (const x of sm) statesOfType(x, type, out);
  else if (sm && typeof sm === 'object') {
    const states = sm.States;
    if (states && typeof states === 'object' && !Array.isArray(states)) {
      for (const [name, st] of Object.entries(states)) if (st && typeof st === 'object' && !Array.isArray(st) && st.Type === type) out.push(name);
    }
    for (const v of Object.values(sm)) statesOfType(v, type, out);
  }
  return out;
}

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
