// Starts the command line (bin/flowlane.js). Input: nothing (main.ts reads process.argv). Output:
// main.ts run, from dist/cli.cjs when it is there, else from its ES modules.
// Why: a cold start spent most of its time loading code, not running it (issue 11). dist/cli.cjs
// (scripts/build-cli.mjs) holds main.ts and everything it imports in one file, so Node opens one
// file instead of a few hundred; it is compiled through vm.Script with a V8 code cache (Node 20 has
// no module compile cache), so the functions a command ran before are not parsed and compiled
// again. The caches live in node_modules/.cache/flowlane beside ELK's (src/layout/elk-module.ts),
// one per command, named by Node's version, the bundle's content hash and the command: V8 reads a
// whole cache at every start, so a render does not pay for the language server's functions. A
// command's cache is written at the exit of a run that succeeded when there was none or V8
// rejected it (one that does not match the source, its version or its flags; a bad one is only
// compiled anew). Where it cannot be written (a read-only install) every start compiles afresh.
// FLOWLANE_CODE_CACHE=0 turns both caches off; FLOWLANE_CACHE_DIR puts them elsewhere (both);
// FLOWLANE_BUNDLE=0 runs the ES modules instead.
// CommonJS (a .cts, as bin/flowlane.js): a program whose entry is an ES module starts Node's ES
// module loader first, which cost every command 5 ms; this one needs it only for main.js's modules.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { createRequire } from 'node:module';
import { Script } from 'node:vm';
import { COMMANDS } from './command-names.cjs';

const bundle = join(__dirname, '..', 'cli.cjs');

/**
 * The cache a run is kept in: its command (its first word that is not an option), 'help' for
 * --help, -v and no command; undefined for a word that is no command (a typo writes no cache).
 */
export function commandOf(argv: string[]): string | undefined {
  const args = argv.slice(2);
  const word = args.find((a) => !a.startsWith('-'));
  // `render --help` runs commander's help, not the render: its cache would hold none of the drawing.
  if (word === undefined || word === 'help' || args.some((a) => a === '-h' || a === '--help' || a === '-v' || a === '--version')) return 'help';
  return (COMMANDS as readonly string[]).includes(word) ? word : undefined;
}

/** '-late' under the CLI's V8 flag (see lateTiering): caches made under other flags are rejected. */
function tieringTag(): string {
  return process.env['FLOWLANE_V8_TIERING'] === 'late' ? '-late' : '';
}

/** The start of every cache file name of this Node and these V8 flags; the build's hash and the command follow. */
function cachePrefix(): string {
  return `cli-${process.version}-${process.arch}${tieringTag()}-`;
}

/** The build a bundle names on its first line (its content hash). */
function buildOf(source: string): string | undefined {
  return /^\/\/ flowlane-cli ([0-9a-f]+)\n/.exec(source)?.[1];
}

/** The cache file of a bundle for a command, or undefined when there is no place for one. */
export function cliCachePath(source: string, command: string): string | undefined {
  const build = buildOf(source);
  if (build === undefined) return undefined;
  try {
    // FLOWLANE_CACHE_DIR, else …/node_modules/elkjs/lib/elk-worker.min.js → …/node_modules/.cache/flowlane/ (the ELK cache's folder)
    const dir = process.env['FLOWLANE_CACHE_DIR'] || join(dirname(dirname(dirname(require.resolve('elkjs/lib/elk-worker.min.js')))), '.cache', 'flowlane');
    return join(dir, `${cachePrefix()}${build}-${command}.v8`);
  } catch {
    return undefined;
  }
}

/**
 * In a clone (src/ beside dist/), `tsc` alone rewrites dist/ but not the bundle: then the modules
 * are newer and run. An installed package has no src/, and its files' times say nothing of the build.
 */
function bundleIsStale(): boolean {
  if (!existsSync(join(__dirname, '..', '..', 'src', 'cli', 'main.ts'))) return false;
  return readOr(() => statSync(join(__dirname, 'main.js')).mtimeMs > statSync(bundle).mtimeMs, false);
}

function readOr<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}

/** Writes a file whole or not at all (another process may write the same file at the same time). */
function writeWhole(file: string, data: string | Buffer): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

