// The command line never hangs and never mumbles: exit codes (0 ok, 1 problems in the input, 2 usage
// and I/O), validated numbers, one plain line for every I/O failure that names the user's path, the
// version, and globs and directories for check and fmt as for render. The real bin, real files.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { repoRoot } from '../helpers/paths.js';

const bin = join(repoRoot, 'bin', 'flowlane.js');
const GOOD = 'a { # A\n  n1: circle label:"Start"\n  n2: circle label:"End"\n  n1.handle(right) -> n2.handle(left)\n}\n';

function run(args: string[], input?: string) {
  // A hang fails the test at the timeout instead of blocking the suite.
  const r = spawnSync(process.execPath, [bin, ...args], { input, encoding: 'utf8', cwd: repoRoot, timeout: 20_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, signal: r.signal };
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'flowlane-usage-'));
}

/** One line starting `flowlane: `, no stack frames, no temporary file names. */
function expectOneLine(stderr: string): void {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^flowlane: /);
  expect(stderr).not.toMatch(/\n\s+at |\.tmp\b|svgdir/);
}

describe('version and help', () => {
  test.each([['-v'], ['--version']])('%s prints the version', (flag) => {
    const r = run([flag]);
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  test('--help documents the exit codes', () => {
    const r = run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Exit codes: 0 ok, 1 problems found in the input, 2 usage errors/);
  });

  test('check --help says it checks ASL files', () => {
    expect(run(['check', '--help']).stdout).toMatch(/ASL state machines/);
  });
});

describe('usage errors exit 2', () => {
  test.each([
    ['an unknown option', ['--bogus']],
    ['an unknown option of a command', ['check', '--nope', 'x.fz']],
    ['a missing argument', ['render']],
    ['a bad choice', ['render', 'x.fz', '--format', 'gif']],
    ['--scale abc', ['render', 'x.fz', '--scale', 'abc']],
    ['--scale 0', ['render', 'x.fz', '--scale', '0']],
    ['--scale -2', ['render', 'x.fz', '--scale=-2']],
    ['--jobs 0', ['render', 'x.fz', 'y.fz', '--jobs', '0']],
    ['--jobs 1.5', ['render', 'x.fz', '--jobs', '1.5']],
  ])('%s', (_, args) => {
    const r = run(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test('a valid --scale is taken', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.fz'), GOOD);
    const r = run(['render', join(dir, 'a.fz'), '--format', 'png', '--scale', '1.5', '-o', join(dir, 'a.png')]);
    expect(r.code).toBe(0);
  });
});

describe('the output format follows the -o name', () => {
  const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
  test('-o a.png writes a PNG, -o a.svg an SVG, without --format', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.fz'), GOOD);
    expect(run(['render', join(dir, 'a.fz'), '-o', join(dir, 'a.png')]).code).toBe(0);
    expect(readFileSync(join(dir, 'a.png')).subarray(0, 4)).toEqual(PNG);
    expect(run(['render', join(dir, 'a.fz'), '-o', join(dir, 'a.SVG')]).code).toBe(0);
    expect(readFileSync(join(dir, 'a.SVG'), 'utf8')).toMatch(/^<\?xml[^>]*>\s*<svg /);
  });

  test('a --format that contradicts the -o name is a usage error, and writes nothing', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.fz'), GOOD);
    const r = run(['render', join(dir, 'a.fz'), '--format', 'svg', '-o', join(dir, 'a.png')]);
    expect(r.code).toBe(2);
    expectOneLine(r.stderr);
    expect(r.stderr).toContain('--format is svg');
    expect(() => readFileSync(join(dir, 'a.png'))).toThrow();
  });
});

describe('I/O failures: one line naming the path, exit 2, at once', () => {
  test('render --out-dir /proc/nope ends at once', () => {
    const r = run(['render', join(repoRoot, 'examples', 'lottery.fz'), '--out-dir', '/proc/nope']);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(2);
    expectOneLine(r.stderr);
    expect(r.stderr).toMatch(/^flowlane: \/proc\/nope: cannot create directory \(/);
  });

  test('an output directory under a file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.fz'), GOOD);
    writeFileSync(join(dir, 'plain'), '');
    const r = run(['render', join(dir, 'a.fz'), '--out-dir', join(dir, 'plain', 'svg')]);
    expect(r.code).toBe(2);
    expectOneLine(r.stderr);
    expect(r.stderr).toContain(`${join(dir, 'plain', 'svg')}: cannot create directory (a part of the path is a file, not a directory`);
  });

  test('-o naming a directory', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.fz'), GOOD);
    mkdirSync(join(dir, 'out'));
    const r = run(['render', join(dir, 'a.fz'), '-o', join(dir, 'out')]);
    expect(r.code).toBe(2);
    expectOneLine(r.stderr);
    expect(r.stderr).toContain(`${join(dir, 'out')}: cannot write (it is a directory`);
  });

  test('a batch whose outputs cannot be written fails each file with one plain line', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.fz'), GOOD);
    writeFileSync(join(dir, 'b.fz'), GOOD);
    writeFileSync(join(dir, 'plain'), '');
    const r = run(['render', join(dir, 'a.fz'), join(dir, 'b.fz'), '--jobs', '1', '--out-dir', join(dir, 'plain')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).not.toMatch(/\n\s+at |EEXIST: |ENOTDIR: /);
    expect(r.stderr).toContain(`${join(dir, 'plain')}: cannot create directory`);
  });
});

