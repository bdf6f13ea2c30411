// Font metrics read straight from a TrueType file: the cmap (code point -> glyph) and hmtx (glyph ->
// advance width) tables, so text is measured with the font that the SVG embeds and names.
// Input: TTF bytes (the generated font-data.ts). Output: a Font that measures and wraps text.
// No kerning and no ligatures are applied; the shipped fonts carry no GPOS/GSUB tables, so a browser
// draws exactly these advances.
import { INTER_REGULAR_TTF_BASE64, INTER_SEMIBOLD_TTF_BASE64 } from './font-data.js';

/** A parsed TrueType font: enough tables to measure text and to build a subset. */
export interface Font {
  /** The family name the SVG uses (`font-family`), as the font's own name table says. */
  readonly family: string;
  /** The CSS weight of this face. */
  readonly weight: number;
  /** The whole TTF file. */
  readonly bytes: Uint8Array;
  readonly unitsPerEm: number;
  /** Typographic ascender and descender (descender negative), in font units. */
  readonly ascender: number;
  readonly descender: number;
  /** Glyph id for a code point; 0 (.notdef) when the font lacks it. */
  glyphOf(codePoint: number): number;
  /** Advance width of a glyph in font units. */
  advanceOf(glyph: number): number;
}

/** One table of the file: where it starts and how long it is. */
export interface TableEntry {
  offset: number;
  length: number;
}

export function tableDirectory(bytes: Uint8Array): Map<string, TableEntry> {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = dv.getUint16(4);
  const out = new Map<string, TableEntry>();
  for (let i = 0; i < n; i++) {
    const o = 12 + i * 16;
    const tag = String.fromCharCode(bytes[o]!, bytes[o + 1]!, bytes[o + 2]!, bytes[o + 3]!);
    out.set(tag, { offset: dv.getUint32(o + 8), length: dv.getUint32(o + 12) });
  }
  return out;
}

export function parseFont(bytes: Uint8Array, weight: number): Font {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tables = tableDirectory(bytes);
  const t = (tag: string): TableEntry => {
    const e = tables.get(tag);
    if (!e) throw new Error(`font lacks the ${tag} table`);
    return e;
  };
  const head = t('head').offset;
  const unitsPerEm = dv.getUint16(head + 18);
  const hhea = t('hhea').offset;
  const numberOfHMetrics = dv.getUint16(hhea + 34);
  const os2 = t('OS/2').offset;
  const ascender = dv.getInt16(os2 + 68);
  const descender = dv.getInt16(os2 + 70);
  const hmtx = t('hmtx').offset;
  const advances: number[] = [];
  for (let i = 0; i < numberOfHMetrics; i++) advances.push(dv.getUint16(hmtx + i * 4));
  const lastAdvance = advances[advances.length - 1] ?? 0;

  // cmap: prefer a format 12 (full Unicode) subtable, else format 4 (BMP).
  const cmap = t('cmap').offset;
  const map = new Map<number, number>();
  const nSub = dv.getUint16(cmap + 2);
  let chosen = -1;
  let chosenFormat = 0;
  for (let i = 0; i < nSub; i++) {
    const platform = dv.getUint16(cmap + 4 + i * 8);
    const encoding = dv.getUint16(cmap + 6 + i * 8);
    const off = cmap + dv.getUint32(cmap + 8 + i * 8);
    const format = dv.getUint16(off);
    const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
    if (!unicode) continue;
    if (format === 12 || (format === 4 && chosenFormat !== 12)) {
      chosen = off;
      chosenFormat = format;
    }
  }
  if (chosenFormat === 4) {
    const segX2 = dv.getUint16(chosen + 6);
    const ends = chosen + 14;
    const starts = ends + segX2 + 2;
    const deltas = starts + segX2;
    const rangeOffsets = deltas + segX2;
    for (let s = 0; s < segX2 / 2; s++) {
      const end = dv.getUint16(ends + s * 2);
      const start = dv.getUint16(starts + s * 2);
      const delta = dv.getInt16(deltas + s * 2);
      const ro = dv.getUint16(rangeOffsets + s * 2);
      for (let c = start; c <= end && c !== 0xffff; c++) {
        let g: number;
        if (ro === 0) g = (c + delta) & 0xffff;
        else {
          const at = rangeOffsets + s * 2 + ro + (c - start) * 2;
          g = dv.getUint16(at);
          if (g !== 0) g = (g + delta) & 0xffff;
        }
        if (g !== 0) map.set(c, g);
      }
    }
  } else if (chosenFormat === 12) {
    const groups = dv.getUint32(chosen + 12);
    for (let i = 0; i < groups; i++) {
      const o = chosen + 16 + i * 12;
      const start = dv.getUint32(o);
      const end = dv.getUint32(o + 4);
      const g0 = dv.getUint32(o + 8);
      for (let c = start; c <= end; c++) map.set(c, g0 + (c - start));
    }
  }

  return {
    family: familyName(bytes, dv, t('name').offset) ?? 'Inter',
    weight,
    bytes,
    unitsPerEm,
    ascender,
    descender,
    glyphOf: (cp) => map.get(cp) ?? 0,
    advanceOf: (g) => (g < advances.length ? advances[g]! : lastAdvance),
  };
}

