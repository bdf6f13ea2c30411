// A TrueType subset for embedding: the glyph outlines of the characters a diagram uses, nothing else.
// Input: a Font (src/layout/fonts.ts) and the text drawn with it. Output: a smaller, valid TTF.
// Glyph ids are kept (unused glyphs become empty outlines), so cmap and hmtx stay valid as they are;
// only glyf and loca are rebuilt and the glyph-name table is reduced to `post` format 3. This keeps
// the code short and the result one every browser's font sanitiser accepts.
import { tableDirectory } from '../layout/fonts.js';
import type { Font } from '../layout/fonts.js';

const DROP = new Set(['DSIG', 'hdmx', 'LTSH', 'VDMX', 'kern', 'GPOS', 'GSUB', 'GDEF']);
/** Tables a compact subset leaves out too: vertical metrics and layout tables that name glyph ids. */
const DROP_COMPACT = new Set([...DROP, 'BASE', 'JSTF', 'MATH', 'STAT', 'vhea', 'vmtx', 'VORG', 'morx', 'feat', 'fvar', 'gvar', 'avar', 'HVAR', 'MVAR', 'cvar']);

/**
 * The glyph ids a text needs in a font, with the components of composite glyphs, and .notdef.
 * Returns the set and a reader of each glyph's byte range in glyf.
 */
function glyphClosure(font: Font, text: string): { keep: Set<number>; numGlyphs: number; glyphRange: (g: number) => [number, number] } {
  const bytes = font.bytes;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tables = tableDirectory(bytes);
  const head = tables.get('head')!;
  const maxp = tables.get('maxp')!;
  const loca = tables.get('loca')!;
  const glyf = tables.get('glyf')!;
  const longLoca = dv.getInt16(head.offset + 50) === 1;
  const numGlyphs = dv.getUint16(maxp.offset + 4);
  const glyphRange = (g: number): [number, number] => {
    if (longLoca) return [dv.getUint32(loca.offset + g * 4), dv.getUint32(loca.offset + g * 4 + 4)];
    return [dv.getUint16(loca.offset + g * 2) * 2, dv.getUint16(loca.offset + g * 2 + 2) * 2];
  };
  const keep = new Set<number>([0]);
  for (const ch of text) keep.add(font.glyphOf(ch.codePointAt(0)!));
  const queue = [...keep];
  while (queue.length > 0) {
    const g = queue.pop()!;
    if (g >= numGlyphs) continue;
    forEachComponent(dv, glyf.offset, glyphRange(g), (component) => {
      if (!keep.has(component)) {
        keep.add(component);
        queue.push(component);
      }
    });
  }
  return { keep, numGlyphs, glyphRange };
}

/** Calls `visit` with the glyph id (and its byte offset) of each component of a composite glyph. */
function forEachComponent(dv: DataView, glyfOffset: number, [start, end]: [number, number], visit: (component: number, at: number) => void): void {
  if (end - start < 10) return;
  const at = glyfOffset + start;
  if (dv.getInt16(at) >= 0) return;
  let p = at + 10;
  for (;;) {
    const flags = dv.getUint16(p);
    visit(dv.getUint16(p + 2), p + 2 - glyfOffset - start);
    p += 4 + (flags & 0x0001 ? 4 : 2);
    if (flags & 0x0008) p += 2;
    else if (flags & 0x0040) p += 4;
    else if (flags & 0x0080) p += 8;
    if (!(flags & 0x0020)) break;
  }
}

/**
 * A compact subset: only the glyphs a text needs, renumbered (in code point order), with its own
 * cmap, hmtx, loca and glyf. For large fonts (CJK has 30,000 glyphs), where the id-keeping subset
 * would still carry a quarter of a megabyte of loca, hmtx and cmap for every diagram.
 */
