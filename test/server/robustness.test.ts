// Robustness: requests at positions outside the document, on unknown documents and on half-typed
// files answer with empty results; a fast-check stream of random edits never crashes the server.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSession, type Session } from './harness.js';

let s: Session;
beforeAll(async () => {
  s = await startSession();
});
afterAll(async () => {
  await s?.stop();
});

const POSITIONAL = ['textDocument/completion', 'textDocument/hover', 'textDocument/definition', 'textDocument/references', 'textDocument/prepareRename'];
const WHOLE = ['textDocument/documentSymbol', 'textDocument/foldingRange', 'textDocument/semanticTokens/full', 'textDocument/formatting'];

function isEmpty(r: unknown): boolean {
  if (r === null || r === undefined) return true;
  if (Array.isArray(r)) return r.length === 0;
  if (typeof r === 'object' && 'data' in (r as object)) return (r as { data: unknown[] }).data.length === 0;
  if (typeof r === 'object' && 'items' in (r as object)) return (r as { items: unknown[] }).items.length === 0;
  return false;
}

async function all(uri: string, position: unknown): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const m of POSITIONAL) out.push(await s.request(m, { textDocument: { uri }, position, context: { includeDeclaration: true } }));
  out.push(await s.request('textDocument/rename', { textDocument: { uri }, position, newName: 'zz' }).catch((e: Error) => e.message));
  for (const m of WHOLE) out.push(await s.request(m, { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } }));
  out.push(await s.request('textDocument/codeAction', { textDocument: { uri }, range: { start: position, end: position }, context: { diagnostics: [] } }));
  out.push(await s.request('flowlane/renderSvg', { textDocument: { uri } }));
  out.push(await s.request('flowlane/toAsl', { textDocument: { uri } }));
  return out;
}

describe('robustness', () => {
  it('answers requests on unknown documents with empty results', async () => {
    const results = await all('file:///nowhere/unknown.fz', { line: 0, character: 0 });
    for (const r of results) expect(isEmpty(r), JSON.stringify(r)).toBe(true);
    expect(s.alive()).toBe(true);
  });

  it('answers requests at positions outside the document with empty results', async () => {
    const uri = s.open('o.fz', 'a {\n  n1: circle label:"x"\n}\n');
    for (const position of [{ line: 99, character: 0 }, { line: 1, character: 999 }, { line: -1, character: -5 }, { line: 1.5, character: 2 }, { line: 'x', character: null }, null]) {
      const positional: unknown[] = [];
      for (const m of POSITIONAL) positional.push(await s.request(m, { textDocument: { uri }, position, context: { includeDeclaration: true } }).catch(() => null));
      for (const r of positional) expect(isEmpty(r), `${JSON.stringify(position)}: ${JSON.stringify(r)}`).toBe(true);
    }
    expect(s.alive()).toBe(true);
  });

  it('answers malformed params without dying', async () => {
    for (const m of [...POSITIONAL, ...WHOLE, 'textDocument/codeAction', 'flowlane/renderSvg', 'flowlane/fromAsl', 'workspace/executeCommand']) {
      await s.request(m, {}).catch(() => undefined);
      await s.request(m, null).catch(() => undefined);
    }
    expect(await s.request('flowlane/fromAsl', { text: '{not json' })).toMatchObject({ error: expect.stringMatching(/JSON/) });
    expect(s.alive()).toBe(true);
  });

  it('serves half-typed files', async () => {
    for (const text of ['a {', 'a {\n  n1:', 'a {\n  n1: circle label:"', '  -> ', 'loop [', '{{{{', 'n1.handle(', 'a { # x\n  n1: rectangle Type:"Task" Retry:[{"ErrorEquals":', '\u0000\u0000']) {
      const uri = s.open('half.fz', text);
      await s.diagnostics(uri);
      const lines = text.split('\n');
      await all(uri, { line: lines.length - 1, character: lines[lines.length - 1]!.length });
    }
    expect(s.alive()).toBe(true);
    expect(s.stderr()).not.toMatch(/uncaught|unhandled/);
  });

  it('survives a random stream of edits (fast-check)', async () => {
    const base = 'sales { # Sales\n  n1: circle label:"Start"\n  n2: rectangle label:"Go" Type:"Task" Resource:"arn:aws:states:::lambda:invoke"\n  n1.handle(right) -> n2.handle(left)\n}\n';
    const uri = s.open('fuzz.fz', base);
    let text = base;
    let version = 1;
    const pieces = fc.constantFrom('{', '}', '[', ']', '"', ':', '=', '->', '.handle(', ')', '\n', ' ', 'n1', 'n9', 'loop', 'Type:"Choice"', '//', '#', '\\', 'x.', 'é', '😀');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(), fc.nat(8), fc.oneof(pieces, fc.string({ maxLength: 6 }))), { minLength: 1, maxLength: 8 }), async (edits) => {
        for (const [at, del, ins] of edits) {
          const start = at % (text.length + 1);
          const end = Math.min(text.length, start + del);
          const lines = (t: string) => t.split('\n');
          const pos = (o: number) => {
            const before = lines(text.slice(0, o));
            return { line: before.length - 1, character: before[before.length - 1]!.length };
          };
          const range = { start: pos(start), end: pos(end) };
          text = text.slice(0, start) + ins + text.slice(end);
          s.change(uri, ++version, [{ range, text: ins }]);
        }
        const ls = text.split('\n');
        const line = ls.length - 1;
        await s.request('textDocument/completion', { textDocument: { uri }, position: { line, character: ls[line]!.length } });
        await s.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 1 } });
        await s.request('textDocument/semanticTokens/full', { textDocument: { uri } });
        await s.diagnostics(uri, version);
        return s.alive();
      }),
      { numRuns: 60 },
    );
    // The server's copy of the text follows the edits exactly: a full-document sync agrees with it.
    const symbols = await s.request<unknown[]>('textDocument/documentSymbol', { textDocument: { uri } });
    expect(Array.isArray(symbols)).toBe(true);
    expect(s.alive()).toBe(true);
    // No handler failed on the way (a failure is answered with an empty result and logged).
    expect(s.logs.filter((l) => /failed|uncaught|unhandled/.test(l))).toEqual([]);
  });
});

