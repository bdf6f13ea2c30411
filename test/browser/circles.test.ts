// Start, end, succeed and fail circles hold their label: in Chromium, with the embedded font
// loaded, every corner of the label's drawn box lies at least 3 px inside the ring (the inner ring
// of a Succeed state), clear of its stroke; and the markers
// of one diagram share one size where their labels allow it. Every example and the corpus sample.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { layout } from '../../src/layout/index.js';
import { renderSvg } from '../../src/render/index.js';
import { corpusSample, examples } from '../render/helpers.js';
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

/** Per circle: its id, diameter, and how far inside the ring (minus half the stroke) the label's farthest corner is. */
async function circles(p: Page, svg: string): Promise<{ id: string; diameter: number; clearance: number }[]> {
  await p.setContent(`<!doctype html><html><body style="margin:0">${svg.replace(/^<\?xml[^>]*>\s*/, '')}</body></html>`);
  return p.evaluate(async () => {
    await Promise.all([...document.fonts].map((f) => f.load().catch(() => undefined)));
    await document.fonts.ready;
    const out: { id: string; diameter: number; clearance: number }[] = [];
    for (const g of Array.from(document.querySelectorAll('g.fz-node[data-shape="circle"]'))) {
      // A Succeed circle's inner ring is the one the label must clear.
      const c = (g.querySelector(':scope > circle.fz-ring') ?? g.querySelector(':scope > circle.fz-shape')) as SVGCircleElement | null;
      const t = g.querySelector(':scope > text.fz-label') as SVGTextElement | null;
      if (!c || !t) continue;
      const cx = c.cx.baseVal.value;
      const cy = c.cy.baseVal.value;
      const r = c.r.baseVal.value;
      const stroke = parseFloat(getComputedStyle(c).strokeWidth) || 0;
      const b = t.getBBox();
      const corners = [
        [b.x, b.y],
        [b.x + b.width, b.y],
        [b.x, b.y + b.height],
        [b.x + b.width, b.y + b.height],
      ];
      const far = Math.max(...corners.map(([x, y]) => Math.hypot(x! - cx, y! - cy)));
      const outer = g.querySelector(':scope > circle.fz-shape') as SVGCircleElement;
      out.push({ id: (g as SVGGElement).dataset.id!, diameter: 2 * outer.r.baseVal.value, clearance: r - stroke / 2 - far });
    }
    return out;
  });
}

test('every circle holds its label box inside the ring, and one diagram has one marker size where labels allow', async () => {
  const diagrams = [...examples(), ...corpusSample(6)];
  let seen = 0;
  const bad: string[] = [];
  let uniform = 0;
  let several = 0;
  for (const { name, diagram } of diagrams) {
    const svg = renderSvg(await layout(diagram), { id: 'c' });
    const found = await circles(page!, svg);
    seen += found.length;
    for (const c of found) if (c.clearance < 3) bad.push(`${name} ${c.id}: ${c.clearance.toFixed(1)} px`);
    if (found.length > 1) {
      several++;
      if (new Set(found.map((c) => Math.round(c.diameter))).size === 1) uniform++;
    }
  }
  expect(seen).toBeGreaterThan(100);
  expect(bad).toEqual([]);
  // Labels that need a much larger circle than the others keep theirs; nearly every diagram has one size.
  expect(uniform / several).toBeGreaterThan(0.9);
});
