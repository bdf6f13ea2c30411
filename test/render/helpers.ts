// Shared inputs of the layout/render/browser tests: the examples and a deterministic sample of
// the shared corpus, each as a Diagram. Input: files on disk. Output: named diagrams.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseDiagram } from '../../src/model/index.js';
import type { Diagram } from '../../src/model/index.js';
import { fromAsl, loadAsl } from '../../src/asl/index.js';

export const ROOT = join(import.meta.dirname, '../..');
export const EXAMPLES = join(ROOT, 'examples');
export const CORPUS = join(ROOT, '../shared/corpus');

export interface NamedDiagram {
  name: string;
  diagram: Diagram;
}

function parseFile(path: string): Diagram | undefined {
  const r = parseDiagram(readFileSync(path, 'utf8'));
  return r.diagnostics.some((d) => d.severity === 'error') ? undefined : r.value;
}

export function examples(): NamedDiagram[] {
  return readdirSync(EXAMPLES)
    .filter((f) => f.endsWith('.fz'))
    .sort()
    .map((f) => ({ name: f.replace(/\.fz$/, ''), diagram: parseFile(join(EXAMPLES, f)) }))
    .filter((x): x is NamedDiagram => x.diagram !== undefined);
}

/** The .fz corpus files without errors, and every `step`-th valid ASL corpus definition. */
export function corpusSample(step = 12): NamedDiagram[] {
  const out: NamedDiagram[] = [];
  const fzDir = join(CORPUS, 'fz');
  if (existsSync(fzDir)) {
    for (const f of readdirSync(fzDir).filter((x) => x.endsWith('.fz')).sort()) {
      const d = parseFile(join(fzDir, f));
      if (d) out.push({ name: `corpus-fz/${f}`, diagram: d });
    }
  }
  const aslDir = join(CORPUS, 'asl');
  if (existsSync(aslDir)) {
    const files = readdirSync(aslDir).filter((x) => /\.(json|ya?ml)$/.test(x)).sort();
    files.forEach((f, i) => {
      if (i % step !== 0) return;
      const loaded = loadAsl(readFileSync(join(aslDir, f), 'utf8'), { name: f });
      if (loaded.value.definition === undefined || loaded.diagnostics.some((d) => d.severity === 'error')) return;
      const conv = fromAsl(loaded.value.definition, { lanes: 'service', locate: loaded.value.locate });
      if (conv.diagnostics.some((d) => d.severity === 'error')) return;
      out.push({ name: `corpus-asl/${f}`, diagram: conv.value });
    });
  }
  return out;
}

/**
 * A generated diagram of about n nodes, like the render benchmark's: one track per lane, a decision
 * every third step branching to another lane, handoffs back up, a skip edge now and then, and a loop
 * frame every seventh step (over one node, two nodes, or two lanes).
 */
export function generatedDiagram(n: number): Diagram {
  const lanes = Math.min(6, 2 + Math.floor(n / 50));
  const steps = Math.ceil(n / lanes);
  const perLane: string[][] = Array.from({ length: lanes }, () => []);
  const id = (s: number, l: number): string => `n${s * lanes + l + 1}`;
  const exists = (s: number, l: number): boolean => s >= 0 && s < steps && s * lanes + l < n;
  for (let s = 0; s < steps; s++) {
    for (let l = 0; l < lanes; l++) {
      if (!exists(s, l)) continue;
      const decision = s % 3 === 1 && l === 0;
      perLane[l]!.push(decision ? `  ${id(s, l)}: diamond label:"Decision ${s}?"` : `  ${id(s, l)}: rectangle label:"Step ${s} in lane ${l}"`);
    }
  }
  const top: string[] = [];
  for (let s = 0; s < steps; s++) {
    for (let l = 0; l < lanes; l++) {
      if (!exists(s, l)) continue;
      if (exists(s + 1, l)) perLane[l]!.push(`  ${id(s, l)}.handle(right) -> ${id(s + 1, l)}.handle(left)`);
      if (s % 3 === 1 && l === 0) {
        const other = 1 + (s % (lanes - 1));
        if (exists(s + 1, other)) perLane[0]!.push(`  ${id(s, 0)}.handle(bottom) -> L${other}.${id(s + 1, other)}.handle(top) [label="No"]`);
      }
      if (s % 4 === 2 && l > 0 && exists(s + 1, l - 1)) perLane[l]!.push(`  ${id(s, l)}.handle(top) -> L${l - 1}.${id(s + 1, l - 1)}.handle(bottom) [label="handoff"]`);
      if (s % 5 === 3 && l === lanes - 1 && exists(s + 3, l)) perLane[l]!.push(`  ${id(s, l)}.handle(bottom) -> ${id(s + 3, l)}.handle(bottom) [label="skip"]`);
    }
    const l = s % lanes;
    if (s % 7 === 0 && exists(s, l)) perLane[l]!.push(`  loop [once ${s}] ${id(s, l)}`);
    if (s % 7 === 3 && exists(s + 1, l)) perLane[l]!.push(`  loop [retry ${s}] ${id(s, l)} ${id(s + 1, l)}`);
    if (s % 7 === 5 && l + 1 < lanes && exists(s + 1, l + 1)) top.push(`loop [across ${s}] ${id(s, l)} ${id(s + 1, l + 1)}`);
  }
  const text = perLane.map((lines, l) => `L${l} { # Lane ${l}\n${lines.join('\n')}\n}`).join('\n') + `\n${top.join('\n')}\n`;
  const parsed = parseDiagram(text);
  const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`generated diagram has errors: ${errors[0]!.message}`);
  return parsed.value;
}
