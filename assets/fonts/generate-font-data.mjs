// Generates src/layout/font-data.ts from the Inter files of the @fontsource/inter npm package, and
// src/layout/font-data-fallback.ts (the fallback fonts) from Noto Sans SC, Hebrew and Arabic of the
// @expo-google-fonts packages; each also as a TTF file beside this script, for resvg.
// Input: the package's latin WOFF files (regular 400 and semibold 600). Output: a TypeScript module
// holding each font as a base64 TrueType file, so that layout (measuring) and render (embedding a
// subset, rasterising PNG) need no file system at run time. Run: `node assets/fonts/generate-font-data.mjs`.
// The layout tables GSUB/GPOS/GDEF/kern are dropped on purpose: we measure with plain advance widths,
// and without those tables browsers draw exactly the advances we measured (no kerning, no ligatures).
// The fallback is a compact subset (by the renderer's own subsetter, so run `npm run build` first):
// every glyph of the font that is not a Han ideograph (kana, CJK punctuation, full-width forms,
// arrows, symbols, Greek, Cyrillic) plus the Han characters of GB2312 (simplified Chinese), of
// Big5 level 1 (traditional) and of JIS X 0208 (Japanese), 3.7 MB instead of 10.6. Noto Sans KR for
// Hangul (KS X 1001). Hebrew and Arabic
// whole, without their layout tables (so Arabic is drawn in isolated forms: in order, unjoined).
import { readFileSync, writeFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { parseFont } from '../../dist/layout/fonts.js';
import { compactSubset } from '../../dist/render/font-subset.js';

const require = createRequire(import.meta.url);
const dir = require.resolve('@fontsource/inter/package.json').replace(/package\.json$/, 'files/');
const version = JSON.parse(readFileSync(require.resolve('@fontsource/inter/package.json'), 'utf8')).version;
const KEEP = new Set(['cmap', 'head', 'hhea', 'hmtx', 'maxp', 'name', 'OS/2', 'post', 'glyf', 'loca', 'cvt ', 'fpgm', 'prep', 'gasp']);

function woffToTtf(woff, edit = (tag, data) => data) {
  const dv = new DataView(woff.buffer, woff.byteOffset, woff.byteLength);
  if (dv.getUint32(0) !== 0x774f4646) throw new Error('not a WOFF file');
  const flavor = dv.getUint32(4);
  const numTables = dv.getUint16(12);
  const tables = [];
  for (let i = 0; i < numTables; i++) {
    const o = 44 + i * 20;
    const tag = String.fromCharCode(woff[o], woff[o + 1], woff[o + 2], woff[o + 3]);
    const offset = dv.getUint32(o + 4), compLength = dv.getUint32(o + 8), origLength = dv.getUint32(o + 12);
    const raw = woff.subarray(offset, offset + compLength);
    const data = compLength < origLength ? inflateSync(raw) : Buffer.from(raw);
    if (KEEP.has(tag)) tables.push({ tag, data: edit(tag, data) });
  }
  return buildSfnt(flavor, tables);
}

function checksum(buf) {
  let sum = 0;
  const padded = Buffer.concat([buf, Buffer.alloc((4 - (buf.length % 4)) % 4)]);
  for (let i = 0; i < padded.length; i += 4) sum = (sum + padded.readUInt32BE(i)) >>> 0;
  return sum;
}

function buildSfnt(flavor, tables) {
  tables.sort((a, b) => (a.tag < b.tag ? -1 : 1));
  const n = tables.length;
  let es = 0;
  while (1 << (es + 1) <= n) es++;
  const header = Buffer.alloc(12 + 16 * n);
  header.writeUInt32BE(flavor, 0);
  header.writeUInt16BE(n, 4);
  header.writeUInt16BE((1 << es) * 16, 6);
  header.writeUInt16BE(es, 8);
  header.writeUInt16BE(n * 16 - (1 << es) * 16, 10);
  let offset = header.length;
  const bodies = [];
  tables.forEach((t, i) => {
    if (t.tag === 'head') t.data.writeUInt32BE(0, 8);
    const o = 12 + 16 * i;
    header.write(t.tag, o, 'latin1');
    header.writeUInt32BE(checksum(t.data), o + 4);
    header.writeUInt32BE(offset, o + 8);
    header.writeUInt32BE(t.data.length, o + 12);
    const pad = Buffer.alloc((4 - (t.data.length % 4)) % 4);
    bodies.push(t.data, pad);
    offset += t.data.length + pad.length;
  });
  const font = Buffer.concat([header, ...bodies]);
  const head = tables.findIndex((t) => t.tag === 'head');
  const headOffset = header.readUInt32BE(12 + 16 * head + 8);
  font.writeUInt32BE((0xb1b0afba - checksum(font)) >>> 0, headOffset + 8);
  return font;
}

/**
 * Adds a typographic family (name id 16) and subfamily (17) to a name table, so that font databases
 * that group faces by family (resvg's) see "Inter SemiBold" as the 600 weight of "Inter".
 */
function withTypographicFamily(data, family, subfamily) {
  const count = data.readUInt16BE(2);
  const stringsAt = data.readUInt16BE(4);
  const records = [];
  for (let i = 0; i < count; i++) {
    const r = 6 + i * 12;
    const [platform, encoding, language, id, length, offset] = [0, 2, 4, 6, 8, 10].map((k) => data.readUInt16BE(r + k));
    if (id === 16 || id === 17) continue;
    records.push({ platform, encoding, language, id, bytes: data.subarray(stringsAt + offset, stringsAt + offset + length) });
  }
  const utf16 = (text) => Buffer.from(text, 'utf16le').swap16();
  records.push({ platform: 3, encoding: 1, language: 0x409, id: 16, bytes: utf16(family) }, { platform: 3, encoding: 1, language: 0x409, id: 17, bytes: utf16(subfamily) });
  records.sort((a, b) => a.platform - b.platform || a.encoding - b.encoding || a.language - b.language || a.id - b.id);
  const header = Buffer.alloc(6 + records.length * 12);
  header.writeUInt16BE(0, 0);
  header.writeUInt16BE(records.length, 2);
  header.writeUInt16BE(header.length, 4);
  let offset = 0;
  records.forEach((rec, i) => {
    const r = 6 + i * 12;
    [rec.platform, rec.encoding, rec.language, rec.id, rec.bytes.length, offset].forEach((v, k) => header.writeUInt16BE(v, r + k * 2));
    offset += rec.bytes.length;
  });
  return Buffer.concat([header, ...records.map((rec) => rec.bytes)]);
}

const regular = woffToTtf(readFileSync(dir + 'inter-latin-400-normal.woff'));
const semibold = woffToTtf(readFileSync(dir + 'inter-latin-600-normal.woff'), (tag, data) => (tag === 'name' ? withTypographicFamily(data, 'Inter', 'SemiBold') : data));
const out = `// GENERATED by assets/fonts/generate-font-data.mjs from @fontsource/inter ${version} (SIL OFL 1.1,
// see assets/fonts/OFL-Inter.txt). Do not edit. Input: none. Output: the Inter latin fonts as base64 TrueType.
/** Inter Regular (400), latin subset, without kerning/ligature tables. */
export const INTER_REGULAR_TTF_BASE64: string =
  '${regular.toString('base64')}';
/** Inter SemiBold (600), latin subset, without kerning/ligature tables. */
export const INTER_SEMIBOLD_TTF_BASE64: string =
  '${semibold.toString('base64')}';
`;
writeFileSync(new URL('./Inter-Regular.ttf', import.meta.url), regular);
writeFileSync(new URL('./Inter-SemiBold.ttf', import.meta.url), semibold);
writeFileSync(new URL('../../src/layout/font-data.ts', import.meta.url), out);
console.log('font-data.ts:', regular.length, semibold.length, 'bytes of TTF');

// The CJK fallback. Character sets from the legacy encodings' tables that Node's TextDecoder knows.
const notoPkg = require.resolve('@expo-google-fonts/noto-sans-sc/package.json');
const notoVersion = JSON.parse(readFileSync(notoPkg, 'utf8')).version;
const noto = parseFont(new Uint8Array(readFileSync(notoPkg.replace(/package\.json$/, '400Regular/NotoSansSC_400Regular.ttf'))), 400);
const range = (a, b) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
function decoded(encoding, leads, trails) {
  const d = new TextDecoder(encoding);
  const out = [];
  for (const l of leads) for (const t of trails) for (const ch of d.decode(new Uint8Array([l, t]))) if (ch !== '\ufffd') out.push(ch.codePointAt(0));
  return out;
}
const isHan = (c) => (c >= 0x3400 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff) || c >= 0x20000;
const wanted = new Set([
  ...decoded('gbk', range(0xa1, 0xf7), range(0xa1, 0xfe)),
  ...decoded('big5', range(0xa4, 0xc6), [...range(0x40, 0x7e), ...range(0xa1, 0xfe)]),
  ...decoded('shift_jis', range(0x81, 0x9f), [...range(0x40, 0x7e), ...range(0x80, 0xfc)]),
]);
for (let c = 0x20; c < 0x30000; c++) if (!isHan(c) && noto.glyphOf(c) !== 0) wanted.add(c);
const cjk = Buffer.from(compactSubset(noto, String.fromCodePoint(...[...wanted].filter((c) => noto.glyphOf(c) !== 0).sort((a, b) => a - b))));

/** A whole font, through the compact subsetter (which drops GSUB/GPOS and vertical metrics). */
function whole(pkg, file) {
  const path = require.resolve(`${pkg}/package.json`).replace(/package\.json$/, file);
  const font = parseFont(new Uint8Array(readFileSync(path)), 400);
  const cps = [];
  for (let c = 0x20; c < 0x30000; c++) if (font.glyphOf(c) !== 0) cps.push(c);
  return Buffer.from(compactSubset(font, String.fromCodePoint(...cps)));
}
// Korean: the 2,350 Hangul syllables of KS X 1001 (nearly all text) and the jamo, 0.5 MB instead of 6.2.
const kr = parseFont(new Uint8Array(readFileSync(require.resolve('@expo-google-fonts/noto-sans-kr/package.json').replace(/package\.json$/, '400Regular/NotoSansKR_400Regular.ttf'))), 400);
const hangul = [...decoded('euc-kr', range(0xb0, 0xc8), range(0xa1, 0xfe)), ...range(0x1100, 0x11ff), ...range(0x3131, 0x318e)].filter((c) => kr.glyphOf(c) !== 0);
const korean = Buffer.from(compactSubset(kr, String.fromCodePoint(...hangul)));
const hebrew = whole('@expo-google-fonts/noto-sans-hebrew', '400Regular/NotoSansHebrew_400Regular.ttf');
const arabic = whole('@expo-google-fonts/noto-sans-arabic', '400Regular/NotoSansArabic_400Regular.ttf');
// Monochrome emoji, one code point each (sequences joined by ZWJ would need the dropped GSUB).
const emoji = whole('@expo-google-fonts/noto-emoji', '400Regular/NotoEmoji_400Regular.ttf');
const versionOf = (pkg) => JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')).version;
writeFileSync(new URL('./NotoSansSC-Regular.ttf', import.meta.url), cjk);
writeFileSync(new URL('./NotoSansKR-Regular.ttf', import.meta.url), korean);
writeFileSync(new URL('./NotoSansHebrew-Regular.ttf', import.meta.url), hebrew);
writeFileSync(new URL('./NotoSansArabic-Regular.ttf', import.meta.url), arabic);
writeFileSync(new URL('./NotoEmoji-Regular.ttf', import.meta.url), emoji);
writeFileSync(
  new URL('../../src/layout/font-data-fallback.ts', import.meta.url),
  `// GENERATED by assets/fonts/generate-font-data.mjs from @expo-google-fonts/noto-sans-sc ${notoVersion},
// noto-sans-kr ${versionOf('@expo-google-fonts/noto-sans-kr')}, noto-sans-hebrew ${versionOf('@expo-google-fonts/noto-sans-hebrew')}, noto-sans-arabic ${versionOf('@expo-google-fonts/noto-sans-arabic')} and noto-emoji ${versionOf('@expo-google-fonts/noto-emoji')} (SIL OFL 1.1, see assets/fonts/OFL-Noto*.txt).
// Do not edit. Input: none. Output: the fallback fonts as base64 TrueType, in the order they are tried.
// Loaded (by a dynamic import) only for a diagram with a character Inter lacks.
/** Noto Sans SC Regular (400): kana, CJK punctuation, symbols, arrows, Greek, Cyrillic and the Han characters of GB2312, Big5 level 1 and JIS X 0208. */
export const NOTO_SANS_SC_REGULAR_TTF_BASE64: string =
  '${cjk.toString('base64')}';
/** Noto Sans KR Regular (400): the Hangul syllables of KS X 1001 and the jamo. */
export const NOTO_SANS_KR_REGULAR_TTF_BASE64: string =
  '${korean.toString('base64')}';
/** Noto Sans Hebrew Regular (400). */
export const NOTO_SANS_HEBREW_REGULAR_TTF_BASE64: string =
  '${hebrew.toString('base64')}';
/** Noto Sans Arabic Regular (400), without its joining tables. */
export const NOTO_SANS_ARABIC_REGULAR_TTF_BASE64: string =
  '${arabic.toString('base64')}';
/** Noto Emoji Regular (400), monochrome. */
export const NOTO_EMOJI_REGULAR_TTF_BASE64: string =
  '${emoji.toString('base64')}';
`,
);
console.log('font-data-fallback.ts:', cjk.length, korean.length, hebrew.length, arabic.length, emoji.length, 'bytes of TTF,', wanted.size, 'CJK characters');
