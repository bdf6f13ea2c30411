// The formatter never changes what a file means: two lanes with one id are refused (the printer would
// give each the nodes of both, doubling them on every run), and a top-level edge keeps its place among
// the lanes, so a Choice's rules and a state's Catch entries keep their order through `fmt`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { format, toAsl } from '../../src/api/index.js';
import { formatDocument } from '../../src/language/actions.js';
import { analyze } from '../../src/language/document.js';
import { repoRoot } from '../helpers/paths.js';

const bin = join(repoRoot, 'bin', 'flowlane.js');
const DUPLICATE = 'L { # X\n  n1: circle label:"S"\n}\nL { # Y\n  n2: circle label:"T"\n}\n';
const CHOICE = [
  'm { # M',
  '  n1: diamond label:"x?" Type:"Choice"',
  '  n2: rectangle label:"Pos" Type:"Pass" End:true',
  '}',
  'n1.handle(right) -> n2.handle(left) [label="x>0" Choice={"Variable":"$.x","NumericGreaterThan":0}]',
  'b { # B',
  '  n3: rectangle label:"Big" Type:"Pass" End:true',
  '  n1.handle(bottom) -> b.n3.handle(top) [label="x>10" Choice={"Variable":"$.x","NumericGreaterThan":10}]',
  '}',
  '',
].join('\n');

describe('duplicate lane ids', () => {
  test('fmt --write refuses the file and leaves it as it was', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowlane-fmt-dup-'));
    const file = join(dir, 'd.fz');
    writeFileSync(file, DUPLICATE);
    const r = spawnSync(process.execPath, [bin, 'fmt', '--write', file], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/d\.fz:4:1: error: .*\[duplicate-lane-id\]/);
    expect(readFileSync(file, 'utf8')).toBe(DUPLICATE);
  });

  test('the library refuses it, and the editor offers no formatting edit', () => {
    const r = format(DUPLICATE);
    expect(r.ok).toBe(false);
    expect(r.value).toBe(DUPLICATE);
    expect(formatDocument(analyze(DUPLICATE))).toEqual([]);
  });
});

describe('edge order survives formatting', () => {
  test('a top-level edge written between lanes keeps the Choice rules in order', () => {
    const before = toAsl(CHOICE);
    const formatted = format(CHOICE);
    expect(formatted.ok).toBe(true);
    const after = toAsl(formatted.value);
    expect((after.value as { States: Record<string, { Choices: { Next: string }[] }> }).States['x?']!.Choices.map((c) => c.Next)).toEqual(['Pos', 'Big']);
    expect(after.value).toEqual(before.value);
    expect(format(formatted.value).value).toBe(formatted.value);
  });

  test('property: toAsl(format(x)) equals toAsl(x), and format is idempotent', () => {
    // Diagrams of two or three lanes whose Choice edges are written at top level before, between or
    // after the lanes, or inside them, in any order.
    const edge = fc.record({ target: fc.integer({ min: 2, max: 4 }), threshold: fc.integer({ min: 0, max: 99 }), where: fc.integer({ min: 0, max: 3 }) });
    fc.assert(
      fc.property(fc.array(edge, { minLength: 1, maxLength: 6 }), (edges) => {
        const lanes = [
          { id: 'a', nodes: ['  n1: diamond label:"x?" Type:"Choice"', '  n2: rectangle label:"Two" Type:"Pass" End:true'], edges: [] as string[] },
          { id: 'b', nodes: ['  n3: rectangle label:"Three" Type:"Pass" End:true'], edges: [] as string[] },
          { id: 'c', nodes: ['  n4: rectangle label:"Four" Type:"Pass" End:true'], edges: [] as string[] },
        ];
        const top: string[][] = [[], [], [], []];
        edges.forEach((e, i) => {
          const lane = e.target === 2 ? 'a' : e.target === 3 ? 'b' : 'c';
          const text = `n1.handle(right) -> ${lane}.n${e.target}.handle(left) [label="r${i}" Choice={"Variable":"$.x","NumericGreaterThan":${e.threshold}}]`;
          if (e.where === 3) lanes[0]!.edges.push(`  ${text}`);
          else top[e.where]!.push(text);
        });
        const parts: string[] = [];
        lanes.forEach((l, i) => {
          parts.push(...top[i]!);
          parts.push(`${l.id} { # ${l.id.toUpperCase()}`, ...l.nodes, ...l.edges, '}');
        });
        parts.push(...top[3]!);
        const text = `${parts.join('\n')}\n`;
        const formatted = format(text);
        expect(formatted.ok).toBe(true);
        expect(format(formatted.value).value).toBe(formatted.value);
        const a = toAsl(text);
        const b = toAsl(formatted.value);
        expect(b.ok).toBe(a.ok);
        expect(b.value).toEqual(a.value);
      }),
      { numRuns: 200, seed: 17 },
    );
  });
});
