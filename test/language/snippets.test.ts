// The snippets of the VS Code extension (grammar/snippets.json) and those the server offers
// (src/language/snippets.ts) are the same set, and every body is a well-formed LSP snippet.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { statementSnippets } from '../../src/language/snippets.js';

const file = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'grammar', 'snippets.json'), 'utf8')) as Record<string, { prefix: string; body: string[] }>;

function balanced(body: string): boolean {
  let depth = 0;
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '\\') i++;
    else if (body[i] === '$' && body[i + 1] === '{') {
      depth++;
      i++;
    } else if (body[i] === '}' && depth > 0) depth--;
  }
  return depth === 0;
}

describe('snippets', () => {
  let n = 0;
  const server = statementSnippets(() => `n${++n}`);
  it('has the same prefixes in the extension and the server', () => {
    expect(server.map((s) => s.prefix).sort()).toEqual(Object.values(file).map((s) => s.prefix).sort());
  });
  it('covers lane, node, edge, loop, Choice, Parallel and Map', () => {
    for (const p of ['lane', 'node', 'edge', 'loop', 'choice', 'parallel', 'map']) expect(server.map((s) => s.prefix)).toContain(p);
  });
  it('writes well-formed snippet bodies', () => {
    for (const s of server) expect(balanced(s.body), s.prefix).toBe(true);
    for (const s of Object.values(file)) expect(balanced(s.body.join('\n')), s.prefix).toBe(true);
  });
});
