// Chevrotain's runtime, loaded from the single-file build that its package ships (lib/chevrotain.mjs)
// rather than from its package entry: the entry is some 300 ES modules (lodash-es among them), which
// cost about a quarter of a second at every start of the CLI, the language server and each batch
// render worker; the single file loads in a few milliseconds. The package's exports map does not
// name that file, so it is found beside the resolved entry and loaded by its path, and the entry is
// the fallback should a later Chevrotain move it. (The VS Code bundle replaces this module with a
// plain re-export: esbuild bundles the package into one file anyway; see extension/build.mjs.)
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type * as Chevrotain from 'chevrotain';

async function load(): Promise<typeof Chevrotain> {
  try {
    const entry = createRequire(import.meta.url).resolve('chevrotain');
    return (await import(new URL('../chevrotain.mjs', pathToFileURL(entry)).href)) as typeof Chevrotain;
  } catch {
    return await import('chevrotain');
  }
}

const chevrotain = await load();

export const { createToken, Lexer, CstParser, EOF, createSyntaxDiagramsCode } = chevrotain;
