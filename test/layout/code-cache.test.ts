// ELK's V8 code cache (src/layout/elk-module.ts): written after the first layout of a cold start,
// used by the next, and harmless when absent, stale or corrupt: the drawing is the same bytes.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { repoRoot } from '../helpers/paths.js';

// A folder of its own (FLOWLANE_CACHE_DIR), so that the suites running beside it do not touch it.
const cacheDir = mkdtempSync(join(tmpdir(), 'flowlane-elk-cache-'));
const caches = (): string[] => (existsSync(cacheDir) ? readdirSync(cacheDir).filter((f) => f.startsWith('elk-worker-') && f.endsWith('.v8')) : []);

function render(dir: string, env: Record<string, string> = {}): string {
  const r = spawnSync(process.execPath, [join(repoRoot, 'bin', 'flowlane.js'), 'render', 'a.fz', '-o', 'a.svg'], { cwd: dir, encoding: 'utf8', env: { ...process.env, FLOWLANE_CACHE_DIR: cacheDir, ...env } });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return readFileSync(join(dir, 'a.svg'), 'utf8');
}

test('the cache is written by a cold start, used by the next, and a corrupt one changes nothing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowlane-cache-'));
  writeFileSync(join(dir, 'a.fz'), 'a { # A\n  n1: circle label:"Start"\n  n2: rectangle label:"Step"\n  n3: circle label:"End"\n  n1.handle(right) -> n2.handle(left)\n  n2.handle(right) -> n3.handle(left)\n}\n');
  for (const f of caches()) rmSync(join(cacheDir, f));
  const uncached = render(dir, { FLOWLANE_CODE_CACHE: '0' });
  expect(caches()).toEqual([]);
  expect(render(dir)).toBe(uncached);
  const written = caches();
  expect(written).toHaveLength(1);
  expect(readFileSync(join(cacheDir, written[0]!)).length).toBeGreaterThan(100_000);
  expect(render(dir)).toBe(uncached);
  // Garbage in place of the cache: V8 rejects it, the drawing is unchanged, a good cache replaces it.
  writeFileSync(join(cacheDir, written[0]!), Buffer.alloc(4096, 7));
  expect(render(dir)).toBe(uncached);
  expect(readFileSync(join(cacheDir, written[0]!)).length).toBeGreaterThan(100_000);
  expect(readdirSync(cacheDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
});
