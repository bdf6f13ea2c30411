// The language server's memory stays flat: a closed document releases everything kept for it, and
// thousands of edits to one document do not accumulate. Measured as the server process's resident
// set (from /proc), after a full garbage collection that the test asks the server for.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { root, startSession, type Session } from './harness.js';

const DOC = (i: number): string => `a { # Lane ${i}\n  n1: circle label:"Start"\n  n2: rectangle label:"Step ${i}" Type:"Pass"\n  n3: circle label:"End"\n  n1.handle(right) -> n2.handle(left)\n  n2.handle(right) -> n3.handle(left)\n}\n`;

let s: Session;
beforeAll(async () => {
  // --expose-gc only so that the measurement is not at the mercy of when V8 chooses to collect.
  s = await startSession({ args: ['--expose-gc', join(root, 'bin', 'flowlane.js'), 'lsp', '--stdio'] });
});
afterAll(async () => {
  await s?.stop();
});

/** The server's resident set in MiB after a full collection. */
async function rss(): Promise<number> {
  await s.request('flowlane/collectGarbage', {});
  const status = readFileSync(`/proc/${s.proc.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

describe('memory', () => {
  test('opening and closing 2,000 documents keeps RSS within 1.5x of the steady state after 200', async () => {
    const cycle = async (from: number, to: number): Promise<void> => {
      for (let i = from; i < to; i++) {
        const uri = s.open(`m${i}.fz`, DOC(i));
        await s.diagnostics(uri);
        await s.request('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 5 } });
        s.close(uri);
      }
    };
    await cycle(0, 200);
    const steady = await rss();
    await cycle(200, 2000);
    const after = await rss();
    console.log(`open/close: ${steady.toFixed(0)} MiB after 200 documents, ${after.toFixed(0)} MiB after 2,000`);
    expect(after).toBeLessThan(steady * 1.5);
  }, 300_000);

  test('10,000 edits to one document keep RSS within 1.5x of the steady state after 1,000', async () => {
    const uri = s.open('edits.fz', DOC(0));
    await s.diagnostics(uri);
    let version = 1;
    const edit = async (count: number): Promise<void> => {
      for (let i = 0; i < count; i++) {
        version++;
        // Retype the label of n2: an edit inside one line, as typing does.
        s.change(uri, version, [{ range: { start: { line: 2, character: 28 }, end: { line: 2, character: 28 + String(version - 1).length } }, text: String(version) }]);
        if (i % 50 === 49) await s.diagnostics(uri, version);
      }
      await s.diagnostics(uri, version);
    };
    await edit(1000);
    const steady = await rss();
    await edit(9000);
    const after = await rss();
    console.log(`edits: ${steady.toFixed(0)} MiB after 1,000 edits, ${after.toFixed(0)} MiB after 10,000`);
    expect(after).toBeLessThan(steady * 1.5);
    const labels = await s.request<{ contents: unknown } | null>('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 3 } });
    expect(JSON.stringify(labels)).toContain(`Step ${version}`);
  }, 300_000);
});
