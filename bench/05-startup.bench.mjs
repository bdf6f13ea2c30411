// Start-up benchmark: cold processes, the way a docs pipeline or a pre-commit hook runs flowlane once
// per file. Each command is shown next to a bare `node -e 0`, so the cost of start-up above Node
// itself can be read off. The render input is the 50-node bench diagram (mermaid-cli needs about 2 s
// for one of that size).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { print } from '../dist/print/index.js';
import { generateDiagram } from './30-render.bench.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'flowlane.js');
const RUNS = 7;

function median(args) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    try {
      execFileSync(process.execPath, args, { stdio: 'ignore' });
    } catch {
      // Only the time matters here.
    }
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(RUNS / 2)];
}

export default function bench() {
  const dir = mkdtempSync(join(tmpdir(), 'flowlane-bench-startup-'));
  const small = join(dir, 'small.fz');
  writeFileSync(small, 'a { # A\n  n1: circle label:"Start"\n  n2: circle label:"End"\n  n1.handle(right) -> n2.handle(left)\n}\n');
  const fifty = join(dir, 'fifty.fz');
  writeFileSync(fifty, print(generateDiagram(50)));

  const node = median(['-e', '0']);
  const rows = [
    ['node -e 0', node],
    ['flowlane --help', median([bin, '--help'])],
    ['flowlane check (small file)', median([bin, 'check', small])],
    ['flowlane render (50 nodes, SVG)', median([bin, 'render', fifty, '-o', join(dir, 'fifty.svg')])],
  ];
  console.log(`\ncold start-up, median of ${RUNS} processes:`);
  for (const [name, ms] of rows) console.log(`  ${name.padEnd(34)} ${ms.toFixed(0).padStart(5)} ms${name === 'node -e 0' ? '' : `  (${(ms - node).toFixed(0)} ms above node, ${(ms / node).toFixed(1)}x)`}`);
}
