// `flowlane/browser`: the library API for web pages. Input and output as in src/api (the same
// functions, bundled with browser stand-ins for the Node-only modules, see scripts/build-browser.mjs),
// plus `run()`, which turns the diagram fences of a page into diagrams (run.ts), and `renderPng`,
// which rasterises with a canvas. Layout uses the same embedded font metrics as the server, so a
// diagram's SVG is the same bytes in a page and from the CLI.
import { check, detectLanguage, format, fromAsl, parse, render as renderAny, renderWithTitle as renderWithTitleAny, toAsl } from '../api/index.js';
import type { Outcome, RenderOptions, Rendered } from '../api/index.js';
import type { Diagram } from '../model/index.js';

export { check, detectLanguage, format, fromAsl, parse, toAsl };
export { run } from './run.js';
export type { RunOptions, RunResult } from './run.js';
export type { Outcome, Rendered, SourceLanguage, SourceOptions, FromAslValue } from '../api/index.js';
export type { Diagnostic, DiagnosticCode, Fix, Position, Range, Severity, TextEdit, JsonValue } from '../core/index.js';
export type { Diagram, DiagramNode, Edge, Lane, Loop } from '../model/index.js';
export type { AslStateMachine, LaneMode, ToAslOptions } from '../asl/index.js';
export type { LayoutDirection } from '../layout/types.js';
export type { ThemeName } from '../render/index.js';

/** The render options of the browser: those of the library, SVG only (PNG is `renderPng`). */
export type BrowserRenderOptions = Omit<RenderOptions, 'format' | 'scale'>;

function svgOnly(options: BrowserRenderOptions): RenderOptions {
  if ((options as RenderOptions).format === 'png') throw new TypeError('flowlane/browser: render() writes SVG; use renderPng() for a PNG');
  return { ...options, format: 'svg' };
}

/** Renders `.fz` text, ASL text or a Diagram as SVG text; `value` is undefined when the input has an error. */
export function render(input: string | Diagram, options: BrowserRenderOptions = {}): Promise<Outcome<string>> {
  return renderAny(input, svgOnly(options)) as Promise<Outcome<string>>;
}

/** render(), with the diagram's accessible title and description. */
export function renderWithTitle(input: string | Diagram, options: BrowserRenderOptions = {}): Promise<Outcome<Rendered<string>>> {
  return renderWithTitleAny(input, svgOnly(options)) as Promise<Outcome<Rendered<string>>>;
}

export interface PngOptions extends Omit<BrowserRenderOptions, 'theme' | 'embedFont'> {
  /** light (default) or dark: a picture cannot follow the reader's colour scheme. */
  theme?: 'light' | 'dark';
  /** Pixels per SVG unit (default 1, at most 8). */
  scale?: number;
}

/**
 * A PNG of the diagram, drawn by the browser: the SVG (with its font embedded) on a canvas.
 * `value` is undefined when the input has an error.
 */
export async function renderPng(input: string | Diagram, options: PngOptions = {}): Promise<Outcome<Blob>> {
  const { scale: wanted, ...rest } = options;
  const r = await renderAny(input, { ...rest, format: 'svg', embedFont: true });
  if (!r.ok) return r as Outcome<Blob>;
  const scale = Math.min(8, Math.max(0.1, wanted !== undefined && Number.isFinite(wanted) ? wanted : 1));
  const svg = r.value as string;
  const size = (name: 'width' | 'height'): number => Number(new RegExp(`<svg[^>]* ${name}="([0-9.]+)"`).exec(svg)?.[1]) || 1;
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(size('width') * scale);
    canvas.height = Math.ceil(size('height') * scale);
    const context = canvas.getContext('2d')!;
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!blob) throw new Error('flowlane/browser: the canvas gave no PNG');
    return { ok: true, value: blob, diagnostics: r.diagnostics };
  } finally {
    URL.revokeObjectURL(url);
  }
}
