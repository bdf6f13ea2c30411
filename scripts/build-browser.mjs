// `npm run build:browser`: the browser build of flowlane (src/browser), two self-contained files:
//   dist/browser/flowlane.mjs      ES module (import { run, render, … } from '…/flowlane.mjs')
//   dist/browser/flowlane.iife.js  plain script, global `flowlane`, runs flowlane.run() on load
//   dist/browser/flowlane-fonts.mjs the fallback fonts (CJK, Hebrew, Arabic, emoji), loaded from
//                                  beside either bundle only when a text needs them
// plus the declarations (dist/browser/index.d.ts). The stages are the library's own; the modules
// that need Node are swapped at bundle time for their browser stand-ins in src/browser (below), so
// no source file of a stage knows about the browser. esbuild refuses any Node built-in that is left.
// Usage: node scripts/build-browser.mjs [--metafile]   (prints the sizes, raw and gzip)
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'browser');

/** Module of a stage -> its browser stand-in. */
const STAND_INS = {
  'src/render/dom.ts': 'src/browser/dom.ts',
  'src/render/png.ts': 'src/browser/png.ts',
  'src/layout/elk-module.ts': 'src/browser/elk-module.ts',
  'src/parser/chevrotain.ts': 'src/browser/chevrotain.ts',
};

const standIns = {
  name: 'flowlane-browser-stand-ins',
  setup(build) {
    // The stages import each other as './x.js' (NodeNext); resolve to the .ts file, then swap.
    build.onResolve({ filter: /^\.\.?\/.*\.js$/ }, (args) => {
      if (!args.importer.startsWith(join(root, 'src'))) return undefined;
      // The fallback fonts stay out of the bundle: src/browser's entries load them from
      // flowlane-fonts.mjs beside it (setFallbackFontSource), only when a text needs them.
      if (args.path === './font-data-fallback.js') return { path: './flowlane-fonts.mjs', external: true };
      const ts = join(args.resolveDir, args.path.replace(/\.js$/, '.ts'));
      const relative = ts.slice(root.length + 1).split('\\').join('/');
      const swapped = STAND_INS[relative];
      return swapped ? { path: join(root, swapped) } : undefined;
    });
  },
};

const common = {
  bundle: true,
  platform: 'browser',
  target: ['es2022'],
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [standIns],
  metafile: true,
  // elkjs's worker module takes `window`, else Node's `global`, else `self` as its global object: in
  // the layout worker (no window) that is globalThis, whichever name it finds.
  define: { global: 'globalThis' },
};

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
