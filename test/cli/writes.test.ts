// Writes keep the user's files intact: `fmt --write`, `check --fix` and `md` keep a file's mode,
// refuse a read-only file, write through a symbolic link to its target, and leave no temporary
// file behind, also when SIGINT or SIGTERM ends the run halfway. The real bin on real files.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { repoRoot } from '../helpers/paths.js';

const bin = join(repoRoot, 'bin', 'flowlane.js');
// Unformatted (no indentation), so fmt rewrites it.
const UGLY = 'a { # A\nn1: circle label:"Start"\nn2: circle label:"End"\nn1.handle(right) -> n2.handle(left)\n}\n';
const MD = '# Page\n\n```fz\na { # A\n  n1: circle label:"Start"\n}\n```\n';

function run(args: string[], cwd: string, input?: string) {
  const r = spawnSync(process.execPath, [bin, ...args], { input, encoding: 'utf8', cwd, timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'flowlane-writes-'));
}

const mode = (path: string): number => statSync(path).mode & 0o7777;
const temporaries = (dir: string): string[] => readdirSync(dir).filter((n) => n.endsWith('.tmp'));

/** Each command that rewrites a user's file, with a file it will change. */
const rewriters: { name: string; file: string; text: string; args: (file: string) => string[] }[] = [
  { name: 'fmt --write', file: 'd.fz', text: UGLY, args: (f) => ['fmt', '--write', f] },
  { name: 'check --fix', file: 'd.fz', text: 'a { # A\n  n1: circle label="Start"\n}\n', args: (f) => ['check', '--fix', f] },
  { name: 'md', file: 'page.md', text: MD, args: (f) => ['md', f] },
];

describe.each(rewriters)('$name', ({ file, text, args }) => {
  test.each([0o600, 0o755, 0o640])('keeps mode %o', (m) => {
    const dir = tempDir();
    const path = join(dir, file);
    writeFileSync(path, text);
    chmodSync(path, m);
    run(args(file), dir);
    expect(readFileSync(path, 'utf8')).not.toBe(text);
    expect(mode(path)).toBe(m);
    expect(temporaries(dir)).toEqual([]);
  });

  test('refuses a read-only file with one line naming it, and leaves it unchanged', () => {
    const dir = tempDir();
    const path = join(dir, file);
    writeFileSync(path, text);
    chmodSync(path, 0o444);
    const r = run(args(file), dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`flowlane: ${file}: cannot write (the file is read-only; it was left unchanged)`);
    expect(r.stderr).not.toMatch(/\.tmp\b|\n\s+at /);
    expect(readFileSync(path, 'utf8')).toBe(text);
    expect(mode(path)).toBe(0o444);
    expect(temporaries(dir)).toEqual([]);
  });

  test('writes through a symbolic link to its target; the link stays a link', () => {
    const dir = tempDir();
    const target = join(dir, `real-${file}`);
    writeFileSync(target, text);
    chmodSync(target, 0o600);
    symlinkSync(`real-${file}`, join(dir, file));
    run(args(file), dir);
    expect(lstatSync(join(dir, file)).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, file))).toBe(`real-${file}`);
    expect(readFileSync(target, 'utf8')).not.toBe(text);
    expect(mode(target)).toBe(0o600);
    expect(temporaries(dir)).toEqual([]);
  });
});

test('fmt --write goes on with the other files after a read-only one', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'a.fz'), UGLY);
  chmodSync(join(dir, 'a.fz'), 0o444);
  writeFileSync(join(dir, 'b.fz'), UGLY);
  const r = run(['fmt', '--write', 'a.fz', 'b.fz'], dir);
  expect(r.code).toBe(2);
  expect(readFileSync(join(dir, 'a.fz'), 'utf8')).toBe(UGLY);
  expect(readFileSync(join(dir, 'b.fz'), 'utf8')).not.toBe(UGLY);
});

test('a new file gets the mode the umask gives, not a temporary file mode', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'a.fz'), UGLY);
  const r = spawnSync('sh', ['-c', `umask 027 && "${process.execPath}" "${bin}" render a.fz -o out.svg`], { cwd: dir, encoding: 'utf8' });
  expect(r.status).toBe(0);
  expect(mode(join(dir, 'out.svg'))).toBe(0o640);
});

describe('-o names a directory or an unwritable place: one line naming the user path', () => {
  test.each([
    ['a directory', (dir: string) => join(dir, 'sub'), /^flowlane: .*sub: cannot write \(it is a directory; name a file\)$/],
    ['a read-only file', (dir: string) => join(dir, 'ro.svg'), /^flowlane: .*ro\.svg: cannot write \(the file is read-only; it was left unchanged\)$/],
    ['a place the system refuses', () => '/proc/flowlane-nope/x.svg', /^flowlane: \/proc\/flowlane-nope.*: cannot create directory/],
  ])('%s', (_what, output, message) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.fz'), UGLY);
    spawnSync('mkdir', [join(dir, 'sub')]);
    writeFileSync(join(dir, 'ro.svg'), 'old');
    chmodSync(join(dir, 'ro.svg'), 0o444);
    const r = run(['render', 'a.fz', '-o', output(dir)], dir);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(readFileSync(join(dir, 'ro.svg'), 'utf8')).toBe('old');
    expect(temporaries(dir)).toEqual([]);
  });
});

describe('a catchable signal leaves no temporary file and no half-written file', () => {
  // Many files, so that the signal lands while writes are under way.
  const FILES = 300;

  test.each(['SIGTERM', 'SIGINT'] as const)('%s during fmt --write of many files', async (signal) => {
    const dir = tempDir();
    const big = UGLY.replace('}\n', `${'n9: rectangle label:"Padding padding padding"\n'.repeat(200)}}\n`);
    for (let i = 0; i < FILES; i++) writeFileSync(join(dir, `f${i}.fz`), big);
    const formatted = run(['fmt', 'f0.fz'], dir).stdout;
    expect(formatted).not.toBe(big);
    const child = spawn(process.execPath, [bin, 'fmt', '--write', '.'], { cwd: dir, stdio: 'ignore' });
    // Wait until the first files are rewritten, then signal.
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (readFileSync(join(dir, 'f0.fz'), 'utf8') !== big) {
          clearInterval(poll);
          resolve();
        }
      }, 5);
    });
    child.kill(signal);
    const ended = await new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_c, s) => resolve(s)));
    // Ended by the signal, as without flowlane's handler, but only between two writes.
    expect(ended).toBe(signal);
    expect(temporaries(dir)).toEqual([]);
    const states = readdirSync(dir).map((n) => readFileSync(join(dir, n), 'utf8'));
    expect(states).toHaveLength(FILES);
    // Every file is either as it was or fully formatted, and the run stopped before the end.
    for (const s of states) expect([big, formatted]).toContain(s);
    expect(states.filter((s) => s === big).length).toBeGreaterThan(0);
  }, 60_000);
});
