// The embedded font subset is a valid TrueType font holding the glyphs used (same advances), and
// PNG output is a real PNG whose size follows --scale.
import { expect, test } from 'vitest';
import { defaultFonts } from '../../src/layout/index.js';
import { parseFont, textWidth } from '../../src/layout/fonts.js';
import { subsetFont } from '../../src/render/font-subset.js';
import { renderDiagram, renderPng } from '../../src/render/index.js';
import { parseDiagram } from '../../src/model/index.js';

test('font subset keeps the used glyphs and metrics, and is much smaller', () => {
  const { regular } = defaultFonts();
  const sub = subsetFont(regular, 'Order Received?');
  expect(sub.length).toBeLessThan(regular.bytes.length * 0.75);
  const again = parseFont(sub, 400);
  expect(again.family).toBe('Inter');
  expect(textWidth(again, 'Order Received?', 13)).toBeCloseTo(textWidth(regular, 'Order Received?', 13), 6);
  expect(again.glyphOf('O'.codePointAt(0)!)).toBe(regular.glyphOf('O'.codePointAt(0)!));
});

test('PNG: signature and scale', async () => {
  const d = parseDiagram('a { # A\nn1: rectangle label:"Hello"\n}').value;
  const svg = (await renderDiagram(d)).value as string;
  expect(svg).toMatch(/font-family:'Inter-[0-9a-z]{7}','Inter',sans-serif/);
  expect(svg).toContain('@font-face');
  const one = renderPng(svg, { scale: 1 });
  const two = renderPng(svg, { scale: 2 });
  expect([...one.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const width = (png: Uint8Array): number => new DataView(png.buffer, png.byteOffset).getUint32(16);
  expect(width(two)).toBe(2 * width(one));
  const viaDiagram = (await renderDiagram(d, { format: 'png', scale: 2, theme: 'dark' })).value;
  expect(viaDiagram).toBeInstanceOf(Uint8Array);
});

test('PNG defaults to scale 2, in the API and on the command line; a cut label is a warning there', async () => {
  const { spawnSync } = await import('node:child_process');
  const { mkdtempSync, readFileSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { repoRoot } = await import('../helpers/paths.js');
  const { render } = await import('../../src/api/index.js');
  const width = (png: Uint8Array): number => new DataView(png.buffer, png.byteOffset).getUint32(16);
  const text = `a { # A\nn1: rectangle label:"Hello"\nn2: rectangle label:"${'w'.repeat(5000)}"\n}\n`;
  const svgWidth = Number(/width="([\d.]+)"/.exec((await render(text)).value!)![1]);
  expect(width((await render(text, { format: 'png' })).value!)).toBe(Math.round(2 * svgWidth));
  expect(width((await render(text, { format: 'png', scale: 1 })).value!)).toBe(Math.round(svgWidth));
  const dir = mkdtempSync(join(tmpdir(), 'flowlane-png-'));
  writeFileSync(join(dir, 'x.fz'), text);
  const r = spawnSync(process.execPath, [join(repoRoot, 'bin', 'flowlane.js'), 'render', join(dir, 'x.fz'), '--format', 'png', '-o', join(dir, 'x.png')], { encoding: 'utf8', timeout: 30_000 });
  expect(r.status).toBe(0);
  expect(r.stderr).toMatch(/x\.fz:3:1: warning: the label of node 'n2' is too long to draw \(5000 characters\).*\[label-truncated\]/);
  expect(width(new Uint8Array(readFileSync(join(dir, 'x.png'))))).toBe(Math.round(2 * svgWidth));
});

test('resvg draws weight 600 with Inter SemiBold, not Regular', () => {
  const svg = (weight: number): string =>
    `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="30"><text x="4" y="20" font-family="Inter" font-size="13" font-weight="${weight}">Bold Lane Label</text></svg>`;
  const ink = (png: Uint8Array): number => png.length;
  const regular = renderPng(svg(400), { scale: 1 });
  const semibold = renderPng(svg(600), { scale: 1 });
  expect(Buffer.from(semibold).equals(Buffer.from(regular))).toBe(false);
  expect(ink(semibold)).not.toBe(ink(regular));
});
