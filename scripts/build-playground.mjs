// `npm run build:playground`: the playground (src/playground), a static folder anyone can host
// (GitHub Pages, `flowlane playground`): no server logic, every file the page needs is in it.
//   dist/playground/index.html, playground.css   the page (copied)
//   dist/playground/playground.js                 the page's script: CodeMirror, the LSP client, the UI
//   dist/playground/lsp/lsp-worker.js (+ chunks)  the language server (src/server) as a module worker
//   dist/playground/lsp/run-worker.js             the Run panel's worker (src/playground/run-worker.ts)
//   dist/playground/flowlane.mjs, flowlane-fonts.mjs  the browser build (as npm run build:browser
//                                                 makes it), which the page imports at run time: it
//                                                 lays out in its own worker, fonts loaded beside it
// Usage: node scripts/build-playground.mjs [--out DIR] [--beside-browser-build]
//   --out DIR: the tests build into a folder of their own, so that a concurrent `npm pack` never
//     serves them a half-written file.
//   --beside-browser-build (prepack): flowlane.mjs and flowlane-fonts.mjs are not written here but
//     taken from dist/browser (built first) by `flowlane playground`, which serves them from there:
//     the package carries them once (4.3 MB packed less). A folder for a static host needs them here.
// Prints the sizes.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { BROWSER_BUNDLE, standIns } from './browser-stand-ins.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outAt = process.argv.indexOf('--out');
const out = outAt > 0 && process.argv[outAt + 1] ? resolve(process.argv[outAt + 1]) : join(root, 'dist', 'playground');

execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', join(root, 'tsconfig.browser.json'), '--noEmit'], { stdio: 'inherit' });
execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', join(root, 'tsconfig.playground.json')], { stdio: 'inherit' });
// A fresh folder: nothing left over from an older build is served.
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const common = BROWSER_BUNDLE;

/** The page imports the browser build's API; at run time that is flowlane.mjs beside it, not a second copy. */
const browserBuildBeside = {
  name: 'flowlane-browser-build-beside',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/browser\/index\.js$/ }, () => ({ path: './flowlane.mjs', external: true }));
  },
};

/**
 * The server loads the renderer only for flowlane/renderSvg (language/stages.ts), which the page
 * never asks for: it draws with flowlane.mjs. Left out, the worker is 1.7 MB lighter; the request
 * would answer that the renderer is not available.
 */
const noRendererInServer = {
  name: 'flowlane-no-renderer-in-server',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/render\/index\.js$/ }, (args) => (args.importer.endsWith(join('src', 'language', 'stages.ts')) ? { path: 'no-renderer', namespace: 'flowlane-stub' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'flowlane-stub' }, () => ({ contents: 'export {};', loader: 'js' }));
  },
};

await esbuild.build({
  ...common,
  entryPoints: [join(root, 'src/playground/main.ts')],
  format: 'esm',
  outfile: join(out, 'playground.js'),
  plugins: [browserBuildBeside],
  loader: { '.fz': 'text' },
});

// The server, split so that what it loads on demand (the renderer behind flowlane/renderSvg,
// which the playground never asks for) stays in chunks the worker never fetches.
await esbuild.build({
  ...common,
  // The Run panel's worker beside it: a run is the server's (src/server/run.ts), the same chunks.
  entryPoints: { 'lsp-worker': join(root, 'src/server/web-worker.ts'), 'run-worker': join(root, 'src/playground/run-worker.ts') },
  format: 'esm',
  splitting: true,
  outdir: join(out, 'lsp'),
  chunkNames: 'chunk-[hash]',
  plugins: [noRendererInServer, standIns(root)],
});

// The browser build, bundled here the same way as scripts/build-browser.mjs does (its ES module
// entry), or taken from dist/browser when the package serves it from there.
const beside = process.argv.includes('--beside-browser-build');
const browserBuild = beside ? join(root, 'dist', 'browser') : out;
/** The files of the browser build the page loads; `flowlane playground` serves them from dist/browser when they are not here. */
const BROWSER_FILES = ['flowlane.mjs', 'flowlane-fonts.mjs'];
if (!beside) {
  await esbuild.build({ ...common, entryPoints: [join(root, 'src/browser/esm.ts')], format: 'esm', outfile: join(out, 'flowlane.mjs'), plugins: [standIns(root)] });
  await esbuild.build({ ...common, entryPoints: [join(root, 'src/layout/font-data-fallback.ts')], format: 'esm', outfile: join(out, 'flowlane-fonts.mjs'), plugins: [standIns(root)] });
}
for (const f of BROWSER_FILES) if (!statSync(join(browserBuild, f), { throwIfNoEntry: false })) throw new Error(`${join(browserBuild, f)} is missing (npm run build:browser first)`);

for (const file of ['index.html', 'playground.css']) copyFileSync(join(root, 'src/playground', file), join(out, file));

// The service worker last: it lists the files it stores at install, all of them but the fallback
// fonts (fetched, then kept, when a text needs them), under a cache named by their contents.
const files = (dir) => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
const shipped = [...new Set([...files(out).map((f) => relative(out, f).split('\\').join('/')), ...BROWSER_FILES])].sort();
const version = createHash('sha256');
for (const f of shipped) version.update(f).update(readFileSync(join(BROWSER_FILES.includes(f) ? browserBuild : out, f)));
const precache = ['./', ...shipped.filter((f) => f !== 'flowlane-fonts.mjs').map((f) => `./${f}`)];
await esbuild.build({
  ...common,
  entryPoints: [join(root, 'src/playground/sw.ts')],
  format: 'iife',
  outfile: join(out, 'sw.js'),
  define: { ...common.define, PRECACHE: JSON.stringify(precache), VERSION: JSON.stringify(version.digest('hex').slice(0, 16)) },
});

let total = 0;
let totalGzip = 0;
for (const file of shipped.map((f) => join(BROWSER_FILES.includes(f) ? browserBuild : out, f))) {
  const bytes = readFileSync(file);
  const gzip = gzipSync(bytes, { level: 9 }).length;
  total += bytes.length;
  totalGzip += gzip;
  console.log(`${relative(root, file).split('\\').join('/')}: ${(bytes.length / 1024).toFixed(0)} KiB, ${(gzip / 1024).toFixed(0)} KiB gzip`);
}
const fonts = readFileSync(join(browserBuild, 'flowlane-fonts.mjs'));
console.log(`the page without the fallback fonts (loaded only for CJK, Hebrew, Arabic, emoji): ${((total - fonts.length) / 1024).toFixed(0)} KiB, ${((totalGzip - gzipSync(fonts, { level: 9 }).length) / 1024).toFixed(0)} KiB gzip`);
console.log(`${relative(root, out)}: ${(total / 1024).toFixed(0)} KiB, ${(totalGzip / 1024).toFixed(0)} KiB gzip`);