describe('incremental sync', () => {
  it('applies several changes of one notification in order, and a full-text change', async () => {
    const uri = s.open('sync.fz', 'a {\n  n1: circle label:"x"\n}\n');
    await s.diagnostics(uri, 1);
    // Two edits in one notification: the second's range is in the text after the first.
    s.change(uri, 2, [
      { range: { start: { line: 1, character: 6 }, end: { line: 1, character: 12 } }, text: 'circel' },
      { range: { start: { line: 1, character: 2 }, end: { line: 1, character: 4 } }, text: 'n5' },
    ]);
    const d = await s.diagnostics(uri, 2);
    expect(d.map((x) => x.code).sort()).toEqual(['non-sequential-id', 'unknown-shape']);
    s.change(uri, 3, [{ text: 'a {\n  n1: circle label:"x"\n}\n' }]);
    expect(await s.diagnostics(uri, 3)).toEqual([]);
  });
});

describe('process lifetime', () => {
  it('exits when the client closes its end of the pipe without saying exit', async () => {
    const { spawn } = await import('node:child_process');
    const { join } = await import('node:path');
    const { root } = await import('./harness.js');
    const p = spawn(process.execPath, [join(root, 'bin', 'flowlane.js'), 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
    await new Promise((r) => setTimeout(r, 300));
    p.stdin!.end();
    const code = await new Promise<number | null>((resolve) => {
      const t = setTimeout(() => {
        p.kill();
        resolve(-1);
      }, 10_000);
      p.on('exit', (c) => {
        clearTimeout(t);
        resolve(c);
      });
    });
    expect(code).not.toBe(-1);
  });
});

describe('debounce', () => {
  let slow: Session;
  beforeAll(async () => {
    // A long debounce delay: a document that analyses faster than it must not wait for it.
    slow = await startSession({ initializationOptions: { diagnosticDelay: 3000 } });
  });
  afterAll(async () => {
    await slow.stop();
  });

  it('answers each change of a burst at once when the document analyses faster than the delay', async () => {
    const opened = performance.now();
    const uri = slow.open('burst.fz', 'a {\n  n1: circle label:"x"\n}\n');
    await slow.diagnostics(uri, 1);
    // Opening fires two notifications inside the server (open and change): not a burst to wait for.
    expect(performance.now() - opened).toBeLessThan(2500);
    const started = performance.now();
    for (let v = 2; v <= 6; v++) {
      // Changes 2 to 6 follow each other closely, as key repeat does: a burst.
      slow.change(uri, v, [{ range: { start: { line: 1, character: 20 }, end: { line: 1, character: 20 } }, text: 'y' }]);
      await slow.diagnostics(uri, v);
    }
    expect(performance.now() - started).toBeLessThan(2500);
    // And the last version's diagnostics are those of its text.
    slow.change(uri, 7, [{ range: { start: { line: 1, character: 6 }, end: { line: 1, character: 12 } }, text: 'circel' }]);
    expect((await slow.diagnostics(uri, 7)).map((d) => d.code)).toEqual(['unknown-shape']);
  });
});
