// The language server under a client that breaks the protocol: a header it cannot follow ends it
// with a line on stderr and exit code 1 (before, it stayed alive and answered nothing); a closed
// stdin ends it; `params: null` on any request is InvalidParams (before: an internal error or a
// silent null). A raw byte stream to the real server process, no client library in between.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { repoRoot } from '../helpers/paths.js';

const bin = join(repoRoot, 'bin', 'flowlane.js');

function frame(message: object): string {
  const body = JSON.stringify(message);
  return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

const INIT = frame({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });

/** Starts the server, writes `input` (ending stdin when `end`), and resolves when it exits or after `ms`. */
function session(input: string[], end: boolean, ms = 10_000) {
  const child = spawn(process.execPath, [bin, 'lsp', '--stdio']);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  for (const part of input) child.stdin.write(part);
  if (end) child.stdin.end();
  return {
    child,
    output: () => stdout,
    ended: new Promise<{ code: number | null; stderr: string; stdout: string } | 'still running'>((resolve) => {
      const timer = setTimeout(() => resolve('still running'), ms);
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, stderr, stdout });
      });
    }),
  };
}

/** The JSON-RPC messages in a stdout capture. */
function messages(out: string): { id?: number; result?: unknown; error?: { code: number; message: string } }[] {
  const found = [];
  let rest = out;
  for (let m = /Content-Length: (\d+)\r\n\r\n/.exec(rest); m; m = /Content-Length: (\d+)\r\n\r\n/.exec(rest)) {
    const start = m.index + m[0].length;
    const body = Buffer.from(rest.slice(start)).subarray(0, Number(m[1])).toString();
    found.push(JSON.parse(body));
    rest = rest.slice(start + body.length);
  }
  return found;
}

describe('a header the server cannot follow', () => {
  test.each([
    ['a Content-Length that is not a number', 'Content-Length: abc\r\n\r\n{}', /without a valid Content-Length/],
    ['no Content-Length at all', 'Content-Type: x\r\n\r\n{}', /without a valid Content-Length/],
    ['a huge Content-Length', 'Content-Length: 99999999999\r\n\r\n{}', /announcing 99999999999 bytes/],
    ['garbage after a good message', `${INIT}GET / HTTP/1.1\r\n\r\n`, /without a valid Content-Length/],
  ])('%s: one line on stderr, exit 1', async (_what, bytes, reason) => {
    const s = session([bytes], false);
    const r = await s.ended;
    s.child.kill('SIGKILL');
    expect(r).not.toBe('still running');
    if (r === 'still running') return;
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(reason);
    expect(r.stderr).toMatch(/^flowlane lsp: the client sent /);
  });
});

test('closing stdin ends the server', async () => {
  const s = session([INIT], true);
  const r = await s.ended;
  expect(r).not.toBe('still running');
  if (r !== 'still running') expect(messages(r.stdout)[0]?.id).toBe(1);
});

test('params: null on a request is InvalidParams, for standard and custom requests alike; the server goes on', async () => {
  const s = session(
    [
      INIT,
      frame({ jsonrpc: '2.0', method: 'initialized', params: {} }),
      frame({ jsonrpc: '2.0', id: 2, method: 'textDocument/hover', params: null }),
      frame({ jsonrpc: '2.0', id: 3, method: 'flowlane/renderSvg', params: null }),
      frame({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: null }),
      frame({ jsonrpc: '2.0', id: 4, method: 'shutdown' }),
    ],
    false,
  );
  // The answer to the last request shows the server is still serving.
  for (let i = 0; i < 200 && !s.output().includes('"id":4'); i++) await new Promise((r) => setTimeout(r, 50));
  s.child.kill('SIGKILL');
  const byId = new Map(messages(s.output()).map((m) => [m.id, m]));
  expect(byId.get(2)?.error?.code).toBe(-32602);
  expect(byId.get(3)?.error?.code).toBe(-32602);
  expect(byId.get(3)?.error?.message).toMatch(/flowlane\/renderSvg: params must be an object or an array/);
  expect(byId.has(4)).toBe(true);
  expect(byId.get(4)?.error).toBeUndefined();
});
