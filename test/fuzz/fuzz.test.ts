// A fixed-seed slice of the fuzz run (scripts/fuzz.mjs, `npm run fuzz`) on every CI run: mutants of
// the examples and of their state machines through every stage, with its watchdog. Zero failures.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { repoRoot } from '../helpers/paths.js';

test('2,000 mutants (seed 20261202) break no property', () => {
  const r = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'fuzz.mjs'), '--count', '2000', '--seed', '20261202', '--no-shared', '--render-every', '25', '--json'], { cwd: repoRoot, encoding: 'utf8', timeout: 300_000 });
  expect(r.stderr).toBe('');
  const report = JSON.parse(r.stdout) as { totals: { inputs: number; fz: number; asl: number; rendered: number; editor: number }; failures: Record<string, number>; examples: unknown[] };
  expect(report.failures, JSON.stringify(report.examples, null, 2)).toEqual({});
  expect(r.status).toBe(0);
  expect(report.totals.inputs).toBe(2000);
  // Both kinds of input were exercised, and the renderer with them.
  expect(report.totals.fz).toBeGreaterThan(500);
  expect(report.totals.asl).toBeGreaterThan(500);
  expect(report.totals.rendered).toBeGreaterThan(20);
}, 300_000);
