// Builds the VS Code extension into extension/dist: the client (extension.ts) and the language
// server (src/server/main.ts with every stage it uses) as two self-contained CommonJS bundles, and
// copies the grammar, language configuration and snippets from grammar/ into extension/syntaxes.
// Usage: node extension/build.mjs [--check]   (--check also type-checks the client)
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

rmSync(join(here, 'dist'), { recursive: true, force: true });
mkdirSync(join(here, 'syntaxes'), { recursive: true });
for (const f of ['flowzap.tmLanguage.json', 'language-configuration.json', 'snippets.json']) {
  copyFileSync(join(root, 'grammar', f), join(here, 'syntaxes', f));
}

if (process.argv.includes('--check')) {
  execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', join(here, 'tsconfig.json')], { stdio: 'inherit' });
}

/**
 * PNG rasterising (resvg) is a native module; the extension rasterises in the preview webview
 * instead, so the server bundle gets a stand-in and the .vsix stays platform-independent.
 */
const noNativePng = {
  name: 'no-native-png',
  setup(build) {
    build.onResolve({ filter: /^@resvg\/resvg-js$/ }, () => ({ path: 'resvg', namespace: 'flowlane-stub' }));
    build.onLoad({ filter: /.*/, namespace: 'flowlane-stub' }, () => ({
      contents: 'export class Resvg { constructor() { throw new Error("PNG is rendered by the preview in VS Code"); } }',
      loader: 'js',
    }));
  },
};

/**
 * src/parser/chevrotain.ts loads Chevrotain's single-file build by path with a top-level await,
 * which a CommonJS bundle cannot hold; in the bundle it is a plain re-export of the package, which
 * esbuild bundles into the one file anyway.
 */
const chevrotainReexport = {
  name: 'chevrotain-reexport',
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/]parser[\\/]chevrotain\.ts$/ }, () => ({
      contents: "export { createToken, Lexer, CstParser, EOF, createSyntaxDiagramsCode } from 'chevrotain';",
      loader: 'ts',
      resolveDir: join(root, 'src', 'parser'),
    }));
  },
};

/** src/layout/elk-module.ts requires elkjs through createRequire, which esbuild cannot follow. */
const elkRequire = {
  name: 'elk-require',
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/]layout[\\/]elk-module\.ts$/ }, () => ({
      contents: "export const elkWorkerModule = require('elkjs/lib/elk-worker.min.js'); export function saveCodeCache() {}",
      loader: 'ts',
      resolveDir: join(root, 'src', 'layout'),
    }));
  },
};

const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: false, minify: true, logLevel: 'warning', legalComments: 'none' };

await esbuild.build({
  ...common,
  entryPoints: [join(here, 'src', 'extension.ts')],
  outfile: join(here, 'dist', 'extension.js'),
  external: ['vscode'],
});

// The language server, and the ASL checks' worker thread beside it (the server loads ./asl-worker.js
// next to itself). The stages are ES modules that use import.meta.url; in a CommonJS bundle it is
// the bundle file's URL.
const serverSide = {
  ...common,
  plugins: [noNativePng, chevrotainReexport, elkRequire],
  define: { 'import.meta.url': '__flowlaneImportMetaUrl' },
  banner: { js: 'const __flowlaneImportMetaUrl = require("url").pathToFileURL(__filename).href;' },
};
await esbuild.build({ ...serverSide, entryPoints: [join(root, 'src', 'server', 'main.ts')], outfile: join(here, 'dist', 'flowlane-server.js') });
await esbuild.build({ ...serverSide, entryPoints: [join(root, 'src', 'server', 'asl-worker.ts')], outfile: join(here, 'dist', 'asl-worker.js') });
console.log('extension built: extension/dist/extension.js, extension/dist/flowlane-server.js');
