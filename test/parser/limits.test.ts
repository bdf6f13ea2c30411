// Large and hostile inputs: they end in diagnostics (or parse cleanly), never in a crash or a hang.
// Time limits here only catch a hang or a quadratic blow-up; speed is measured by `npm run bench`.
import { describe, expect, test } from 'vitest';
import { parseDiagram } from '../../src/model/index.js';
import { parse } from '../../src/parser/index.js';
// @ts-expect-error: a plain JavaScript module shared with the benchmarks.
import { generateFz } from '../../bench/generate.mjs';

describe('limits', () => {
  test('a 10 MB file parses without a stack overflow', () => {
    const text: string = generateFz(10_000_000);
    expect(text.length).toBeGreaterThan(10_000_000);
    const result = parseDiagram(text);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.value.nodes.length).toBeGreaterThan(50_000);
  }, 120_000);

  test('a 4 MB single line', () => {
    const label = 'x'.repeat(4_000_000);
    const result = parseDiagram(`a { n1: circle label:"${label}" n2: rectangle label:"y" }`);
    expect(result.value.nodes[0]?.label?.length).toBe(4_000_000);
  });

  test('100 000 nested JSON arrays: one diagnostic, the rest of the file still read', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const result = parseDiagram(`a {\n  n1: rectangle label:"x" Type:"Pass" Result:${deep}\n  n2: circle label:"after"\n}\n`);
    expect(result.diagnostics.map((d) => d.code)).toContain('invalid-json');
    expect(result.value.nodes.map((n) => n.id)).toEqual(['n1', 'n2']);
  });

  test('100 000 nested node blocks', () => {
    const open = 'l { n1: rectangle label:"p" Type:"Parallel" {\n'.repeat(20_000);
    const result = parse(open);
    expect(result.diagnostics.length).toBeGreaterThan(0);
  });

  test('unbalanced JSON openers on one long line stay linear', () => {
    const text = 'a { n1: rectangle ' + 'K:['.repeat(200_000) + ' }';
    const result = parse(text);
    expect(result.diagnostics.length).toBeGreaterThan(0);
  }, 30_000);

  test('NUL bytes, lone surrogates and control characters', () => {
    const text = 'a {\u0000 n1: circle label:"\ud800\u0001\u001f" \u0000\u0000\n}\n\u0000';
    const result = parseDiagram(text);
    expect(result.diagnostics.every((d) => d.code === 'unexpected-character')).toBe(true);
    expect(result.value.nodes[0]?.label).toBe('\ud800\u0001\u001f');
  });

  test('a megabyte of random bytes decoded as text', () => {
    let seed = 7;
    const chars: string[] = [];
    for (let i = 0; i < 1_000_000; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      chars.push(String.fromCharCode(seed % 256));
    }
    const result = parseDiagram(chars.join(''));
    expect(result.diagnostics.length).toBeGreaterThan(0);
  }, 60_000);
});
