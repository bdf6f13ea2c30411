// Start-up benchmark: cold processes, the way a docs pipeline or a pre-commit hook runs flowlane once
// per file. Each command is shown next to a bare `node -e 0`, so the cost of start-up above Node
// itself can be read off. The render input is the 50-node bench diagram (mermaid-cli needs about 2 s
// for one of that size).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { print } from '../dist/print/index.js';
import { generateDiagram } from './30-render.bench.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'flowlane.js');
const RUNS = 7;

/** CPU time (user + system, ms) of the waited-for children so far: Linux's /proc, else undefined. */
function childCpu() {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    // cutime and cstime, in clock ticks (100 a second on Linux).
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return undefined;
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Median wall and CPU time of RUNS cold processes; one untimed run first writes the code caches. */
function measure(args, env = {}) {
  const options = { stdio: 'ignore', env: { ...process.env, ...env } };
  const once = () => {
    try {
      execFileSync(process.execPath, args, options);
    } catch {
      // Only the time matters here.
    }
  };
  once();
  const walls = [];
  const cpus = [];
  for (let i = 0; i < RUNS; i++) {
    const cpu = childCpu();
    const t = performance.now();
    once();
    walls.push(performance.now() - t);
    if (cpu !== undefined) cpus.push(childCpu() - cpu);
  }
  return { wall: median(walls), cpu: cpus.length ? median(cpus) : undefined };
}

export default function bench() {
  const dir = mkdtempSync(join(tmpdir(), 'flowlane-bench-startup-'));
  const small = join(dir, 'small.fz');
  writeFileSync(small, 'a { # A\n  n1: circle label:"Start"\n  n2: circle label:"End"\n  n1.handle(right) -> n2.handle(left)\n}\n');
  const fifty = join(dir, 'fifty.fz');
  writeFileSync(fifty, print(generateDiagram(50)));
  const render = [bin, 'render', fifty, '-o', join(dir, 'fifty.svg')];

  const node = measure(['-e', '0']);
  const rows = [
    ['node -e 0', node],
    ['flowlane --help', measure([bin, '--help'])],
    ['flowlane -v', measure([bin, '-v'])],
    ['flowlane check (small file)', measure([bin, 'check', small])],
    ['flowlane render (50 nodes, SVG)', measure(render)],
    // What the bundle, its code cache and the later tiering save (src/cli/start.ts).
    ['  the same from the ES modules', measure(render, { FLOWLANE_BUNDLE: '0' })],
    ['  the same, V8 default tiering', measure(render, { FLOWLANE_V8_TIERING: '0' })],
  ];
  console.log(`\ncold start-up, median of ${RUNS} processes (wall, and CPU user+sys), code caches written by an untimed run first:`);
  for (const [name, { wall, cpu }] of rows) {
    const times = `${wall.toFixed(0).padStart(5)} ms  cpu ${cpu === undefined ? '  n/a' : cpu.toFixed(0).padStart(5)} ms`;
    console.log(`  ${name.padEnd(34)} ${times}${name === 'node -e 0' ? '' : `  (${(wall - node.wall).toFixed(0)} ms above node, ${(wall / node.wall).toFixed(1)}x)`}`);
  }
  if (process.env.NODE_EXTRA_CA_CERTS) console.log('  (NODE_EXTRA_CA_CERTS is set: Node reads those certificates at every start, node -e 0 included)');
}
