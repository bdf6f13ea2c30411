// ASL files in the editor: a `.asl.json` / `.asl.yaml` document gets the diagnostics `flowlane check`
// prints for it (same codes, messages and ranges, over the real language server), the .fz features
// stay silent on it, and the preview request draws it (marked where AWS would reject it). And the
// VS Code extension registers such files with the server and offers the preview for them.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { root, startSession, type Session } from './harness.js';

let s: Session;
beforeAll(async () => {
  s = await startSession();
});
afterAll(async () => {
  await s?.stop();
});

const fixtures = join(root, 'test', 'asl', 'fixtures');
const CASES: Array<[string, string]> = [
  ['invalid (AWS rejects it)', join(fixtures, 'invalid', 'aslvalidator__invalid-next-with-end.asl.json')],
  ['a false positive (a warning)', join(fixtures, 'false-positives', 'localstack__outputdecl--base-output-any.asl.json')],
];

interface Found {
  code: string;
  severity: string;
  message: string;
  line: number;
  column: number;
}

function checkJson(file: string): Found[] {
  let out: string;
  try {
    out = execFileSync(process.execPath, [join(root, 'bin', 'flowlane.js'), 'check', '--format', 'json', file], { encoding: 'utf8' });
  } catch (e) {
    out = (e as { stdout: string }).stdout;
  }
  return (JSON.parse(out) as Found[]).map(({ code, severity, message, line, column }) => ({ code, severity, message, line, column }));
}

describe('ASL documents in the language server', () => {
  test.each(CASES)('%s: the diagnostics of flowlane check', async (_name, file) => {
    const uri = s.open('machine.asl.json', readFileSync(file, 'utf8'));
    const published = await s.diagnostics(uri);
    const severities = ['', 'error', 'warning', 'info', 'hint'];
    const asCheck = published.map((d) => ({ code: String(d.code), severity: severities[d.severity ?? 1]!, message: d.message, line: d.range.start.line + 1, column: d.range.start.character + 1 }));
    const expected = checkJson(file);
    expect(expected.length).toBeGreaterThan(0);
    expect(asCheck).toEqual(expected);
  });

  test('a YAML definition is checked too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowlane-asl-doc-'));
    const file = join(dir, 'm.asl.yaml');
    const text = 'StartAt: A\nStates:\n  A:\n    Type: Pass\n    Next: Nowhere\n';
    writeFileSync(file, text);
    const published = await s.diagnostics(s.open('m.asl.yaml', text));
    expect(published.map((d) => d.message)).toEqual(checkJson(file).map((d) => d.message));
    expect(published.some((d) => /Nowhere/.test(d.message) && d.range.start.line === 4)).toBe(true);
  });

  test('the .fz features stay silent on it; the preview draws it, marking what AWS rejects', async () => {
    const uri = s.open('broken.asl.json', readFileSync(CASES[0]![1], 'utf8'));
    await s.diagnostics(uri);
    const hover = await s.request('textDocument/hover', { textDocument: { uri }, position: { line: 5, character: 8 } });
    expect(hover).toBeNull();
    const r = await s.request<{ svg?: string }>('flowlane/renderSvg', { textDocument: { uri } });
    expect(r.svg).toMatch(/<svg/);
    expect(r.svg).toMatch(/class="fz-node [^"]*fz-invalid"/);
  });
});

describe('the VS Code extension registers ASL files', () => {
  const manifest = JSON.parse(readFileSync(join(root, 'extension', 'package.json'), 'utf8')) as {
    activationEvents: string[];
    contributes: { menus: { 'editor/title': Array<{ command: string; when: string }> } };
  };
  const client = readFileSync(join(root, 'extension', 'src', 'extension.ts'), 'utf8');
  test('it activates for them and hands them to the server', () => {
    expect(manifest.activationEvents).toEqual(expect.arrayContaining(['workspaceContains:**/*.asl.{json,yaml,yml}', 'onLanguage:json', 'onLanguage:yaml']));
    expect(client).toMatch(/documentSelector: \[\{ language: 'flowzap' \}, \.\.\.ASL_SELECTOR\]/);
    expect(client).toContain("const ASL_PATTERN = '**/*.asl.{json,yaml,yml}'");
  });
  test('the preview button shows for them', () => {
    const when = manifest.contributes.menus['editor/title'].find((m) => m.command === 'flowlane.openPreview')!.when;
    const re = /resourceFilename =~ \/(.*)\/$/.exec(when.split('||')[1]!.trim())!;
    const matches = new RegExp(re[1]!);
    for (const name of ['m.asl.json', 'm.asl.yaml', 'm.asl.yml']) expect(matches.test(name), name).toBe(true);
    expect(matches.test('package.json')).toBe(false);
  });
});
