// Batch rendering: 200 generated diagrams rendered by the batch's worker pool (dist/cli/batch),
// with one worker and with one per core, and the per-diagram cost in the batch against one cold
// `flowlane render FILE` (a fresh process for a single diagram). Also the whole CLI batch, and a
// re-run where every file is skipped. Input: dist/ (built by `npm run bench`). Output: figures on
// stdout. The target on a 2-core machine is a speed-up of at least 1.6x; the pool runs in this
// process, so its CPU time (all threads) over wall time shows how many cores it really got, and the
// load average says how busy the machine was. A last, diagnostic run repeats the pool in a process
// without V8's optimising compiler (TurboFan), whose background compiles of ELK's code are what one
// worker spends its second core on; that is not how flowlane runs, only how the pool itself scales.
import { spawnSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPool } from '../dist/cli/batch/pool.js';
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
    const files = readdirSync(join(dir, 'in')).sort();
    const jobs = files.map((f, index) => ({ index, input: join(dir, 'in', f), output: join(dir, 'out', f.replace(/\.fz$/, '.svg')), id: `fz-${f.replace(/\..*$/, '')}`, text: readFileSync(join(dir, 'in', f), 'utf8') }));
    const settings = { format: 'svg', theme: 'light', direction: 'right', lanes: 'single', scale: 1 };
    const cores = availableParallelism();
    const pool = async (workers) => {
      const cpu0 = process.cpuUsage();
      const started = performance.now();
      const results = await runPool(jobs, settings, { workers });
      const wall = performance.now() - started;
      const cpu = process.cpuUsage(cpu0);
      if (results.some((r) => !r.ok)) throw new Error(`a generated diagram failed: ${results.find((r) => !r.ok).messages.join('\n')}`);
      return { wall, cores: (cpu.user + cpu.system) / 1000 / wall };
    };
    const load = loadavg()[0];
    const raw = await rawScaling(cores);
    await pool(cores); // warm-up: OS file cache, and a check that every input renders
    // Interleaved and best of two, so that a burst of other work on the machine hits both sides alike.
    const ones = [];
    const alls = [];
    for (let round = 0; round < 2; round++) {
      ones.push(await pool(1));
      alls.push(await pool(cores));
    }
    const best = (runs) => runs.reduce((a, b) => (b.wall < a.wall ? b : a));
    const one = best(ones);
    const all = best(alls);
    const cliBatch = cli(['render', 'in', '--out-dir', 'out', '--force'], dir);
    const cliBatchOne = cli(['render', 'in', '--out-dir', 'out', '--force', '--jobs', '1'], dir);
    const skipped = cli(['render', 'in', '--out-dir', 'out'], dir);
    const colds = [0, 1, 2].map(() => cli(['render', join('in', 'd000.fz'), '-o', join('out', 'cold.svg')], dir)).sort((a, b) => a - b);
    const cold = colds[1];
    const probe = spawnSync(process.execPath, ['--no-opt', join(root, 'bench', 'batch-pool.mjs'), join(dir, 'in')], { encoding: 'utf8' });
    if (probe.status !== 0) throw new Error(`bench/batch-pool.mjs failed:\n${probe.stderr}`);
    const noOpt = JSON.parse(probe.stdout);
    console.log(`${COUNT} diagrams, ${cores} cores, load average ${load.toFixed(2)} at the start (${loadavg()[0].toFixed(2)} at the end)`);
    console.log(`  pool, 1 worker:          ${(one.wall / 1000).toFixed(2)} s  (${(one.wall / COUNT).toFixed(1)} ms per diagram, ${one.cores.toFixed(2)} cores busy)`);
    console.log(`  pool, ${cores} workers:         ${(all.wall / 1000).toFixed(2)} s  (${(all.wall / COUNT).toFixed(1)} ms per diagram, ${all.cores.toFixed(2)} cores busy)`);
    console.log(`  speed-up:                ${(one.wall / all.wall).toFixed(2)}x  (target >= 1.6x on 2 cores; a pure CPU loop scaled ${raw.toFixed(2)}x on this machine just before)`);
    // No pool can use more than all cores, so it cannot beat one worker by more than this.
    console.log(`  bound on any speed-up:   ${(cores / one.cores).toFixed(2)}x  (${cores} cores / the ${one.cores.toFixed(2)} cores one worker already keeps busy)`);
    console.log(`  CLI batch (--force):     ${(cliBatch / 1000).toFixed(2)} s  (${(cliBatch / COUNT).toFixed(1)} ms per diagram, process start included); with --jobs 1: ${(cliBatchOne / 1000).toFixed(2)} s`);
    console.log(`  CLI re-run, all skipped: ${(skipped / 1000).toFixed(2)} s`);
    console.log(`  single cold render:      ${cold.toFixed(0)} ms  (median of 3), ${(cold / (all.wall / COUNT)).toFixed(1)}x the per-diagram cost in a batch`);
    console.log(`  diagnostic, node --no-opt (no TurboFan): 1 worker ${(noOpt.one / 1000).toFixed(2)} s, ${noOpt.cores} workers ${(noOpt.all / 1000).toFixed(2)} s, ${(noOpt.one / noOpt.all).toFixed(2)}x`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
