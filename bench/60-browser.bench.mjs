// Browser benchmark: the size of the browser build (dist/browser, raw and gzip) and the warm render
// time (.fz text -> SVG with the font subset embedded) of the 50-node bench diagram, in headless
// Chromium through the bundle (layout in the page, and in the bundle's layout worker) and in Node
// through the library, timed alternately so that the noise of
// a shared machine falls on both alike. Cold start is not measured (the page's first call includes
// compiling the 1.6 MB of ELK). And the playground: load to first diagram, keystroke to redraw.
// Input: dist/ and dist/browser (built here). Output: a table on stdout.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { render } from '../dist/index.js';
import { print } from '../dist/print/index.js';
import { generateDiagram } from './30-render.bench.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist', 'browser', 'flowlane.iife.js');
const RUNS = 15;
const WARM = 15;

/** The Chromium of the browser tests: @sparticuz/chromium's, else FLOWLANE_CHROMIUM or Debian's. */
async function chromiumPath() {
  if (process.env.FLOWLANE_CHROMIUM) return process.env.FLOWLANE_CHROMIUM;
  try {
    const unpack = "import('@sparticuz/chromium').then(async (m) => process.stdout.write(await m.default.executablePath()))";
    return execFileSync('flock', ['/tmp/flowlane-chromium.lock', process.execPath, '--input-type=module', '-e', unpack], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch {
    return existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export default async function bench() {
  // Built afresh: `npm run bench` compiles dist/ but not the bundle.
  execFileSync(process.execPath, [join(root, 'scripts', 'build-browser.mjs')], { stdio: 'ignore' });
  for (const file of ['flowlane.mjs', 'flowlane.iife.js']) {
    const bytes = readFileSync(join(root, 'dist', 'browser', file));
    console.log(`dist/browser/${file}: ${(bytes.length / 1024).toFixed(0)} KiB, ${(gzipSync(bytes, { level: 9 }).length / 1024).toFixed(0)} KiB gzip`);
  }
  const executablePath = await chromiumPath();
  let playwright;
  try {
    playwright = await import('playwright-core');
  } catch {
    playwright = undefined;
  }
  if (!executablePath || !playwright) {
    console.log('\nbrowser render: skipped (no Chromium or no playwright-core)');
    return;
  }
  const text = print(generateDiagram(50));
  const browser = await playwright.chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--headless'] });
  try {
    // The bundle served from the page's own origin, so that it can start its layout worker.
    const page = await browser.newPage();
    await page.route('http://bench.test/**', (route) =>
      route.request().url().endsWith('.js')
        ? route.fulfill({ contentType: 'text/javascript', body: readFileSync(bundle, 'utf8') })
        : route.fulfill({ contentType: 'text/html', body: '<!doctype html><html><body><script src="/flowlane.iife.js" data-manual></script></body></html>' }),
    );
    await page.goto('http://bench.test/index.html');
    const renderIn = (worker) => () =>
      page.evaluate(
        async ({ t, worker }) => {
          const t0 = performance.now();
          const r = await window.flowlane.render(t, { worker });
          if (!r.ok) throw new Error('render failed in the page');
          return { ms: performance.now() - t0, length: r.value.length };
        },
        { t: text, worker },
      );
    const inPage = renderIn(false);
    const inWorker = renderIn(true);
    const inNode = async () => {
      const t0 = performance.now();
      const r = await render(text);
      if (!r.ok) throw new Error('render failed in Node');
      return { ms: performance.now() - t0, length: r.value.length };
    };
    const first = await inPage();
    for (let i = 0; i < WARM; i++) {
      await inPage();
      await inWorker();
      await inNode();
    }
    const pageTimes = [];
    const workerTimes = [];
    const nodeTimes = [];
    const ratios = [];
    const workerRatios = [];
    for (let i = 0; i < RUNS; i++) {
      const p = await inPage();
      const w = await inWorker();
      const n = await inNode();
      if (p.length !== n.length || w.length !== n.length) throw new Error(`the page's SVG (${p.length}, ${w.length} chars) is not the library's (${n.length})`);
      pageTimes.push(p.ms);
      workerTimes.push(w.ms);
      nodeTimes.push(n.ms);
      ratios.push(p.ms / n.ms);
      workerRatios.push(w.ms / n.ms);
    }
    const worker = await page.evaluate(() => window.flowlane.layoutWorker());
    if (worker.state !== 'running') throw new Error(`the layout worker is ${worker.state}`);
    console.log(`\nwarm render of the 50-node bench diagram (.fz text -> SVG, font embedded), median of ${RUNS}:`);
    console.log('| where | ms | ratio to Node (paired) |');
    console.log('| --- | ---: | ---: |');
    console.log(`| Node (library) | ${median(nodeTimes).toFixed(1)} | 1 |`);
    console.log(`| Chromium (flowlane/browser, layout in the page) | ${median(pageTimes).toFixed(1)} | ${median(ratios).toFixed(2)} |`);
    console.log(`| Chromium (flowlane/browser, layout in its worker) | ${median(workerTimes).toFixed(1)} | ${median(workerRatios).toFixed(2)} |`);
    console.log(`first render in a fresh page (layout in the page): ${first.ms.toFixed(0)} ms`);
    await playground(browser, text);
  } finally {
    await browser.close();
  }
}

/**
 * The playground with the 50-node diagram in its link (as `flowlane playground FILE` opens it),
 * served from a fresh build on 127.0.0.1: load to the first diagram (the page's own mark), and a
 * keystroke to the redrawn diagram (the page's 120 ms pause after typing included), medians.
 */
async function playground(browser, text) {
  const folder = mkdtempSync(join(tmpdir(), 'flowlane-bench-playground-'));
  execFileSync(process.execPath, [join(root, 'scripts', 'build-playground.mjs'), '--out', folder], { stdio: 'ignore' });
  const { serveStatic, fragmentFor } = await import('../dist/cli/commands/playground.js');
  const server = createServer((request, response) => serveStatic(folder, request, response));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/${fragmentFor('bench.fz', text)}`;
  const loads = [];
  const redraws = [];
  try {
    for (let i = 0; i < 5; i++) {
      // A fresh context each time: no service worker, no cache, the first load of a visitor.
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(url);
      await page.waitForFunction(() => performance.getEntriesByName('flowlane:first-diagram').length > 0, undefined, { timeout: 120_000 });
      loads.push(await page.evaluate(() => performance.getEntriesByName('flowlane:first-diagram')[0].startTime));
      await page.waitForFunction(() => document.getElementById('diagram').getAttribute('aria-busy') === 'false');
      await page.waitForTimeout(1500); // the layout worker warms up after the first diagram
      for (let k = 0; k < 3; k++) {
        await page.click('.cm-content');
        await page.keyboard.press('Control+End');
        const before = Number(await page.getAttribute('#diagram', 'data-drawn'));
        const started = Date.now();
        await page.keyboard.type(k % 2 ? '\n' : '// x');
        await page.waitForFunction((n) => Number(document.getElementById('diagram').dataset.drawn) > n && document.getElementById('diagram').getAttribute('aria-busy') === 'false', before, { timeout: 60_000 });
        redraws.push(Date.now() - started);
      }
      await context.close();
    }
  } finally {
    server.close();
    rmSync(folder, { recursive: true, force: true });
  }
  console.log(`\nplayground, the 50-node diagram in its link, headless Chromium, median of ${loads.length} fresh loads:`);
  console.log(`  load to first diagram: ${median(loads).toFixed(0)} ms`);
  console.log(`  keystroke to redrawn diagram (120 ms typing pause included): ${median(redraws).toFixed(0)} ms (median of ${redraws.length})`);
}
