// ASL conversion throughput over ../shared/corpus/asl: states per second, both directions
// (fromAsl: ASL -> Diagram; toAsl: Diagram -> ASL, without asl-validator), on the compiled code.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fromAsl, toAsl } from '../dist/asl/index.js';
import { parseDiagram } from '../dist/model/index.js';
import { generateFz } from './generate.mjs';

/** CPU milliseconds of `fn` (the machines here are shared: wall time counts the neighbours too). */
function cpuMs(fn) {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** to-asl of large diagrams, in nodes per second of CPU: a 50,000-node chain in one lane and a generated 8-lane diagram. */
function largeDiagrams() {
  const chain = ['a { # A'];
  const n = 50_000;
  for (let i = 1; i <= n; i++) chain.push(`  n${i}: rectangle label:"Step ${i}"`);
  for (let i = 1; i < n; i++) chain.push(`  n${i}.handle(right) -> n${i + 1}.handle(left)`);
  chain.push('}');
  for (const [name, text] of [[`chain of ${n.toLocaleString('en-US')} nodes`, `${chain.join('\n')}\n`], ['generated 8 lanes, 2 MB', generateFz(2_000_000)]]) {
    const diagram = parseDiagram(text).value;
    toAsl(diagram, { validate: false }); // warm-up
    // The least of five runs: CPU time on a shared machine is inflated by the other processes, never deflated.
    const ms = Math.min(...Array.from({ length: 5 }, () => cpuMs(() => toAsl(diagram, { validate: false }))));
    console.log(`to-asl, ${name}: ${Math.round(diagram.nodes.length / (ms / 1000)).toLocaleString('en-US')} nodes/s of CPU (${diagram.nodes.length.toLocaleString('en-US')} nodes, ${ms.toFixed(0)} ms, no validation)`);
  }
}

function countStates(sm) {
  if (!sm || typeof sm !== 'object') return 0;
  let n = 0;
  if (sm.States && typeof sm.States === 'object') {
    for (const st of Object.values(sm.States)) {
      n++;
      if (st && typeof st === 'object') {
        for (const b of Array.isArray(st.Branches) ? st.Branches : []) n += countStates(b);
        n += countStates(st.ItemProcessor) + countStates(st.Iterator);
      }
    }
  }
  return n;
}

export default async function bench() {
  largeDiagrams();
  const dir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'corpus', 'asl');
  if (!existsSync(dir)) {
    console.log('asl corpus not found; skipped');
    return;
  }
  const defs = readdirSync(dir).filter((f) => f.endsWith('.asl.json')).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));
  const states = defs.reduce((n, d) => n + countStates(d), 0);
  const diagrams = defs.map((d) => fromAsl(d).value);
  const rounds = 5;
  let t = performance.now();
  for (let r = 0; r < rounds; r++) for (const d of defs) fromAsl(d);
  const from = performance.now() - t;
  t = performance.now();
  for (let r = 0; r < rounds; r++) for (const d of diagrams) toAsl(d, { validate: false });
  const to = performance.now() - t;
  const rate = (ms) => Math.round((states * rounds) / (ms / 1000)).toLocaleString('en-US');
  console.log(`corpus: ${defs.length} definitions, ${states} states, ${rounds} rounds`);
  console.log(`from-asl: ${rate(from)} states/s (${(from / rounds).toFixed(1)} ms per corpus pass)`);
  console.log(`to-asl:   ${rate(to)} states/s (${(to / rounds).toFixed(1)} ms per corpus pass)`);
}
