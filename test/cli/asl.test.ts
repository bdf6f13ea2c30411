// `flowlane to-asl` and `flowlane from-asl` as a user runs them: real files, exit codes, and no
// output written (nor an existing one touched) when the input is bad.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { repoRoot } from '../helpers/paths.js';

const bin = join(repoRoot, 'bin', 'flowlane.js');
const run = (args: string[], input?: string) => {
  const r = spawnSync(process.execPath, [bin, ...args], { input, encoding: 'utf8', cwd: repoRoot });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const temp = () => mkdtempSync(join(tmpdir(), 'flowlane-asl-cli-'));

describe('flowlane to-asl', () => {
  test('converts an example to the state machine it describes', () => {
    const dir = temp();
    const out = join(dir, 'lottery.asl.json');
    const r = run(['to-asl', join(repoRoot, 'examples', 'lottery.fz'), '-o', out]);
    expect(r.code).toBe(0);
    const asl = JSON.parse(readFileSync(out, 'utf8'));
    // The published definition, as converted back from its own diagram (test/golden/asl).
    const published = JSON.parse(readFileSync(join(repoRoot, 'test', 'golden', 'asl', 'lottery-published', 'to-asl.asl.json'), 'utf8'));
    expect(asl).toEqual(published);
  });

  test('an error points at the .fz line and writes nothing, leaving an existing output as it was', () => {
    const dir = temp();
    const input = join(dir, 'bad.fz');
    const out = join(dir, 'out.asl.json');
    writeFileSync(input, 'a {\n  n1: circle label:"Start"\n  n2: rectangle label:"X" Type:"Task" Resource:"arn:aws:lambda:us-east-1:123456789012:function:F"\n  n1.handle(right) -> n2.handle(left)\n}\n');
    writeFileSync(out, 'previous');
    const r = run(['to-asl', input, '-o', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.fz:3:\d+: error: .*\[asl-/);
    expect(readFileSync(out, 'utf8')).toBe('previous');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('flowlane from-asl', () => {
  test('writes a readable diagram that converts back to the same definition', () => {
    const dir = temp();
    const out = join(dir, 'machine.fz');
    const definition = { Comment: 'two steps', StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Succeed' } } };
    writeFileSync(join(dir, 'machine.asl.json'), JSON.stringify(definition));
    expect(run(['from-asl', join(dir, 'machine.asl.json'), '-o', out]).code).toBe(0);
    const fz = readFileSync(out, 'utf8');
    expect(fz).toContain('label:"A"');
    const back = run(['to-asl', out]);
    expect(back.code).toBe(0);
    expect(JSON.parse(back.stdout)).toEqual(definition);
  });

  test.each([
    ['invalid JSON', '{"StartAt": "A", "States": {', 'asl-invalid-input'],
    ['not a state machine', '[1, 2, 3]', 'asl-not-state-machine'],
    ['a Next to a missing state', '{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"}}}', 'asl-missing-target'],
    ['a state name over 80 characters', JSON.stringify({ StartAt: 'x'.repeat(81), States: { ['x'.repeat(81)]: { Type: 'Succeed' } } }), 'asl-name-too-long'],
    ['a cycle with no exit', '{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"A"}}}', 'asl-no-terminal'],
  ])('%s: a clear error, exit 1, no output file', (_name, text, code) => {
    const dir = temp();
    const input = join(dir, 'in.asl.json');
    const out = join(dir, 'out.fz');
    writeFileSync(input, text);
    const r = run(['from-asl', input, '-o', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`[${code}]`);
    expect(r.stderr).toMatch(/in\.asl\.json:\d+:\d+: error:/);
    expect(existsSync(out)).toBe(false);
  });

  test('reads standard input', () => {
    const r = run(['from-asl', '-'], '{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Type:"Succeed"');
  });
});
