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

/** Node's native decoder where there is one (a cold start runs the loop below interpreted: 3 ms); a browser has no Buffer. */
const nativeBase64 = (globalThis as { Buffer?: { from(text: string, encoding: 'base64'): Uint8Array } }).Buffer;

/** Decodes base64, natively under Node and by hand in a browser (the same bytes: a test compares them). */
export function fromBase64(text: string): Uint8Array {
  // Copied into a plain Uint8Array of its own: a Buffer's slice() is a view, not a copy (font-subset.ts edits its slices).
  if (nativeBase64) return new Uint8Array(nativeBase64.from(text, 'base64'));
  return fromBase64ByHand(text);
}

export function fromBase64ByHand(text: string): Uint8Array {
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

/**
 * The fallback faces, in the order they are tried after Inter: Noto Sans SC (CJK, kana, arrows,
 * symbols, Greek, Cyrillic), Noto Sans KR (Hangul), Noto Sans Hebrew, Noto Sans Arabic and Noto
 * Emoji (monochrome), each one weight drawn for both. Their 7 MB module is imported only when a text needs it (loadFallbacks), so a Latin diagram
 * never pays for it.
 */
let fallbacks: readonly Font[] = [];
/** Bumped when fallbacks are added: cached measurements made without them are stale. */
let fallbackGeneration = 0;
let cjkLoading: Promise<void> | undefined;

export function fallbackFonts(): readonly Font[] {
  return fallbacks;
}

export function fontGeneration(): number {
  return fallbackGeneration;
}

/** True when a text has a character that Inter lacks and that the fallbacks might draw. */
export function needsFallback(text: string): boolean {
  if (!/[^\u0000-\u024f]/.test(text)) return false;
  const { regular } = defaultFonts();
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp > 0x24f && regular.glyphOf(cp) === 0 && !fallbacks.some((f) => f.glyphOf(cp) !== 0)) return cp >= 0xa0 && !(cp >= 0xd800 && cp <= 0xdfff);
  }
  return false;
}

/**
 * Loads the fallback fonts a text needs (measuring and drawing then use them); resolves at once when
 * it needs none or they are loaded. Layout calls it before measuring.
 */
export function loadFallbacks(text: string): Promise<void> {
  if (fallbacks.length > 0 || !needsFallback(text)) return Promise.resolve();
  cjkLoading ??= loadFallbackData().then(
    (m) => {
      fallbacks = [m.NOTO_SANS_SC_REGULAR_TTF_BASE64, m.NOTO_SANS_KR_REGULAR_TTF_BASE64, m.NOTO_SANS_HEBREW_REGULAR_TTF_BASE64, m.NOTO_SANS_ARABIC_REGULAR_TTF_BASE64, m.NOTO_EMOJI_REGULAR_TTF_BASE64].map((data) => parseFont(fromBase64(data), 400));
      fallbackGeneration++;
    },
    () => {
      // Fonts that cannot be loaded (a browser page without the fonts file): Inter alone measures,
      // and the viewer's own fonts draw what it lacks.
    },
  );
  return cjkLoading;
}

type FallbackData = typeof import('./font-data-fallback.js');
let loadFallbackData = (): Promise<FallbackData> => import('./font-data-fallback.js');

/**
 * Where the fallback fonts come from: the browser build keeps them (6 MB) in a file of their own,
 * dist/browser/flowlane-fonts.mjs, loaded from beside the bundle only when a text needs them.
 */
export function setFallbackFontSource(load: () => Promise<FallbackData>): void {
  loadFallbackData = load;
}

/** The face that draws a code point: the font itself, else the first fallback that has it. */
export function faceFor(font: Font, cp: number): Font {
  if (font.glyphOf(cp) !== 0) return font;
  for (const f of fallbacks) if (f.glyphOf(cp) !== 0) return f;
  return font;
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
 * Advance of one code point in font units. Characters the font lacks are drawn by a fallback font
 * we cannot measure; they are counted generously (0.62 em, 1 em for wide ones) so that the shape
 * still holds them.
 */
function advanceUnits(font: Font, cp: number): number {
  const g = font.glyphOf(cp);
  if (g !== 0) return font.advanceOf(g);
  // Drawn by a fallback face: its advance, in this font's units.
  for (const f of fallbacks) {
    const fg = f.glyphOf(cp);
    if (fg !== 0) return (f.advanceOf(fg) * font.unitsPerEm) / f.unitsPerEm;
  }
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || isFormat(cp)) return 0;
  return isWide(cp) ? font.unitsPerEm : font.unitsPerEm * 0.62;
}

