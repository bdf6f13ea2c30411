// The incremental parser gives exactly what parseDiagram gives (model, ranges and diagnostics), on
// the examples, on large generated machines, and along a fast-check stream of random edits.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutChunks, IncrementalParser } from '../../src/language/incremental.js';
import { parseDiagram } from '../../src/model/index.js';
// @ts-expect-error the bench is plain JavaScript
import { generateMachine } from '../../bench/40-lsp.bench.mjs';

const examples = join(import.meta.dirname, '..', '..', 'examples');
const corpus: string[] = existsSync(examples) ? readdirSync(examples).filter((f) => f.endsWith('.fz')).map((f) => readFileSync(join(examples, f), 'utf8')) : [];

function same(p: IncrementalParser, text: string): void {
  const a = p.parse(text);
  const b = parseDiagram(text);
  expect(JSON.stringify(a.value)).toBe(JSON.stringify(b.value));
  expect(JSON.stringify(a.diagnostics)).toBe(JSON.stringify(b.diagnostics));
}

/** Random edits of `base` (delete up to `maxDelete` characters, insert one of `pieces`), each checked with `same`. */
function sameAlongRandomEdits(base: string, pieces: string[], { maxDelete, maxEdits }: { maxDelete: number; maxEdits: number }): void {
  const p = new IncrementalParser(0);
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.nat(), fc.nat(maxDelete), fc.constantFrom(...pieces)), { minLength: 1, maxLength: maxEdits }), (edits) => {
      let text = base;
      for (const [at, del, ins] of edits) {
        const start = at % (text.length + 1);
        text = text.slice(0, start) + ins + text.slice(Math.min(text.length, start + del));
        same(p, text);
      }
    }),
    { numRuns: 40 },
  );
}

describe('incremental parsing', () => {
  it('cuts after each closing top-level brace, not inside strings, comments, labels or loop texts', () => {
    const text = 'a { # x {\n  n1: circle label:"}"\n  // }\n  loop [ } ] n1\n}\nb {\n}\nn1.handle(right) -> n2.handle(left)\n';
    expect(cutChunks(text).map((c) => c.line)).toEqual([0, 5, 7]);
    expect(cutChunks(text).map((c) => c.text).join('')).toBe(text);
  });

  it('equals parseDiagram on every example and on their concatenation', () => {
    const p = new IncrementalParser(0);
    for (const t of corpus) same(p, t);
    same(p, corpus.join('\n'));
  });

  it('gives the nodes of a renamed lane its new id, though their statements were not parsed again', () => {
    const p = new IncrementalParser(0);
    const text = generateMachine(400) as string;
    same(p, text);
    const renamed = text.replace('L1 { # Lane 1', 'Lx { # Lane 1').replaceAll('L1.n', 'Lx.n');
    same(p, renamed);
    const model = p.parse(renamed).value;
    expect(model.nodes.filter((n) => n.lane === 'Lx').length).toBeGreaterThan(50);
    expect(model.nodes.some((n) => n.lane === 'L1')).toBe(false);
    // And back: the cached statements serve the old name again.
    same(p, text);
  });

  it('reports an unchanged statement\'s own mistakes on every parse, not only on the first', () => {
    const p = new IncrementalParser(0);
    const text = (generateMachine(400) as string).replace('n7: rectangle', 'n7: rectangel');
    const first = p.parse(text).diagnostics.map((d) => d.code);
    expect(first).toContain('unknown-shape');
    const edited = text.replace('label:"Task 200"', 'label:"Task 200 edited"');
    expect(p.parse(edited).diagnostics.map((d) => d.code)).toEqual(first);
    same(p, edited);
  });

  it('equals parseDiagram on a large machine, before and after an edit in one lane', () => {
    const p = new IncrementalParser(0);
    const text = generateMachine(400) as string;
    same(p, text);
    same(p, text.replace('label:"Task 10"', 'label:"Task 10 edited"'));
    same(p, text.replace('n5: rectangle', 'n5: rectangel'));
    same(p, text.replace('}\nL2 {', '\nL2 {'));
    // The same lane text twice (a pasted copy), then a line added above both.
    const lane0 = text.slice(0, text.indexOf('L1 {'));
    same(p, lane0 + lane0 + text);
    same(p, `// top\n${lane0}${lane0}${text}`);
  });

  it('re-parses only a few statements of a long lane after an edit inside it', () => {
    const p = new IncrementalParser(0);
    const text = generateMachine(800) as string;
    same(p, text);
    expect(p.stats.whole).toBe(0);
    const before = { ...p.stats };
    const edited = text.replace('label:"Task 200"', 'label:"Task 200 (edited)"');
    same(p, edited);
    expect(p.stats.whole).toBe(0);
    expect(p.stats.chunks - before.chunks).toBe(0);
    expect(p.stats.segments - before.segments).toBeLessThanOrEqual(2);
    // A new line shifts what follows: the segments are reused, only moved.
    const more = before.segments;
    same(p, edited.replace('label:"Task 300"', 'label:"Task 300"\n  // a note'));
    expect(p.stats.segments - more).toBeLessThanOrEqual(4);
  });

  it('equals parseDiagram along random edits inside long lanes', () => {
    const pieces = ['{', '}', '"', '\n', '[', ']', '// c\n', '# l\n', 'loop [a] n1\n', '  n1.handle(right) -> n2.handle(left)\n', '  n999: circle\n', ' Retry:[\n{"a":1}\n]\n', ' '];
    sameAlongRandomEdits(generateMachine(240) as string, pieces, { maxDelete: 30, maxEdits: 5 });
  });

  it('equals parseDiagram along random edits', () => {
    const base = [generateMachine(30) as string, ...corpus.slice(0, 3)].join('\n// between\n');
    const pieces = ['{', '}', '"', '\n', '}\n', 'x {\n', '// c\n', '# l\n', 'loop [a] n1\n', 'n1.handle(right) -> n2.handle(left)\n', 'n99: circle\n', ' '];
    sameAlongRandomEdits(base, pieces, { maxDelete: 20, maxEdits: 6 });
  });
});
