// The browser build (src/browser, dist/browser) in real Chromium: built once with
// `node scripts/build-browser.mjs`, served from a made-up origin to pages that load it as a docs site
// would (one script tag). Checks: the browser's SVG is byte for byte the library's for every example
// (light, dark, auto, direction down); run() on a static page with three fences draws three diagrams
// whose texts and boxes are the library's; a broken fence shows its error's line and column in place;
// the auto theme follows prefers-color-scheme; no request leaves the page's own files; renderPng.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type * as FlowlaneBrowser from '../../src/browser/index.js';
import { check, format, fromAsl, render, toAsl } from '../../src/api/index.js';
import { DARK, LIGHT } from '../../src/render/theme.js';
import { launchChromium } from '../helpers/browser.js';
import { exampleFiles, examplesDir, repoRoot } from '../helpers/paths.js';
import { corpusSample } from '../render/helpers.js';

const ORIGIN = 'http://flowlane.test';
/** Another origin serving the bundles, as a CDN would (with CORS, as jsDelivr and unpkg send). */
const CDN = 'http://cdn.test';
const DIST = join(repoRoot, 'dist', 'browser');
let browser: Browser | undefined;

beforeAll(async () => {
  execFileSync(process.execPath, [join(repoRoot, 'scripts', 'build-browser.mjs')], { cwd: repoRoot, stdio: 'pipe' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

/** A page whose origin serves `pages` (path -> HTML), the two bundles and the fallback fonts beside them; anything else is a 404. */
type Site = Page & { errors: string[]; requested: string[] };
async function openSite(pages: Record<string, string>, colorScheme: 'light' | 'dark' = 'light', serveBundle: (file: string, nth: number) => boolean = () => true): Promise<Site> {
  const page = (await browser!.newPage({ colorScheme })) as Site;
  // Uncaught exceptions in the page, and every URL it asked for.
  page.errors = [];
  page.requested = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  page.on('request', (r) => page.requested.push(r.url()));
  await page.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    const file = url.pathname.replace(/^\//, '');
    if (url.origin === ORIGIN && pages[file] !== undefined) return route.fulfill({ contentType: 'text/html', body: pages[file] });
    if ((url.origin === ORIGIN || url.origin === CDN) && (file === 'flowlane.mjs' || file === 'flowlane.iife.js' || file === 'flowlane-fonts.mjs') && serveBundle(file, page.requested.filter((u) => u.endsWith(`/${file}`)).length)) {
      return route.fulfill({ contentType: 'text/javascript', headers: { 'access-control-allow-origin': '*' }, body: readFileSync(join(DIST, file), 'utf8') });
    }
    return route.fulfill({ status: 404, body: '' });
  });
  return page;
}

const pageWith = (body: string, script = '<script src="/flowlane.iife.js"></script>'): string =>
  `<!doctype html><html><head><meta charset="utf-8"><title>docs</title></head><body>${body}${script}</body></html>`;

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fence = (language: string, text: string): string => `<pre><code class="language-${language}">${escapeHtml(text)}</code></pre>`;

const example = (name: string): string => readFileSync(join(examplesDir, name), 'utf8');

describe('the same SVG bytes as the library', () => {
  test('every example, and themes and direction', async () => {
    const page = await openSite({ 'api.html': pageWith('', '<script src="/flowlane.iife.js" data-manual></script>') });
    await page.goto(`${ORIGIN}/api.html`);
    const cases = exampleFiles().map((f) => ({ name: f, text: example(f), options: { id: `fz-${f.replace(/\.fz$/, '')}` } as Record<string, string> }));
    cases.push({ name: 'orchestration dark down', text: example('orchestration.fz'), options: { id: 'o', theme: 'dark', direction: 'down' } });
    cases.push({ name: 'lottery auto, no font', text: example('lottery.fz'), options: { id: 'l', theme: 'auto', embedFont: false } as never });
    expect(cases.length).toBeGreaterThan(8);
    for (const c of cases) {
      // Laid out in the layout worker, and in the page itself.
      const [inPage, withoutWorker] = await page.evaluate(async ({ text, options }) => {
        const f = (window as unknown as { flowlane: typeof FlowlaneBrowser }).flowlane;
        return [await f.render(text, options), await f.render(text, { ...options, worker: false })];
      }, c);
      const inNode = await render(c.text, c.options);
      expect(inNode.ok, c.name).toBe(true);
      expect(inPage.ok, c.name).toBe(true);
      // Compared as strings: the whole document, embedded font subset included.
      expect(inPage.value === inNode.value, `${c.name}: browser SVG differs from the library's`).toBe(true);
      expect(withoutWorker.value === inNode.value, `${c.name}: browser SVG (no worker) differs from the library's`).toBe(true);
    }
    expect(await page.evaluate(() => (window as unknown as { flowlane: typeof FlowlaneBrowser }).flowlane.layoutWorker())).toEqual({ state: 'running', layouts: cases.length });
    // The other stages answer as in Node too.
    const messy = 'L1 {   # One\n  a: rectangle label:"A"\n  b: hexagon label:"B"\n  a.handle(right) -> b.handle(left)\n  c.handle(right) -> a.handle(left)\n}\n';
    const orchestration = example('orchestration.fz');
    const stages = await page.evaluate(({ messy, orchestration }) => {
      const f = (window as unknown as { flowlane: typeof FlowlaneBrowser }).flowlane;
      const asl = f.toAsl(orchestration).value;
      return { check: f.check(messy).diagnostics, format: f.format(messy).value, asl, back: f.fromAsl(JSON.stringify(asl)).value?.text };
    }, { messy, orchestration });
    expect(stages.check.length).toBeGreaterThan(0);
    expect(stages.check).toEqual(check(messy).diagnostics);
    expect(stages.format).toBe(format(messy).value);
    expect(stages.asl).toEqual(toAsl(orchestration).value);
    expect(stages.back).toBe(fromAsl(JSON.stringify(toAsl(orchestration).value)).value?.text);
    expect(page.errors).toEqual([]);
    await page.close();
  });
});

describe('the same SVG bytes on harder input', () => {
  // Strings that test the serialiser's escapes (written as JSON escapes in the .fz text, so that
  // every code unit reaches the page intact), and a Diagram object rather than text.
  const hostile = ['x\u0000y', '\r\r', 'a\rb', '"quoted"', "it's", '<b>bold</b>', '&amp;', ']]>', '\ufffe', '\ud800 lone', '\udc00x', 'tab\tnew\nline', '<!--', '\u2028', 'émoji 🚀 𝔘', 'a very long label that has to wrap over several lines of the node'];
  const q = (i: number): string => JSON.stringify(hostile[i % hostile.length]!);
  const hostileText = [
    'a { # Lane A',
    ...Array.from({ length: 8 }, (_, i) => `  n${i + 1}: ${['circle', 'rectangle', 'diamond', 'taskbox'][i % 4]} label:${q(i)}`),
    ...Array.from({ length: 7 }, (_, i) => `  n${i + 1}.handle(right) -> n${i + 2}.handle(left) [label=${q(i + 8)}]`),
    '  loop [again] n2 n3',
    '}',
    '',
  ].join('\n');

  test('hostile strings, and the corpus sample as Diagram objects', async () => {
    const page = await openSite({ 'h.html': pageWith('', '<script src="/flowlane.iife.js" data-manual></script>') });
    await page.goto(`${ORIGIN}/h.html`);
    const inNode = await render(hostileText, { id: 'h' });
    expect(inNode.ok, JSON.stringify(inNode.diagnostics)).toBe(true);
    const inPage = await page.evaluate(async (t) => (await (window as unknown as { flowlane: typeof FlowlaneBrowser }).flowlane.render(t, { id: 'h' })).value, hostileText);
    expect(inPage === inNode.value).toBe(true);
    const sample = corpusSample(24);
    for (const { name, diagram } of sample) {
      const want = await render(diagram, { id: 'c', theme: 'dark' });
      const got = await page.evaluate(async (d) => {
        const r = await (window as unknown as { flowlane: typeof FlowlaneBrowser }).flowlane.render(d, { id: 'c', theme: 'dark' });
        return { ok: r.ok, value: r.value };
      }, diagram);
      expect(got.ok, name).toBe(want.ok);
      expect(got.value === want.value, `${name}: browser SVG differs from the library's`).toBe(true);
    }
    console.log(`browser = library, byte for byte: the hostile diagram and ${sample.length} corpus diagrams`);
    expect(page.errors).toEqual([]);
    await page.close();
  });
});

/** What a reader sees of each diagram on a page: its texts, and each node's and lane's box, measured. */
interface Seen {
  texts: string[];
  boxes: string[];
}
async function seen(page: Page, selector: string): Promise<Seen[]> {
  return page.evaluate(async (selector) => {
    await document.fonts.ready;
    return Array.from(document.querySelectorAll(selector)).map((svg) => {
      const box = (el: Element): string => {
        const b = (el as SVGGraphicsElement).getBBox();
        return `${b.x.toFixed(2)},${b.y.toFixed(2)} ${b.width.toFixed(2)}x${b.height.toFixed(2)}`;
      };
      const texts = Array.from(svg.querySelectorAll('text')).map((t) => t.textContent ?? '');
      const boxes = Array.from(svg.querySelectorAll('g.fz-node, g.fz-lane')).map((g) => {
        const shape = g.querySelector(':scope > .fz-shape, :scope > .fz-lane-body');
        return `${g.getAttribute('class')} ${g.getAttribute('data-id')}: ${shape ? box(shape) : 'no shape'}`;
      });
      return { texts, boxes };
    });
  }, selector);
}

describe('run() on a static page', () => {
  const sources = [example('orchestration.fz'), example('lottery.fz'), example('feature-loops.fz')];
  const broken = 'L1 { # One\n  a: rectangle label:"A"\n  a.handle(right) -> \n}\n';

  test('one script tag: three fences become three diagrams with the library\'s texts and boxes; a broken fence shows its error', async () => {
    const body = `<h1>Docs</h1>${fence('fz', sources[0]!)}<p>between</p>${fence('flowzap', sources[1]!)}${fence('fz', broken)}${fence('fz', sources[2]!)}${fence('js', 'let x = 1;')}`;
    const page = await openSite({ 'docs.html': pageWith(body) });
    await page.goto(`${ORIGIN}/docs.html`);
    await page.waitForFunction(() => document.querySelectorAll('.flowlane-diagram svg').length === 3 && document.querySelector('.flowlane-error'));
    const got = await seen(page, '.flowlane-diagram > svg');
    expect(got).toHaveLength(3);

    // The library's SVG for the same blocks (ids fz-1, fz-2, fz-4 on the page: the broken block was third), shown on a blank page.
    const reference = await openSite({ 'blank.html': '<!doctype html><html><body></body></html>' });
    await reference.goto(`${ORIGIN}/blank.html`);
    const ids = ['fz-1', 'fz-2', 'fz-4'];
    for (const [i, text] of sources.entries()) {
      const svg = (await render(text, { id: ids[i]!, theme: 'auto' })).value!;
      await reference.evaluate((svg) => {
        const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
        document.body.appendChild(document.importNode(doc.documentElement, true));
      }, svg);
    }
    const want = await seen(reference, 'body > svg');
    for (let i = 0; i < 3; i++) {
      expect(got[i]!.texts.length).toBeGreaterThan(3);
      expect(got[i]!.boxes.length).toBeGreaterThan(3);
      expect(got[i]).toEqual(want[i]);
    }
    // The page's diagrams are the library's SVG itself, ids included.
    const pageIds = await page.evaluate(() => Array.from(document.querySelectorAll('.flowlane-diagram > svg')).map((s) => s.id));
    expect(pageIds).toEqual(ids);

    // The broken fence: an error box in its place, naming line and column, its source kept below.
    const expected = check(broken).diagnostics.find((d) => d.severity === 'error')!;
    const error = await page.evaluate(() => {
      const box = document.querySelector('.flowlane-error')!;
      const first = box.querySelector('li')!;
      return { text: first.textContent, line: first.getAttribute('data-line'), column: first.getAttribute('data-column'), source: box.querySelector('pre code')?.textContent, after: box.previousElementSibling?.className, role: box.getAttribute('role') };
    });
    expect(error.line).toBe(String(expected.range.start.line + 1));
    expect(error.column).toBe(String(expected.range.start.character + 1));
    expect(error.text).toBe(`line ${expected.range.start.line + 1}, column ${expected.range.start.character + 1}: ${expected.message}`);
    expect(error.source).toBe(broken);
    expect(error.after).toBe('flowlane-diagram');
    expect(error.role).toBe('alert');
    // The other code block is left alone, and a second run() changes nothing.
    expect(await page.evaluate(() => document.querySelector('pre code.language-js')?.textContent)).toBe('let x = 1;');
    const again = await page.evaluate(async () => (await (window as unknown as { flowlane: typeof FlowlaneBrowser }).flowlane.run()).length);
    expect(again).toBe(0);
    expect(await page.evaluate(() => document.querySelectorAll('.flowlane-diagram, .flowlane-error').length)).toBe(4);
    // Nothing but the page and its script was fetched.
    expect([...new Set(page.requested)].sort()).toEqual([`${ORIGIN}/docs.html`, `${ORIGIN}/flowlane.iife.js`]);
    expect(page.errors).toEqual([]);
    await page.close();
    await reference.close();
  });

  test('the ES module: import { run } and call it', async () => {
    const page = await openSite({ 'esm.html': pageWith(fence('fz', sources[1]!), `<script type="module">import { run } from '/flowlane.mjs'; window.results = await run();</script>`) });
    await page.goto(`${ORIGIN}/esm.html`);
    await page.waitForFunction(() => (window as unknown as { results?: unknown[] }).results?.length === 1);
    const svg = await page.evaluate(() => new XMLSerializer().serializeToString(document.querySelector('.flowlane-diagram > svg')!));
    expect(svg).toContain('class="fz-diagram fz-theme-auto');
    expect(await page.evaluate(() => document.querySelectorAll('pre').length)).toBe(0);
    await page.close();
  });

  test('the auto theme follows prefers-color-scheme', async () => {
    const page = await openSite({ 'theme.html': pageWith(fence('fz', sources[1]!)) }, 'dark');
    await page.goto(`${ORIGIN}/theme.html`);
    await page.waitForSelector('.flowlane-diagram svg');
    const fill = (): Promise<string> => page.evaluate(() => getComputedStyle(document.querySelector('.flowlane-diagram .fz-background')!).fill);
    const rgb = (hex: string): string => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;
    expect(await fill()).toBe(rgb(DARK['bg']!));
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await fill()).toBe(rgb(LIGHT['bg']!));
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await fill()).toBe(rgb(DARK['bg']!));
    await page.close();
  });

  test('run({ theme, selector }) and renderPng', async () => {
    const page = await openSite({ 'opts.html': pageWith(`<div class="diagram">${escapeHtml(sources[1]!)}</div>`, '<script src="/flowlane.iife.js" data-manual></script>') }, 'dark');
    await page.goto(`${ORIGIN}/opts.html`);
    expect(await page.evaluate(() => document.querySelectorAll('svg').length)).toBe(0);
    const out = await page.evaluate(async (text) => {
      const f = (window as unknown as { flowlane: typeof FlowlaneBrowser }).flowlane;
      const results = await f.run({ selector: 'div.diagram', theme: 'light' });
      const png = await f.renderPng(text, { scale: 2 });
      const bytes = new Uint8Array(await png.value!.arrayBuffer());
      const bitmap = await createImageBitmap(png.value!);
      const svg = (await f.render(text)).value!;
      return { results: results.length, cls: document.querySelector('.flowlane-diagram svg')!.getAttribute('class'), signature: Array.from(bytes.slice(0, 8)), width: bitmap.width, svgWidth: Number(/ width="([0-9.]+)"/.exec(svg)![1]) };
    }, sources[1]!);
    expect(out.results).toBe(1);
    expect(out.cls).toContain('fz-theme-light');
    expect(out.signature).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    expect(out.width).toBe(Math.ceil(out.svgWidth * 2));
    await page.close();
  });
});

describe('the layout worker', () => {
  type Api = typeof FlowlaneBrowser;
  const text = example('orchestration.fz');

  /** Renders in the page with and without the worker; says where layouts went. */
  async function renderBoth(page: Page): Promise<{ withWorker: string; inPage: string; state: string; stateBefore: string; layouts: number[] }> {
    return page.evaluate(async (text) => {
      const f = (window as unknown as { flowlane: Api }).flowlane;
      const stateBefore = f.layoutWorker().state;
      const withWorker = (await f.render(text, { id: 'w' })).value!;
      const { state, layouts } = f.layoutWorker();
      const inPage = (await f.render(text, { id: 'w', worker: false })).value!;
      return { withWorker, inPage, state, stateBefore, layouts: [layouts, f.layoutWorker().layouts] };
    }, text);
  }

  test('the IIFE starts itself as a classic worker; the same bytes as in the page and in Node', async () => {
    const page = await openSite({ 'w.html': pageWith('', '<script src="/flowlane.iife.js" data-manual></script>') });
    await page.goto(`${ORIGIN}/w.html`);
    const r = await renderBoth(page);
    expect(r.stateBefore).toBe('none');
    expect(r.state).toBe('running');
    // The worker answered the first; the second, with worker: false, did not go to it.
    expect(r.layouts).toEqual([1, 1]);
    const want = (await render(text, { id: 'w' })).value!;
    expect(r.withWorker === want).toBe(true);
    expect(r.inPage === want).toBe(true);
    // The worker's script is the page's own bundle, fetched a second time.
    expect(page.requested.filter((u) => u === `${ORIGIN}/flowlane.iife.js`)).toHaveLength(2);
    // Errors come back from the worker with their places.
    const broken = 'L1 { # One\n  a: rectangle label:"A"\n  a.handle(right) -> \n}\n';
    const diagnostics = await page.evaluate(async (t) => (await (window as unknown as { flowlane: Api }).flowlane.render(t)).diagnostics, broken);
    expect(diagnostics).toEqual(check(broken).diagnostics);
    expect(page.errors).toEqual([]);
    await page.close();
  });

  test('the ES module starts itself as a module worker', async () => {
    const page = await openSite({ 'm.html': pageWith('', `<script type="module">import * as f from '/flowlane.mjs'; window.flowlane = f; window.ready = true;</script>`) });
    await page.goto(`${ORIGIN}/m.html`);
    await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
    const r = await renderBoth(page);
    expect(r.state).toBe('running');
    expect(r.layouts).toEqual([1, 1]);
    expect(r.withWorker === (await render(text, { id: 'w' })).value).toBe(true);
    expect(page.requested.filter((u) => u === `${ORIGIN}/flowlane.mjs`)).toHaveLength(2);
    await page.close();
  });

  test('a bundle from another origin (a CDN) still gets its worker, through a blob: script', async () => {
    for (const [file, script] of [
      ['flowlane.iife.js', `<script src="${CDN}/flowlane.iife.js" data-manual></script>`],
      ['flowlane.mjs', `<script type="module">import * as f from '${CDN}/flowlane.mjs'; window.flowlane = f; window.ready = true;</script>`],
    ] as const) {
      const page = await openSite({ 'cdn.html': pageWith('', script) });
      await page.goto(`${ORIGIN}/cdn.html`);
      if (file === 'flowlane.mjs') await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
      const r = await renderBoth(page);
      expect(r.state, file).toBe('running');
      expect(r.layouts, file).toEqual([1, 1]);
      expect(r.withWorker === (await render(text, { id: 'w' })).value, file).toBe(true);
      expect(page.requested.filter((u) => u === `${CDN}/${file}`), file).toHaveLength(2);
      expect(page.errors).toEqual([]);
      await page.close();
    }
  });

  test('a worker script that does not load: the layout runs in the page, same bytes', async () => {
    // The page gets the bundle; the worker's request for it gets a 404.
    const page = await openSite({ 'f.html': pageWith('', '<script src="/flowlane.iife.js" data-manual></script>') }, 'light', (_file, nth) => nth <= 1);
    await page.goto(`${ORIGIN}/f.html`);
    const r = await renderBoth(page);
    expect(r.state).toBe('failed');
    expect(r.layouts).toEqual([0, 0]);
    expect(r.withWorker === (await render(text, { id: 'w' })).value).toBe(true);
    await page.close();
  });

  test('an inline copy of the bundle (no script URL) lays out in the page', async () => {
    const page = await openSite({ 'i.html': '<!doctype html><html><body></body></html>' });
    await page.goto(`${ORIGIN}/i.html`);
    await page.addScriptTag({ content: readFileSync(join(DIST, 'flowlane.iife.js'), 'utf8') });
    const r = await renderBoth(page);
    expect(r.state).toBe('none');
    expect(r.withWorker === r.inPage).toBe(true);
    await page.close();
  });
});
