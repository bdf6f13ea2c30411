// A real VS Code for the end-to-end suites: code-server (installed by
// ../shared/tools/code-server-setup.sh DIR and named by FLOWLANE_CODE_SERVER=DIR) with the packaged
// .vsix installed into a fresh profile, serving a workspace folder on 127.0.0.1, and a headless
// Chromium page on it with the workbench loaded.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser.js';
import { repoRoot as root } from './paths.js';

const dir = process.env['FLOWLANE_CODE_SERVER'];
const bin = dir ? join(dir, 'node_modules', '.bin', 'code-server') : '';

/** Whether code-server is there to run the suites with. */
export const codeServerEnabled = !!dir && existsSync(bin);

export interface CodeServer {
  page: Page;
  /** The workspace folder the window has open. */
  folder: string;
  /** The profile's log folder (the extension host's logs are below it). */
  logs: string;
  close(): Promise<void>;
}

export interface CodeServerOptions {
  /** The start of the temporary folder's name. */
  name: string;
  /** User settings beyond the quiet defaults (no start-up editor, trust or telemetry). */
  settings?: Record<string, unknown>;
  /** Writes the workspace's files into the folder before the window opens. */
  files(folder: string): void;
}

/** Packs and installs the extension, starts code-server on a free-looking port and opens the folder in Chromium. */
export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const work = mkdtempSync(join(tmpdir(), `${options.name}-`));
  const ext = join(work, 'ext');
  const data = join(work, 'data');
  const folder = join(work, 'ws');
  mkdirSync(join(data, 'User'), { recursive: true });
  mkdirSync(folder, { recursive: true });
  const settings = { 'workbench.startupEditor': 'none', 'security.workspace.trust.enabled': false, 'telemetry.telemetryLevel': 'off', ...options.settings };
  writeFileSync(join(data, 'User', 'settings.json'), JSON.stringify(settings));
  options.files(folder);
  execFileSync('npm', ['run', '--silent', 'package:extension'], { cwd: root, stdio: 'ignore' });
  execFileSync(bin, ['--extensions-dir', ext, '--user-data-dir', data, '--install-extension', join(root, 'extension', 'flowlane.vsix')], { stdio: 'ignore' });
  const port = 18000 + Math.floor(Math.random() * 2000);
  const server: ChildProcess = spawn(bin, ['--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--extensions-dir', ext, '--user-data-dir', data, folder], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break;
    } catch {
      // Not up yet.
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  const browser: Browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`);
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60_000 }).catch(() => undefined);
  return {
    page,
    folder,
    logs: join(data, 'logs'),
    async close() {
      await browser.close();
      server.kill();
    },
  };
}
