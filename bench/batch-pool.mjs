// A helper of 50-batch.bench.mjs, run as its own process so that it can be given the V8 flags the
// CLI runs with (src/cli/launch.ts) or diagnostic ones: renders every `.fz` file in a folder through
// the batch's worker pool, first once with one worker per core as a warm-up (OS file cache, and a
// check that every input renders), then with one worker and with one per core, interleaved, best
// of two each. Prints JSON: wall times, and the cores each kept busy (CPU time of all threads / wall).
// Usage: node [flags] bench/batch-pool.mjs DIR
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
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  const results = await runPool(jobs, settings, { workers });
  const wall = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  const failed = results.find((r) => !r.ok);
  if (failed) throw new Error(`a diagram failed to render: ${failed.messages.join('\n')}`);
  return { wall, cores: (cpu.user + cpu.system) / 1000 / wall };
};
const cores = availableParallelism();
await time(cores);
const ones = [];
const alls = [];
for (let round = 0; round < 2; round++) {
  ones.push(await time(1));
  alls.push(await time(cores));
}
rmSync(out, { recursive: true, force: true });
const best = (runs) => runs.reduce((a, b) => (b.wall < a.wall ? b : a));
console.log(JSON.stringify({ cores, one: best(ones), all: best(alls) }));
