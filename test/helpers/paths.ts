// Paths shared by the suites: the repository root, its examples, and the shared corpus beside it.
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const examplesDir = join(repoRoot, 'examples');
/** `../shared/corpus` beside the checkout (CI lays a copy of shared/ there). */
export const corpusDir = resolve(repoRoot, '..', 'shared', 'corpus');
export const corpusAvailable = existsSync(corpusDir);

export function exampleFiles(): string[] {
  return readdirSync(examplesDir)
    .filter((f) => f.endsWith('.fz'))
    .sort();
}
