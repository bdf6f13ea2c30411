// `flowlane render --watch`: the real bin, on a temporary file. It renders once, re-renders after an
// edit in place and after an editor-style save (a new file renamed over the old one), keeps the last
// good picture and keeps watching when an edit breaks the file, and recovers when it is fixed.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { ROOT } from './helpers.js';

const diagram = (label: string): string => `a { # A\n  n1: circle label:"Start"\n  n2: rectangle label:"${label}"\n  n1.handle(right) -> n2.handle(left)\n}\n`;

/** Polls until `check` holds (or fails the test after `ms`). */
async function until(what: string, check: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

let child: ChildProcess | undefined;
let dir: string | undefined;

afterEach(() => {
  child?.kill();
  child = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('render --watch', () => {
  test('re-renders on every change, survives a broken edit, stops when killed', async () => {
    dir = mkdtempSync(join(tmpdir(), 'flowlane-watch-'));
    const input = join(dir, 'd.fz');
    const output = join(dir, 'd.svg');
    writeFileSync(input, diagram('First'));
    child = spawn(process.execPath, [join(ROOT, 'bin/flowlane.js'), 'render', input, '-o', output, '--watch'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const svg = (): string => (existsSync(output) ? readFileSync(output, 'utf8') : '');

    await until('the first render', () => stderr.includes('watching 1 file') && svg().includes('>First<'));

    // An edit in place.
    writeFileSync(input, diagram('Second'));
    await until('the re-render after an edit', () => svg().includes('>Second<'));

    // An editor's save: write a new file, rename it over the old one.
    writeFileSync(join(dir, 'd.fz.tmp'), diagram('Third'));
    renameSync(join(dir, 'd.fz.tmp'), input);
    await until('the re-render after a rename', () => svg().includes('>Third<'));

    // A broken edit: diagnostics on stderr, the last good picture stays, the watch goes on.
    writeFileSync(input, 'a { # A\n  n1: rect label:"x"\n}\n');
    await until('the diagnostics', () => /unknown shape `rect`/.test(stderr));
    expect(svg()).toContain('>Third<');
    expect(child.exitCode).toBeNull();

    writeFileSync(input, diagram('Fixed'));
    await until('the re-render after the fix', () => svg().includes('>Fixed<'));

    const exited = new Promise<number | null>((r) => child!.once('exit', (code, signal) => r(code ?? (signal ? 0 : null))));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 60_000);

  test('a watched directory takes the .fz files added to it later', async () => {
    dir = mkdtempSync(join(tmpdir(), 'flowlane-watch-dir-'));
    writeFileSync(join(dir, 'a.fz'), diagram('Alpha'));
    child = spawn(process.execPath, [join(ROOT, 'bin/flowlane.js'), 'render', dir, '--watch'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const svg = (name: string): string => (existsSync(join(dir!, name)) ? readFileSync(join(dir!, name), 'utf8') : '');
    await until('the first render', () => stderr.includes('watching 1 file') && svg('a.svg').includes('>Alpha<'));
    writeFileSync(join(dir, 'b.fz'), diagram('Beta'));
    await until('the new file rendered', () => svg('b.svg').includes('>Beta<'));
    writeFileSync(join(dir, 'b.fz'), diagram('Gamma'));
    await until('the new file re-rendered after an edit', () => svg('b.svg').includes('>Gamma<'));
    expect(svg('a.svg')).toContain('>Alpha<');
    expect(child.exitCode).toBeNull();
  });
});