/** Invisible format characters (bidi marks and overrides, joiners, variation selectors, the BOM): no advance. */
function isFormat(cp: number): boolean {
  return (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2069) || (cp >= 0xfe00 && cp <= 0xfe0f) || cp === 0xfeff;
}

/** Width of a text in pixels at a font size. */
export function textWidth(font: Font, text: string, size: number): number {
  let units = 0;
  for (const ch of text) units += advanceUnits(font, ch.codePointAt(0)!);
  return (units * size) / font.unitsPerEm;
}

/** Height of one line of text: the typographic ascent plus descent, with a little leading. */
export function lineHeight(font: Font, size: number): number {
  return Math.ceil(((font.ascender - font.descender) * size * 1.1) / font.unitsPerEm);
}

/** Drawn at the end of a line that cuts a word which fits no line: visible, and not a hyphen. */
export const CONTINUATION = '…';

export interface WrapOptions {
  /**
   * How wide a line may grow (the node widening) so that a piece of a word that cannot be broken
   * still fits whole; default maxWidth. Only a piece wider than this is cut inside.
   */
  widest?: number;
  /** Counts the work done (characters visited), for the linear-time test. */
  stats?: { steps: number };
}

const enum Brk {
  /** No break before this character. */
  None,
  /** A break inside a word: after `_ - . /`, at a camelCase boundary, beside an ideograph. */
  Soft,
}

function isLower(cp: number): boolean {
  return (cp >= 0x61 && cp <= 0x7a) || (cp >= 0xdf && cp <= 0xff && cp !== 0xf7);
}
function isUpper(cp: number): boolean {
  return (cp >= 0x41 && cp <= 0x5a) || (cp >= 0xc0 && cp <= 0xde && cp !== 0xd7);
}
function isDigit(cp: number): boolean {
  return cp >= 0x30 && cp <= 0x39;
}
/** Ideographs, kana and Hangul: lines may break between any two of them. */
function isIdeographic(cp: number): boolean {
  return (cp >= 0x2e80 && cp <= 0x9fff) || (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x20000 && cp <= 0x3fffd);
}
/** Closing punctuation that must not start a line (CJK and Latin). */
function isCloser(cp: number): boolean {
  return cp === 0x3001 || cp === 0x3002 || cp === 0xff0c || cp === 0xff0e || cp === 0xff1a || cp === 0xff1b || cp === 0xff01 || cp === 0xff1f || cp === 0xff09 || cp === 0x300d || cp === 0x300f || cp === 0x3011 || cp === 0x2c || cp === 0x29;
}

/**
 * Breaks a text into lines no wider than maxWidth. Explicit `\n` in the text breaks lines. Lines
 * break at spaces first; a word too wide for a line breaks after `_ - . /`, at camelCase boundaries
 * and between ideographs; a piece still too wide widens the lines up to `widest`; only a piece
 * wider than that is cut inside, with CONTINUATION at the end of the cut line.
 * Linear in the text's length: every character's advance is read once and each character is
 * visited a bounded number of times.
 */
