// Parse throughput (MB/s) and the time of check and fmt on a generated 1 MB file.
// Wall time and process CPU time are both reported: on a shared machine the ratio of the two says
// how much of the wall time was spent waiting for a core.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateFz } from './generate.mjs';
import { parse } from '../dist/parser/index.js';
import { parseDiagram } from '../dist/model/index.js';
import { print } from '../dist/print/index.js';

const bin = fileURLToPath(new URL('../bin/flowlane.js', import.meta.url));

function measure(fn, runs) {
  for (let i = 0; i < 2; i++) fn();
  const times = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  const cpu = process.cpuUsage(cpu0);
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], best: times[0], cpu: (cpu.user + cpu.system) / 1000 / runs };
}

function cold(args) {
  const times = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    try {
      execFileSync(process.execPath, [bin, ...args], { stdio: 'ignore' });
    } catch {
      // `fmt --check` exits 1 on an unformatted file; only the time matters here.
    }
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[2];
}

export default async function bench() {
  for (const size of [1_000_000, 10_000_000]) {
    const text = generateFz(size);
    const mb = text.length / 1e6;
    const runs = size > 1e6 ? 3 : 10;
    const p = measure(() => parse(text), runs);
    const d = measure(() => parseDiagram(text), runs);
    console.log(
      `parse ${mb.toFixed(1)} MB: median ${p.median.toFixed(0)} ms (${(mb / (p.median / 1000)).toFixed(1)} MB/s), best ${(mb / (p.best / 1000)).toFixed(1)} MB/s, cpu ${p.cpu.toFixed(0)} ms`,
    );
    console.log(`parse + model ${mb.toFixed(1)} MB: median ${d.median.toFixed(0)} ms (${(mb / (d.median / 1000)).toFixed(1)} MB/s)`);
  }
  const text = generateFz(1_000_000);
  const model = parseDiagram(text).value;
  const f = measure(() => print(model), 10);
  console.log(`print 1 MB model: median ${f.median.toFixed(0)} ms`);
  const dir = mkdtempSync(join(tmpdir(), 'flowlane-bench-'));
  const file = join(dir, 'big.fz');
  writeFileSync(file, text);
  console.log(`flowlane check (1 MB file, cold process): ${cold(['check', file]).toFixed(0)} ms`);
  console.log(`flowlane fmt (1 MB file, cold process): ${cold(['fmt', file]).toFixed(0)} ms`);
  console.log(`flowlane check (empty file, cold process: start-up alone): ${cold(['check', join(dir, 'empty.fz')]).toFixed(0)} ms`);
}
