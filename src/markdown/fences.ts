// Diagram fences in Markdown (find.ts says which fences are diagrams): how they are named, how a
// diagnostic inside one maps to the Markdown file, and the SVG that replaces or follows one.
// Input: a fence's FenceInfo and text, its position, and the Markdown source text.
// Output: FenceInfo, rendered SVGs, positions in the Markdown file. Pure: used by `flowlane md` and
// by the remark plugin alike, so both name and draw a fence the same way.
import { renderWithTitle } from '../api/index.js';
import type { RenderOptions, SourceLanguage } from '../api/index.js';
import type { Diagnostic, Position, Range } from '../core/index.js';
import { fnv1a64 } from './hash.js';
import type { FenceInfo } from './find.js';

/** A diagnostic about a Markdown file: a diagram's own diagnostic, moved to the file's lines and columns. */
export interface MarkdownDiagnostic extends Omit<Diagnostic, 'code'> {
  /** The diagram's diagnostic code, or `markdown-fence` for a mistake on the fence line. */
  code: Diagnostic['code'] | 'markdown-fence';
}

/** Render options that change the picture, so they are part of a fence's content hash. */
export interface FenceRenderOptions {
  theme?: RenderOptions['theme'];
  direction?: RenderOptions['direction'];
}

/** The image file name of a fence: its id, or `fz-` and the content hash (which covers the options that change the picture). */
export function fenceFileName(info: FenceInfo, value: string, options: FenceRenderOptions = {}): string {
  if (info.id !== undefined) return `${info.id}.svg`;
  return `fz-${fenceHash(info.language, value, options)}.svg`;
}

/** A stable 64-bit hash of what decides a fence's picture, as 16 hex digits. */
export function fenceHash(language: SourceLanguage, value: string, options: FenceRenderOptions = {}): string {
  return fnv1a64([language, options.theme ?? 'light', options.direction ?? 'right', value].join('\u0000'));
}

/** A rendered fence: the SVG (one document, no blank lines, no XML declaration) and its accessible title. */
export interface RenderedFence {
  svg?: string;
  title: string;
  diagnostics: Diagnostic[];
}

/** Renders a fence's diagram; `svg` is absent when the diagram has an error. */
export async function renderFence(info: FenceInfo, value: string, options: FenceRenderOptions & { id: string }): Promise<RenderedFence> {
  const r = await renderWithTitle(value, { language: info.language, id: options.id, ...(options.theme ? { theme: options.theme } : {}), ...(options.direction ? { direction: options.direction } : {}) });
  if (!r.ok || r.value === undefined) return { title: '', diagnostics: r.diagnostics };
  return { svg: embeddable(r.value.output), title: r.value.title, diagnostics: r.diagnostics };
}

/**
 * SVG ready to sit inside HTML or Markdown: no XML declaration, and no blank line, since a blank
 * line would end a Markdown HTML block half-way through the picture.
 */
export function embeddable(svg: string): string {
  return svg.replace(/^<\?xml[^>]*\?>\s*/, '').replace(/\r?\n[ \t]*(?=\r?\n)/g, '').trimEnd();
}

/** The id prefix inside a fence's SVG, unique on a page: from the fence's id or its hash. */
export function svgIdFor(fileName: string): string {
  return `fz-${fileName.replace(/\.svg$/, '').replace(/^fz-/, '')}`;
}

/**
 * Moves a range inside a fence's content to the Markdown file. `contentLine` is the 0-based file
 * line of the fence's first content line. Content lines inside a list or block quote lose their
 * container prefix (`> `, indentation) in mdast; each line's prefix is found again in the source.
 */
export function mapRange(r: Range, contentLine: number, value: string, sourceLines: readonly string[]): Range {
  const valueLines = value.split(/\r?\n/);
  const point = (p: Position): Position => {
    const line = contentLine + p.line;
    const inner = valueLines[p.line] ?? '';
    const outer = sourceLines[line] ?? '';
    const prefix = outer.endsWith(inner) ? outer.length - inner.length : 0;
    return { line, character: prefix + p.character };
  };
  return { start: point(r.start), end: point(r.end) };
}

/** A diagram's diagnostics, moved into the Markdown file. */
export function mapDiagnostics(diagnostics: readonly Diagnostic[], contentLine: number, value: string, sourceLines: readonly string[]): MarkdownDiagnostic[] {
  return diagnostics.map((d) => {
    const moved: MarkdownDiagnostic = { ...d, range: mapRange(d.range, contentLine, value, sourceLines) };
    if (d.related) moved.related = d.related.map((r) => ({ ...r, range: mapRange(r.range, contentLine, value, sourceLines) }));
    // Fixes edit the diagram's own text; they do not apply to the Markdown file as they stand.
    delete moved.fix;
    return moved;
  });
}
