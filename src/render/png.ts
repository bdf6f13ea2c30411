// PNG through resvg: rasterises an SVG from svg.ts at a scale, with the shipped fonts loaded from
// memory (no system fonts), so the picture uses the font the text was measured with.
// Input: SVG text. Output: PNG bytes.
// resvg reads class rules but neither CSS variables nor media queries, so the colour variables are
// replaced by the theme's plain colours first (dark when the SVG says fz-theme-dark, else light).
import type { Resvg as ResvgClass } from '@resvg/resvg-js';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defaultFonts } from '../layout/fonts.js';
import { DARK, LIGHT } from './theme.js';

/**
 * Pixels per SVG unit when none is asked for: labels are 13 px (edge labels 11 px) in SVG units, too
 * small to read in a wide picture shown at screen width at 1.
 */
export const DEFAULT_PNG_SCALE = 2;

export interface PngOptions {
  /** Pixels per SVG unit; default DEFAULT_PNG_SCALE (2). Clamped to [0.1, 8]. */
  scale?: number;
}

/**
 * resvg is a native module: loaded on the first PNG, not with the renderer, so an SVG-only run
 * (most docs pipelines) does not pay for it. It is CommonJS, so a synchronous require will do.
 */
let resvg: typeof ResvgClass | undefined;
function Resvg(): typeof ResvgClass {
  resvg ??= (createRequire(import.meta.url)('@resvg/resvg-js') as { Resvg: typeof ResvgClass }).Resvg;
  return resvg;
}

const FONT_FILES = ['Inter-Regular.ttf', 'Inter-SemiBold.ttf'];
/** The fallback faces of src/layout/fonts.ts: family (as the SVG names it) and file. */
const FALLBACK_FILES = [
  ['Noto Sans SC', 'NotoSansSC-Regular.ttf'],
  ['Noto Sans KR', 'NotoSansKR-Regular.ttf'],
  ['Noto Sans Hebrew', 'NotoSansHebrew-Regular.ttf'],
  ['Noto Sans Arabic', 'NotoSansArabic-Regular.ttf'],
  ['Noto Emoji', 'NotoEmoji-Regular.ttf'],
] as const;

export function renderPng(svg: string, options: PngOptions = {}): Uint8Array {
  const scale = Math.min(8, Math.max(0.1, Number.isFinite(options.scale) ? options.scale! : DEFAULT_PNG_SCALE));
  const palette = /class="[^"]*fz-theme-dark/.test(svg) ? DARK : LIGHT;
  const resolved = svg
    .replace(/@media \(prefers-color-scheme: dark\)\{[^{}]*\{[^{}]*\}\}/g, '')
    .replace(/var\(--fz-([a-z-]+)\)/g, (m, name: string) => palette[name] ?? m);
  const fonts = defaultFonts();
  const resvg = new (Resvg())(resolved, {
    fitTo: { mode: 'zoom', value: scale },
    font: {
      loadSystemFonts: false,
      // The one font-loading spot of render: resvg-js 2.6 takes font files by path only, so it reads
      // the shipped TTFs (the same bytes as font-data.ts) from assets/fonts beside src/ and dist/.
      // A fallback face (the CJK one is 3.7 MB, parsed by resvg for each picture) only when the SVG names it.
      fontFiles: [...FONT_FILES, ...FALLBACK_FILES.filter(([family]) => svg.includes(`'${family}'`)).map(([, file]) => file)].map((f) => fileURLToPath(new URL(`../../assets/fonts/${f}`, import.meta.url))),
      defaultFontFamily: fonts.regular.family,
      sansSerifFamily: fonts.regular.family,
    },
  });
  return new Uint8Array(resvg.render().asPng());
}
