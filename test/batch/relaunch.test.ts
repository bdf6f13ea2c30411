// A batch, or `md` on many fences, on a small machine runs in a child Node with a smaller V8 thread
// pool (src/cli/relaunch.ts): when it does, what the user sees (lines, summary, exit code, outputs)
// is what a run in one process gives; the child really has the flag; a signal to the command
// reaches the child.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { RELAUNCH_MIN_JOBS, relaunchArgs, v8PoolSize } from '../../src/cli/relaunch.js';
import { repoRoot } from '../helpers/paths.js';

const bin = join(repoRoot, 'bin', 'flowlane.js');
const diagram = (i: number): string => `a { # Lane ${i}\n  n1: circle label:"Start ${i}"\n  n2: rectangle label:"Step ${i}"\n  n1.handle(right) -> n2.handle(left)\n}\n`;

function workspace(count: number, withBad: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'flowlane-relaunch-'));
  mkdirSync(join(dir, 'docs'));
  for (let i = 0; i < count; i++) writeFileSync(join(dir, 'docs', `d${String(i).padStart(2, '0')}.fz`), diagram(i));
  if (withBad) writeFileSync(join(dir, 'docs', 'bad.fz'), 'a { # A\n  n1: rect label:"x"\n}\n');
  return dir;
}

