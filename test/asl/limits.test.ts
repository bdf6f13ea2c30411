// No ASL input can hang or overflow: nesting and size are bounded before anything recursive runs,
// deep Parallels are validated in bounded parts (linear in depth, findings still exact), the graph
// checks are linear, a YAML alias bomb is a located error, and both directions agree on the limit.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { checkAslText, fromAsl, toAsl } from '../../src/asl/index.js';
import { MAX_ASL_DEPTH, MAX_DEFINITION_BYTES, jsonDepthOffset, tooDeepPath } from '../../src/asl/limits.js';
import { parseDiagram } from '../../src/model/index.js';
import { print } from '../../src/print/index.js';
import { repoRoot } from '../helpers/paths.js';

type Machine = { StartAt: string; States: Record<string, unknown> };

/** `depth` Parallel states, each the only state of its parent's single branch. */
function nested(depth: number, innermost: Record<string, unknown> = { Type: 'Pass', End: true }): Machine {
  let m: Machine = { StartAt: 'Leaf', States: { Leaf: innermost } };
  for (let d = 1; d <= depth; d++) m = { StartAt: `P${d}`, States: { [`P${d}`]: { Type: 'Parallel', Branches: [m], End: true } } };
  return m;
}

function chain(n: number): Machine {
  const States: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) States[`S${i}`] = i < n - 1 ? { Type: 'Pass', Next: `S${i + 1}` } : { Type: 'Pass', End: true };
  return { StartAt: 'S0', States };
}

const codes = (text: string, name = 'x.asl.json'): string[] => checkAslText(text, { name }).diagnostics.map((d) => d.code);

describe('the depth limit', () => {
  test('jsonDepthOffset finds the bracket that opens the level past the limit, ignoring brackets in strings', () => {
    expect(jsonDepthOffset('[[["[[[[["]]]', 3)).toBe(-1);
    expect(jsonDepthOffset('{"a":[{"b":[1]}]}', 3)).toBe(11);
  });

  test('tooDeepPath names the path of the first value past the limit', () => {
    expect(tooDeepPath({ a: [{ b: [1] }] }, 3)).toEqual(['a', 0, 'b']);
    expect(tooDeepPath({ a: [{ b: 1 }] }, 3)).toBeUndefined();
  });

  test('a JSON array nested 100,000 deep is an error at the place the limit is crossed, not a stack overflow', () => {
    const r = checkAslText('['.repeat(100_000) + ']'.repeat(100_000), { name: 'deep.json' });
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]!.code).toBe('asl-too-deep');
    expect(r.diagnostics[0]!.range.start).toEqual({ line: 0, character: MAX_ASL_DEPTH });
  });

  test('YAML nested past the limit is reported the same way', () => {
    const yaml = 'StartAt: A\nStates:\n  A:\n    Type: Pass\n    End: true\n    Parameters: ' + '['.repeat(300) + ']'.repeat(300) + '\n';
    expect(codes(yaml, 'x.asl.yaml')).toEqual(['asl-too-deep']);
  });

  test('a value handed to the library (not text) is bounded too', () => {
    let v: unknown = 1;
    for (let i = 0; i < 50_000; i++) v = [v];
    const r = fromAsl({ StartAt: 'A', States: { A: { Type: 'Pass', Parameters: { x: v }, End: true } } });
    expect(r.diagnostics.map((d) => d.code)).toEqual(['asl-too-deep']);
  });

  test('from-asl and check agree: 49 nested Parallels convert, check clean and come back equal; 51 are refused by both', () => {
    const ok = nested(49);
    expect(codes(JSON.stringify(ok))).toEqual([]);
    const diagram = fromAsl(ok);
    expect(diagram.diagnostics).toEqual([]);
    const text = print(diagram.value);
    const reparsed = parseDiagram(text);
    expect(reparsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(toAsl(reparsed.value).value).toEqual(ok);

    const deep = JSON.stringify(nested(51));
    expect(codes(deep)).toEqual(['asl-too-deep']);
    expect(fromAsl(nested(51)).diagnostics.map((d) => d.code)).toEqual(['asl-too-deep']);
  });

  test('a diagram nested deeper than ASL allows is refused by to-asl with the same code', () => {
    const m = nested(60);
    // Written by hand as from-asl would write it, past what from-asl itself accepts.
    const fz = fzOfNested(60);
    const built = parseDiagram(fz);
    expect(built.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const r = toAsl(built.value);
    expect(r.diagnostics.map((d) => d.code)).toContain('asl-too-deep');
    expect(m.StartAt).toBe('P60');
  });
});

