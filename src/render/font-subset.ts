// A TrueType subset for embedding: the glyph outlines of the characters a diagram uses, nothing else.
// Input: a Font (src/layout/fonts.ts) and the text drawn with it. Output: a smaller, valid TTF.
// Glyph ids are kept (unused glyphs become empty outlines), so cmap and hmtx stay valid as they are;
// only glyf and loca are rebuilt and the glyph-name table is reduced to `post` format 3. This keeps
// the code short and the result one every browser's font sanitiser accepts.
import { tableDirectory } from '../layout/fonts.js';
import type { Font } from '../layout/fonts.js';

const DROP = new Set(['DSIG', 'hdmx', 'LTSH', 'VDMX', 'kern', 'GPOS', 'GSUB', 'GDEF']);

export function subsetFont(font: Font, text: string): Uint8Array {
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
  // Composite glyphs refer to component glyphs, which must be kept too.
  const queue = [...keep];
  while (queue.length > 0) {
    const g = queue.pop()!;
    if (g >= numGlyphs) continue;
    const [start, end] = glyphRange(g);
    if (end - start < 10) continue;
    const at = glyf.offset + start;
    if (dv.getInt16(at) >= 0) continue;
    let p = at + 10;
    for (;;) {
      const flags = dv.getUint16(p);
      const component = dv.getUint16(p + 2);
      if (!keep.has(component)) {
        keep.add(component);
        queue.push(component);
      }
      p += 4 + (flags & 0x0001 ? 4 : 2);
      if (flags & 0x0008) p += 2;
      else if (flags & 0x0040) p += 4;
      else if (flags & 0x0080) p += 8;
      if (!(flags & 0x0020)) break;
    }
  }

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
