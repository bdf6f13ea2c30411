// Loads elkjs's worker module (CommonJS, 1.6 MB) and keeps a V8 code cache of it.
// - Not imported as ESM: Node would first lex the whole file for export names, about 120 ms of every
//   cold start and of every batch worker's start.
// - Compiled through vm.Script with V8's code cache (Node 20 has no module compile cache): the cache,
//   written after the first layout so that it holds the functions that layout compiled too, cuts
//   ELK's load and first layout from about 0.25 to 0.14 s of CPU on a cold start. It lives in
//   node_modules/.cache/flowlane beside elkjs (or FLOWLANE_CACHE_DIR); where that cannot be written
//   (a read-only global install), every start compiles afresh, as before. V8 checks that a cache matches the source and
//   its own version and flags, and rejects it otherwise.
// The only file system access of the layout stage. The extension's and the browser's bundles replace
// this file (extension/build.mjs).
import { isAscii } from 'node:buffer';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';

const require = createRequire(import.meta.url);
const file = require.resolve('elkjs/lib/elk-worker.min.js');
const bytes = readFileSync(file);
// elkjs's build is ASCII: then latin1, which Node decodes at memory speed (UTF-8 took 5 ms of a cold start).
const source = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');

function cachePath(): string | undefined {
  try {
    // FLOWLANE_CACHE_DIR, else …/node_modules/elkjs/lib/elk-worker.min.js → …/node_modules/.cache/flowlane/
    const dir = process.env.FLOWLANE_CACHE_DIR || join(dirname(dirname(dirname(file))), '.cache', 'flowlane');
    const { size, mtimeMs } = statSync(file);
    // The CLI runs V8 with a flag of its own (src/cli/start.cts), and V8 takes a cache only under the flags it was made with.
    const tiering = process.env.FLOWLANE_V8_TIERING === 'late' ? '-late' : '';
    return join(dir, `elk-worker-${process.version}-${process.arch}${tiering}-${size}-${Math.round(mtimeMs)}.v8`);
  } catch {
    return undefined;
  }
}

const cacheFile = cachePath();
let cachedData: Buffer | undefined;
try {
  if (cacheFile && process.env.FLOWLANE_CODE_CACHE !== '0') cachedData = readFileSync(cacheFile);
} catch {
  // No cache yet.
}
const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, ...(cachedData ? { cachedData } : {}) });
const module = { exports: {} as unknown };
(script.runInThisContext() as (e: unknown, r: NodeJS.Require, m: { exports: unknown }, f: string, d: string) => void)(module.exports, require, module, file, dirname(file));

/** module.exports of elkjs/lib/elk-worker.min.js: `{ default: FakeWorker, Worker: FakeWorker }`. */
export const elkWorkerModule: unknown = module.exports;

let saved = cachedData !== undefined && !script.cachedDataRejected;

/** Called after a layout: writes the code cache once, when there was none or V8 rejected it. */
export function saveCodeCache(): void {
  if (saved || !cacheFile || process.env.FLOWLANE_CODE_CACHE === '0') return;
  saved = true;
  try {
    mkdirSync(dirname(cacheFile), { recursive: true });
    // Not threadId: loading worker_threads costs every start 2 ms. Batch workers share the pid.
    const tmp = `${cacheFile}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(tmp, script.createCachedData());
    // Another process may write the same cache at the same time: the rename keeps one whole file.
    renameSync(tmp, cacheFile);
  } catch {
    // A cache that cannot be written only costs the next start its compile.
  }
}
