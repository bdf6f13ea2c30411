// The playground (src/playground) in real Chromium, driven as a person would: built once into a
// folder of its own with scripts/build-playground.mjs, served by the same static server as
// `flowlane playground` (src/cli/commands/playground.ts) on 127.0.0.1. The editor talks to the real
// language server in a Web Worker, so the squiggles, quick fixes, completion, hover and formatting
// checked here are the server's. Every request the pages make is recorded: none may leave the origin.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sax from 'sax';
import { format, fromAsl, render, toAsl } from '../../src/api/index.js';
import { serveStatic } from '../../src/cli/commands/playground.js';
import { launchChromium } from '../helpers/browser.js';
import { repoRoot } from '../helpers/paths.js';

const START = 'a { # A\n  n1: circle label:"Start"\n  n2: rectangle label:"Work"\n  n1.handle(right) -> n2.handle(left)\n}\n';

let folder = '';
let server: Server | undefined;
let origin = '';
let browser: Browser | undefined;
/** Every URL any page of the suite asked for (service worker fetches included). */
const requested: string[] = [];
const pageErrors: string[] = [];
let firstDiagramMs = 0;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'flowlane-playground-'));
  execFileSync(process.execPath, [join(repoRoot, 'scripts', 'build-playground.mjs'), '--out', folder], { cwd: repoRoot, stdio: 'pipe' });
  server = createServer((request, response) => serveStatic(folder, request, response));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  if (folder) rmSync(folder, { recursive: true, force: true });
});

async function newContext(): Promise<BrowserContext> {
  const context = await browser!.newContext({ acceptDownloads: true, viewport: { width: 1400, height: 860 } });
  context.on('request', (r) => requested.push(r.url()));
  context.on('page', (p) => p.on('pageerror', (e) => pageErrors.push(e.message)));
  return context;
}

/** Opens the playground and waits for its first diagram. */
async function open(context: BrowserContext, url = `${origin}/`): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(url);
  await page.waitForSelector('#diagram svg', { timeout: 60_000 });
  return page;
}

/** The editor's text, line by line as CodeMirror shows it (the documents here are short: all lines are drawn). */
const editorText = (page: Page): Promise<string> => page.$$eval('.cm-content .cm-line', (lines) => lines.map((l) => l.textContent ?? '').join('\n'));

/** Waits until the diagram shown is the current text's (the page marks it aria-busy from an edit until then). */
const settled = (page: Page): Promise<unknown> => page.waitForFunction(() => document.getElementById('diagram')!.getAttribute('aria-busy') === 'false');

/** Replaces the whole text as a paste would, and waits for the diagram drawn from it. */
async function replaceText(page: Page, text: string): Promise<void> {
  await page.click('.cm-content');
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text);
  await settled(page);
}

const diagramTexts = (page: Page): Promise<string[]> => page.$$eval('#diagram svg text', (ts) => ts.map((t) => t.textContent ?? ''));

/** Checks that the text is well-formed XML with an <svg> root (sax, strict), and returns that root's attributes. */
function svgRoot(text: string): Record<string, string> {
  const parser = sax.parser(true);
  let root: Record<string, string> | undefined;
  parser.onopentag = (tag) => {
    root ??= tag.name === 'svg' ? (tag.attributes as Record<string, string>) : {};
  };
  parser.write(text).close();
  if (!root || !('width' in root)) throw new Error('no <svg> root with a width');
  return root;
}

