// The live preview's page, loaded in headless Chromium as the webview would load it: the page from
// extension/src/preview-html.ts with media/preview.js, fed the SVG the real server renders for a
// document. It must show the diagram, follow the theme's colours, keep the last picture on an error
// and rasterise to PNG for the PNG export.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { previewHtml } from '../../extension/src/preview-html.js';
import { root, startSession, type Session } from '../server/harness.js';

const DOC = 'sales { # Sales\n  n1: circle label:"Start"\n  n2: rectangle label:"Take Order"\n  n1.handle(right) -> n2.handle(left)\n}\n';

let browser: Browser;
let page: Page;
let s: Session;
let uri: string;

beforeAll(async () => {
  s = await startSession();
  uri = s.open('p.fz', DOC);
  browser = await launchChromium();
  const dir = mkdtempSync(join(tmpdir(), 'flowlane-preview-'));
  const media = pathToFileURL(join(root, 'extension', 'media')).href;
  const html = previewHtml({ cspSource: 'file:', scriptUri: `${media}/preview.js`, styleUri: `${media}/preview.css`, nonce: 'testnonce123', title: 'p.fz' });
  const file = join(dir, 'preview.html');
  writeFileSync(file, html);
  page = await browser.newPage();
  // The webview API the page expects; messages it posts are kept for the test.
  await page.addInitScript(() => {
    const w = window as unknown as { __posted: unknown[]; acquireVsCodeApi: () => unknown };
    w.__posted = [];
    let state: unknown;
    w.acquireVsCodeApi = () => ({ postMessage: (m: unknown) => w.__posted.push(m), setState: (x: unknown) => (state = x), getState: () => state });
  });
  await page.goto(pathToFileURL(file).href);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await s?.stop();
});

async function svgFor(theme: string): Promise<string> {
  const r = await s.request<{ svg?: string; error?: string }>('flowlane/renderSvg', { textDocument: { uri }, options: { theme } });
  expect(r.error).toBeUndefined();
  return r.svg!;
}

describe('preview page', () => {
  it('announces itself ready', async () => {
    expect(await page.evaluate(() => (window as unknown as { __posted: { type: string }[] }).__posted.map((m) => m.type))).toContain('ready');
  });

  it('shows the diagram the server rendered', async () => {
    const svg = await svgFor('light');
    await page.evaluate((svg) => window.postMessage({ type: 'svg', svg, errors: 0 }, '*'), svg);
    await page.waitForSelector('#diagram svg');
    const text = await page.locator('#diagram svg').textContent();
    expect(text).toContain('Take Order');
    expect(text).toContain('Start');
    const box = await page.locator('#diagram svg').boundingBox();
    expect(box!.width).toBeGreaterThan(50);
    expect(box!.height).toBeGreaterThan(20);
  });

  it('follows the colour theme: the page takes the editor colours, the server draws a dark diagram', async () => {
    await page.evaluate(() => document.documentElement.style.setProperty('--vscode-editor-background', 'rgb(30, 30, 30)'));
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(30, 30, 30)');
    const dark = await svgFor('dark');
    expect(dark).not.toBe(await svgFor('light'));
    await page.evaluate((svg) => window.postMessage({ type: 'svg', svg, errors: 0 }, '*'), dark);
    await page.waitForFunction(() => document.querySelector('#diagram svg')?.outerHTML.includes('dark'));
  });

  it('keeps the last picture and shows the message when drawing fails', async () => {
    await page.evaluate(() => window.postMessage({ type: 'error', message: 'syntax error on line 3' }, '*'));
    await page.waitForFunction(() => document.getElementById('status')?.textContent?.includes('line 3'));
    expect(await page.locator('#diagram svg').count()).toBe(1);
  });

  it('rasterises the diagram to PNG for the export', async () => {
    await page.evaluate(() => window.postMessage({ type: 'exportPng', id: 7, scale: 1 }, '*'));
    await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'png'));
    const msg = await page.evaluate(() => (window as unknown as { __posted: { type: string; id: number; data?: string; error?: string }[] }).__posted.find((m) => m.type === 'png')!);
    expect(msg.error).toBeUndefined();
    expect(msg.id).toBe(7);
    const png = Buffer.from(msg.data!, 'base64');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBeGreaterThan(500);
  });
});
