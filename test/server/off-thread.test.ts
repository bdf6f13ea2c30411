// flowlane/toAsl runs in a worker: while a deeply nested machine is converted and validated (the
// slowest validation there is, bounded but seconds long), hover is answered first.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startSession, type Session } from './harness.js';

let s: Session;
beforeAll(async () => {
  s = await startSession();
});
afterAll(async () => {
  await s?.stop();
});

/** A diagram of `depth` nested Parallel states. */
function nested(depth: number): string {
  let n = 0;
  const lines = ['machine { # State machine'];
  const open = (level: number, indent: string): void => {
    const start = `n${++n}`;
    lines.push(`${indent}${start}: circle label:"Start"`);
    const inner = `n${++n}`;
    if (level === 0) {
      lines.push(`${indent}${inner}: rectangle label:"Leaf" Type:"Pass" End:true`, `${indent}${start}.handle(right) -> ${inner}.handle(left)`);
      return;
    }
    lines.push(`${indent}${inner}: rectangle label:"P${level}" Type:"Parallel" End:true {`, `${indent}  b${level} { # Branch 1`);
    open(level - 1, `${indent}    `);
    lines.push(`${indent}  }`, `${indent}}`, `${indent}${start}.handle(right) -> ${inner}.handle(left)`);
  };
  open(depth, '  ');
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

test('hover is answered while a slow conversion runs, and the conversion still arrives', async () => {
  const uri = s.open('deep.fz', nested(45));
  await s.diagnostics(uri);
  const order: string[] = [];
  const conversion = s.request<{ text?: string; diagnostics: unknown[] }>('flowlane/toAsl', { textDocument: { uri } }).then((r) => {
    order.push('toAsl');
    return r;
  });
  // Give the request a head start, then ask for a hover.
  await new Promise((r) => setTimeout(r, 50));
  await s.request('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 3 } });
  order.push('hover');
  const r = await conversion;
  expect(order).toEqual(['hover', 'toAsl']);
  expect(JSON.parse(r.text!).StartAt).toBe('P45');
});
