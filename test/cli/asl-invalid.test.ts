// A definition AWS rejects is refused the same way by `check`, `from-asl` and `render`: the same
// located errors, exit 1, nothing written (an existing output untouched). With --allow-invalid,
// `from-asl` and `render` convert it anyway: the errors become warnings, the offending states are
// marked (`// invalid:` comments in the .fz; class fz-invalid and a `!` badge in the SVG).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { repoRoot } from '../helpers/paths.js';

const bin = join(repoRoot, 'bin', 'flowlane.js');
const run = (args: string[]) => {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: repoRoot });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const fixtures = join(repoRoot, 'test', 'asl', 'fixtures', 'invalid');
const lines = (text: string, severity: string) => text.split('\n').filter((l) => l.includes(`: ${severity}: `));

/** Each fixture (fixtures/invalid/SOURCES.md), the state its error is about (undefined: the machine). */
const CASES: Array<[string, RegExp, string | undefined]> = [
  ['aslvalidator__invalid-next-with-end.asl.json', /:22:7: error: State "Send SNS Message" has both "Next" and "End"/, 'Send SNS Message'],
  ['aslvalidator__invalid-json-path.asl.json', /:8:7: error: asl-validator: \/States\/Invalid1\/ResultPath is invalid/, 'Invalid1'],
  ['aslvalidator__invalid-dupe-fields.asl.json', /error: asl-validator: A duplicate field will exist/, undefined],
];

describe.each(CASES)('%s', (file, expected, state) => {
  const input = join(fixtures, file);
  const check = run(['check', input]);

  test('check reports it, located', () => {
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(expected);
  });

  test('from-asl and render refuse it with the same errors and write nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowlane-invalid-'));
    const fz = join(dir, 'out.fz');
    const svg = join(dir, 'out.svg');
    writeFileSync(svg, 'previous');
    const from = run(['from-asl', input, '-o', fz]);
    const render = run(['render', input, '-o', svg]);
    for (const r of [from, render]) {
      expect(r.code).toBe(1);
      expect(lines(r.stderr, 'error')).toEqual(lines(check.stdout, 'error'));
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(existsSync(fz)).toBe(false);
    expect(readFileSync(svg, 'utf8')).toBe('previous');
  });

  test('--allow-invalid converts and draws it, the offending state marked, errors as warnings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowlane-invalid-'));
    const fz = join(dir, 'out.fz');
    const svg = join(dir, 'out.svg');
    const from = run(['from-asl', '--allow-invalid', input, '-o', fz]);
    const render = run(['render', '--allow-invalid', input, '-o', svg]);
    const asWarnings = lines(check.stdout, 'error').map((l) => l.replace(': error: ', ': warning: '));
    for (const r of [from, render]) {
      expect(r.code).toBe(0);
      expect(lines(r.stderr, 'error')).toEqual([]);
      expect(lines(r.stderr, 'warning')).toEqual(expect.arrayContaining(asWarnings));
    }
    // The .fz: an `// invalid:` comment right above the node of the state (or of the start marker).
    const text = readFileSync(fz, 'utf8').split('\n');
    const at = text.findIndex((l) => l.trim().startsWith('// invalid: '));
    expect(at).toBeGreaterThanOrEqual(0);
    expect(text[at + 1]).toMatch(state === undefined ? /label:"Start"/ : new RegExp(`label:"${state}"`));
    // The SVG: that node has class fz-invalid and a `!` badge whose tooltip is the error.
    const drawing = readFileSync(svg, 'utf8');
    const node = /<g class="fz-node [^"]*fz-invalid"[^>]*>[\s\S]*?<\/g><\/g>/.exec(drawing);
    expect(node).not.toBeNull();
    expect(node![0]).toContain('fz-invalid-mark');
    expect(node![0]).toMatch(/<title>[^<]+<\/title>/);
    expect(drawing.match(/fz-node [^"]*fz-invalid"/g)).toHaveLength(1);
  });
});