/**
 * V8 optimises a function (TurboFan) once it has run a set amount of bytecode. ELK's compiled Java
 * is megamorphic: optimised that early, on little type feedback, much of it is thrown away and
 * optimised again. Waiting eight times longer made a cold 50-node render 1.5 s -> 0.9 s and a cold
 * 1,000-node one 7.9 s -> 4.4 s (bench/05-startup.bench.mjs; 2, 4 and 16 times were measured too).
 * A flag changes what V8's code caches are made for, so the ELK cache is named for it too
 * (FLOWLANE_V8_TIERING, which the batch workers and a relaunched child read). Whoever sets the
 * budget already (on Node's command line or in NODE_OPTIONS) keeps theirs; FLOWLANE_V8_TIERING=0
 * keeps V8's default.
 */
export const INTERRUPT_BUDGET = 8 * 67584;
function lateTiering(): void {
  if (process.env['FLOWLANE_V8_TIERING'] === '0') return;
  if ([...process.execArgv, ...(process.env['NODE_OPTIONS'] ?? '').split(/\s+/)].some((a) => /^--interrupt[-_]budget/.test(a))) return;
  setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET}`);
  process.env['FLOWLANE_V8_TIERING'] = 'late';
}

async function start(): Promise<void> {
  lateTiering();
  // latin1: the bundle is ASCII (scripts/build-cli.mjs checks), and Node decodes latin1 at memory speed.
  const source = process.env['FLOWLANE_BUNDLE'] === '0' || bundleIsStale() ? undefined : readOr(() => readFileSync(bundle, 'latin1'), undefined);
  if (source === undefined) {
    await (await import('./main.js')).main();
    return;
  }
  const command = commandOf(process.argv);
  const cacheFile = process.env['FLOWLANE_CODE_CACHE'] !== '0' && command !== undefined ? cliCachePath(source, command) : undefined;
  const cachedData = cacheFile ? readOr(() => readFileSync(cacheFile), undefined) : undefined;
  // The bundle's import() calls of paths known at run time (the fallback fonts, a run's handler
  // module) come here as __flowlaneImport (scripts/build-cli.mjs): a vm.Script has no import() of its own.
  const script = new Script(`(function (exports, require, module, __filename, __dirname, __flowlaneImport) {${source}\n})`, {
    filename: bundle,
    ...(cachedData ? { cachedData } : {}),
  });
  if (cacheFile && (cachedData === undefined || script.cachedDataRejected)) {
    process.once('exit', (code) => {
      // A command is cached only from a run that succeeded: one stopped by a usage error or a bad
      // file ran little of it, and its cache, once written, is kept for as long as the build.
      if (code !== 0) return;
      try {
        mkdirSync(dirname(cacheFile), { recursive: true });
        writeWhole(cacheFile, script.createCachedData());
        // Caches of earlier builds (same Node, same flags, another bundle) are never read again.
        const prefix = cachePrefix();
        const build = buildOf(source)!;
        for (const f of readdirSync(dirname(cacheFile))) {
          // After the prefix, another build's hash (not `late-…`, the flag's caches when this run has none).
          const rest = f.startsWith(prefix) ? f.slice(prefix.length) : '';
          if (/^[0-9a-f]{16}[-.]/.test(rest) && !rest.startsWith(`${build}-`) && /\.v8(\.commands)?$/.test(f)) rmSync(join(dirname(cacheFile), f), { force: true });
        }
      } catch {
        // A cache that cannot be written only costs the next start its compile.
      }
    });
  }
  const module = { exports: {} as { main?: () => Promise<void> } };
  (script.runInThisContext() as (e: unknown, r: NodeJS.Require, m: { exports: unknown }, f: string, d: string, i: (url: string) => Promise<unknown>) => void)(
    module.exports,
    createRequire(bundle),
    module,
    bundle,
    dirname(bundle),
    (url) => import(url),
  );
  await module.exports.main!();
}

start().catch((e: unknown) => {
  // As main.ts does with what reaches it: a bug or an I/O failure, in one line.
  console.error(`flowlane: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 2;
});
