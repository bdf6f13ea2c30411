// Global setup: compiles src/ to dist/ (and bundles the CLI) once before the suites run, because the
// CLI, language-server and browser suites run the compiled program as a user does (a type error fails
// the whole run here), and finds the Chromium the browser suites share.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { resolveChromium } from '../helpers/browser.js';
import { repoRoot } from '../helpers/paths.js';

export default async function setup(project: TestProject): Promise<void> {
  try {
    execFileSync('flock', ['/tmp/flowlane-build.lock', join(repoRoot, 'node_modules', '.bin', 'tsc'), '-p', 'tsconfig.json'], {
      cwd: repoRoot,
      stdio: 'pipe',
    });
    // The bin runs dist/cli.cjs, the command line in one file (scripts/build-cli.mjs), as `npm run build` makes it.
    execFileSync('flock', ['/tmp/flowlane-build.lock', process.execPath, join(repoRoot, 'scripts', 'build-cli.mjs')], { cwd: repoRoot, stdio: 'pipe' });
  } catch (e) {
    const out = (e as { stdout?: Buffer }).stdout?.toString() ?? String(e);
    throw new Error(`the TypeScript build failed:\n${out}`);
  }
  project.provide('chromiumPath', await resolveChromium());
  if (!process.env['FLOWLANE_CODE_SERVER']) {
    console.log('the VS Code end-to-end suite did not run: set FLOWLANE_CODE_SERVER=DIR after ../shared/tools/code-server-setup.sh DIR to run it');
  }
}
