// A label of megabytes is text like any other: no stack overflow in the lexer's string patterns
// (an alternation inside `*` recursed per character in V8's regexp engine), in any token that holds one.
import { describe, expect, test } from 'vitest';
import { parseDiagram } from '../../src/model/index.js';

const MiB = 1024 * 1024;

describe('strings of 10 MiB', () => {
  test.each([
    ['a label on a node line', (s: string) => `a { # A\n  n1: rectangle label:"${s}"\n}\n`],
    ['a label after other attributes', (s: string) => `a { # A\n  n1: rectangle Type:"Pass" label:"${s}"\n}\n`],
    ['an edge label', (s: string) => `a { # A\n  n1: circle label:"S"\n  n2: circle label:"E"\n  n1.handle(right) -> n2.handle(left) [label="${s}"]\n}\n`],
    ['a JSON string value', (s: string) => `a { # A\n  n1: rectangle label:"S" Parameters:{"x": "${s}"}\n}\n`],
  ])('%s parses, and keeps every character', (_what, wrap) => {
    for (const s of ['x'.repeat(10 * MiB), 'ab\\"'.repeat((10 * MiB) / 4)]) {
      const r = parseDiagram(wrap(s));
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const text = JSON.stringify(r.value);
      expect(text.length).toBeGreaterThan(s.length);
    }
  });

  test('an unterminated string of 10 MiB is reported at its line', () => {
    const r = parseDiagram(`a { # A\n  n1: rectangle label:"${'x'.repeat(10 * MiB)}\n}\n`);
    const d = r.diagnostics.find((x) => x.code === 'unterminated-string');
    expect(d?.range.start.line).toBe(1);
  });
});
