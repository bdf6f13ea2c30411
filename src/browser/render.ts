// render() in a page: the layout (ELK, most of the work) in the layout worker when there is one
// (worker.ts), the drawing in the page (svg.js on the page's DOM, browser/dom.ts); PNG with a canvas.
// Input: `.fz` text, ASL text or a Diagram. Output: the Outcome of the library's render, same bytes.
import { svgOf } from '../api/index.js';
import type { Outcome, RenderOptions, Rendered } from '../api/index.js';
import type { Diagram } from '../model/index.js';
import { loadFallbacks } from '../layout/fonts.js';
import type { PathOverlay } from '../render/trace.js';
import { layoutSomewhere } from './worker.js';

/** The render options of the browser: those of the library, SVG only (PNG is `renderPng`). */
export interface BrowserRenderOptions extends Omit<RenderOptions, 'format' | 'scale'> {
  /** Lay out in a Web Worker (default true), when the bundle's script can be started as one. */
  worker?: boolean;
  /**
   * An execution's path to draw over the diagram (the playground's Run panel): visited nodes,
   * taken edges, the failing node, as `flowlane render --trace` draws them.
   */
  trace?: PathOverlay;
}

/** render(), with the diagram's accessible title and description. */
export async function renderWithTitle(input: string | Diagram, options: BrowserRenderOptions = {}): Promise<Outcome<Rendered<string>>> {
  if ((options as RenderOptions).format === 'png') throw new TypeError('flowlane/browser: render() writes SVG; use renderPng() for a PNG');
  const { language, name, lanes, direction } = options;
  const sourceOptions = { ...(language ? { language } : {}), ...(name !== undefined ? { name } : {}), ...(lanes ? { lanes } : {}), ...(direction ? { direction } : {}) };
  const laid = await layoutSomewhere(input, sourceOptions, options.worker !== false);
  if (!laid.ok) return { ok: false, value: undefined, diagnostics: laid.diagnostics };
  // A layout made in the worker loaded the fallback fonts there; the drawing embeds their subsets
  // here, so the page needs them too (a no-op for Latin text, or when they are loaded already).
  await loadFallbacks(JSON.stringify(laid.value));
  return { ok: true, value: svgOf(laid.value, options), diagnostics: laid.diagnostics };
}

/** Renders `.fz` text, ASL text or a Diagram as SVG text; `value` is undefined when the input has an error. */
export async function render(input: string | Diagram, options: BrowserRenderOptions = {}): Promise<Outcome<string>> {
  const r = await renderWithTitle(input, options);
  return r.ok ? { ok: true, value: r.value.output, diagnostics: r.diagnostics } : r;
}

export interface PngOptions extends Omit<BrowserRenderOptions, 'theme' | 'embedFont'> {
  /** light (default) or dark: a picture cannot follow the reader's colour scheme. */
  theme?: 'light' | 'dark';
  /** Pixels per SVG unit (default 1, clamped to [0.1, 8]). */
  scale?: number;
}

/**
 * A PNG of the diagram, drawn by the browser: the SVG (with its font embedded) on a canvas.
 * `value` is undefined when the input has an error.
 */
export async function renderPng(input: string | Diagram, options: PngOptions = {}): Promise<Outcome<Blob>> {
  const { scale: wanted, ...rest } = options;
  const r = await render(input, { ...rest, embedFont: true });
  if (!r.ok) return r;
  const scale = Math.min(8, Math.max(0.1, wanted !== undefined && Number.isFinite(wanted) ? wanted : 1));
  const svg = r.value;
  const size = (name: 'width' | 'height'): number => Number(new RegExp(`<svg[^>]* ${name}="([0-9.]+)"`).exec(svg)?.[1]) || 1;
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(size('width') * scale);
    canvas.height = Math.ceil(size('height') * scale);
    canvas.getContext('2d')!.drawImage(image, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!blob) throw new Error('flowlane/browser: the canvas gave no PNG');
    return { ok: true, value: blob, diagnostics: r.diagnostics };
  } finally {
    URL.revokeObjectURL(url);
  }
}