describe('check and fmt take globs and directories', () => {
  test('check DIR and fmt --check GLOB', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.fz'), GOOD);
    writeFileSync(join(dir, 'b.fz'), 'b { # B\n      n1: circel\n}\n');
    const checked = run(['check', dir]);
    expect(checked.code).toBe(1);
    expect(checked.stdout).toContain(`${join(dir, 'b.fz')}:2:`);
    const formatted = run(['fmt', '--check', join(dir, '*.fz')]);
    expect(formatted.code).toBe(1);
    expect(formatted.stderr + formatted.stdout).toContain('b.fz');
    expect(formatted.stderr + formatted.stdout).not.toContain('a.fz');
  });

  test('check DIR checks its ASL files too (.asl.json, .asl.yaml), with their located findings', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.fz'), GOOD);
    writeFileSync(join(dir, 'pay.asl.json'), '{\n  "StartAt": "A",\n  "States": {\n    "A": { "Type": "Pass", "Next": "Nowhere" }\n  }\n}\n');
    writeFileSync(join(dir, 'ok.asl.yaml'), 'StartAt: A\nStates:\n  A:\n    Type: Succeed\n');
    writeFileSync(join(dir, 'package.json'), '{"name": "not a state machine"}\n');
    const r = run(['check', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${join(dir, 'pay.asl.json')}:4:`);
    expect(r.stdout).toContain('[asl-missing-target]');
    expect(r.stdout).not.toContain('ok.asl.yaml');
    expect(r.stdout).not.toContain('package.json');
    expect(run(['check', join(dir, '*.asl.*')]).stdout).toContain('pay.asl.json:4:');
  });

  test('a directory or glob that matches nothing is a usage error, never a silent pass', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'notes.txt'), 'nothing to check\n');
    for (const args of [['check', dir], ['fmt', '--check', dir], ['render', dir], ['check', join(dir, '*.fz')]]) {
      const r = run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expectOneLine(r.stderr);
      expect(r.stderr).toContain('no input files matched');
    }
  });

  test('check page.md points to md --check', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'page.md'), '# Title\n\nText.\n');
    const r = run(['check', join(dir, 'page.md')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expectOneLine(r.stderr);
    expect(r.stderr).toContain('flowlane md --check');
  });

  test('check --fix - writes only the fixed text to standard output', () => {
    const r = run(['check', '--fix', '-'], 'a { # A\n  n1: circle label="x"\n  n2: circle label:"y"\n  n1.handle(right) -> n9.handle(left)\n}\n');
    // The undeclared n9 is left for the user: declaring it would be a guess.
    expect(r.stdout).toBe('a { # A\n  n1: circle label:"x"\n  n2: circle label:"y"\n  n1.handle(right) -> n9.handle(left)\n}\n');
    expect(r.stderr).toMatch(/<stdin>:4:\d+: error: .*\[undefined-node\]/);
  });

  test('a reader that closes the pipe early ends the command quietly: no EPIPE stack trace', () => {
    for (const command of [`${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} --help | head -1`, `${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} render ${JSON.stringify(join(repoRoot, 'examples', 'lottery.fz'))} -o - | head -c 10`]) {
      const r = spawnSync('bash', ['-c', `set -o pipefail; ${command} > /dev/null`], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    }
  });

  test('check --fix - writes the text to standard output also when nothing is fixed (a pipe never empties the file)', () => {
    for (const text of ['a { # A\n  n1: rectangle label:"x"\n}\n', 'a { # A\n  n1: rectangle label:"x"\n  n1.handle(right) -> n3.handle(left)\n}\n']) {
      const r = run(['check', '--fix', '-'], text);
      expect(r.stdout).toBe(text);
    }
    const broken = run(['check', '--fix', '-'], 'a { # A\n  n1: rectangle label:"x"\n  n1.handle(right) -> n3.handle(left)\n}\n');
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/<stdin>:3:\d+: error: .*\[undefined-node\]/);
  });

  test('a file fixed by check --fix passes fmt --check', () => {
    const dir = tempDir();
    const file = join(dir, 'f.fz');
    writeFileSync(file, 'sales { # Sales\n  n1: circle label="Start"\n  n2: rectangle label:"Take"\n  n1.handle(right) -> n2.handle(left) [label:"go"]\n}\n');
    expect(run(['check', '--fix', file]).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('label:"Start"');
    const r = run(['fmt', '--check', file]);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
