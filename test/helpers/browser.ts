// One Chromium for every browser suite, so that `npm ci` alone is enough to run them: the build that
// @sparticuz/chromium ships inside its npm package (unpacked to /tmp on first use). FLOWLANE_CHROMIUM
// names another binary; Debian's /usr/bin/chromium is the fallback when the packaged one cannot run.
// The test setup resolves the path once (unpacking is not safe to race between workers).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';
import { inject } from 'vitest';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--headless'];
const SYSTEM_CHROMIUM = '/usr/bin/chromium';
const LOCK = '/tmp/flowlane-chromium.lock';

/** Where the browser is: called once by the global setup, which hands the answer to the suites. */
export async function resolveChromium(): Promise<string> {
  const chosen = process.env['FLOWLANE_CHROMIUM'];
  if (chosen) {
    if (!existsSync(chosen)) throw new Error(`FLOWLANE_CHROMIUM=${chosen}: no such file`);
    return chosen;
  }
  try {
    // Unpacking writes /tmp/chromium: a lock keeps two test runs on one machine from racing.
    const unpack = "import('@sparticuz/chromium').then(async (m) => process.stdout.write(await m.default.executablePath()))";
    const path = execFileSync('flock', [LOCK, process.execPath, '--input-type=module', '-e', unpack], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
    if (!existsSync(path)) throw new Error(`${path} is missing after unpacking`);
    return path;
  } catch (e) {
    if (existsSync(SYSTEM_CHROMIUM)) return SYSTEM_CHROMIUM;
    throw new Error(`no Chromium: @sparticuz/chromium could not be unpacked (${(e as Error).message}) and ${SYSTEM_CHROMIUM} is absent`);
  }
}

/** The path the global setup resolved. */
export function chromiumPath(): string {
  return inject('chromiumPath');
}

export function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, ...options, args: [...CHROMIUM_ARGS, ...(options.args ?? [])] });
}

declare module 'vitest' {
  export interface ProvidedContext {
    chromiumPath: string;
  }
}
