// `flowlane check` and `flowlane fmt` as a user runs them: the real bin, real files, exit codes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { repoRoot } from '../helpers/paths.js';

const bin = join(repoRoot, 'bin', 'flowlane.js');

function run(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [bin, ...args], { input, encoding: 'utf8', cwd: repoRoot });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'flowlane-cli-'));
}

const GOOD = 'a { # A\n  n1: circle label:"Start"\n  n2: circle label:"End"\n  n1.handle(right) -> n2.handle(left)\n}\n';
const BAD = 'a { # A\nn1: circle label="Start"\nn2: rect label:"x"\nn1.handle(right) -> n9.handle(left)\n}\n';

describe('flowlane check', () => {
  test('a clean file: no output, exit 0', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'ok.fz'), GOOD);
    const r = run(['check', join(dir, 'ok.fz')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
  });

  test('errors are printed file:line:col, 1-based, and exit 1', () => {
    const dir = tempDir();
    const file = join(dir, 'bad.fz');
    writeFileSync(file, BAD);
    const r = run(['check', file]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe(`${file}:2:17: error: node attributes use a colon: write \`label:\` instead of \`label=\` [node-attribute-equals]`);
    expect(lines[1]).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:5: error: unknown shape \`rect\`.*\\[unknown-shape\\]$`));
    expect(lines[2]).toContain(':4:21: error: node `n9` is not declared');
    expect(lines).toHaveLength(3);
  });

  test('warnings and information alone exit 0', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'gap.fz'), 'a {\n  n1: circle label:"x"\n  n3: circle label:"y"\n}\n');
    const r = run(['check', join(dir, 'gap.fz')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('info: node ids are not sequential');
  });

  test('--format json gives machine-readable records', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.fz'), BAD);
    const r = run(['check', '--format', 'json', join(dir, 'bad.fz')]);
    expect(r.code).toBe(1);
    const records = JSON.parse(r.stdout) as { line: number; column: number; code: string; severity: string; fix?: unknown }[];
    expect(records.map((x) => [x.line, x.column, x.code])).toEqual([
      [2, 17, 'node-attribute-equals'],
      [3, 5, 'unknown-shape'],
      [4, 21, 'undefined-node'],
    ]);
    expect(records[0]!.fix).toBeDefined();
  });

  test('reads standard input with -', () => {
    const r = run(['check', '-'], BAD);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('<stdin>:2:17: error:');
  });

  test('--fix applies every fix and rewrites the file', () => {
    const dir = tempDir();
    const file = join(dir, 'fixme.fz');
    writeFileSync(file, 'sales {\n  # Sales Team\n  n1: circle label="Start"\n  n2: rectangel label:"Do"\n  n1 -> n2 [label:"go"]\n}\n');
    const r = run(['check', '--fix', file]);
    expect(r.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe('sales { # Sales Team\n  n1: circle label:"Start"\n  n2: rectangle label:"Do"\n  n1.handle(right) -> n2.handle(left) [label="go"]\n}\n');
    expect(r.stderr).toContain('applied');
  });

  test('a missing file, a directory and a binary file get one-line errors, never a stack trace', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'binary.fz'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]));
    writeFileSync(join(dir, 'latin1.fz'), Buffer.from('a { # Caf\xe9\n}\n', 'latin1'));
    for (const [target, message] of [
      [join(dir, 'missing.fz'), 'no such file'],
      [join(dir, 'binary.fz'), 'binary file'],
      [join(dir, 'latin1.fz'), ':1: is not valid UTF-8'],
    ] as const) {
      const r = run(['check', target]);
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe('flowlane fmt', () => {
  test('prints the canonical text', () => {
    const r = run(['fmt', '-'], 'a {   # A\nn1:circle   label:"x"\n}');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('a { # A\n  n1: circle label:"x"\n}\n');
  });

  test('--write rewrites in place, atomically, and leaves no temporary file', () => {
    const dir = tempDir();
    const file = join(dir, 'x.fz');
    writeFileSync(file, 'a {\nn1: circle label:"x"\n}');
    const r = run(['fmt', '--write', file]);
    expect(r.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe('a {\n  n1: circle label:"x"\n}\n');
    expect(readdirSync(dir)).toEqual(['x.fz']);
  });

  test('--write never touches a file with syntax errors', () => {
    const dir = tempDir();
    const file = join(dir, 'broken.fz');
    const text = 'a {\nn1: circle label:"x\n';
    writeFileSync(file, text);
    const r = run(['fmt', '--write', file]);
    expect(r.code).toBe(1);
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(r.stderr).toContain('not formatted');
    expect(r.stderr).toContain(':2:18: error:');
  });

  test('--check exits 1 for a file that is not formatted, 0 for one that is', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'good.fz'), GOOD);
    writeFileSync(join(dir, 'ugly.fz'), 'a {\nn1: circle label:"x"\n}\n');
    expect(run(['fmt', '--check', join(dir, 'good.fz')]).code).toBe(0);
    const r = run(['fmt', '--check', join(dir, 'good.fz'), join(dir, 'ugly.fz')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('ugly.fz: not formatted');
    expect(r.stdout).not.toContain('good.fz');
  });

  test('keeps comments and lane labels, and lays long JSON over several lines', () => {
    const text =
      '// head\na { # The Lane\n// before n1\nn1: rectangle label:"T" Type:"Task" Parameters:{"FunctionName":"arn:aws:lambda:us-east-1:123456789012:function:VeryLongFunctionName","Payload.$":"$"}\n// tail\n}\n';
    const r = run(['fmt', '-'], text);
    expect(r.stdout).toBe(
      '// head\na { # The Lane\n  // before n1\n  n1: rectangle label:"T" Type:"Task"\n    Parameters:{\n      "FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:VeryLongFunctionName",\n      "Payload.$": "$"\n    }\n  // tail\n}\n',
    );
  });
});

test('--help works after npm ci (the bin runs compiled code)', () => {
  const r = spawnSync('npx', ['--no-install', 'flowlane', '--help'], { cwd: repoRoot, encoding: 'utf8' });
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('Usage: flowlane');
  for (const command of ['check', 'fmt']) expect(r.stdout).toContain(command);
});
