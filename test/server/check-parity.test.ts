// Diagnostics parity: for every example, and for broken variants of each, the server publishes every
// finding `flowlane check` reports, with the same code, severity, message and exact range (the
// server may add the ASL-profile checks on top).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root, startSession, type Session } from './harness.js';

let s: Session;
beforeAll(async () => {
  s = await startSession();
});
afterAll(async () => {
  await s?.stop();
});

const examplesDir = join(root, 'examples');
const examples = existsSync(examplesDir) ? readdirSync(examplesDir).filter((f) => f.endsWith('.fz')) : [];

/** Mistakes a writer makes, applied to a correct file. */
const MUTATIONS: [string, (t: string) => string][] = [
  ['as written', (t) => t],
  ['misspelt shape', (t) => t.replace(/: rectangle /, ': rectangel ')],
  ['label=', (t) => t.replace(/ label:"/, ' label="')],
  ['duplicate id', (t) => t.replace(/\n(\s*)n2: /, '\n$1n1: ')],
  ['undefined node', (t) => t.replace(/-> n2\.handle/, '-> n42.handle')],
  ['missing handle', (t) => t.replace(/n1\.handle\(right\) ->/, 'n1 ->')],
  ['edge label colon', (t) => t.replace(/\[label="/, '[label:"')],
  ['unclosed lane', (t) => t.replace(/\n\}\s*$/, '\n')],
  ['stray character', (t) => t.replace(/\n/, '\n@\n')],
];

const dir = mkdtempSync(join(tmpdir(), 'flowlane-parity-'));
const cases = examples.flatMap((name) => {
  const original = readFileSync(join(examplesDir, name), 'utf8');
  return MUTATIONS.map(([mutation, apply], i) => ({ name, mutation, text: apply(original), file: join(dir, `${i}-${name}`) }));
});
/** `flowlane check --format json` over every case at once: one process for all. */
let reported = new Map<string, string[]>();

beforeAll(() => {
  for (const c of cases) writeFileSync(c.file, c.text);
  let out = '';
  try {
    out = execFileSync(process.execPath, [join(root, 'bin', 'flowlane.js'), 'check', '--format', 'json', ...cases.map((c) => c.file)], { encoding: 'utf8', maxBuffer: 64 << 20 });
  } catch (e) {
    out = (e as { stdout: string }).stdout;
  }
  reported = new Map(cases.map((c) => [c.file, []]));
  for (const r of JSON.parse(out) as { file: string; line: number; column: number; endLine: number; endColumn: number; code: string; message: string; severity: string }[]) {
    reported.get(r.file)?.push(`${r.line - 1}:${r.column - 1}-${r.endLine - 1}:${r.endColumn - 1} ${r.severity} ${r.code} ${r.message}`);
  }
});

describe('diagnostics parity with flowlane check', () => {
  it.each(cases.map((c) => [`${c.name} (${c.mutation})`, c] as const))('%s', async (_, c) => {
    const expected = reported.get(c.file)!;
    const uri = s.open(c.name, c.text);
    const severity = ['', 'error', 'warning', 'info', 'info'];
    const got = (await s.diagnostics(uri)).map((d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${severity[d.severity ?? 1]} ${String(d.code)} ${d.message}`);
    for (const e of expected) expect(got).toContain(e);
    // Nothing but the ASL-profile checks is added.
    expect(got.filter((g) => !expected.includes(g) && !/ asl-/.test(g))).toEqual([]);
  });
});
