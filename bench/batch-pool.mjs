// A helper of 50-batch.bench.mjs, run as its own process so that it can be given V8 flags:
// renders every `.fz` file in a folder through the batch's worker pool, with one worker and then
// with one per core (best of two each), and prints the wall times as JSON.
// Usage: node [V8 flags] bench/batch-pool.mjs DIR
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPool } from '../dist/cli/batch/pool.js';

const dir = process.argv[2];
const out = mkdtempSync(join(tmpdir(), 'flowlane-bench-pool-'));
const files = readdirSync(dir).filter((f) => f.endsWith('.fz')).sort();
const jobs = files.map((f, index) => ({ index, input: join(dir, f), output: join(out, f.replace(/\.fz$/, '.svg')), id: `fz-${index}`, text: readFileSync(join(dir, f), 'utf8') }));
const settings = { format: 'svg', theme: 'light', direction: 'right', lanes: 'single', scale: 1 };
const time = async (workers) => {
  const started = performance.now();
  const results = await runPool(jobs, settings, { workers });
  if (results.some((r) => !r.ok)) throw new Error('a diagram failed to render');
  return performance.now() - started;
};
const cores = availableParallelism();
const one = [];
const all = [];
for (let round = 0; round < 2; round++) {
  one.push(await time(1));
  all.push(await time(cores));
}
rmSync(out, { recursive: true, force: true });
console.log(JSON.stringify({ one: Math.min(...one), all: Math.min(...all), cores }));
