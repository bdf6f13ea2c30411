// The render stage: LaidOutDiagram -> SVG text, SVG -> PNG bytes, and the whole way from a Diagram.
// Input: a LaidOutDiagram (src/layout) or a Diagram (src/model). Output: SVG text or PNG bytes.
// Pure: no file system, no process state.
import { diagnostic } from '../core/index.js';
import type { Diagnostic, Range, Result } from '../core/index.js';
import { NO_RANGE } from '../model/query.js';
import type { Diagram } from '../model/types.js';
import { layout, layoutLimit } from '../layout/index.js';
import type { LaidOutDiagram, LayoutDirection, TextBlock } from '../layout/types.js';
import { renderPng } from './png.js';
import type { PngOptions } from './png.js';
import { renderSvgDocument } from './svg.js';
import type { SvgOptions } from './svg.js';
import type { ThemeName } from './theme.js';

export type { SvgOptions } from './svg.js';
export type { PngOptions } from './png.js';
export type { ThemeName } from './theme.js';
export { escapeXml, safeId, routePath } from './svg.js';
export { DEFAULT_PNG_SCALE, renderPng } from './png.js';

/** SVG text for a laid-out diagram. Deterministic: same input and options, same bytes. */
export function renderSvg(laid: LaidOutDiagram, options: SvgOptions = {}): string {
  return renderSvgDocument(laid, options);
}

export interface RenderOptions extends SvgOptions, PngOptions {
  format?: 'svg' | 'png';
  direction?: LayoutDirection;
  theme?: ThemeName;
}

/**
 * A warning for every text drawn cut short (its whole wording stays in the SVG's <title>), at the
 * model element it belongs to.
 */
export function truncationWarnings(diagram: Diagram, laid: LaidOutDiagram): Diagnostic[] {
  const out: Diagnostic[] = [];
  const warn = (block: TextBlock | undefined, range: Range | undefined, what: string): void => {
    if (block?.full === undefined || range === undefined) return;
    out.push(diagnostic('label-truncated', range, `${what} is too long to draw (${block.full.length} characters): it is cut with '…'; the whole text stays in the SVG's <title>`));
  };
  const nodes = new Map(diagram.nodes.map((x) => [x.id, x]));
  const lanes = new Map(diagram.lanes.map((x) => [x.id, x]));
  for (const lane of laid.lanes) warn(lane.label, lanes.get(lane.id)?.range, `the label of lane '${lane.id}'`);
  for (const node of laid.nodes) {
    warn(node.label, nodes.get(node.id)?.range, `the label of node '${node.id}'`);
    for (const row of node.rows.slice(1)) warn(row.text, nodes.get(node.id)?.range, `a row of node '${node.id}'`);
  }
  for (const edge of laid.edges) warn(edge.label?.text, diagram.edges[edge.index]?.range, 'an edge label');
  for (const loop of laid.loops) warn(loop.text, diagram.loops[loop.index]?.range, 'a loop label');
  return out;
}

/**
 * Lays out and renders a diagram in one call. The diagnostics are those of rendering itself:
 * `label-truncated` warnings, or for a diagram past the layout limit (or one that exhausts the
 * stack all the same) `layout-limit` and no value; the caller reports the model's own diagnostics
 * before deciding to render.
 */
export async function renderDiagram(diagram: Diagram, options: RenderOptions = {}): Promise<Result<string | Uint8Array | undefined>> {
  const tooBig = layoutLimit(diagram);
  if (tooBig) return { value: undefined, diagnostics: [tooBig] };
  let laid: LaidOutDiagram;
  try {
    laid = await layout(diagram, options.direction ? { direction: options.direction } : {});
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    return { value: undefined, diagnostics: [diagnostic('layout-limit', NO_RANGE, `the diagram could not be laid out (${e.message}); split it into smaller diagrams`)] };
  }
  const diagnostics = truncationWarnings(diagram, laid);
  if (options.format === 'png') {
    const svg = renderSvg(laid, { ...options, theme: options.theme === 'dark' ? 'dark' : 'light', embedFont: false, resolvedColors: true });
    return { value: renderPng(svg, options), diagnostics };
  }
  return { value: renderSvg(laid, options), diagnostics };
}
