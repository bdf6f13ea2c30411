// Wrapping: where lines break (spaces, then `_ - . /`, camelCase and ideographs, then widening,
// and only then inside a word, marked), that the work is linear in the text's length (counted
// steps, no timing), and that texts too long to draw are cut with a warning and kept whole in
// the SVG's <title>.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { CONTINUATION, defaultFonts, fromBase64, fromBase64ByHand, textWidth, wrapText } from '../../src/layout/fonts.js';
import { MAX_WRAPPED_LENGTH, measureText } from '../../src/layout/measure.js';
import { METRICS } from '../../src/layout/options.js';
import { render } from '../../src/api/index.js';
import { CORPUS } from '../render/helpers.js';

const font = defaultFonts().regular;
const SIZE = 13;

/** True when a line may end before text[i]: a space, after `_ - . /`, or at a camelCase boundary. */
function allowedBreak(text: string, i: number): boolean {
  const a = text[i - 1] ?? ' ';
  const b = text[i] ?? ' ';
  const c = text[i + 1] ?? '';
  return /\s/.test(a) || /\s/.test(b) || /[_\-./]/.test(a) || (/[a-z0-9]/.test(a) && /[A-Z]/.test(b)) || (/[A-Z]/.test(a) && /[A-Z]/.test(b) && /[a-z]/.test(c));
}

/** Checks that the lines are the text in order and break only where allowed (or with the mark). */
function expectGoodBreaks(text: string, lines: string[]): void {
  let at = 0;
  const flat = text.replace(/\s+/g, ' ').trim();
  for (const [k, raw] of lines.entries()) {
    const cut = raw.endsWith(CONTINUATION) && !flat.slice(at).startsWith(raw);
    const line = cut ? raw.slice(0, -CONTINUATION.length) : raw;
    expect(flat.startsWith(line, at), `line ${k} '${raw}' of '${text}'`).toBe(true);
    at += line.length;
    if (k < lines.length - 1 && !cut) expect(allowedBreak(flat, at), `break after '${raw}' in '${text}'`).toBe(true);
    if (flat[at] === ' ') at++;
  }
  expect(at).toBe(flat.length);
}

