// Builds dist/cli.cjs: the command line in one CommonJS file (`npm run build` runs it after tsc).
// Input: the compiled ES modules in dist/ and the packages they import. Output: dist/cli.cjs, which
// bin/flowlane.js compiles through vm.Script with a V8 code cache (src/cli/start.cts).
// Why one file: Node resolves, reads, lexes and links each ES module and CommonJS file on its own;
// the CLI's few hundred of them cost more at every cold start than running the code does.
// What stays outside the bundle, loaded by its path as before:
// - the native PNG renderer (@resvg/resvg-js) and elkjs's worker module (src/layout/elk-module.ts
//   compiles that with its own code cache);
// - the fallback fonts (7 MB, imported only when a text needs them) and the worker threads' entry
//   modules (batch renders, the language server's ASL checks): they stay the ES modules in dist/.
// Each bundled module of dist/ sees `import.meta.url` as its own file's URL in dist/, so every path
// it makes from it (package.json, assets/fonts, worker scripts) is the one it makes unbundled.
// Without whitespace and comments (names kept): a third smaller, so a third less to read at each start.
// Two packages are loaded only when used: svgdom imports fontkit (300 ms of start-up, unicode tables
// inflated at load) and image-size for getBBox and <img>, which flowlane never calls; in the bundle
// they are stand-ins that require the real package on first use, so behaviour is unchanged. The
// same for commander's child_process (lazyChildProcess).
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

/** dist/ files imported only by their path at run time, never bundled. */
const OUTSIDE = new Set(['layout/font-data-fallback.js']);

const distModules = {
  name: 'flowlane-dist-modules',
  setup(build) {
    build.onLoad({ filter: /\.js$/ }, (args) => {
      if (!args.path.startsWith(dist)) return undefined;
      const rel = relative(dist, args.path).split('\\').join('/');
      let contents = readFileSync(args.path, 'utf8');
      // Chevrotain's loader awaits at top level (a CommonJS file cannot); here it is bundled anyway.
      if (rel === 'parser/chevrotain.js') contents = `export { createToken, Lexer, CstParser, EOF, createSyntaxDiagramsCode } from ${JSON.stringify(join(root, 'node_modules', 'chevrotain', 'lib', 'chevrotain.mjs'))};`;
      for (const outside of OUTSIDE) {
        const name = outside.split('/').pop();
        contents = contents.split(`import('./${name}')`).join(`import(__flowlaneUrl(${JSON.stringify(outside)}))`);
      }
      // An import() of a path known only at run time (those above, a run's handler module) goes to
      // the loader's own import(): code compiled by vm.Script has none without an experimental option.
      contents = contents.replace(/\bimport\((?!\s*['"`])/g, '__flowlaneImport(');
      contents = contents.split('import.meta.url').join(`__flowlaneUrl(${JSON.stringify(rel)})`);
      return { contents, loader: 'js' };
    });
  },
};

/** A package that svgdom imports but flowlane never uses: required on first use. */
function lazyPackage(name, exportsSource) {
  return {
    name: `lazy-${name}`,
    setup(build) {
      build.onResolve({ filter: new RegExp(`^${name}$`) }, (args) => {
        if (!args.importer.includes(`${join('node_modules', 'svgdom')}`)) return undefined;
        return { path: name, namespace: 'flowlane-lazy' };
      });
      build.onLoad({ filter: new RegExp(`^${name}$`), namespace: 'flowlane-lazy' }, () => ({
        contents: `let real; const load = () => (real ??= __flowlaneRequireFrom('svgdom', ${JSON.stringify(name)}));\n${exportsSource}`,
        loader: 'js',
      }));
    },
  };
}

/**
 * commander requires child_process at load, for subcommands run as separate executables (flowlane
 * has none): loading it (with net and dgram) cost every start 3 ms. In the bundle commander gets a
 * stand-in that requires the real module when a property is first read.
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(build) {
    build.onResolve({ filter: /^(node:)?child_process$/ }, (args) => {
      if (!args.importer.includes(`${join('node_modules', 'commander')}`)) return undefined;
      return { path: 'child_process', namespace: 'flowlane-lazy' };
    });
    build.onLoad({ filter: /^child_process$/, namespace: 'flowlane-lazy' }, () => ({
      contents: "module.exports = new Proxy({}, { get: (_, key) => require('node:child_process')[key] });",
      loader: 'js',
    }));
  },
};

const svgdomUrl = {
  name: 'svgdom-meta-url',
  setup(build) {
    // svgdom finds its font folder from its own URL (for getBBox, unused): give it its real place.
    build.onLoad({ filter: /[\\/]node_modules[\\/]svgdom[\\/]src[\\/]utils[\\/]defaults\.js$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').split('import.meta.url').join("__flowlaneUrlIn('svgdom', 'src/utils/defaults.js')"),
      loader: 'js',
    }));
  },
};

const banner = `"use strict";
const __flowlaneUrl = (rel) => require('node:url').pathToFileURL(require('node:path').join(__dirname, rel)).href;
const __flowlaneRequireFrom = (pkg, name) => require('node:module').createRequire(require.resolve(pkg))(name);
const __flowlaneUrlIn = (pkg, rel) => {
  // The package's folder where Node would find it: require.resolve would read its exports map, and
  // loading Node's resolver for that cost every start 3 ms.
  const path = require('node:path');
  const dir = (require.resolve.paths(pkg) ?? []).map((p) => path.join(p, pkg)).find((d) => require('node:fs').existsSync(path.join(d, 'package.json'))) ?? path.dirname(require.resolve(pkg));
  return require('node:url').pathToFileURL(path.join(dir, rel)).href;
};`;

const result = await esbuild.build({
  entryPoints: [join(dist, 'cli', 'main.js')],
  outfile: join(dist, 'cli.cjs'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['@resvg/resvg-js'],
  plugins: [
    distModules,
    svgdomUrl,
    lazyChildProcess,
    lazyPackage('fontkit', 'export function openSync(...a) { return load().openSync(...a); }\nexport function create(...a) { return load().create(...a); }'),
    lazyPackage('image-size', 'export default function sizeOf(...a) { const m = load(); return (m.default ?? m.imageSize ?? m)(...a); }'),
  ],
  banner: { js: banner },
  logLevel: 'warning',
  legalComments: 'none',
  minifyWhitespace: true,
  metafile: true,
  write: false,
});
// The first line names the build by its content: the code cache is kept by that name, since V8 itself
// checks only a source's length (src/cli/start.cts). Written whole: a start never reads half a bundle.
const code = result.outputFiles[0].text;
// ASCII only (esbuild escapes strings; comments are gone with the whitespace), so that start.cts can
// read it as latin1: Node's UTF-8 decoder took 10 ms of every cold start for a 3 MB file.
const nonAscii = /[^\x00-\x7f]/.exec(code);
if (nonAscii) throw new Error(`dist/cli.cjs: a non-ASCII character at offset ${nonAscii.index}: ${JSON.stringify(code.slice(nonAscii.index - 40, nonAscii.index + 20))}`);
const out = join(dist, 'cli.cjs');
writeFileSync(`${out}.tmp`, `// flowlane-cli ${createHash('sha256').update(code).digest('hex').slice(0, 16)}\n${code}`);
renameSync(`${out}.tmp`, out);
if (process.argv.includes('--sizes')) console.log(await esbuild.analyzeMetafile(result.metafile));
