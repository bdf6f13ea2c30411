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
  expect(svg).toContain("font-family:'Inter'");
  expect(svg).toContain('@font-face');
  const one = renderPng(svg, { scale: 1 });
  const two = renderPng(svg, { scale: 2 });
  expect([...one.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const width = (png: Uint8Array): number => new DataView(png.buffer, png.byteOffset).getUint32(16);
  expect(width(two)).toBe(2 * width(one));
  const viaDiagram = (await renderDiagram(d, { format: 'png', scale: 2, theme: 'dark' })).value;
  expect(viaDiagram).toBeInstanceOf(Uint8Array);
});