export function compactSubset(font: Font, text: string): Uint8Array {
  const bytes = font.bytes;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tables = tableDirectory(bytes);
  const glyf = tables.get('glyf')!;
  const hhea = tables.get('hhea')!;
  const hmtx = tables.get('hmtx')!;
  const { keep, numGlyphs, glyphRange } = glyphClosure(font, text);
  // New ids: .notdef, then the glyphs of the text's code points in code point order, then components.
  const cps = [...new Set(Array.from(text, (c) => c.codePointAt(0)!))].filter((cp) => font.glyphOf(cp) !== 0).sort((a, b) => a - b);
  const order: number[] = [0];
  const newId = new Map<number, number>([[0, 0]]);
  for (const cp of cps) {
    const g = font.glyphOf(cp);
    if (!newId.has(g)) newId.set(g, order.push(g) - 1);
  }
  for (const g of [...keep].sort((a, b) => a - b)) if (!newId.has(g) && g < numGlyphs) newId.set(g, order.push(g) - 1);
  const oldMetrics = dv.getUint16(hhea.offset + 34);
  const metric = (g: number): [number, number] => {
    if (g < oldMetrics) return [dv.getUint16(hmtx.offset + g * 4), dv.getInt16(hmtx.offset + g * 4 + 2)];
    return [dv.getUint16(hmtx.offset + (oldMetrics - 1) * 4), dv.getInt16(hmtx.offset + oldMetrics * 4 + (g - oldMetrics) * 2)];
  };

  const parts: Uint8Array[] = [];
  const newLoca = new Uint8Array((order.length + 1) * 4);
  const locaView = new DataView(newLoca.buffer);
  const newHmtx = new Uint8Array(order.length * 4);
  const hmtxView = new DataView(newHmtx.buffer);
  let offset = 0;
  order.forEach((g, i) => {
    locaView.setUint32(i * 4, offset);
    const [adv, lsb] = metric(g);
    hmtxView.setUint16(i * 4, adv);
    hmtxView.setInt16(i * 4 + 2, lsb);
    const range = glyphRange(g);
    const padded = new Uint8Array(range[1] - range[0] + ((4 - ((range[1] - range[0]) % 4)) % 4));
    padded.set(bytes.subarray(glyf.offset + range[0], glyf.offset + range[1]));
    const view = new DataView(padded.buffer);
    forEachComponent(dv, glyf.offset, range, (component, at) => view.setUint16(at, newId.get(component) ?? 0));
    parts.push(padded);
    offset += padded.length;
  });
  locaView.setUint32(order.length * 4, offset);

  const out: { tag: string; data: Uint8Array }[] = [];
  for (const [tag, e] of tables) {
    if (DROP_COMPACT.has(tag)) continue;
    let data: Uint8Array = bytes.slice(e.offset, e.offset + e.length);
    if (tag === 'glyf') data = concat(parts);
    else if (tag === 'loca') data = newLoca;
    else if (tag === 'hmtx') data = newHmtx;
    else if (tag === 'cmap') data = cmapFor(cps.map((cp) => [cp, newId.get(font.glyphOf(cp))!]));
    else if (tag === 'head') new DataView(data.buffer).setInt16(50, 1);
    else if (tag === 'hhea') new DataView(data.buffer).setUint16(34, order.length);
    else if (tag === 'maxp') new DataView(data.buffer).setUint16(4, order.length);
    else if (tag === 'post') {
      data = data.slice(0, 32);
      new DataView(data.buffer).setUint32(0, 0x00030000);
    }
    out.push({ tag, data });
  }
  return buildSfnt(dv.getUint32(0), out);
}

/** A cmap with a format 4 subtable (BMP) and a format 12 one (all), from sorted (code point, glyph) pairs. */
function cmapFor(pairs: [number, number][]): Uint8Array {
  // Runs of consecutive code points with consecutive glyph ids.
  const runs: { start: number; end: number; glyph: number }[] = [];
  for (const [cp, g] of pairs) {
    const last = runs[runs.length - 1];
    if (last && cp === last.end + 1 && g === last.glyph + (cp - last.start)) last.end = cp;
    else runs.push({ start: cp, end: cp, glyph: g });
  }
  const bmp = runs.filter((r) => r.end < 0xffff);
  const seg = bmp.length + 1;
  const f4Length = 16 + seg * 8;
  const f12Length = 16 + runs.length * 12;
  const out = new Uint8Array(4 + 2 * 8 + f4Length + f12Length);
  const v = new DataView(out.buffer);
  v.setUint16(2, 2);
  v.setUint16(4, 3);
  v.setUint16(6, 1);
  v.setUint32(8, 20);
  v.setUint16(12, 3);
  v.setUint16(14, 10);
  v.setUint32(16, 20 + f4Length);
  let p = 20;
  v.setUint16(p, 4);
  v.setUint16(p + 2, f4Length);
  v.setUint16(p + 6, seg * 2);
  let es = 0;
  while (1 << (es + 1) <= seg) es++;
  v.setUint16(p + 8, (1 << es) * 2);
  v.setUint16(p + 10, es);
  v.setUint16(p + 12, seg * 2 - (1 << es) * 2);
  const ends = p + 14;
  const starts = ends + seg * 2 + 2;
  const deltas = starts + seg * 2;
  const ranges = deltas + seg * 2;
  [...bmp, { start: 0xffff, end: 0xffff, glyph: 0 }].forEach((r, i) => {
    v.setUint16(ends + i * 2, r.end);
    v.setUint16(starts + i * 2, r.start);
    v.setUint16(deltas + i * 2, r.start === 0xffff ? 1 : (r.glyph - r.start) & 0xffff);
    v.setUint16(ranges + i * 2, 0);
  });
  p = 20 + f4Length;
  v.setUint16(p, 12);
  v.setUint32(p + 4, f12Length);
  v.setUint32(p + 12, runs.length);
  runs.forEach((r, i) => {
    v.setUint32(p + 16 + i * 12, r.start);
    v.setUint32(p + 20 + i * 12, r.end);
    v.setUint32(p + 24 + i * 12, r.glyph);
  });
  return out;
}

