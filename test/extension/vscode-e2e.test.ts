// End to end in a real VS Code (code-server, driven by headless Chromium): the packaged .vsix is
// installed, a .fz file opened; the extension must activate, start the bundled server, underline a
// mistake, colour the text and open the live preview with the diagram; an .asl.json file gets the
// diagnostics `flowlane check` gives and a preview that follows the edits.
// Needs code-server, installed by /work/shared/tools/code-server-setup.sh DIR; the test runs only
// when FLOWLANE_CODE_SERVER=DIR is set (it takes a minute; .ci/run installs code-server and sets it).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Frame, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeServerEnabled, startCodeServer, type CodeServer } from '../helpers/code-server.js';

const PAYMENT_ASL = `{
  "Comment": "Charge a card, then ship",
  "StartAt": "Charge Card",
  "States": {
    "Charge Card": { "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "Ship Order" },
    "Ship Order": {
      "Type": "Pass",
      "Next": "Notify Customr"
    },
    "Notify Customer": { "Type": "Succeed" }
  }
}
`;

describe.runIf(codeServerEnabled)('the extension in code-server', () => {
  let vscode: CodeServer;
  let page: Page;
  let folder = '';
  let logs = '';

  beforeAll(async () => {
    vscode = await startCodeServer({
      name: 'flowlane-e2e',
      settings: { 'workbench.colorTheme': 'Default Dark Modern' },
      files(ws) {
        // An ASL file with a mistake (a Next naming no state): the extension must check it as `flowlane check` does.
        writeFileSync(join(ws, 'payment.asl.json'), PAYMENT_ASL);
        writeFileSync(join(ws, 'refund.asl.yaml'), 'StartAt: Refund\nStates:\n  Refund:\n    Type: Pass\n    Next: Notify\n');
        writeFileSync(join(ws, 'order.fz'), 'sales { # Sales\n  n1: circle label:"Start"\n  n2: rectangel label:"Take Order"\n  n1.handle(right) -> n2.handle(left)\n}\n');
      },
    });
    ({ page, folder, logs } = vscode);
    await page.screenshot({ path: join(tmpdir(), 'flowlane-e2e-start.png') });
    // Open the file from the Explorer.
    await page.locator('.monaco-list-row', { hasText: 'order.fz' }).first().click();
    await page.waitForSelector('.monaco-editor .view-lines', { timeout: 30_000 });
  }, 180_000);

  afterAll(async () => {
    await vscode?.close();
  });

  /** Every extension-host log line about flowlane that reports an error. */
  function extensionErrors(): string[] {
    const out: string[] = [];
    const walk = (d: string): void => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.log')) out.push(...readFileSync(p, 'utf8').split('\n').filter((l) => /\[error\]/.test(l) && /flowlane/i.test(l)));
      }
    };
    if (existsSync(logs)) walk(logs);
    return out;
  }

  it('underlines the unknown shape (the bundled server runs)', async () => {
    await page.waitForSelector('.monaco-editor .squiggly-error', { timeout: 60_000 });
    expect(await page.locator('.monaco-editor .squiggly-error').count()).toBeGreaterThan(0);
  });

  it('activates without errors', () => {
    expect(extensionErrors()).toEqual([]);
  });

  it('colours the text with the grammar', async () => {
    const classes = await page.locator('.monaco-editor .view-lines span[class^="mtk"]').evaluateAll((els) => new Set(els.map((e) => e.className)).size);
    expect(classes).toBeGreaterThan(3);
  });

  it('opens the live preview with the diagram', async () => {
    await page.keyboard.press('F1');
    await page.keyboard.type('FlowZap: Open Preview to the Side');
    await page.waitForTimeout(800);
    await page.keyboard.press('Enter');
    let found: Frame | undefined;
    for (let i = 0; i < 60 && !found; i++) {
      for (const f of page.frames()) {
        if (await f.locator('#diagram svg').count().catch(() => 0)) found = f;
      }
      if (!found) await page.waitForTimeout(500);
    }
    expect(found).toBeDefined();
    expect(await found!.locator('#diagram svg').textContent()).toContain('Take Order');
    preview = found!;
  });

  let preview: Frame;
  it('redraws the preview as you type', async () => {
    await page.locator('.monaco-editor .view-line', { hasText: 'n1.handle' }).first().click();
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('n3: rectangle label:"Ship It', { delay: 20 });
    await preview.waitForFunction(() => document.querySelector('#diagram svg')?.textContent?.includes('Ship It'), undefined, { timeout: 30_000 });
    await page.screenshot({ path: join(tmpdir(), 'flowlane-e2e.png') });
  });

  async function command(title: string): Promise<void> {
    await page.keyboard.press('F1');
    await page.keyboard.type(title);
    await page.waitForTimeout(800);
    await page.screenshot({ path: join(tmpdir(), `flowlane-e2e-cmd.png`) });
    await page.keyboard.press('Enter');
  }

  it('exports the diagram as SVG and as PNG through the save dialog', async () => {
    await page.locator('.monaco-editor .view-line', { hasText: 'n1.handle' }).first().click();
    for (const [title, file, check] of [
      ['FlowZap: Export Diagram as SVG', 'order.svg', (b: Buffer) => b.toString('utf8').includes('<svg')],
      ['FlowZap: Export Diagram as PNG', 'order.png', (b: Buffer) => b.subarray(1, 4).toString() === 'PNG'],
    ] as const) {
      await command(title);
      // The save dialog (VS Code's simple dialog in the browser) proposes the file beside the .fz: accept it.
      await page.waitForSelector('.quick-input-widget:not([style*="display: none"]) input', { timeout: 15_000 });
      await page.waitForTimeout(500);
      await page.keyboard.press('Enter');
      const target = join(folder, file);
      for (let i = 0; i < 60 && !existsSync(target); i++) await page.waitForTimeout(250);
      expect(check(readFileSync(target)), file).toBe(true);
    }
  });

  it('converts to ASL beside the file, and opens that ASL file as a diagram again', async () => {
    // Back to the .fz editor (the first editor group), whatever the export left focused.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+1');
    await page.waitForTimeout(300);
    await command('FlowZap: Convert to ASL');
    const asl = join(folder, 'order.asl.json');
    for (let i = 0; i < 60 && !existsSync(asl); i++) await page.waitForTimeout(250);
    await page.screenshot({ path: join(tmpdir(), 'flowlane-e2e-asl.png') });
    const machine = JSON.parse(readFileSync(asl, 'utf8')) as { States: Record<string, unknown> };
    expect(Object.keys(machine.States)).toContain('Take Order');
    // The ASL file is now the active editor; open it as a diagram.
    await page.waitForSelector('.tab.active[aria-label*="order.asl.json"], .tab.active[title*="order.asl.json"]', { timeout: 15_000 }).catch(() => undefined);
    await command('FlowZap: Open ASL File as Diagram');
    await page.waitForFunction(() => [...document.querySelectorAll('.monaco-editor .view-line')].some((l) => l.textContent?.includes('Type:"Pass"') || l.textContent?.includes('Take Order')), undefined, { timeout: 30_000 });
    await page.waitForSelector('.statusbar-item[aria-label*="FlowZap"], .statusbar-item:has-text("FlowZap Code")', { timeout: 15_000 });
  });

  it('checks an .asl.json file as `flowlane check` does: the mistake is underlined and listed at its line', async () => {
    await page.keyboard.press('Escape');
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'payment.asl.json' }).first().click();
    await page.waitForSelector('.tab.active[aria-label*="payment.asl.json"], .tab.active[title*="payment.asl.json"]', { timeout: 15_000 });
    await page.waitForSelector('.editor-group-container.active .monaco-editor .squiggly-error', { timeout: 60_000 });
    // The Problems panel names the missing state with its line (the one `check` reports: 8:7 here).
    await page.keyboard.press('Control+Shift+M');
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'Notify Customr' }).first();
    await row.waitFor({ timeout: 30_000 });
    const text = (await row.getAttribute('aria-label')) ?? (await row.textContent()) ?? '';
    await page.screenshot({ path: join(tmpdir(), 'flowlane-e2e-asl-problem.png') });
    expect(text).toContain('did you mean "Notify Customer"');
    expect(text).toMatch(/\b8\b/);
  });

  it('previews the .asl.json file: the broken state marked, then redrawn once the mistake is fixed', async () => {
    await page.keyboard.press('Escape');
    await command('FlowZap: Open Preview to the Side');
    // While the Next names no state, the preview draws the machine with that state marked (as
    // `render --allow-invalid` does), so the mistake can be seen in the drawing.
    await preview.waitForFunction(() => {
      const svg = document.querySelector('#diagram svg');
      return !!svg && (svg.textContent ?? '').includes('Charge Card') && !!svg.querySelector('.fz-invalid');
    }, undefined, { timeout: 30_000 });
    // Fix the typo by typing, as a person would: go to line 8, drop the last letter, type "er".
    await page.locator('.editor-group-container', { has: page.locator('.tab.active[aria-label*="payment.asl.json"], .tab.active[title*="payment.asl.json"]') }).locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('F1');
    await page.keyboard.press('Backspace');
    await page.keyboard.type(':8');
    await page.waitForTimeout(400);
    await page.keyboard.press('Enter');
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('er');
    // The squiggle goes from the ASL file's editor (the active group; other editors keep their own).
    await page.waitForFunction(() => document.querySelectorAll('.editor-group-container.active .monaco-editor .squiggly-error').length === 0, undefined, { timeout: 30_000 });
    await preview.waitForFunction(() => {
      const svg = document.querySelector('#diagram svg');
      return !!svg && (svg.textContent ?? '').includes('Notify Customer') && !svg.querySelector('.fz-invalid');
    }, undefined, { timeout: 30_000 });
    await page.screenshot({ path: join(tmpdir(), 'flowlane-e2e-asl-preview.png') });
    expect(await preview.locator('#diagram svg').textContent()).toContain('Ship Order');
    expect(readFileSync(join(folder, 'payment.asl.json'), 'utf8')).toContain('"Notify Customr"'); // typed, not saved: the preview follows the editor
  });

  it('checks an .asl.yaml file the same way', async () => {
    await page.keyboard.press('Escape');
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'refund.asl.yaml' }).first().click();
    await page.waitForSelector('.tab.active[aria-label*="refund.asl.yaml"], .tab.active[title*="refund.asl.yaml"]', { timeout: 15_000 });
    await page.waitForSelector('.editor-group-container.active .monaco-editor .squiggly-error', { timeout: 60_000 });
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'string "Notify" names no state' }).first();
    await row.waitFor({ timeout: 30_000 });
    expect((await row.getAttribute('aria-label')) ?? '').toMatch(/\b5\b/);
  });

  it('logged no extension error along the way', () => {
    expect(extensionErrors()).toEqual([]);
  });
});
