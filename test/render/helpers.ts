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
