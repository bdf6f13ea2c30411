// Several diagrams inlined in one HTML page (what `md --inline`, the remark plugin and a webview
// with several previews make) must each draw their text exactly as they do alone. @font-face rules
// are global to a page: each embedded subset therefore has a family name of its own. The control
// case renames every subset back to one shared family, as before, and must show the damage, so the
// comparison is known to see it.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { layout } from '../../src/layout/index.js';
import { renderSvg } from '../../src/render/index.js';
import { examples } from '../render/helpers.js';
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

/** Per SVG (by id), the box and advance of every text element, after every font face has loaded. */
async function textBoxes(p: Page, svgs: string[]): Promise<Record<string, string[]>> {
  const body = svgs.map((s) => `<div>${s.replace(/^<\?xml[^>]*>\s*/, '')}</div>`).join('\n');
  await p.setContent(`<!doctype html><html><body style="margin:0">${body}</body></html>`);
  return p.evaluate(async () => {
    await Promise.all([...document.fonts].map((f) => f.load().catch(() => undefined)));
    await document.fonts.ready;
    const out: Record<string, string[]> = {};
    for (const svg of Array.from(document.querySelectorAll('svg'))) {
      const origin = svg.getBoundingClientRect();
      out[svg.id] = Array.from(svg.querySelectorAll('text')).map((t) => {
        const b = (t as SVGTextElement).getBoundingClientRect();
        const advance = (t as SVGTextElement).getComputedTextLength();
        return `${(b.x - origin.x).toFixed(2)},${(b.y - origin.y).toFixed(2)} ${b.width.toFixed(2)}x${b.height.toFixed(2)} ${advance.toFixed(2)} ${t.textContent}`;
      });
    }
    return out;
  });
}

test('three different diagrams inline in one page draw their text as each does alone', async () => {
  const names = ['lottery', 'feature-text', 'microservices'];
  const chosen = examples().filter((e) => names.includes(e.name));
  expect(chosen.map((e) => e.name).sort()).toEqual([...names].sort());
  const svgs = await Promise.all(chosen.map(async (e) => renderSvg(await layout(e.diagram), { id: `fz-${e.name}` })));
  const families = svgs.map((s) => /@font-face\{font-family:'([^']+)'/.exec(s)?.[1]);
  expect(new Set(families).size).toBe(3);

  const alone: Record<string, string[]> = {};
  for (const s of svgs) Object.assign(alone, await textBoxes(page!, [s]));
  const together = await textBoxes(page!, svgs);
  for (const e of chosen) {
    const id = `fz-${e.name}`;
    expect(alone[id]!.length).toBeGreaterThan(5);
    expect(together[id], id).toEqual(alone[id]);
  }

  // Control: one family name for every subset (the old output) changes what some diagram draws.
  const shared = svgs.map((s, i) => s.replaceAll(families[i]!, 'Inter'));
  const clashing = await textBoxes(page!, shared);
  const changed = chosen.filter((e) => JSON.stringify(clashing[`fz-${e.name}`]) !== JSON.stringify(alone[`fz-${e.name}`]));
  expect(changed.length).toBeGreaterThan(0);
});
