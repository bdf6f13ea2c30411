// Golden SVG per example (reviewed like code; `npx vitest -u` accepts changes), plus determinism.
// The goldens leave the font out (embedFont: false) so that a diff shows drawing changes, not base64; the embedded subset has its own tests.
import { describe, expect, test } from 'vitest';
import { layout } from '../../src/layout/index.js';
import { renderSvg } from '../../src/render/index.js';
import { examples } from './helpers.js';

describe('golden SVG', () => {
  for (const { name, diagram } of examples()) {
    test(name, async () => {
      const svg = renderSvg(await layout(diagram), { id: `fz-${name}`, embedFont: false });
      await expect(svg).toMatchFileSnapshot(`../golden/svg/${name}.svg`);
    });
  }
  test('orchestration, direction down, dark theme', async () => {
    const ex = examples().find((e) => e.name === 'orchestration');
    if (!ex) return;
    const svg = renderSvg(await layout(ex.diagram, { direction: 'down' }), { id: 'fz-orchestration-down', theme: 'dark', embedFont: false });
    await expect(svg).toMatchFileSnapshot('../golden/svg/orchestration.down.dark.svg');
  });
});

test('same input, same bytes', async () => {
  for (const { diagram } of examples().slice(0, 4)) {
    const a = renderSvg(await layout(diagram), { id: 'x' });
    const b = renderSvg(await layout(structuredClone(diagram)), { id: 'x' });
    expect(a).toBe(b);
  }
});

test('ids derive from the diagram id', async () => {
  const ex = examples()[0]!;
  const laid = await layout(ex.diagram);
  const a = renderSvg(laid, { id: 'one' });
  const b = renderSvg(laid, { id: 'two' });
  const ids = (s: string): string[] => [...s.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]!);
  expect(ids(a).length).toBeGreaterThan(3);
  expect(ids(a).every((i) => i.startsWith('one'))).toBe(true);
  expect(ids(b).every((i) => i.startsWith('two'))).toBe(true);
  expect(new Set(ids(a)).size).toBe(ids(a).length);
});
