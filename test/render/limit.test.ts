// A diagram too large to draw is refused with a located `layout-limit` error everywhere it can be
// drawn: the library, the CLI (nothing written, exit 1) and the language server's preview request
// (an error to show, not null). Before, ELK overflowed the stack and the library reported a
// `syntax-error` at 0:0 while the preview got nothing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { render } from '../../src/api/index.js';
import { MAX_LAYOUT_EDGES, MAX_LAYOUT_NODES } from '../../src/layout/index.js';
import { renderDiagram } from '../../src/render/index.js';
import { parseDiagram } from '../../src/model/index.js';
import { repoRoot } from '../helpers/paths.js';
import { startSession, type Session } from '../server/harness.js';

/** `nodes` unconnected nodes, one a line after the lane header. */
function many(nodes: number): string {
  const lines = ['a { # A'];
  for (let i = 1; i <= nodes; i++) lines.push(`  n${i}: rectangle label:"S${i}"`);
  return `${lines.join('\n')}\n}\n`;
}

function manyEdges(edges: number): string {
  const lines = ['a { # A', '  n1: rectangle label:"A"', '  n2: rectangle label:"B"'];
  for (let i = 0; i < edges; i++) lines.push('  n1.handle(right) -> n2.handle(left)');
  return `${lines.join('\n')}\n}\n`;
}

describe('the library', () => {
  test('one node past the limit: layout-limit on that node, no value', async () => {
    const r = await render(many(MAX_LAYOUT_NODES + 1));
    expect(r.ok).toBe(false);
    const d = r.diagnostics.find((x) => x.code === 'layout-limit');
    expect(d?.severity).toBe('error');
    // Line 1 is the lane header, so node k is on line k (0-based).
    expect(d?.range.start.line).toBe(MAX_LAYOUT_NODES + 1);
    expect(d?.message).toMatch(/draws at most 4000/);
  });

  test('one edge past the limit: layout-limit on that edge', async () => {
    const r = await render(manyEdges(MAX_LAYOUT_EDGES + 1));
    expect(r.ok).toBe(false);
    expect(r.diagnostics.find((x) => x.code === 'layout-limit')?.range.start.line).toBe(MAX_LAYOUT_EDGES + 3);
  });

  test('the render stage says so too, instead of throwing', async () => {
    const r = await renderDiagram(parseDiagram(many(MAX_LAYOUT_NODES + 1)).value);
    expect(r.value).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toEqual(['layout-limit']);
  });
});

test('the CLI refuses, writes nothing, exits 1, and names the place', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowlane-limit-'));
  writeFileSync(join(dir, 'big.fz'), many(MAX_LAYOUT_NODES + 1));
  const r = spawnSync(process.execPath, [join(repoRoot, 'bin', 'flowlane.js'), 'render', 'big.fz', '-o', 'big.svg'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/^big\.fz:4002:3: error: The diagram has 4001 nodes; flowlane draws at most 4000.*\[layout-limit\]$/m);
  expect(readdirSync(dir)).toEqual(['big.fz']);
});

describe('the language server preview', () => {
  let s: Session;
  beforeAll(async () => {
    s = await startSession();
  });
  afterAll(async () => {
    await s?.stop();
  });

  test('flowlane/renderSvg answers with the limit as its error', async () => {
    const uri = s.open('big.fz', many(MAX_LAYOUT_NODES + 1));
    const r = await s.request<{ svg?: string; error?: string } | null>('flowlane/renderSvg', { textDocument: { uri } });
    expect(r).not.toBeNull();
    expect(r?.svg).toBeUndefined();
    expect(r?.error).toMatch(/draws at most 4000/);
  });
});