/** Name id 1 (family), from a Windows Unicode record. */
function familyName(bytes: Uint8Array, dv: DataView, name: number): string | undefined {
  const count = dv.getUint16(name + 2);
  const strings = name + dv.getUint16(name + 4);
  for (let i = 0; i < count; i++) {
    const r = name + 6 + i * 12;
    if (dv.getUint16(r) === 3 && dv.getUint16(r + 6) === 1) {
      const len = dv.getUint16(r + 8);
      const off = strings + dv.getUint16(r + 10);
      let s = '';
      for (let k = 0; k < len; k += 2) s += String.fromCharCode((bytes[off + k]! << 8) | bytes[off + k + 1]!);
      return s;
    }
  }
  return undefined;
}

/** Decodes base64 without Buffer, so the module also runs in a browser. */
export function fromBase64(text: string): Uint8Array {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const lookup = new Uint8Array(128);
  for (let i = 0; i < alphabet.length; i++) lookup[alphabet.charCodeAt(i)] = i;
  const clean = text.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let o = 0;
  for (let i = 0; i < clean.length; i += 4) {
    const a = lookup[clean.charCodeAt(i)]!;
    const b = lookup[clean.charCodeAt(i + 1)]!;
    const c = lookup[clean.charCodeAt(i + 2)] ?? 0;
    const d = lookup[clean.charCodeAt(i + 3)] ?? 0;
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

let cached: { regular: Font; semibold: Font } | undefined;

/** The two shipped faces, parsed once. */
export function defaultFonts(): { regular: Font; semibold: Font } {
  cached ??= {
    regular: parseFont(fromBase64(INTER_REGULAR_TTF_BASE64), 400),
    semibold: parseFont(fromBase64(INTER_SEMIBOLD_TTF_BASE64), 600),
  };
  return cached;
}

/** True for code points that East Asian typography draws full width. */
function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

/**
 * Width of a text in pixels at a font size. Characters the font lacks are drawn by a fallback font
 * we cannot measure; they are counted generously (0.62 em, 1 em for wide ones) so that the shape
 * still holds them.
 */
export function textWidth(font: Font, text: string, size: number): number {
  let units = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const g = font.glyphOf(cp);
    if (g !== 0) units += font.advanceOf(g);
    else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) continue;
    else units += isWide(cp) ? font.unitsPerEm : font.unitsPerEm * 0.62;
  }
  return (units * size) / font.unitsPerEm;
}

/** Height of one line of text: the typographic ascent plus descent, with a little leading. */
export function lineHeight(font: Font, size: number): number {
  return Math.ceil(((font.ascender - font.descender) * size * 1.1) / font.unitsPerEm);
}

/**
 * Breaks a text into lines no wider than maxWidth, at spaces; a word longer than a line is cut
 * where it must be. Explicit `\n` in the text break lines too.
 */
export function wrapText(font: Font, text: string, size: number, maxWidth: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split(/\r\n|\n|\r/)) {
    const words = paragraph.split(/[ \t]+/).filter((w) => w.length > 0);
    let line = '';
    for (const word of words) {
      const candidate = line ? `${line} ${word}` : word;
      if (textWidth(font, candidate, size) <= maxWidth) {
        line = candidate;
        continue;
      }
      if (line) lines.push(line);
      line = '';
      // Cut an over-long word into pieces that fit.
      let rest = word;
      while (textWidth(font, rest, size) > maxWidth) {
        const chars = Array.from(rest);
        let k = 1;
        while (k < chars.length && textWidth(font, chars.slice(0, k + 1).join(''), size) <= maxWidth) k++;
        lines.push(chars.slice(0, k).join(''));
        rest = chars.slice(k).join('');
      }
      line = rest;
    }
    lines.push(line);
  }
  return lines;
}