describe('where lines break', () => {
  test('camelCase, underscores and dots break at their boundaries, never inside a word part', () => {
    for (const text of ['EndWithLambdaUnknownHandler', '$.completed_processes_count', 'arn:aws:states:::lambda:invoke/path-to-the-function', 'Check HTTPServerErrorRetryPolicy now']) {
      const lines = wrapText(font, text, SIZE, 110, { widest: 176 });
      expect(lines.length, text).toBeGreaterThan(1);
      expectGoodBreaks(text, lines);
      for (const l of lines) expect(textWidth(font, l, SIZE)).toBeLessThanOrEqual(176 + 1e-6);
    }
    expect(wrapText(font, 'EndWithLambdaUnknownHandler', SIZE, 150)).toEqual(['EndWithLambda', 'UnknownHandler']);
  });

  test('a word that does not break widens the line up to the limit instead of being cut', () => {
    const w = textWidth(font, 'Compensation', SIZE);
    expect(w).toBeGreaterThan(METRICS.wrap.circle - 20);
    expect(wrapText(font, 'Compensation', SIZE, w - 10, { widest: w + 10 })).toEqual(['Compensation']);
    const block = measureText('Run Compensation', SIZE, 400, w - 10);
    expect(block.lines).toEqual(['Run', 'Compensation']);
  });

  test('only a word wider than the widest line is cut, each cut marked', () => {
    const lines = wrapText(font, 'x'.repeat(300), SIZE, 100, { widest: 160 });
    expect(lines.length).toBeGreaterThan(2);
    for (const l of lines.slice(0, -1)) expect(l.endsWith(CONTINUATION)).toBe(true);
    for (const l of lines) expect(textWidth(font, l, SIZE)).toBeLessThanOrEqual(160 + 1e-6);
    expect(lines.join('').replaceAll(CONTINUATION, '')).toBe('x'.repeat(300));
  });

  test('no label or state name of the real corpus breaks inside a word part', () => {
    if (!existsSync(CORPUS)) return;
    const texts: string[] = [];
    for (const [sub, pattern] of [['fz', /label:"([^"\\]+)"/g], ['asl', /"([^"\\]+)"\s*:\s*\{\s*"Type"/g]] as const) {
      const dir = join(CORPUS, sub);
      for (const f of readdirSync(dir).filter((x) => /\.(fz|json)$/.test(x))) for (const m of readFileSync(join(dir, f), 'utf8').matchAll(pattern)) texts.push(m[1]!);
    }
    let checked = 0;
    for (const text of texts) {
      {
        const block = measureText(text, SIZE, 400, METRICS.wrap.rectangle);
        if (block.full !== undefined) continue;
        const cut = block.lines.some((l) => l.endsWith(CONTINUATION) && !text.includes(l));
        if (!cut) expectGoodBreaks(text, block.lines);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(200);
  });
});

describe('wrapping is linear in the text length', () => {
  const steps = (text: string): number => {
    const stats = { steps: 0 };
    wrapText(font, text, SIZE, 150, { widest: 240, stats });
    return stats.steps;
  };
  test.each([
    ['one unbroken word', (n: number) => 'a'.repeat(n)],
    ['camelCase identifier', (n: number) => 'Ab'.repeat(n / 2)],
    ['words', (n: number) => 'word '.repeat(n / 5)],
    ['snake_case', (n: number) => 'ab_'.repeat(Math.round(n / 3))],
    ['ideographs', (n: number) => '中'.repeat(n)],
  ])('%s: 10x longer costs about 10x the steps', (_name, make) => {
    const small = steps(make(10_000));
    const large = steps(make(100_000));
    expect(small).toBeGreaterThan(10_000);
    expect(large / small).toBeGreaterThan(9);
    expect(large / small).toBeLessThan(11);
  });
});

describe('texts too long to draw', () => {
  test('a 5 MB label is cut with an ellipsis, a warning, and its whole text in a <title>', async () => {
    const label = 'x'.repeat(5_000_000);
    const r = await render(`a { # A\nn1: rectangle label:"${label}"\n}`);
    expect(r.ok).toBe(true);
    const warn = r.diagnostics.filter((d) => d.code === 'label-truncated');
    expect(warn).toHaveLength(1);
    expect(warn[0]!.severity).toBe('warning');
    expect(warn[0]!.range.start.line).toBe(1);
    const svg = r.value!;
    expect(svg).toContain(`<title>${label}</title>`);
    const drawn = [...svg.matchAll(/<(?:text|tspan)[^>]*>([^<]+)</g)].map((m) => m[1]!).filter((t) => t.startsWith('x'));
    expect(drawn.length).toBeLessThanOrEqual(METRICS.maxLines);
    expect(drawn.at(-1)!.endsWith('…')).toBe(true);
  });

  test('more lines than fit are cut at the last line, with a title; a short label has none', () => {
    const many = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
    const block = measureText(many, SIZE, 400, 100);
    expect(block.lines).toHaveLength(METRICS.maxLines);
    expect(block.lines.at(-1)!.endsWith('…')).toBe(true);
    expect(block.full).toBe(many);
    expect(measureText('Short', SIZE, 400, 100).full).toBeUndefined();
    expect(measureText('y'.repeat(MAX_WRAPPED_LENGTH * 3), SIZE, 400, 100).full).toHaveLength(MAX_WRAPPED_LENGTH * 3);
  });
});

describe('the embedded fonts decode the same under Node and in a browser', () => {
  test("Node's native base64 and the hand decoder give the same bytes, in an array of their own", async () => {
    const { INTER_REGULAR_TTF_BASE64, INTER_SEMIBOLD_TTF_BASE64 } = await import('../../src/layout/font-data.js');
    for (const data of [INTER_REGULAR_TTF_BASE64, INTER_SEMIBOLD_TTF_BASE64, 'QQ==', 'QUI=', 'QUJD', '']) {
      const native = fromBase64(data);
      expect(Buffer.from(fromBase64ByHand(data)).equals(Buffer.from(native))).toBe(true);
      // Not a Buffer: its slice() must copy (font-subset.ts edits the slices it takes).
      expect(Buffer.isBuffer(native)).toBe(false);
      expect(native.byteOffset).toBe(0);
    }
  });
});
