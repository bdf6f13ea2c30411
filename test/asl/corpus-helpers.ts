// Shared by the corpus suites: where the shared corpus is, and how to compare state machines.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const corpusDir = resolve(repoRoot, '..', 'shared', 'corpus');
export const seedsDir = resolve(repoRoot, '..', 'shared', 'seeds');

export function corpusFiles(sub: string, suffix: string): string[] {
  const dir = join(corpusDir, sub);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(suffix))
    .sort();
}

export function readCorpus(sub: string, file: string): string {
  return readFileSync(join(corpusDir, sub, file), 'utf8');
}

/**
 * Every `States` object's key order, depth first: deep equality ignores key order, but the order of
 * states is part of what must survive a round trip.
 */
export function stateOrder(v: unknown, out: string[][] = []): string[][] {
  if (Array.isArray(v)) for (const x of v) stateOrder(x, out);
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k === 'States' && x && typeof x === 'object' && !Array.isArray(x)) out.push(Object.keys(x));
      stateOrder(x, out);
    }
  }
  return out;
}
