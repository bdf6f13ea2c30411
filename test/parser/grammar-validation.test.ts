// Users' runs skip Chevrotain's grammar validation (a fifth of a cold start); the tests keep it on,
// so a grammar change that Chevrotain would reject (ambiguity, left recursion) fails here.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { repoRoot } from '../helpers/paths.js';

test('the test run builds the parser with validation', () => {
  expect(process.env.FLOWLANE_VALIDATE_GRAMMAR).toBe('1');
});

test('the compiled grammar passes Chevrotain\'s validation, and parses with or without it', () => {
  const script = `import { parse } from ${JSON.stringify(join(repoRoot, 'dist', 'parser', 'index.js'))}; const r = parse('a { # A\\n  n1: circle label:"S"\\n}\\n'); console.log(r.value.items.length, r.diagnostics.length);`;
  for (const validate of ['1', '0']) {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, FLOWLANE_VALIDATE_GRAMMAR: validate } });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('1 0');
  }
});
