// The TextMate grammar: the unit cases in test/grammar/cases run through vscode-tmgrammar-test, every
// example file tokenizes without an `invalid` scope and with every word scoped, and every keyword of
// the Chevrotain lexer is highlighted.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import * as onig from 'vscode-oniguruma';
import * as tm from 'vscode-textmate';
import { KEYWORDS } from '../../src/parser/tokens.js';

const root = join(import.meta.dirname, '..', '..');
const grammarPath = join(root, 'grammar', 'flowzap.tmLanguage.json');
const run = promisify(execFile);
let grammar: tm.IGrammar;

beforeAll(async () => {
  const require = createRequire(import.meta.url);
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await onig.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
  const registry = new tm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources: string[]) => new onig.OnigScanner(sources),
      createOnigString: (s: string) => new onig.OnigString(s),
    }),
    loadGrammar: async (scope) =>
      scope === 'source.flowzap' ? tm.parseRawGrammar(readFileSync(grammarPath, 'utf8'), grammarPath) : null,
  });
  const g = await registry.loadGrammar('source.flowzap');
  if (!g) throw new Error('grammar did not load');
  grammar = g;
});

/** Tokens of a text, line by line, as { text, scopes }. */
function tokenize(text: string): { line: number; text: string; scopes: string[] }[] {
  let stack = tm.INITIAL;
  const out: { line: number; text: string; scopes: string[] }[] = [];
  text.split(/\r\n|\r|\n/).forEach((line, i) => {
    const r = grammar.tokenizeLine(line, stack);
    for (const t of r.tokens) out.push({ line: i, text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes });
    stack = r.ruleStack;
  });
  return out;
}

describe('TextMate grammar', () => {
  it('passes the vscode-tmgrammar-test unit cases', async () => {
    const bin = join(root, 'node_modules', '.bin', 'vscode-tmgrammar-test');
    const { stdout } = await run(bin, ['-g', grammarPath, 'test/grammar/cases/*.fz'], { cwd: root });
    expect(stdout).not.toMatch(/failed/);
    expect(stdout).toMatch(/successfuly|successfully/);
  });

  it('highlights every keyword of the Chevrotain lexer', () => {
    expect(KEYWORDS.length).toBeGreaterThan(0);
    // Each keyword in the place the language uses it, and on its own as a value.
    const contexts: Record<string, string> = {
      loop: 'loop [again] n1 n2',
      handle: 'n1.handle(right) -> n2.handle(left)',
      true: 'n1: circle End:true',
      false: 'n1: circle Flag:false',
      null: 'n1: circle ResultPath:null',
    };
    for (const k of KEYWORDS) {
      for (const line of [contexts[k] ?? `n1: circle X:${k}`, `x { # L`, `  ${k}`]) {
        if (!line.includes(k)) continue;
        const tok = tokenize(line).find((t) => t.text === k);
        expect(tok, `${k} in ${line}`).toBeDefined();
        expect(tok!.scopes.some((s) => /^(keyword|constant\.language)/.test(s)), `${k} in "${line}": ${tok!.scopes.join(' ')}`).toBe(true);
      }
    }
  });

  it('does not take identifiers that contain a keyword for the keyword', () => {
    for (const t of tokenize('loop-lane {\n  handler: circle label:"x"\n}')) {
      if (t.text.includes('loop') || t.text.includes('handle')) {
        expect(t.scopes.some((s) => s.startsWith('keyword')), t.text).toBe(false);
      }
    }
  });

  const examplesDir = join(root, 'examples');
  const examples = existsSync(examplesDir) ? readdirSync(examplesDir).filter((f) => f.endsWith('.fz')) : [];
  const corpus = [...examples.map((f) => join(examplesDir, f)), ...readdirSync(join(import.meta.dirname, 'cases')).map((f) => join(import.meta.dirname, 'cases', f))];
  it.each(corpus)('scopes every word of %s', (file) => {
    const text = readFileSync(file, 'utf8');
    for (const t of tokenize(text)) {
      expect(t.scopes.some((s) => s.startsWith('invalid')) && !file.includes('cases'), `${file}:${t.line + 1} ${t.text}`).toBe(false);
      if (/[A-Za-z0-9]/.test(t.text)) expect(t.scopes.length, `${file}:${t.line + 1} "${t.text}" is unscoped`).toBeGreaterThan(1);
    }
  });
});
