// Properties of the core helpers that large inputs go through (fast-check):
// - sortDiagnostics gives the same order as a stable sort by start position, whatever the lines
//   (sparse, dense, many findings on one line, lines past the counting sort's range);
// - withinEditDistance agrees with editDistance for every bound.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { comparePositions, diagnostic, editDistance, sortDiagnostics, withinEditDistance, type Diagnostic } from '../../src/core/index.js';

const at = (line: number, character: number, id: number): Diagnostic =>
  diagnostic('asl-inferred', { start: { line, character }, end: { line, character } }, `finding ${id}`);

const positions = fc.oneof(
  fc.array(fc.tuple(fc.nat(40), fc.nat(8)), { maxLength: 200 }),
  fc.array(fc.tuple(fc.constant(0), fc.nat(100_000)), { maxLength: 300 }),
  fc.array(fc.tuple(fc.nat(5_000_000), fc.nat(2 ** 33)), { maxLength: 50 }),
);

describe('core helpers', () => {
  test('sortDiagnostics is a stable sort by start position', () => {
    fc.assert(
      fc.property(positions, (list) => {
        const input = list.map(([l, c], i) => at(l, c, i));
        const expected = input.map((d, i) => [d, i] as const).sort((a, b) => comparePositions(a[0].range.start, b[0].range.start) || a[1] - b[1]).map(([d]) => d);
        const sorted = sortDiagnostics(input);
        expect(sorted).toEqual(expected);
        expect(input.map((d) => d.message)).toEqual(list.map((_, i) => `finding ${i}`)); // the input is left as it was
      }),
      { numRuns: 300 },
    );
  });

  test('withinEditDistance(a, b, k) is editDistance(a, b) <= k', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), fc.nat(6), (a, b, k) => {
        expect(withinEditDistance(a, b, k)).toBe(editDistance(a, b) <= k);
      }),
      { numRuns: 2000 },
    );
    expect(withinEditDistance('Notify Customer', 'notify customer', 2)).toBe(true);
    expect(withinEditDistance('Notify Customer', 'Notify Costumer', 1)).toBe(false);
  });
});
