// `npm run build:playground`: the playground (src/playground), a static folder anyone can host
// (GitHub Pages, `flowlane playground`): no server logic, every file the page needs is in it.
//   dist/playground/index.html, playground.css   the page (copied)
//   dist/playground/playground.js                 the page's script: CodeMirror, the LSP client, the UI
//   dist/playground/lsp/lsp-worker.js (+ chunks)  the language server (src/server) as a module worker
//   dist/playground/flowlane.mjs, flowlane-fonts.mjs  the browser build (npm run build:browser),
//                                                 which the page imports at run time: it lays out in
//                                                 its own worker and loads the fallback fonts beside it
// Usage: node scripts/build-playground.mjs   (builds the browser build first; prints the sizes)
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { standIns } from './browser-stand-ins.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'playground');

execFileSync(process.execPath, [join(root, 'scripts', 'build-browser.mjs')], { stdio: 'inherit' });
execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', join(root, 'tsconfig.playground.json')], { stdio: 'inherit' });
// A fresh folder: nothing left over from an older build is served.
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const common = {
  bundle: true,
  platform: 'browser',
  target: ['es2022'],
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  define: { global: 'globalThis' },
};

/** The page imports the browser build's API; at run time that is flowlane.mjs beside it, not a second copy. */
const browserBuildBeside = {
  name: 'flowlane-browser-build-beside',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/browser\/index\.js$/ }, () => ({ path: './flowlane.mjs', external: true }));
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
  entryPoints: { 'lsp-worker': join(root, 'src/server/web-worker.ts') },
  format: 'esm',
  splitting: true,
  outdir: join(out, 'lsp'),
  chunkNames: 'chunk-[hash]',
  plugins: [standIns(root)],
});

for (const file of ['index.html', 'playground.css']) copyFileSync(join(root, 'src/playground', file), join(out, file));
for (const file of ['flowlane.mjs', 'flowlane-fonts.mjs']) copyFileSync(join(root, 'dist/browser', file), join(out, file));

const files = (dir) => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
let total = 0;
let totalGzip = 0;
for (const file of files(out).sort()) {
  const bytes = readFileSync(file);
  const gzip = gzipSync(bytes, { level: 9 }).length;
  total += bytes.length;
  totalGzip += gzip;
  console.log(`dist/playground/${relative(out, file).split('\\').join('/')}: ${(bytes.length / 1024).toFixed(0)} KiB, ${(gzip / 1024).toFixed(0)} KiB gzip`);
}
console.log(`dist/playground: ${(total / 1024).toFixed(0)} KiB, ${(totalGzip / 1024).toFixed(0)} KiB gzip`);
