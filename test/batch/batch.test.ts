// `flowlane render` on several files: the worker pool, skipping unchanged files, --force, and a bad
// file that fails only itself. Runs the real bin on temporary directories (cwd there, so the render
// cache is local to each test).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { examplesDir, repoRoot } from '../helpers/paths.js';

const bin = join(repoRoot, 'bin', 'flowlane.js');

function run(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const diagram = (label: string): string => `a { # A\n  n1: circle label:"Start"\n  n2: rectangle label:"${label}"\n  n1.handle(right) -> n2.handle(left)\n}\n`;

/** A directory of four small diagrams and, optionally, one broken file. */
function workspace(withBad: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'flowlane-batch-'));
  mkdirSync(join(dir, 'docs', 'more'), { recursive: true });
  for (const name of ['a', 'b', 'c']) writeFileSync(join(dir, 'docs', `${name}.fz`), diagram(name.toUpperCase()));
  writeFileSync(join(dir, 'docs', 'more', 'd.fz'), diagram('D'));
  if (withBad) writeFileSync(join(dir, 'docs', 'bad.fz'), 'a { # A\n  n1: rect label:"x"\n}\n');
  return dir;
}

const summary = (stderr: string): string => /^rendered \d+, skipped \d+, failed \d+ in [\d.]+ s \(\d+ files, \d+ workers?\)$/m.exec(stderr)?.[0] ?? `no summary in:\n${stderr}`;

describe('batch rendering', () => {
  test('a pool of workers renders every file; one bad file fails only itself; exit 1', () => {
    const dir = workspace(true);
    const r = run(['render', 'docs', 'docs/more/*.fz', '--out-dir', 'out', '--jobs', '2'], dir);
    expect(r.code).toBe(1);
    expect(summary(r.stderr)).toMatch(/^rendered 4, skipped 0, failed 1 in [\d.]+ s \(5 files, 2 workers\)$/);
    expect(r.stderr).toMatch(/^docs\/bad\.fz:2:7: error: unknown shape `rect`/m);
    expect(r.stderr).toMatch(/^rendered docs\/a\.fz -> out\/a\.svg \(\d+ ms\)$/m);
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(['a.svg', 'b.svg', 'c.svg', 'd.svg']);
    // Not a terminal: plain lines, no progress bar.
    expect(r.stderr).not.toContain('\r');
  });

  test.skipIf(!existsSync('/usr/bin/script'))('on a terminal: a progress bar redrawn in place, then the summary', () => {
    const dir = workspace(false);
    // `script` runs the command on a pseudo-terminal, as a user's shell would.
    const cmd = `${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} render docs/a.fz docs/b.fz --out-dir out`;
    const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { cwd: dir, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('\r\x1b[2K[###############---------------] 1/2');
    expect(r.stdout).toContain('] 2/2');
    expect(r.stdout).not.toContain('rendered docs/a.fz ->');
    expect(summary(r.stdout.replace(/\r\n/g, '\n').replace(/\r\x1b\[2K/g, '\n'))).toMatch(/^rendered 2, skipped 0, failed 0 /);
  });

  test('a batch writes what single renders write', () => {
    const dir = workspace(false);
    expect(run(['render', 'docs/*.fz', '--out-dir', 'out'], dir).code).toBe(0);
    expect(run(['render', 'docs/b.fz', '-o', 'single.svg'], dir).code).toBe(0);
    expect(readFileSync(join(dir, 'out', 'b.svg'), 'utf8')).toBe(readFileSync(join(dir, 'single.svg'), 'utf8'));
  });

  test('unchanged files are skipped; a changed one is redone; --force redoes all', () => {
    const dir = workspace(false);
    const args = ['render', 'docs/**/*.fz', '--out-dir', 'out'];
    expect(summary(run(args, dir).stderr)).toMatch(/^rendered 4, skipped 0, failed 0 /);
    const mtime = statSync(join(dir, 'out', 'a.svg')).mtimeMs;
    const again = run(args, dir);
    expect(again.code).toBe(0);
    expect(summary(again.stderr)).toMatch(/^rendered 0, skipped 4, failed 0 /);
    expect(again.stderr).toMatch(/^skipped docs\/a\.fz \(out\/a\.svg is up to date\)$/m);
    expect(statSync(join(dir, 'out', 'a.svg')).mtimeMs).toBe(mtime);

    // New content with an old modification time: the hash differs, so it is rendered again.
    writeFileSync(join(dir, 'docs', 'a.fz'), diagram('A changed'));
    utimesSync(join(dir, 'docs', 'a.fz'), new Date(2000, 0, 1), new Date(2000, 0, 1));
    // Same content, touched after its output: rendered again too (the output is not newer).
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(dir, 'docs', 'b.fz'), later, later);
    const changed = run(args, dir);
    expect(summary(changed.stderr)).toMatch(/^rendered 2, skipped 2, failed 0 /);
    expect(readFileSync(join(dir, 'out', 'a.svg'), 'utf8')).toContain('A changed');

    // Other options are another picture: nothing is skipped.
    expect(summary(run([...args, '--theme', 'dark'], dir).stderr)).toMatch(/^rendered 4, skipped 0, failed 0 /);
    expect(summary(run([...args, '--theme', 'dark', '--force'], dir).stderr)).toMatch(/^rendered 4, skipped 0, failed 0 /);
  });

  test('a deleted output is rendered again; a failing file is retried on every run', () => {
    const dir = workspace(true);
    const args = ['render', 'docs/*.fz', '--out-dir', 'out'];
    run(args, dir);
    copyFileSync(join(examplesDir, 'lottery.fz'), join(dir, 'docs', 'lottery.fz'));
    const r = run(args, dir);
    expect(r.code).toBe(1);
    expect(summary(r.stderr)).toMatch(/^rendered 1, skipped 3, failed 1 /);
    expect(existsSync(join(dir, 'out', 'lottery.svg'))).toBe(true);
  });
});
