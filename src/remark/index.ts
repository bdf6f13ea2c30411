// `flowlane/remark`: a remark (unified) plugin that draws diagram fences during a docs build
// (Docusaurus, Astro, plain unified). Input: the mdast tree of a Markdown file. Output: the same tree
// with every ```fz / ```flowzap fence, and every ```asl fence holding a state machine, replaced by
// the rendered SVG: an `html` node (`output: 'html'`, the default; with remark-rehype pass
// `allowDangerousHtml` through to rehype-stringify) or an image with a data: URL (`output: 'img'`,
// for MDX and for pipelines that drop raw HTML). A fence with an error fails the build with the
// mistake's position in the Markdown file, or with `onError: 'warn'` stays as it is and becomes a
// warning on the file. Pure: no file system.
import type { Code, Html, Image, Paragraph, Parent, Root } from 'mdast';
import type { LayoutDirection, ThemeName } from '../api/index.js';
import { fenceFileName, mapDiagnostics, renderFence, svgIdFor } from '../markdown/fences.js';
import { fenceInfo, splitLines } from '../markdown/find.js';
import type { MarkdownDiagnostic } from '../markdown/fences.js';

export interface RemarkFlowlaneOptions {
  /** Colour theme: light (default), dark, or auto (follows prefers-color-scheme). */
  theme?: ThemeName;
  /** Flow direction: right (default) or down. */
  direction?: LayoutDirection;
  /** `html` (default): an inline `<svg>`; `img`: an image with a data: URL. */
  output?: 'html' | 'img';
  /** `fail` (default) stops the build at a broken fence; `warn` leaves the fence and adds a warning. */
  onError?: 'fail' | 'warn';
}

/** The part of a vfile the plugin uses, so that any vfile version fits. */
export interface FileLike {
  value?: unknown;
  path?: string;
  message(reason: string, options?: { place?: { start: { line: number; column: number }; end: { line: number; column: number } }; ruleId?: string; source?: string }): unknown;
  fail(reason: string, options?: { place?: { start: { line: number; column: number }; end: { line: number; column: number } }; ruleId?: string; source?: string }): never;
}

export type RemarkFlowlaneTransformer = (tree: Root, file: FileLike) => Promise<void>;

interface Target {
  parent: Parent;
  node: Code;
}

function collect(parent: Parent, out: Target[]): void {
  for (const child of parent.children) {
    if (child.type === 'code') out.push({ parent, node: child });
    else if ('children' in child) collect(child as Parent, out);
  }
}

function toPlace(d: MarkdownDiagnostic): { start: { line: number; column: number }; end: { line: number; column: number } } {
  return { start: { line: d.range.start.line + 1, column: d.range.start.character + 1 }, end: { line: d.range.end.line + 1, column: d.range.end.character + 1 } };
}

/** The plugin: `unified().use(remarkParse).use(remarkFlowlane, { theme: 'dark' })…`. */
export default function remarkFlowlane(options: RemarkFlowlaneOptions = {}): RemarkFlowlaneTransformer {
  const renderOptions = { ...(options.theme ? { theme: options.theme } : {}), ...(options.direction ? { direction: options.direction } : {}) };
  return async (tree, file) => {
    const targets: Target[] = [];
    collect(tree, targets);
    const sourceLines = typeof file.value === 'string' ? splitLines(file.value) : [];
    for (const { parent, node } of targets) {
      const info = fenceInfo(node);
      if (!info) continue;
      const name = fenceFileName(info, node.value, renderOptions);
      const rendered = info.problem ? undefined : await renderFence(info, node.value, { ...renderOptions, id: svgIdFor(name) });
      const svg = rendered?.svg;
      if (!rendered || svg === undefined) {
        const openLine = (node.position?.start.line ?? 1) - 1;
        const found: MarkdownDiagnostic[] = rendered
          ? mapDiagnostics(rendered.diagnostics.filter((d) => d.severity === 'error'), openLine + 1, node.value, sourceLines)
          : [{ code: 'markdown-fence', severity: 'error', message: info.problem ?? 'bad fence', range: { start: { line: openLine, character: (node.position?.start.column ?? 1) - 1 }, end: { line: openLine, character: (node.position?.start.column ?? 1) - 1 } } }];
        const first = found[0];
        const reason = first ? `diagram fence: ${first.message}` : 'diagram fence: the diagram has errors';
        const extra = first ? { place: toPlace(first), ruleId: String(first.code), source: 'flowlane' } : { source: 'flowlane' };
        if (options.onError === 'warn') {
          for (const d of found) file.message(`diagram fence: ${d.message}`, { place: toPlace(d), ruleId: String(d.code), source: 'flowlane' });
          continue;
        }
        file.fail(reason, extra);
        continue;
      }
      const index = parent.children.indexOf(node);
      let replacement: Html | Paragraph;
      if (options.output === 'img') {
        const image: Image = { type: 'image', url: `data:image/svg+xml;base64,${base64(svg)}`, alt: rendered.title, title: null };
        replacement = { type: 'paragraph', children: [image] };
      } else replacement = { type: 'html', value: `<div class="flowlane-diagram" data-name="${name}">${svg}</div>` };
      if (node.position) replacement.position = node.position;
      parent.children.splice(index, 1, replacement as (typeof parent.children)[number]);
    }
  };
}

export { remarkFlowlane };

/** Base64 of UTF-8 text with web APIs only, so the plugin also runs outside Node. */
function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
