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

interface Memory {
  /** Live objects after a full collection (V8 heap plus memory held outside it), in MiB: what a leak grows. */
  retained: number;
  /** The process's resident set in MiB: it also holds pages the allocator keeps for reuse, so it rises to a plateau. */
  rss: number;
}

async function memory(): Promise<Memory> {
  const m = await s.request<{ heapUsed: number; external: number }>('flowlane/collectGarbage', {});
  const status = readFileSync(`/proc/${s.proc.pid}/status`, 'utf8');
  return { retained: (m.heapUsed + m.external) / 2 ** 20, rss: Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024 };
}

const show = (m: Memory): string => `${m.retained.toFixed(1)} MiB live, ${m.rss.toFixed(0)} MiB RSS`;

describe('memory', () => {
  // A leak grows the live heap with every document; the resident set alone cannot tell one, since glibc
  // keeps freed compiler zones (about +35 MiB over the first thousands of documents while the live heap
  // stays at 11 MiB). So: the live heap stays flat, and the resident set levels off.
  test('opening and closing 2,000 documents keeps the live heap flat and the RSS level', async () => {
    const cycle = async (from: number, to: number): Promise<void> => {
      for (let i = from; i < to; i++) {
        const uri = s.open(`m${i}.fz`, DOC(i));
        await s.diagnostics(uri);
        await s.request('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 5 } });
        s.close(uri);
      }
    };
    await cycle(0, 200);
    const steady = await memory();
    await cycle(200, 1000);
    const middle = await memory();
    await cycle(1000, 2000);
    const after = await memory();
    console.log(`open/close: ${show(steady)} after 200 documents, ${show(middle)} after 1,000, ${show(after)} after 2,000`);
    // 2 MiB over 1,800 documents: anything over about 1 KiB kept per closed document fails (measured: +0.3).
    expect(after.retained - steady.retained).toBeLessThan(2);
    expect(after.rss).toBeLessThan(middle.rss * 1.25);
  }, 300_000);

  test('10,000 edits to one document keep the live heap flat and the RSS level', async () => {
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
    const steady = await memory();
    await edit(4000);
    const middle = await memory();
    await edit(5000);
    const after = await memory();
    console.log(`edits: ${show(steady)} after 1,000 edits, ${show(middle)} after 5,000, ${show(after)} after 10,000`);
    // 2 MiB over 9,000 edits: over about 230 bytes kept per edit fails (measured: +0.2).
    expect(after.retained - steady.retained).toBeLessThan(2);
    expect(after.rss).toBeLessThan(middle.rss * 1.25);
    // And the issue's own bar: within 1.5x of the first steady state (measured: 93 -> 95 MiB).
    expect(after.rss).toBeLessThan(steady.rss * 1.5);
    const labels = await s.request<{ contents: unknown } | null>('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 3 } });
    expect(JSON.stringify(labels)).toContain(`Step ${version}`);
  }, 300_000);
});