/** A `.fz` diagram of `depth` nested Parallel states (two braces per level). */
function fzOfNested(depth: number): string {
  let n = 0;
  const lines: string[] = ['machine { # State machine'];
  const open = (level: number, indent: string): void => {
    const start = `n${++n}`;
    lines.push(`${indent}${start}: circle label:"Start"`);
    if (level === 0) {
      const leaf = `n${++n}`;
      lines.push(`${indent}${leaf}: rectangle label:"Leaf" Type:"Pass" End:true`, `${indent}${start}.handle(right) -> ${leaf}.handle(left)`);
      return;
    }
    const p = `n${++n}`;
    lines.push(`${indent}${p}: rectangle label:"P${level}" Type:"Parallel" End:true {`, `${indent}  b${level} { # Branch 1`);
    open(level - 1, `${indent}    `);
    lines.push(`${indent}  }`, `${indent}}`, `${indent}${start}.handle(right) -> ${p}.handle(left)`);
  };
  open(depth, '  ');
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

describe('deep Parallels are validated in bounded parts', () => {
  test('a fault 18 levels down is still found, named by its whole path and located on its line', () => {
    const m = nested(18, { Type: 'Pass', End: true, ResultPath: 5 });
    const text = JSON.stringify(m, null, 1);
    const d = checkAslText(text, { name: 'x.asl.json' }).diagnostics;
    expect(d).toHaveLength(1);
    expect(d[0]!.code).toBe('asl-validator');
    expect(d[0]!.message).toMatch(/^asl-validator: \/States\/P18\/Branches\/0\/States\/P17\/.*\/States\/Leaf\/ResultPath is invalid/);
    const line = text.split('\n')[d[0]!.range.start.line]!;
    expect(line).toContain('"ResultPath"');
  });

  test('each part of a deep definition is validated: a fault in every part is found', () => {
    // Parts hold 12 levels each: P30–P19, P18–P7, P6–Leaf. asl-validator reports one fault per call.
    let m: Machine = { StartAt: 'Leaf', States: { Leaf: { Type: 'Pass', End: true, ResultPath: 1 } } };
    for (let d = 1; d <= 30; d++) {
      const state: Record<string, unknown> = { Type: 'Parallel', Branches: [m], End: true };
      if (d === 18 || d === 30) state.OutputPath = 7;
      m = { StartAt: `P${d}`, States: { [`P${d}`]: state } };
    }
    const found = checkAslText(JSON.stringify(m), { name: 'x.asl.json' }).diagnostics.map((d) => /\/(P\d+|Leaf)\/(ResultPath|OutputPath) is invalid/.exec(d.message)?.slice(1).join(' '));
    expect(found.sort()).toEqual(['Leaf ResultPath', 'P18 OutputPath', 'P30 OutputPath']);
  });
});

describe('size', () => {
  test('a definition over 1 MiB is refused as AWS refuses it; the own checks still run (linear: 100,000 states)', () => {
    const m = chain(100_000);
    m.States.Orphan = { Type: 'Succeed' };
    const text = JSON.stringify(m);
    expect(text.length).toBeGreaterThan(MAX_DEFINITION_BYTES);
    expect(codes(text).sort()).toEqual(['asl-too-large', 'asl-unreachable-state']);
  });

  test('thousands of findings in a large file are each located on their own line', () => {
    const States: Record<string, unknown> = { S0: { Type: 'Succeed' } };
    for (let i = 1; i <= 20_000; i++) States[`S${i}`] = { Type: 'Succeed' };
    const text = JSON.stringify({ StartAt: 'S0', States }, null, 1);
    const found = checkAslText(text, { name: 'x.asl.json' }).diagnostics.filter((d) => d.code === 'asl-unreachable-state');
    expect(found).toHaveLength(20_000);
    expect(text.split('\n')[found[19_999]!.range.start.line]).toContain('"S20000"');
  });

  test('a chain of 20,000 states (within the quota) checks clean', () => {
    const m = chain(20_000);
    const text = JSON.stringify(m);
    expect(text.length).toBeLessThan(MAX_DEFINITION_BYTES);
    expect(codes(text)).toEqual([]);
    // Validated in chunks, asl-validator still sees every state: a fault in the last chunk is found.
    (m.States.S19990 as Record<string, unknown>).InputPath = 3;
    expect(codes(JSON.stringify(m))).toEqual(['asl-validator']);
  });
});

describe('the command line', () => {
  const bin = join(repoRoot, 'bin', 'flowlane.js');
  const run = (args: string[], cwd: string) => spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });

  test('a YAML alias bomb is asl-invalid-input at the first alias, exit 1, no stack', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowlane-limits-'));
    const rows = ['a: &a [x,x,x,x,x,x,x,x,x]'];
    for (const [prev, name] of [['a', 'b'], ['b', 'c'], ['c', 'd'], ['d', 'e']]) rows.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    rows.push(`f: [${Array(9).fill('*e').join(',')}]`);
    writeFileSync(join(dir, 'bomb.yaml'), `${rows.join('\n')}\n`);
    for (const args of [['check', 'bomb.yaml'], ['from-asl', 'bomb.yaml']]) {
      const r = run(args, dir);
      expect(r.status).toBe(1);
      expect(r.stdout + r.stderr).toMatch(/^bomb\.yaml:2:8: error: Invalid YAML: its aliases expand to too much data.*\[asl-invalid-input\]$/m);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  test('from-asl of 51 nested Parallels writes nothing and says where', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowlane-limits-'));
    writeFileSync(join(dir, 'deep.asl.json'), JSON.stringify(nested(51), null, 1));
    const r = run(['from-asl', 'deep.asl.json', '-o', 'deep.fz'], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^deep\.asl\.json:\d+:\d+: error: .*nested deeper than 200 levels.*\[asl-too-deep\]$/m);
    expect(spawnSync('ls', [dir], { encoding: 'utf8' }).stdout.trim()).toBe('deep.asl.json');
  });
});
