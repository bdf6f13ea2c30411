// In Chromium, text in scripts Inter lacks (Chinese, Japanese, Korean, arrows, Greek, Cyrillic,
// Hebrew, Arabic) is drawn by the subsets the SVG embeds, with the advances layout measured: every text
// element's drawn length equals our measurement (up to the browser's rounding of advances). The control strips the embedded faces: Chromium then
// draws with what it has, and the lengths no longer match. Right-to-left text runs right to left.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { parseDiagram } from '../../src/model/index.js';
import { layout } from '../../src/layout/index.js';
import { fontFor } from '../../src/layout/measure.js';
import { textWidth } from '../../src/layout/fonts.js';
import { renderSvg } from '../../src/render/index.js';
import { ROOT } from '../render/helpers.js';
import { launchChromium } from '../helpers/browser.js';

let browser: Browser | undefined;
let page: Page | undefined;

beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.newPage();
});

afterAll(async () => {
  await browser?.close();
});

interface Drawn {
  text: string;
  size: number;
  weight: number;
  length: number;
  /** x of the first and of the last character, in logical order. */
  firstX: number;
  lastX: number;
}

async function drawn(p: Page, svg: string): Promise<{ faces: string[]; texts: Drawn[] }> {
  await p.setContent(`<!doctype html><html><body style="margin:0">${svg.replace(/^<\?xml[^>]*>\s*/, '')}</body></html>`);
  return p.evaluate(async () => {
    await Promise.all([...document.fonts].map((f) => f.load().catch(() => undefined)));
    await document.fonts.ready;
    const faces = [...document.fonts].map((f) => `${f.family.replace(/['"]/g, '')}:${f.status}`);
    const texts = Array.from(document.querySelectorAll('text'))
      .filter((t) => t.querySelector('tspan') === null && (t.textContent ?? '').length > 0)
      .map((t) => {
        const n = t.getNumberOfChars();
        const style = getComputedStyle(t);
        return {
          text: t.textContent ?? '',
          size: parseFloat(style.fontSize),
          weight: parseInt(style.fontWeight, 10),
          length: t.getComputedTextLength(),
          firstX: t.getStartPositionOfChar(0).x,
          lastX: t.getStartPositionOfChar(n - 1).x,
        };
      });
    return { faces, texts };
  });
}

const MIXED = 'a { # עברית\nn1: rectangle label:"שלום עולם"\nn2: rectangle label:"مرحبا"\nn3: rectangle label:"中文 → 日本語"\nn4: rectangle label:"Ωμέγα Привет ✓"\nn5: rectangle label:"한국어 결제"\nn1.handle(right) -> n2.handle(left)\nn2.handle(right) -> n3.handle(left)\nn3.handle(right) -> n4.handle(left)\nn4.handle(right) -> n5.handle(left)\n}\n';

/**
 * How far a drawn length may be from the measured one: headless Chromium on Linux rounds each
 * glyph's advance to a whole pixel (hinting), so up to half a pixel per character.
 */
const slack = (t: Drawn): number => 0.5 + 0.5 * Array.from(t.text).length;

test('fallback glyphs are drawn from the embedded subsets, with the measured advances', async () => {
  for (const source of [readFileSync(join(ROOT, 'examples', 'lottery-zh.fz'), 'utf8'), MIXED]) {
    const svg = renderSvg(await layout(parseDiagram(source).value), { id: 'fb' });
    const { faces, texts } = await drawn(page!, svg);
    expect(faces.length).toBeGreaterThanOrEqual(2);
    expect(faces.every((f) => f.endsWith(':loaded')), faces.join(' ')).toBe(true);
    expect(faces.some((f) => f.startsWith('Noto Sans'))).toBe(true);
    const foreign = texts.filter((t) => /[^\u0000-\u024f]/.test(t.text));
    expect(foreign.length).toBeGreaterThan(2);
    for (const t of texts) expect(Math.abs(t.length - textWidth(fontFor(t.weight), t.text, t.size)), JSON.stringify(t)).toBeLessThanOrEqual(slack(t));

    // Control: without the embedded faces the same texts draw with other advances.
    const bare = await drawn(page!, svg.replace(/@font-face\{[^}]*\}\n?/g, ''));
    const off = bare.texts.filter((t) => /[^\u0000-\u024f]/.test(t.text) && Math.abs(t.length - textWidth(fontFor(t.weight), t.text, t.size)) > slack(t));
    expect(off.length).toBeGreaterThan(0);
  }
});

test('Hebrew and Arabic run right to left', async () => {
  const svg = renderSvg(await layout(parseDiagram(MIXED).value), { id: 'rtl' });
  const { texts } = await drawn(page!, svg);
  for (const word of ['שלום עולם', 'مرحبا', 'עברית']) {
    const t = texts.find((x) => x.text === word);
    expect(t, word).toBeDefined();
    expect(t!.firstX, word).toBeGreaterThan(t!.lastX);
  }
  const latin = texts.find((x) => x.text.startsWith('中文'))!;
  expect(latin.firstX).toBeLessThan(latin.lastX);
});
