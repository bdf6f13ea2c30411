// The esbuild plugin both browser builds share (scripts/build-browser.mjs, build-playground.mjs):
// the modules of the stages that need Node are swapped for their stand-ins in src/browser, and
// the fallback fonts stay out of the bundle (loaded from flowlane-fonts.mjs beside it when a text
// needs them). No source file of a stage knows about the browser.
import { join } from 'node:path';

/** Module of a stage -> its browser stand-in. */
/** esbuild options both browser builds (the library's and the playground's) share. */
export const BROWSER_BUNDLE = {
  bundle: true,
  platform: 'browser',
  target: ['es2022'],
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  // elkjs's worker module takes `window`, else Node's `global`, else `self` as its global object: in
  // a worker (no window) that is globalThis, whichever name it finds.
  define: { global: 'globalThis' },
};

export const STAND_INS = {
  'src/render/dom.ts': 'src/browser/dom.ts',
  'src/render/png.ts': 'src/browser/png.ts',
  'src/layout/elk-module.ts': 'src/browser/elk-module.ts',
  'src/parser/chevrotain.ts': 'src/browser/chevrotain.ts',
  'src/run/hash.ts': 'src/browser/hash.ts',
};

export function standIns(root) {
  return {
    name: 'flowlane-browser-stand-ins',
    setup(build) {
      // The stages import each other as './x.js' (NodeNext); resolve to the .ts file, then swap.
      build.onResolve({ filter: /^\.\.?\/.*\.js$/ }, (args) => {
        if (!args.importer.startsWith(join(root, 'src'))) return undefined;
        if (args.path === './font-data-fallback.js') return { path: './flowlane-fonts.mjs', external: true };
        const ts = join(args.resolveDir, args.path.replace(/\.js$/, '.ts'));
        const relative = ts.slice(root.length + 1).split('\\').join('/');
        const swapped = STAND_INS[relative];
        return swapped ? { path: join(root, swapped) } : undefined;
      });
    },
  };
}