export function subsetFont(font: Font, text: string): Uint8Array {
  const bytes = font.bytes;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tables = tableDirectory(bytes);
  const glyf = tables.get('glyf')!;
  // The glyphs the text needs, composite glyphs' components included.
  const { keep, numGlyphs, glyphRange } = glyphClosure(font, text);

  const parts: Uint8Array[] = [];
  const newLoca = new Uint8Array((numGlyphs + 1) * 4);
  const locaView = new DataView(newLoca.buffer);
  let offset = 0;
  for (let g = 0; g < numGlyphs; g++) {
    locaView.setUint32(g * 4, offset);
    if (!keep.has(g)) continue;
    const [start, end] = glyphRange(g);
    const data = bytes.subarray(glyf.offset + start, glyf.offset + end);
    const padded = new Uint8Array(data.length + ((4 - (data.length % 4)) % 4));
    padded.set(data);
    parts.push(padded);
    offset += padded.length;
  }
  locaView.setUint32(numGlyphs * 4, offset);
  const newGlyf = concat(parts);

  const out: { tag: string; data: Uint8Array }[] = [];
  for (const [tag, e] of tables) {
    if (DROP.has(tag)) continue;
    let data: Uint8Array = bytes.slice(e.offset, e.offset + e.length);
    if (tag === 'glyf') data = newGlyf;
    else if (tag === 'loca') data = newLoca;
    else if (tag === 'head') new DataView(data.buffer).setInt16(50, 1);
    else if (tag === 'post') {
      data = data.slice(0, 32);
      new DataView(data.buffer).setUint32(0, 0x00030000);
    }
    out.push({ tag, data });
  }
  return buildSfnt(dv.getUint32(0), out);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function checksum(data: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < data.length; i += 4) {
    const word = ((data[i] ?? 0) << 24) | ((data[i + 1] ?? 0) << 16) | ((data[i + 2] ?? 0) << 8) | (data[i + 3] ?? 0);
    sum = (sum + (word >>> 0)) >>> 0;
  }
  return sum;
}

/** Writes an sfnt file: table directory sorted by tag, tables 4-byte aligned, checksums set. */
function buildSfnt(flavor: number, tables: { tag: string; data: Uint8Array }[]): Uint8Array {
  tables.sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
  const n = tables.length;
  let es = 0;
  while (1 << (es + 1) <= n) es++;
  const headerLength = 12 + 16 * n;
  const total = headerLength + tables.reduce((s, t) => s + t.data.length + ((4 - (t.data.length % 4)) % 4), 0);
  const font = new Uint8Array(total);
  const dv = new DataView(font.buffer);
  dv.setUint32(0, flavor);
  dv.setUint16(4, n);
  dv.setUint16(6, (1 << es) * 16);
  dv.setUint16(8, es);
  dv.setUint16(10, n * 16 - (1 << es) * 16);
  let offset = headerLength;
  let headOffset = -1;
  tables.forEach((t, i) => {
    if (t.tag === 'head') {
      new DataView(t.data.buffer, t.data.byteOffset).setUint32(8, 0);
      headOffset = offset;
    }
    const o = 12 + 16 * i;
    for (let k = 0; k < 4; k++) font[o + k] = t.tag.charCodeAt(k);
    dv.setUint32(o + 4, checksum(t.data));
    dv.setUint32(o + 8, offset);
    dv.setUint32(o + 12, t.data.length);
    font.set(t.data, offset);
    offset += t.data.length + ((4 - (t.data.length % 4)) % 4);
  });
  if (headOffset >= 0) dv.setUint32(headOffset + 8, (0xb1b0afba - checksum(font)) >>> 0);
  return font;
}

/** Base64 without Buffer, so render also runs in a browser. */
export function toBase64(bytes: Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = bytes[i + 1] ?? 0;
    const c = bytes[i + 2] ?? 0;
    const n = (a << 16) | (b << 8) | c;
    out += alphabet[(n >> 18) & 63]! + alphabet[(n >> 12) & 63]!;
    out += i + 1 < bytes.length ? alphabet[(n >> 6) & 63]! : '=';
    out += i + 2 < bytes.length ? alphabet[n & 63]! : '=';
  }
  return out;
}
