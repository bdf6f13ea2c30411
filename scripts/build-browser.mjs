// `npm run build:browser`: the browser build of flowlane (src/browser), two self-contained files:
//   dist/browser/flowlane.mjs      ES module (import { run, render, … } from '…/flowlane.mjs')
//   dist/browser/flowlane.iife.js  plain script, global `flowlane`, runs flowlane.run() on load
//   dist/browser/flowlane-fonts.mjs the fallback fonts (CJK, Hebrew, Arabic, emoji), loaded from
//                                  beside either bundle only when a text needs them
// plus the declarations (dist/browser/index.d.ts). The stages are the library's own; the modules
// that need Node are swapped at bundle time for their browser stand-ins in src/browser (scripts/browser-stand-ins.mjs), so
// no source file of a stage knows about the browser. esbuild refuses any Node built-in that is left.
// Usage: node scripts/build-browser.mjs [--metafile]   (prints the sizes, raw and gzip)
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { BROWSER_BUNDLE, standIns } from './browser-stand-ins.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'browser');

const common = { ...BROWSER_BUNDLE, plugins: [standIns(root)], metafile: true };

execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', join(root, 'tsconfig.browser.json')], { stdio: 'inherit' });
mkdirSync(out, { recursive: true });
const esm = await esbuild.build({ ...common, entryPoints: [join(root, 'src/browser/esm.ts')], format: 'esm', outfile: join(out, 'flowlane.mjs') });
await esbuild.build({ ...common, entryPoints: [join(root, 'src/browser/iife.ts')], format: 'iife', globalName: 'flowlane', outfile: join(out, 'flowlane.iife.js') });
await esbuild.build({ ...common, entryPoints: [join(root, 'src/layout/font-data-fallback.ts')], format: 'esm', outfile: join(out, 'flowlane-fonts.mjs') });
if (process.argv.includes('--metafile')) writeFileSync(join(out, 'meta.json'), JSON.stringify(esm.metafile));

for (const file of ['flowlane.mjs', 'flowlane.iife.js', 'flowlane-fonts.mjs']) {
  const bytes = readFileSync(join(out, file));
  console.log(`dist/browser/${file}: ${(bytes.length / 1024).toFixed(0)} KiB, ${(gzipSync(bytes, { level: 9 }).length / 1024).toFixed(0)} KiB gzip`);
}
