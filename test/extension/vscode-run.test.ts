// "FlowZap: Run Locally" end to end in a real VS Code (code-server, driven by headless Chromium):
// the packaged .vsix installed, a .fz file opened, the command run from the command palette; with a
// mock file beside the file it offers its test cases, without one it asks for the input as JSON;
// the preview then shows the path (fz-visited, fz-failed) and the result is written out.
// Runs only when FLOWLANE_CODE_SERVER=DIR is set (as test/extension/vscode-e2e.test.ts).
import { copyFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Frame, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeServerEnabled, startCodeServer, type CodeServer } from '../helpers/code-server.js';
import { repoRoot as root } from '../helpers/paths.js';

const fixtures = join(root, 'test', 'render', 'fixtures');

describe.runIf(codeServerEnabled)('FlowZap: Run Locally in code-server', () => {
  let vscode: CodeServer;
  let page: Page;
  let folder = '';

  beforeAll(async () => {
    vscode = await startCodeServer({
      name: 'flowlane-e2e-run',
      files(ws) {
        // order.fz with order.mock.json beside it (and the test cases' inputs in order.mock.expect.json).
        copyFileSync(join(fixtures, 'trace-order.fz'), join(ws, 'order.fz'));
        copyFileSync(join(fixtures, 'trace-order.mocks.json'), join(ws, 'order.mock.json'));
        writeFileSync(join(ws, 'order.mock.expect.json'), JSON.stringify({ TestCases: { Paid: { input: { tries: 0 } }, Declined: { input: { tries: 0 } } } }));
        // checkout.fz has no mock file: the command asks for the input.
        copyFileSync(join(root, 'examples', 'feature-jsonata.fz'), join(ws, 'checkout.fz'));
      },
    });
    ({ page, folder } = vscode);
  }, 180_000);

  afterAll(async () => {
    await vscode?.close();
  });

  async function command(title: string): Promise<void> {
    await page.keyboard.press('F1');
    await page.keyboard.type(title);
    await page.waitForTimeout(800);
    await page.keyboard.press('Enter');
  }

  async function openFile(name: string): Promise<void> {
    await page.keyboard.press('Escape');
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first().click();
    await page.waitForSelector(`.tab.active[aria-label*="${name}"], .tab.active[title*="${name}"]`, { timeout: 30_000 });
    // The language server is up once the file's text is coloured and the command is registered.
    await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
  }

  /** The preview's frame once its drawing satisfies `ok`. */
  async function previewWhere(ok: string): Promise<Frame> {
    for (let i = 0; i < 120; i++) {
      for (const f of page.frames()) {
        if (await f.evaluate(ok).catch(() => false)) return f;
      }
      await page.waitForTimeout(500);
    }
    throw new Error(`no preview where ${ok}`);
  }

  const quickInput = '.quick-input-widget:not([style*="display: none"])';

  it('with a mock file beside the .fz: offers its test cases, and the preview shows the failing path', async () => {
    await openFile('order.fz');
    // The server needs a moment to start after the first file opens.
    await page.waitForTimeout(3000);
    await command('FlowZap: Run Locally');
    await page.waitForSelector(`${quickInput} .monaco-list-row`, { timeout: 30_000 });
    const offered = await page.locator(`${quickInput} .monaco-list-row`).allTextContents();
    expect(offered.join('|')).toContain('Declined');
    expect(offered.join('|')).toContain('Paid');
    await page.keyboard.type('Declined');
    await page.waitForTimeout(300);
    await page.keyboard.press('Enter');
    const preview = await previewWhere(`!!document.querySelector('#diagram svg .fz-failed') && document.querySelectorAll('#diagram svg .fz-visited').length > 0`);
    await page.screenshot({ path: join(tmpdir(), 'flowlane-e2e-run-declined.png') });
    expect(await preview.locator('#diagram svg .fz-visited').count()).toBeGreaterThan(4);
    expect(await preview.locator('#diagram svg .fz-failed-mark').textContent()).toContain('OrderFailed');
    expect(await preview.locator('#diagram svg [data-visits="3"]').count()).toBeGreaterThan(0);
    expect(await preview.locator('#status').textContent()).toContain('FAILED OrderFailed');
    // The result is also in a notification.
    await page.waitForSelector('.notification-toast:has-text("Run: FAILED OrderFailed")', { timeout: 15_000 });
  });

  it('without a mock file: asks for the input as JSON, and the preview shows the path it decided', async () => {
    await openFile('checkout.fz');
    await command('FlowZap: Run Locally');
    await page.waitForSelector(`${quickInput} input`, { timeout: 30_000 });
    expect(await page.locator(`${quickInput} input`).inputValue()).toBe('{}');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('{"items":[{"price":150}]}');
    await page.keyboard.press('Enter');
    const preview = await previewWhere(`(document.querySelector('#diagram svg')?.textContent ?? '').includes('Ask Approval') && !!document.querySelector('#diagram svg.fz-trace-succeeded')`);
    await page.screenshot({ path: join(tmpdir(), 'flowlane-e2e-run-input.png') });
    const visited = await preview.locator('#diagram svg .fz-node.fz-visited').evaluateAll((els) => els.map((e) => e.textContent ?? ''));
    expect(visited.join('|')).toContain('Ask Approval');
    expect(await preview.locator('#diagram svg .fz-node.fz-failed').count()).toBe(0);
    await page.waitForSelector('.notification-toast:has-text("Run: SUCCEEDED")', { timeout: 15_000 });
  });
});