export function wrapText(font: Font, text: string, size: number, maxWidth: number, options: WrapOptions = {}): string[] {
  const stats = options.stats ?? { steps: 0 };
  const px = size / font.unitsPerEm;
  // Code points, their advances and the break class before each, in one pass.
  const cps: number[] = [];
  const starts: number[] = [];
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    cps.push(cp);
    starts.push(i);
    i += cp > 0xffff ? 2 : 1;
    stats.steps++;
  }
  starts.push(text.length);
  const n = cps.length;
  const adv = new Float64Array(n);
  const brk = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const cp = cps[i]!;
    adv[i] = advanceUnits(font, cp) * px;
    if (i > 0) {
      const a = cps[i - 1]!;
      const b = cp;
      const c = i + 1 < n ? cps[i + 1]! : 0;
      const soft =
        ((a === 0x5f || a === 0x2d || a === 0x2e || a === 0x2f) && b !== 0x20 && !isCloser(b)) ||
        ((isLower(a) || isDigit(a)) && isUpper(b)) ||
        (isUpper(a) && isUpper(b) && isLower(c)) ||
        ((isIdeographic(a) || isIdeographic(b)) && !isCloser(b));
      brk[i] = soft ? Brk.Soft : Brk.None;
    }
    stats.steps++;
  }
  const slice = (from: number, to: number): string => text.slice(starts[from]!, starts[to]!);
  const isSpace = (cp: number): boolean => cp === 0x20 || cp === 0x09;
  const isNewline = (cp: number): boolean => cp === 0x0a || cp === 0x0d;
  const spaceWidth = advanceUnits(font, 0x20) * px;

  // Words (runs between spaces and line breaks) and their unbreakable pieces; the widest piece
  // decides how far the lines widen.
  type Word = { from: number; to: number; width: number; pieces: number[] };
  const paragraphs: Word[][] = [[]];
  let widestPiece = 0;
  for (let i = 0; i < n; ) {
    const cp = cps[i]!;
    if (isNewline(cp)) {
      i += cp === 0x0d && cps[i + 1] === 0x0a ? 2 : 1;
      paragraphs.push([]);
      stats.steps++;
      continue;
    }
    if (isSpace(cp)) {
      i++;
      stats.steps++;
      continue;
    }
    const word: Word = { from: i, to: i, width: 0, pieces: [i] };
    let piece = 0;
    while (i < n && !isSpace(cps[i]!) && !isNewline(cps[i]!)) {
      if (i > word.from && brk[i] === Brk.Soft) {
        word.pieces.push(i);
        widestPiece = Math.max(widestPiece, piece);
        piece = 0;
      }
      piece += adv[i]!;
      word.width += adv[i]!;
      i++;
      stats.steps++;
    }
    widestPiece = Math.max(widestPiece, piece);
    word.to = i;
    paragraphs[paragraphs.length - 1]!.push(word);
  }
  const limit = Math.max(maxWidth, Math.min(options.widest ?? maxWidth, widestPiece));
  const mark = advanceUnits(font, CONTINUATION.codePointAt(0)!) * px;

  const lines: string[] = [];
  for (const words of paragraphs) {
    // The current line, as the pieces of text it is made of.
    let parts: string[] = [];
    let lineWidth = 0;
    const flush = (): void => {
      if (parts.length > 0) lines.push(parts.join(''));
      parts = [];
      lineWidth = 0;
    };
    // Appends characters [from, to) of width w; `gap` puts a space before them.
    const append = (from: number, to: number, w: number, gap: boolean): void => {
      if (gap) parts.push(' ');
      parts.push(slice(from, to));
      lineWidth += (gap ? spaceWidth : 0) + w;
    };
    const empty = (): boolean => parts.length === 0;
    for (const word of words) {
      const gapWidth = empty() ? 0 : spaceWidth;
      if (lineWidth + gapWidth + word.width <= limit + 1e-9) {
        append(word.from, word.to, word.width, !empty());
        stats.steps++;
        continue;
      }
      if (word.width <= limit + 1e-9) {
        flush();
        append(word.from, word.to, word.width, false);
        stats.steps++;
        continue;
      }
      // The word is wider than a line: place it piece by piece.
      for (let p = 0; p < word.pieces.length; p++) {
        const from = word.pieces[p]!;
        const to = word.pieces[p + 1] ?? word.to;
        let w = 0;
        for (let k = from; k < to; k++) w += adv[k]!;
        stats.steps += to - from;
        const gap = p === 0 && !empty();
        if (lineWidth + (gap ? spaceWidth : 0) + w <= limit + 1e-9) {
          append(from, to, w, gap);
          continue;
        }
        flush();
        if (w <= limit + 1e-9) {
          append(from, to, w, false);
          continue;
        }
        // A piece wider than the widest line: cut it where it must be, marking each cut.
        let k = from;
        let rest = w;
        while (k < to) {
          if (rest <= limit + 1e-9) {
            append(k, to, rest, false);
            break;
          }
          let acc = 0;
          let end = k;
          while (end < to && acc + adv[end]! + mark <= limit + 1e-9) {
            acc += adv[end]!;
            end++;
            stats.steps++;
          }
          if (end === k) acc += adv[end++]!; // a single glyph wider than a line still moves on
          rest -= acc;
          lines.push(slice(k, end) + CONTINUATION);
          k = end;
        }
      }
    }
    flush();
    // An empty paragraph (from `\n\n`) keeps its blank line only between others.
    if (words.length === 0) lines.push('');
  }
  // Blank lines at the very start or end carry nothing.
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  while (lines.length > 0 && lines[0] === '') lines.shift();
  return lines;
}