describe('the playground', () => {
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    context = await newContext();
    const started = Date.now();
    page = await open(context);
    firstDiagramMs = await page.evaluate(() => performance.getEntriesByName('flowlane:first-diagram')[0]!.startTime);
    console.log(`playground: load to first diagram ${Math.round(firstDiagramMs)} ms (page clock), ${Date.now() - started} ms from goto`);
  }, 120_000);

  afterAll(async () => {
    await context?.close();
  });

  test('opens on the example, drawn, coloured by the server\'s semantic tokens', async () => {
    expect(await diagramTexts(page)).toContain('CreateUser');
    // Lane ids are namespaces, and `circle` a type, as VS Code colours them.
    await expect.poll(() => page.locator('.cm-line .fz-tok-namespace', { hasText: 'Users' }).count(), { timeout: 20_000 }).toBeGreaterThan(0);
    expect(await page.locator('.cm-line .fz-tok-type', { hasText: 'circle' }).count()).toBeGreaterThan(0);
    expect(await page.locator('.cm-lintRange-error').count()).toBe(0);
    expect(firstDiagramMs).toBeGreaterThan(0);
    expect(await page.textContent('#status')).toMatch(/^drawn in \d+ ms/);
  });

  test('typing a diagram draws it, redrawn as you type', async () => {
    await replaceText(page, START);
    expect(await diagramTexts(page)).toEqual(expect.arrayContaining(['Start', 'Work']));
    // A few keystrokes, then the diagram follows: rename the label "Work" to "Work done".
    await page.click('.cm-line:has-text("Work")');
    await page.keyboard.press('End');
    for (let i = 0; i < 1; i++) await page.keyboard.press('ArrowLeft');
    await page.keyboard.type(' done', { delay: 30 });
    await settled(page);
    await expect.poll(() => diagramTexts(page)).toContain('Work done');
    expect(await editorText(page)).toContain('n2: rectangle label:"Work done"');
  });

  test('a mistake gets a squiggle, and its quick fix repairs it', async () => {
    await replaceText(page, START.replace('n2: rectangle', 'n2: rectangel'));
    const mark = page.locator('.cm-lintRange-error').first();
    await mark.waitFor({ timeout: 20_000 });
    expect(await mark.textContent()).toBe('rectangel');
    // The status names the error's place; the last good drawing stays, faded.
    expect(await page.textContent('#status')).toMatch(/^line 3, column 7: unknown shape `rectangel`/);
    expect(await page.getAttribute('#diagram', 'class')).toContain('stale');
    // Hovering the squiggle shows the message and the server's quick fix as a button.
    await mark.hover();
    const fix = page.locator('.cm-tooltip-lint .cm-diagnosticAction', { hasText: 'Change to `rectangle`' });
    await fix.waitFor({ timeout: 20_000 });
    expect(await page.textContent('.cm-tooltip-lint')).toContain('unknown shape `rectangel`');
    await fix.click();
    expect(await editorText(page)).toBe(START);
    await settled(page);
    await expect.poll(() => page.locator('.cm-lintRange-error').count(), { timeout: 20_000 }).toBe(0);
    expect(await page.getAttribute('#diagram', 'class')).not.toContain('stale');
  });

  test('completing a node id after an arrow', async () => {
    await replaceText(page, 'a { # A\n  n1: circle label:"Start"\n  n2: rectangle label:"Work"\n  \n}\n');
    await page.click('.cm-line >> nth=3');
    await page.keyboard.press('End');
    await page.keyboard.type('n1.handle(right) -> n', { delay: 20 });
    const option = page.locator('.cm-tooltip-autocomplete li', { hasText: 'n2' });
    await option.waitFor({ timeout: 20_000 });
    // The server's detail for the node: its shape, lane and label.
    expect(await option.textContent()).toContain('rectangle');
    await option.click();
    expect((await editorText(page)).split('\n')[3]).toBe('  n1.handle(right) -> n2.handle(left)');
    await page.keyboard.press('Escape');
    await expect.poll(async () => (await page.$$('#diagram svg path')).length).toBeGreaterThan(0);
  });

  test('hover shows what the server says about a node', async () => {
    await replaceText(page, START);
    // The pointer over the word `circle` of line 2 (in the text node that holds it: the line is cut
    // into spans by the syntax colours).
    const at = await page.$eval('.cm-line >> nth=1', (line) => {
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      let node = walker.nextNode();
      while (node && !node.textContent!.includes('circle')) node = walker.nextNode();
      if (!node) throw new Error('no `circle` on line 2');
      const range = document.createRange();
      const start = node.textContent!.indexOf('circle');
      range.setStart(node, start + 2);
      range.setEnd(node, start + 3);
      const box = range.getBoundingClientRect();
      return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    });
    await page.mouse.move(at.x, at.y);
    const tip = page.locator('.cm-tooltip-hover');
    await tip.waitFor({ timeout: 20_000 });
    // The server's words for the shape (src/language/navigation.ts), Markdown drawn as text.
    expect(await tip.textContent()).toContain('circle — A start or end event.');
  });

  test('Format gives the text of `flowlane fmt`', async () => {
    const messy = 'a {   # A\n n1:   circle label:"Start"\n      n2: rectangle label:"Work"\nn1.handle(right)->n2.handle(left)\n}\n';
    await replaceText(page, messy);
    await page.click('#format');
    const formatted = format(messy);
    expect(formatted.ok).toBe(true);
    await expect.poll(() => editorText(page)).toBe(formatted.value!);
  });

  test('the ASL JSON tab shows the conversion, live', async () => {
    await replaceText(page, START);
    await page.click('#tab-asl');
    await expect.poll(async () => (await page.textContent('#asl')) ?? '').toContain('"StartAt"');
    expect(JSON.parse((await page.textContent('#asl'))!)).toEqual(toAsl(START).value);
    // Edited while the tab is shown: the JSON follows.
    await page.click('.cm-content');
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(START.replace('"Work"', '"Work more"'));
    await expect.poll(async () => (await page.textContent('#asl')) ?? '', { timeout: 20_000 }).toContain('Work more');
    await page.click('#tab-diagram');
  });

  test('exports SVG (the library\'s bytes) and PNG (a valid image of the same size, doubled)', async () => {
    await replaceText(page, START);
    const [svgDownload] = await Promise.all([page.waitForEvent('download'), page.click('#export-svg')]);
    expect(svgDownload.suggestedFilename()).toMatch(/\.svg$/);
    const svg = readFileSync((await svgDownload.path())!, 'utf8');
    const root = svgRoot(svg);
    const library = await render(START, { theme: 'light', id: 'fz-playground', embedFont: true });
    expect(svg).toBe(library.value);

    const [pngDownload] = await Promise.all([page.waitForEvent('download'), page.click('#export-png')]);
    expect(pngDownload.suggestedFilename()).toMatch(/\.png$/);
    const png = readFileSync((await pngDownload.path())!);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
    expect(png.readUInt32BE(16)).toBe(Math.ceil(Number(root['width']) * 2));
    expect(png.readUInt32BE(20)).toBe(Math.ceil(Number(root['height']) * 2));
    // Decoded by the browser: a picture, not just a header.
    const decoded = await page.evaluate(async (b64) => {
      const image = new Image();
      image.src = `data:image/png;base64,${b64}`;
      await image.decode();
      return [image.naturalWidth, image.naturalHeight];
    }, png.toString('base64'));
    expect(decoded).toEqual([png.readUInt32BE(16), png.readUInt32BE(20)]);
  });

  test('Paste ASL converts a definition into .fz text and draws it', async () => {
    const definition = JSON.stringify({ StartAt: 'Greet', States: { Greet: { Type: 'Pass', Next: 'Done' }, Done: { Type: 'Succeed' } } }, null, 2);
    await page.click('#import-asl');
    await page.fill('#asl-input', definition);
    await page.click('#asl-convert');
    const expected = fromAsl(definition);
    expect(expected.ok).toBe(true);
    await expect.poll(() => editorText(page)).toBe(expected.value!.text);
    await settled(page);
    expect(await diagramTexts(page)).toEqual(expect.arrayContaining(['Greet', 'Done']));
    // Not ASL: the dialog says so and stays open.
    await page.click('#import-asl');
    await page.fill('#asl-input', '{"States": 3}');
    await page.click('#asl-convert');
    await expect.poll(async () => (await page.textContent('#asl-error')) ?? '').not.toBe('');
    await page.click('#asl-cancel');
  });

  test('dark theme: the page, the editor and the diagram switch', async () => {
    await replaceText(page, START);
    await page.click('#theme');
    expect(await page.getAttribute('html', 'data-theme')).toBe('dark');
    await settled(page);
    const [svgDownload] = await Promise.all([page.waitForEvent('download'), page.click('#export-svg')]);
    expect(readFileSync((await svgDownload.path())!, 'utf8')).toBe((await render(START, { theme: 'dark', id: 'fz-playground', embedFont: true })).value);
    const editorBackground = await page.$eval('.cm-editor', (e) => getComputedStyle(e).backgroundColor);
    expect(editorBackground).toBe('rgb(17, 24, 39)');
    await page.click('#theme');
    expect(await page.getAttribute('html', 'data-theme')).toBe('light');
  });

  test('a shared URL reopens the same diagram in a fresh browser', async () => {
    const text = START.replace('"Work"', '"Shared work 共有"');
    await replaceText(page, text);
    await page.click('#share');
    await expect.poll(() => page.url()).toContain('#fz=');
    const url = page.url();
    const shownHere = await page.$eval('#diagram svg', (s) => s.outerHTML);
    // Another context: no storage in common, only the link.
    const elsewhere = await newContext();
    try {
      const again = await open(elsewhere, url);
      expect(await editorText(again)).toBe(text);
      const shownThere = await again.$eval('#diagram svg', (s) => s.outerHTML);
      expect(shownThere).toBe(shownHere);
    } finally {
      await elsewhere.close();
    }
  });

  test('with the network cut after the first load, editing, the diagram and the ASL tab still work, and so does a reload', async () => {
    // The service worker has stored the page's files once it is active.
    expect(await page.evaluate(async () => (await navigator.serviceWorker.ready).active?.state)).toBe('activated');
    await context.setOffline(true);
    try {
      await replaceText(page, START.replace('"Work"', '"Offline work"'));
      expect(await diagramTexts(page)).toContain('Offline work');
      await page.click('#tab-asl');
      await expect.poll(async () => (await page.textContent('#asl')) ?? '', { timeout: 20_000 }).toContain('Offline work');
      await page.click('#tab-diagram');
      // A mistake still gets its squiggle: the language server runs in the page's worker.
      await replaceText(page, START.replace('n2: rectangle', 'n2: rectangel'));
      await page.locator('.cm-lintRange-error').first().waitFor({ timeout: 20_000 });
      // Reloaded offline: the service worker serves every file; the text was kept in the page's storage.
      await replaceText(page, START.replace('"Work"', '"After reload"'));
      await page.waitForTimeout(700);
      await page.reload();
      await page.waitForSelector('#diagram svg', { timeout: 60_000 });
      expect(await diagramTexts(page)).toContain('After reload');
      await replaceText(page, START.replace('n2: rectangle', 'n2: rectangel'));
      await page.locator('.cm-lintRange-error').first().waitFor({ timeout: 20_000 });
    } finally {
      await context.setOffline(false);
    }
  });

  describe('Open and Save', () => {
    // The native pickers are the operating system's dialogs, which a headless browser cannot show:
    // here they hand the page real FileSystemFileHandles of the origin's private file system, so the
    // page's own reading and writing through the File System Access API is what runs.
    const pickersFromOpfs = async (page: Page, file: string, text: string): Promise<void> => {
      await page.evaluate(
        async ([name, content]) => {
          const dir = await navigator.storage.getDirectory();
          const handle = await dir.getFileHandle(name!, { create: true });
          const w = await handle.createWritable();
          await w.write(content!);
          await w.close();
          const win = window as unknown as Record<string, unknown>;
          win['showOpenFilePicker'] = async () => [handle];
          win['showSaveFilePicker'] = async (options: { suggestedName?: string }) => {
            win['suggestedName'] = options.suggestedName;
            return dir.getFileHandle(options.suggestedName ?? 'unnamed.fz', { create: true });
          };
        },
        [file, text],
      );
    };
    const opfsText = (page: Page, file: string): Promise<string> =>
      page.evaluate(async (name) => (await (await (await navigator.storage.getDirectory()).getFileHandle(name)).getFile()).text(), file);

    test('with the File System Access API: Open reads the picked file, Save writes it in place', async () => {
      const context = await newContext();
      const page = await open(context);
      await pickersFromOpfs(page, 'order.fz', START);
      await page.click('#open');
      await page.waitForFunction(() => document.getElementById('file-name')!.textContent === 'order.fz');
      await settled(page);
      expect(await editorText(page)).toBe(START);
      expect(await diagramTexts(page)).toContain('Work');
      const edited = START.replace('Work', 'Work harder');
      await replaceText(page, edited);
      await page.click('#save');
      await page.waitForFunction(() => /saved order\.fz/.test(document.getElementById('status')!.textContent ?? ''));
      expect(await opfsText(page, 'order.fz')).toBe(edited);
      // Saved again: the same file, not a new dialog.
      await page.evaluate(() => ((window as unknown as Record<string, unknown>)['suggestedName'] = 'none'));
      await replaceText(page, START);
      await page.click('#save');
      await page.waitForFunction(() => /saved order\.fz/.test(document.getElementById('status')!.textContent ?? ''));
      expect(await opfsText(page, 'order.fz')).toBe(START);
      expect(await page.evaluate(() => (window as unknown as Record<string, unknown>)['suggestedName'])).toBe('none');
      await context.close();
    });

    test('Save without an opened file asks for a place, suggesting the file name', async () => {
      const context = await newContext();
      const page = await open(context);
      await pickersFromOpfs(page, 'unused.fz', '');
      await replaceText(page, START);
      await page.click('#save');
      await page.waitForFunction(() => /saved /.test(document.getElementById('status')!.textContent ?? ''));
      const suggested = (await page.evaluate(() => (window as unknown as Record<string, unknown>)['suggestedName'])) as string;
      expect(suggested).toMatch(/\.fz$/);
      expect(await opfsText(page, suggested)).toBe(START);
      await context.close();
    });

    test('without the API: Open takes a file input, Save downloads the text', async () => {
      const context = await newContext();
      await context.addInitScript(() => {
        delete (window as unknown as Record<string, unknown>)['showOpenFilePicker'];
        delete (window as unknown as Record<string, unknown>)['showSaveFilePicker'];
        delete (Object.getPrototypeOf(window) as Record<string, unknown>)['showOpenFilePicker'];
        delete (Object.getPrototypeOf(window) as Record<string, unknown>)['showSaveFilePicker'];
      });
      const page = await open(context);
      expect(await page.evaluate(() => 'showSaveFilePicker' in window)).toBe(false);
      const chooser = page.waitForEvent('filechooser');
      await page.click('#open');
      await (await chooser).setFiles({ name: 'picked.fz', mimeType: 'text/plain', buffer: Buffer.from(START) });
      await page.waitForFunction(() => document.getElementById('file-name')!.textContent === 'picked.fz');
      await settled(page);
      expect(await editorText(page)).toBe(START);
      const download = page.waitForEvent('download');
      await page.click('#save');
      const saved = await download;
      expect(saved.suggestedFilename()).toBe('picked.fz');
      expect(readFileSync(await saved.path(), 'utf8')).toBe(START);
      await context.close();
    });
  });

  describe('the Run panel', () => {
    const order = readFileSync(join(repoRoot, 'test', 'render', 'fixtures', 'trace-order.fz'), 'utf8');
    const mocks = readFileSync(join(repoRoot, 'test', 'render', 'fixtures', 'trace-order.mocks.json'), 'utf8');
    let context: BrowserContext;
    let page: Page;

    beforeAll(async () => {
      context = await newContext();
      page = await open(context);
      await replaceText(page, order);
      await page.click('#tab-run');
    }, 120_000);
    afterAll(async () => {
      await context?.close();
    });

    const run = async (): Promise<string> => {
      await page.click('#run-start');
      // The panel re-enables Run once the result and its drawing are shown.
      await page.waitForFunction(() => !document.getElementById('run-start')!.hasAttribute('disabled'), undefined, { timeout: 60_000 });
      return (await page.textContent('#run-result')) ?? '';
    };

    test('a mock file with two test cases: pick one, Run, and the path is drawn; the other case takes another path', async () => {
      await page.fill('#run-input', '{"tries": 0}');
      await page.fill('#run-mocks', mocks);
      expect(await page.$$eval('#run-case option', (os) => os.map((o) => o.textContent))).toEqual(['Paid', 'Declined']);
      await page.selectOption('#run-case', { label: 'Paid' });
      const paid = await run();
      expect(paid).toContain('SUCCEEDED');
      expect(paid).toContain('Charge Card');
      const paidVisited = await page.$$eval('#run-diagram svg .fz-visited', (ns) => ns.map((n) => n.getAttribute('data-node') ?? n.textContent ?? ''));
      expect(paidVisited.length).toBeGreaterThan(2);
      expect(await page.locator('#run-diagram svg .fz-taken').count()).toBeGreaterThan(1);
      expect(await page.locator('#run-diagram svg .fz-failed').count()).toBe(0);
      await page.screenshot({ path: join(tmpdir(), 'flowlane-playground-run-paid.png') });

      await page.selectOption('#run-case', { label: 'Declined' });
      const declined = await run();
      expect(declined).toContain('FAILED');
      expect(declined).toContain('OrderFailed');
      expect(await page.locator('#run-diagram svg .fz-failed').count()).toBeGreaterThan(0);
      expect(await page.locator('#run-diagram svg [data-visits="3"]').count()).toBeGreaterThan(0);
      const declinedVisited = await page.$$eval('#run-diagram svg .fz-visited', (ns) => ns.map((n) => n.getAttribute('data-node') ?? n.textContent ?? ''));
      expect(declinedVisited).not.toEqual(paidVisited);
      await page.screenshot({ path: join(tmpdir(), 'flowlane-playground-run-declined.png') });
      // The Diagram tab keeps the plain drawing: the path is the Run panel's.
      expect(await page.locator('#diagram svg .fz-visited').count()).toBe(0);
    });

    test('input that is not JSON gets its line and column, and nothing runs', async () => {
      await page.fill('#run-input', '{\n  "tries": 0,\n  oops\n}');
      const result = await run();
      expect(result).toMatch(/input: line 3, column 3: /);
      expect(await page.getAttribute('#run-result', 'data-status')).toBeNull();
    });

    test('a machine that would run for long is ended by Stop, and says so', async () => {
      await page.fill('#run-input', '{}');
      await page.fill('#run-mocks', '');
      await replaceText(page, 'work { # Work\n  n1: rectangle label:"Busy" Type:"Pass" QueryLanguage:"JSONata" End:true Output:"{% $count($map([1..3000000], function($v){ $v * 2 })) %}"\n}\n');
      await page.click('#run-start');
      await page.waitForTimeout(1500);
      expect(await page.textContent('#run-result')).toBe('running…');
      await page.click('#run-stop');
      await page.waitForFunction(() => /stopped/.test(document.getElementById('run-result')!.textContent ?? ''), undefined, { timeout: 5000 });
      expect(await page.textContent('#run-result')).toContain('stopped: the run was ended before it finished');
      expect(await page.isDisabled('#run-stop')).toBe(true);
      expect(await page.isEnabled('#run-start')).toBe(true);
    });

    test('a Task without a mock says what to do instead of running', async () => {
      await replaceText(page, order);
      await page.fill('#run-input', '{"tries": 0}');
      const result = await run();
      expect(result).toMatch(/problem/);
      expect(result).toMatch(/Charge Card/);
    });
  });

  test('no request left the page\'s own origin, and no script error', () => {
    expect(requested.length).toBeGreaterThan(5);
    expect(requested.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith('blob:') && !u.startsWith('data:'))).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
