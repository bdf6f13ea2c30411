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
import { elkGraphOf, generateDiagram } from './30-render.bench.mjs';

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

/** The diagram as Graphviz DOT, drawn the way flowlane draws it: lanes as clusters, the flow left to right, orthogonal edges with labels. */
function dotOf(diagram) {
  const quote = (s) => `"${String(s).replace(/["\\]/g, '\\$&')}"`;
  const shapes = { circle: 'circle', diamond: 'diamond', rectangle: 'box', taskbox: 'box' };
  const nodeById = new Map(diagram.nodes.map((n) => [n.id, n]));
  const lines = ['digraph G {', '  rankdir=LR; splines=ortho; node [fontname="Inter" fontsize=13 style=rounded];'];
  for (const lane of diagram.lanes) {
    lines.push(`  subgraph ${quote(`cluster_${lane.id}`)} {`, `    label=${quote(lane.label ?? lane.id)};`);
    for (const id of lane.nodes) lines.push(`    ${quote(id)} [shape=${shapes[nodeById.get(id)?.shape] ?? 'box'} label=${quote(nodeById.get(id)?.label ?? id)}];`);
    lines.push('  }');
  }
  for (const edge of diagram.edges) lines.push(`  ${quote(edge.from.node)} -> ${quote(edge.to.node)}${edge.label ? ` [xlabel=${quote(edge.label)}]` : ''};`);
  return `${lines.join('\n')}\n}\n`;
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
  const diagram = generateDiagram(50);
  writeFileSync(fifty, print(diagram));
  const elkJson = join(dir, 'fifty-elk.json');
  writeFileSync(elkJson, JSON.stringify(elkGraphOf(diagram)));
  const dot = join(dir, 'fifty.dot');
  writeFileSync(dot, dotOf(diagram));
  const render = [bin, 'render', fifty, '-o', join(dir, 'fifty.svg')];

  const node = measure(['-e', '0']);
  const rows = [
    ['node -e 0', node],
    ['flowlane --help', measure([bin, '--help'])],
    ['flowlane -v', measure([bin, '-v'])],
    ['flowlane check (small file)', measure([bin, 'check', small])],
    ['flowlane render (50 nodes, SVG)', measure(render)],
    // What the bundle, its code cache and the later tiering save (src/cli/start.cts).
    ['  the same from the ES modules', measure(render, { FLOWLANE_BUNDLE: '0' })],
    ['  the same, V8 default tiering', measure(render, { FLOWLANE_V8_TIERING: '0' })],
    // The floor: only elkjs, loaded as flowlane loads it, laying out the same graph once.
    ['bare ELK: load + one layout, same', measure([join(root, 'bench', 'elk-cold.cjs'), elkJson, join(dir, 'elk.v8')])],
    // The reference the issue set: Graphviz (WebAssembly) drawing the same diagram cold.
    ['Graphviz WASM (@viz-js/viz), same', measure([join(root, 'bench', 'graphviz-cold.mjs'), dot, join(dir, 'fifty-gv.svg')])],
  ];
  // flowlane makes no TLS connection: without the extra certificates, Node's own start is what remains.
  const bare = process.env.NODE_EXTRA_CA_CERTS ? { NODE_EXTRA_CA_CERTS: '' } : undefined;
  if (bare) {
    const bareNode = measure(['-e', '0'], bare);
    rows.push(
      ['node -e 0, without extra CA certs', bareNode],
      ['flowlane render, the same', measure(render, bare)],
      ['bare ELK, the same', measure([join(root, 'bench', 'elk-cold.cjs'), elkJson, join(dir, 'elk.v8')], bare)],
      ['Graphviz WASM, the same', measure([join(root, 'bench', 'graphviz-cold.mjs'), dot, join(dir, 'fifty-gv.svg')], bare)],
    );
  }
  console.log(`\ncold start-up, median of ${RUNS} processes (wall, and CPU user+sys), code caches written by an untimed run first:`);
  let base = node;
  for (const [name, figures] of rows) {
    const { wall, cpu } = figures;
    // The rows without the certificates are set against the node start without them.
    if (name.startsWith('node -e 0')) base = figures;
    const times = `${wall.toFixed(0).padStart(5)} ms  cpu ${cpu === undefined ? '  n/a' : cpu.toFixed(0).padStart(5)} ms`;
    console.log(`  ${name.padEnd(34)} ${times}${name.startsWith('node -e 0') ? '' : `  (${(wall - base.wall).toFixed(0)} ms above node, ${(wall / base.wall).toFixed(1)}x)`}`);
  }
  const wall = (name) => rows.find(([n]) => n === name)?.[1].wall;
  console.log(`  flowlane render / bare ELK: ${(wall('flowlane render (50 nodes, SVG)') / wall('bare ELK: load + one layout, same')).toFixed(2)}x${bare ? `; without the extra CA certs ${(wall('flowlane render, the same') / wall('bare ELK, the same')).toFixed(2)}x` : ''}`);
  console.log(`  flowlane render / Graphviz WASM: ${(wall('flowlane render (50 nodes, SVG)') / wall('Graphviz WASM (@viz-js/viz), same')).toFixed(2)}x${bare ? `; without the extra CA certs ${(wall('flowlane render, the same') / wall('Graphviz WASM, the same')).toFixed(2)}x` : ''}`);
  if (bare) console.log('  (NODE_EXTRA_CA_CERTS is set: Node reads those certificates at every start, node -e 0 included)');
}