/** The first child process of `pid` and its command line, while `pid` runs (Linux /proc); undefined if it ends without one. */
async function childOf(pid: number): Promise<{ pid: number; cmdline: string[] } | undefined> {
  const file = `/proc/${pid}/task/${pid}/children`;
  for (let i = 0; i < 300; i++) {
    if (!existsSync(file)) return undefined;
    const listed = readFileSync(file, 'utf8').trim();
    if (listed) {
      const child = Number(listed.split(/\s+/)[0]);
      try {
        // Between fork and exec the child shows the parent's command line, or none.
        const cmdline = readFileSync(`/proc/${child}/cmdline`, 'utf8');
        if (cmdline !== '' && cmdline !== readFileSync(`/proc/${pid}/cmdline`, 'utf8')) return { pid: child, cmdline: cmdline.split('\0') };
      } catch {
        return undefined;
      }
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  return undefined;
}

describe('relaunchArgs', () => {
  const argv = ['/usr/bin/node', '/opt/flowlane/bin/flowlane.js', 'render', 'docs', '--out-dir', 'out'];

  test('one background thread per core beyond the first, on machines of up to four cores', () => {
    expect([1, 2, 3, 4, 5, 16].map(v8PoolSize)).toEqual([1, 1, 2, 3, undefined, undefined]);
  });

  test('runs the same command line with the pool size, keeping Node flags', () => {
    expect(relaunchArgs(argv, ['--enable-source-maps'], {}, 2)).toEqual(['--enable-source-maps', '--v8-pool-size=1', '/opt/flowlane/bin/flowlane.js', 'render', 'docs', '--out-dir', 'out']);
    expect(relaunchArgs(['node', '/usr/local/bin/flowlane', 'render', 'a.fz', 'b.fz'], [], {}, 4)).toEqual(['--v8-pool-size=3', '/usr/local/bin/flowlane', 'render', 'a.fz', 'b.fz']);
  });

  test('not in the child itself, not when the user chose a size, not on a large machine, not inside another program', () => {
    expect(relaunchArgs(argv, [], { FLOWLANE_V8_POOL: '1' }, 2)).toBeUndefined();
    expect(relaunchArgs(argv, ['--v8-pool-size=2'], {}, 2)).toBeUndefined();
    expect(relaunchArgs(argv, [], { NODE_OPTIONS: '--max-old-space-size=4096 --v8-pool-size=4' }, 2)).toBeUndefined();
    expect(relaunchArgs(argv, [], {}, 8)).toBeUndefined();
    expect(relaunchArgs(['node', '/repo/node_modules/vitest/vitest.mjs', 'run'], [], {}, 2)).toBeUndefined();
  });
});

describe.skipIf(v8PoolSize(availableParallelism()) === undefined)('a relaunched batch', () => {
  test('prints, writes and exits as a batch in one process does', () => {
    const count = RELAUNCH_MIN_JOBS + 4;
    const runIn = (env: Record<string, string>) => {
      const dir = workspace(count, true);
      // One output up to date beforehand, so that a skipped line is printed too.
      spawnSync(process.execPath, [bin, 'render', 'docs/d00.fz', 'docs/d01.fz', '--out-dir', 'out'], { cwd: dir });
      const r = spawnSync(process.execPath, [bin, 'render', 'docs', '--out-dir', 'out'], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env } });
      const lines = r.stderr.split('\n').filter(Boolean).map((l) => l.replace(/\(\d+ ms\)/, '(ms)').replace(/in [\d.]+ s/, 'in s'));
      return { code: r.status, lines: lines.sort(), outputs: readdirSync(join(dir, 'out')).sort(), sample: readFileSync(join(dir, 'out', 'd05.svg'), 'utf8') };
    };
    const relaunched = runIn({});
    const inProcess = runIn({ FLOWLANE_V8_POOL: '0' });
    expect(relaunched.code).toBe(1);
    expect(relaunched).toEqual(inProcess);
    expect(relaunched.lines).toContain('skipped docs/d00.fz (out/d00.svg is up to date)');
    expect(relaunched.lines.filter((l) => l.startsWith('rendered docs/'))).toHaveLength(count - 2);
    expect(relaunched.lines.filter((l) => l.startsWith('rendered ') && l.includes('skipped'))).toEqual([`rendered ${count - 2}, skipped 2, failed 1 in s (${count + 1} files, ${Math.min(availableParallelism(), count - 1)} workers)`]);
  });

  test('md on many fences writes and prints what it writes in one process, from a child with the smaller pool', async () => {
    const fences = Array.from({ length: RELAUNCH_MIN_JOBS + 2 }, (_, i) => `Step ${i}\n\n\`\`\`fz\n${diagram(i)}\`\`\`\n`).join('\n');
    const runIn = async (env: Record<string, string>) => {
      const dir = mkdtempSync(join(tmpdir(), 'flowlane-relaunch-md-'));
      writeFileSync(join(dir, 'doc.md'), `# Doc\n\n${fences}`);
      const proc = spawn(process.execPath, [bin, 'md', 'doc.md'], { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      proc.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
      const exited = new Promise<number | null>((resolve) => proc.once('exit', (c) => resolve(c)));
      const child = await childOf(proc.pid!);
      const code = await exited;
      const files = readdirSync(dir).sort();
      return { code, stderr: stderr.split('\n').sort(), files, md: readFileSync(join(dir, 'doc.md'), 'utf8'), svgs: files.filter((f) => f.endsWith('.svg')).map((f) => readFileSync(join(dir, f), 'utf8')), child };
    };
    const relaunched = await runIn({});
    const inProcess = await runIn({ FLOWLANE_V8_POOL: '0' });
    expect(relaunched.child?.cmdline).toContain(`--v8-pool-size=${v8PoolSize(availableParallelism())}`);
    expect(inProcess.child).toBeUndefined();
    expect(relaunched.code).toBe(0);
    expect(relaunched.svgs).toHaveLength(RELAUNCH_MIN_JOBS + 2);
    expect({ ...relaunched, child: undefined }).toEqual({ ...inProcess, child: undefined });
  });

  test('the child has the smaller pool; a signal to the command ends the child too, leaving no partial output', async () => {
    const dir = workspace(60, false);
    const parent = spawn(process.execPath, [bin, 'render', 'docs', '--out-dir', 'out', '--jobs', '1'], { cwd: dir, stdio: 'ignore' });
    const found = await childOf(parent.pid!);
    expect(found, 'the relaunched child').toBeDefined();
    const child = found!.pid;
    expect(found!.cmdline).toContain(`--v8-pool-size=${v8PoolSize(availableParallelism())}`);
    expect(found!.cmdline).toContain(bin);
    // Let it render a little, then stop the command as a CI runner would.
    await new Promise((r) => setTimeout(r, 600));
    const ended = new Promise<NodeJS.Signals | null>((resolve) => parent.once('exit', (_code, signal) => resolve(signal)));
    parent.kill('SIGTERM');
    expect(await ended).toBe('SIGTERM');
    for (let i = 0; i < 100 && existsSync(`/proc/${child}`); i++) await new Promise((r) => setTimeout(r, 20));
    expect(existsSync(`/proc/${child}`), 'the child is gone').toBe(false);
    // Outputs are renamed into place whole: each one there is a complete picture.
    const written = existsSync(join(dir, 'out')) ? readdirSync(join(dir, 'out')).filter((f) => f.endsWith('.svg')) : [];
    expect(written.length).toBeLessThan(60);
    for (const f of written) expect(readFileSync(join(dir, 'out', f), 'utf8').trimEnd().endsWith('</svg>'), f).toBe(true);
  });
});
