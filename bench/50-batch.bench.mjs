// Batch rendering: 200 generated diagrams rendered by the batch's worker pool (dist/cli/batch),
// with one worker and with one per core, and the per-diagram cost in the batch against one cold
// `flowlane render FILE` (a fresh process for a single diagram). Also the whole CLI batch, and a
// re-run where every file is skipped. Input: dist/ (built by `npm run bench`). Output: figures on
// stdout. The target on a 2-core machine is a speed-up of at least 1.6x.
// The pool runs in a process of its own (bench/batch-pool.mjs) started with the V8 thread pool the
// CLI chooses for this machine (src/cli/relaunch.ts); its CPU time (all threads) over wall time shows
// how many cores it really got, and the load average says how busy the machine was. A last,
// diagnostic run repeats the pool without V8's optimising compiler (TurboFan), whose background
// compiles of ELK's code are what one worker spends its second core on; that is not how flowlane
// runs, only how the pool itself scales.
import { spawnSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { v8PoolSize } from '../dist/cli/relaunch.js';
import { generateFz } from './generate.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'flowlane.js');
const COUNT = 200;

function cli(args, cwd) {
  const started = performance.now();
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (r.status !== 0) throw new Error(`flowlane ${args.join(' ')} failed:\n${r.stderr}`);
  return ms;
}

/** The pool figures from bench/batch-pool.mjs, run with these Node flags. */
function pool(flags, dir) {
  const r = spawnSync(process.execPath, [...flags, join(root, 'bench', 'batch-pool.mjs'), dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bench/batch-pool.mjs ${flags.join(' ')} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

/**
 * How many cores this machine gives right now: the same pure CPU loop in one thread, then in one
 * thread per core. On a shared machine this bounds any speed-up the pool can show.
 */
async function rawScaling(cores) {
  const code = `let x = 0; for (let i = 0; i < 3e8; i++) x += i % 7; require('node:worker_threads').parentPort.postMessage(x);`;
  const run = async (n) => {
    const started = performance.now();
    await Promise.all(Array.from({ length: n }, () => new Promise((done) => new Worker(code, { eval: true }).once('message', done))));
    return performance.now() - started;
  };
  const one = await run(1);
  const all = await run(cores);
  return (one * cores) / all;
}

export default async function bench() {
  const dir = mkdtempSync(join(tmpdir(), 'flowlane-bench-batch-'));
  try {
    mkdirSync(join(dir, 'in'));
    // Small docs-sized diagrams (10 to 17 nodes over two to four lanes), no two alike.
    for (let i = 0; i < COUNT; i++) writeFileSync(join(dir, 'in', `d${String(i).padStart(3, '0')}.fz`), generateFz(1200 + (i % 7) * 150, { lanes: 2 + (i % 3), variant: i }));
    const cores = availableParallelism();
    const size = v8PoolSize(cores);
    const cliFlags = size === undefined ? [] : [`--v8-pool-size=${size}`];
    const load = loadavg()[0];
    const raw = await rawScaling(cores);
    const { one, all } = pool(cliFlags, join(dir, 'in'));
    const cliBatch = cli(['render', 'in', '--out-dir', 'out', '--force'], dir);
    const cliBatchOne = cli(['render', 'in', '--out-dir', 'out', '--force', '--jobs', '1'], dir);
    const skipped = cli(['render', 'in', '--out-dir', 'out'], dir);
    const colds = [0, 1, 2].map(() => cli(['render', join('in', 'd000.fz'), '-o', join('out', 'cold.svg')], dir)).sort((a, b) => a - b);
    const cold = colds[1];
    const noOpt = pool([...cliFlags, '--no-opt'], join(dir, 'in'));
    const pool4 = size === undefined ? undefined : pool([], join(dir, 'in'));
    console.log(`${COUNT} diagrams, ${cores} cores, load average ${load.toFixed(2)} at the start (${loadavg()[0].toFixed(2)} at the end); V8 thread pool ${size ?? 'Node default (4)'}, as the CLI runs`);
    console.log(`  pool, 1 worker:          ${(one.wall / 1000).toFixed(2)} s  (${(one.wall / COUNT).toFixed(1)} ms per diagram, ${one.cores.toFixed(2)} cores busy)`);
    console.log(`  pool, ${cores} workers:         ${(all.wall / 1000).toFixed(2)} s  (${(all.wall / COUNT).toFixed(1)} ms per diagram, ${all.cores.toFixed(2)} cores busy)`);
    console.log(`  speed-up:                ${(one.wall / all.wall).toFixed(2)}x  (target >= 1.6x on 2 cores; a pure CPU loop scaled ${raw.toFixed(2)}x on this machine just before)`);
    // No pool can use more than all cores, so it cannot beat one worker by more than this.
    console.log(`  bound on any speed-up:   ${(cores / one.cores).toFixed(2)}x  (${cores} cores / the ${one.cores.toFixed(2)} cores one worker already keeps busy)`);
    console.log(`  CLI batch (--force):     ${(cliBatch / 1000).toFixed(2)} s  (${(cliBatch / COUNT).toFixed(1)} ms per diagram, process start included); with --jobs 1: ${(cliBatchOne / 1000).toFixed(2)} s`);
    console.log(`  CLI re-run, all skipped: ${(skipped / 1000).toFixed(2)} s`);
    console.log(`  single cold render:      ${cold.toFixed(0)} ms  (median of 3), ${(cold / (all.wall / COUNT)).toFixed(1)}x the per-diagram cost in a batch`);
    if (pool4) console.log(`  with Node's default V8 thread pool (4): 1 worker ${(pool4.one.wall / 1000).toFixed(2)} s, ${cores} workers ${(pool4.all.wall / 1000).toFixed(2)} s`);
    console.log(`  diagnostic, --no-opt (no TurboFan): 1 worker ${(noOpt.one.wall / 1000).toFixed(2)} s, ${cores} workers ${(noOpt.all.wall / 1000).toFixed(2)} s, ${(noOpt.one.wall / noOpt.all.wall).toFixed(2)}x`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
