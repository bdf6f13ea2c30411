// Batch rendering: 200 generated diagrams rendered by `flowlane render DIR --out-dir OUT --force`,
// with one worker and with one per core, and the per-diagram cost in the batch against one cold
// `flowlane render FILE` (a fresh process for a single diagram). Input: dist/ (built by `npm run bench`).
// Output: figures on stdout. The target on a 2-core machine is a speed-up of at least 1.6x.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateFz } from './generate.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'flowlane.js');
const COUNT = 200;

function time(args, cwd) {
  const started = performance.now();
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (r.status !== 0) throw new Error(`flowlane ${args.join(' ')} failed:\n${r.stderr}`);
  return { ms, stderr: r.stderr };
}

export default async function bench() {
  const dir = mkdtempSync(join(tmpdir(), 'flowlane-bench-batch-'));
  try {
    mkdirSync(join(dir, 'in'));
    // Small docs-sized diagrams (about 20 nodes over three lanes), each a little different.
    for (let i = 0; i < COUNT; i++) writeFileSync(join(dir, 'in', `d${String(i).padStart(3, '0')}.fz`), generateFz(1200 + (i % 7) * 150, { lanes: 3 }));
    const cores = availableParallelism();
    const batch = (jobs) => time(['render', 'in', '--out-dir', 'out', '--force', '--jobs', String(jobs)], dir).ms;
    // A warm-up run fills the OS file cache and checks the inputs are valid.
    batch(cores);
    // Interleaved and best of two, so that a burst of other work on the machine hits both sides alike.
    const ones = [];
    const alls = [];
    for (let round = 0; round < 2; round++) {
      ones.push(batch(1));
      alls.push(batch(cores));
    }
    const one = Math.min(...ones);
    const all = Math.min(...alls);
    const skipped = time(['render', 'in', '--out-dir', 'out'], dir).ms;
    const colds = [0, 1, 2].map(() => time(['render', join('in', 'd000.fz'), '-o', join('out', 'cold.svg')], dir).ms).sort((a, b) => a - b);
    const cold = colds[1];
    console.log(`${COUNT} diagrams, ${cores} cores`);
    console.log(`  batch, 1 worker:       ${(one / 1000).toFixed(2)} s  (${(one / COUNT).toFixed(1)} ms per diagram)`);
    console.log(`  batch, ${cores} workers:      ${(all / 1000).toFixed(2)} s  (${(all / COUNT).toFixed(1)} ms per diagram)`);
    console.log(`  speed-up:              ${(one / all).toFixed(2)}x  (target >= 1.6x on 2 cores)`);
    console.log(`  all skipped (no change): ${(skipped / 1000).toFixed(2)} s`);
    console.log(`  single cold render:    ${cold.toFixed(0)} ms  (median of 3), ${(cold / (all / COUNT)).toFixed(1)}x the per-diagram cost in a batch`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
