// The Markdown stage behind `flowlane md`. Input: the text of a Markdown file and MarkdownOptions.
// Output: the new Markdown text (each diagram fence followed by exactly one image reference, or by
// the inline SVG), the SVG files that go with it, and the diagnostics of every fence, moved to the
// Markdown file's lines and columns. When any fence has an error the text comes back unchanged and
// there are no assets. Pure: the CLI reads and writes the files.
//
// Example, with the default options:
//   ```fz id=login            ```fz id=login
//   a { … }             ->    a { … }
//   ```                       ```
//                             
//                             ![Swimlane diagram: A](login.svg)
// A second run finds that reference right after the fence and rewrites it in place, so nothing changes.
import type { LayoutDirection, ThemeName } from '../api/index.js';
import { fenceFileName, mapDiagnostics, renderFence, svgIdFor } from './fences.js';
import { findDiagramFences, INLINE_OPEN, splitLines } from './find.js';
import type { MarkdownDiagnostic } from './fences.js';
import type { FenceInfo } from './find.js';
import type { RootContent } from 'mdast';

export type { MarkdownDiagnostic, FenceRenderOptions, RenderedFence } from './fences.js';
export type { FenceInfo } from './find.js';
export { fenceInfo, findDiagramFences, splitLines } from './find.js';
export { fenceFileName, fenceHash, renderFence, mapDiagnostics, mapRange, embeddable, svgIdFor } from './fences.js';

export interface MarkdownOptions {
  /** Embed each SVG in the Markdown instead of referencing a file. */
  inline?: boolean;
  /** URL prefix from the Markdown file to the image directory (`''` beside it, `img/` …); ends with `/` when not empty. */
  imagePrefix?: string;
  /** Colour theme of the pictures (default light). */
  theme?: ThemeName;
  /** Flow direction (default right). */
  direction?: LayoutDirection;
}

/** One SVG file the Markdown refers to. */
export interface MarkdownAsset {
  /** File name, relative to the image directory. */
  name: string;
  /** The SVG text, as it should be on disk. */
  svg: string;
}

/** One diagram fence and what was done with it. */
export interface FenceReport {
  /** 0-based line of the opening fence in the Markdown file. */
  line: number;
  /** The image file name (also the name used for the inline SVG's ids). */
  name: string;
  /** Whether the fence was already followed by the reference (or inline SVG) this run writes. */
  upToDate: boolean;
}

export interface MarkdownOutput {
  /** The new Markdown text; the input text itself when a fence has an error. */
  text: string;
  /** The SVG files to write (empty with `inline`, or when a fence has an error). */
  assets: MarkdownAsset[];
  /** Every diagram fence, in order. */
  fences: FenceReport[];
  /** Diagnostics of every fence, in the Markdown file's coordinates. */
  diagnostics: MarkdownDiagnostic[];
  /** False when a fence has an error. */
  ok: boolean;
  /**
   * Content-hash-named images that a fence's old reference pointed to and that this run no longer
   * writes (the diagram changed): the caller removes them, so edits leave no orphaned files.
   */
  superseded: string[];
}

const HASH_NAMED = /^fz-[0-9a-f]{16}\.svg$/;

/** The hash-named image an existing reference points to, if any (`imagePrefix` removed). */
function referencedHashImage(reference: RootContent | undefined, prefix: string): string | undefined {
  if (reference?.type !== 'paragraph' || reference.children.length !== 1 || reference.children[0]!.type !== 'image') return undefined;
  let url = reference.children[0]!.url;
  try {
    url = decodeURIComponent(url);
  } catch {
    return undefined;
  }
  if (!url.startsWith(prefix)) return undefined;
  const name = url.slice(prefix.length);
  return HASH_NAMED.test(name) ? name : undefined;
}

/** Whether a fence's last line closes it (a fence on one line is never closed). */
function closed(lastLine: string, multiline: boolean): boolean {
  return multiline && /^[\s>]*(`{3,}|~{3,})\s*$/.test(lastLine);
}

/**
 * Escapes text for an image's alt text: Markdown parses it as inline content, so `<` would open raw
 * HTML (a page built with HTML allowed would run it), brackets would end it, backticks, `*`, `_`
 * and `&` would turn into code, emphasis and entities. Every one gets a backslash.
 */
function altText(text: string): string {
  return text.replace(/[\\[\]`<>&*_!]/g, (c) => `\\${c}`).replace(/\s+/g, ' ');
}

/** Encodes a URL for Markdown, keeping `/`. */
function markdownUrl(url: string): string {
  return url.split('/').map(encodeURIComponent).join('/');
}

function referenceText(name: string, title: string, svg: string, options: MarkdownOptions): string {
  if (options.inline) return `${INLINE_OPEN} data-name="${name}">\n${svg}\n</div>`;
  return `![${altText(title || 'Diagram')}](${markdownUrl(`${options.imagePrefix ?? ''}${name}`)})`;
}

/** Indents every line of a block after the first with the container prefix. */
function withPrefix(block: string, prefix: string, eol: string): string {
  return block.split('\n').map((l, i) => (i === 0 ? l : prefix + l)).join(eol);
}

/** Renders every diagram fence and places one reference right after each; see the file header. */
export async function processMarkdown(markdown: string, options: MarkdownOptions = {}): Promise<MarkdownOutput> {
  const found = findDiagramFences(markdown);
  const lines = splitLines(markdown);
  const eol = markdown.includes('\r\n') ? '\r\n' : '\n';
  const diagnostics: MarkdownDiagnostic[] = [];
  const assets = new Map<string, MarkdownAsset>();
  const edits: { start: number; end: number; text: string }[] = [];
  const fences: FenceReport[] = [];
  const owner = new Map<string, { value: string; line: number }>();
  const oldImages = new Set<string>();
  const renderOptions = { ...(options.theme ? { theme: options.theme } : {}), ...(options.direction ? { direction: options.direction } : {}) };
  let ok = true;

  for (const f of found) {
    const pos = f.node.position!;
    const openLine = pos.start.line - 1;
    if (f.info.problem) {
      ok = false;
      diagnostics.push({ code: 'markdown-fence', severity: 'error', range: { start: { line: openLine, character: pos.start.column - 1 }, end: { line: openLine, character: (lines[openLine] ?? '').length } }, message: f.info.problem });
      continue;
    }
    if (!closed(lines[pos.end.line - 1] ?? '', pos.start.line !== pos.end.line)) {
      // An unclosed fence runs to the end of the file: a reference written after it would land inside it.
      ok = false;
      diagnostics.push({ code: 'markdown-fence', severity: 'error', range: { start: { line: openLine, character: pos.start.column - 1 }, end: { line: openLine, character: (lines[openLine] ?? '').length } }, message: 'this diagram fence is never closed: end it with a line of three backticks' });
      continue;
    }
    const name = fenceFileName(f.info, f.node.value, renderOptions);
    const previous = owner.get(name);
    if (previous && previous.value !== f.node.value) {
      ok = false;
      diagnostics.push({
        code: 'markdown-fence',
        severity: 'error',
        range: { start: { line: openLine, character: pos.start.column - 1 }, end: { line: openLine, character: (lines[openLine] ?? '').length } },
        message: `two different diagrams would both be written to ${name}: give this fence another id`,
        related: [{ range: { start: { line: previous.line, character: 0 }, end: { line: previous.line, character: 0 } }, message: 'the other fence with this id' }],
      });
      continue;
    }
    owner.set(name, { value: f.node.value, line: openLine });
    const rendered = await renderFence(f.info, f.node.value, { ...renderOptions, id: svgIdFor(name) });
    diagnostics.push(...mapDiagnostics(rendered.diagnostics, openLine + 1, f.node.value, lines));
    if (rendered.svg === undefined) {
      ok = false;
      continue;
    }
    if (!options.inline) assets.set(name, { name, svg: `${rendered.svg}\n` });
    const old = referencedHashImage(f.reference, options.imagePrefix ?? '');
    if (old !== undefined && old !== name) oldImages.add(old);
    const text = withPrefix(referenceText(name, rendered.title, rendered.svg, options), f.prefix, eol);
    if (f.reference?.position) {
      const start = f.reference.position.start.offset!;
      const end = f.reference.position.end.offset!;
      const upToDate = markdown.slice(start, end) === text;
      fences.push({ line: openLine, name, upToDate });
      if (!upToDate) edits.push({ start, end, text });
    } else {
      fences.push({ line: openLine, name, upToDate: false });
      const at = pos.end.offset!;
      edits.push({ start: at, end: at, text: `${eol}${f.prefix.trimEnd()}${eol}${f.prefix}${text}` });
    }
  }

  if (!ok) return { text: markdown, assets: [], fences, diagnostics, ok, superseded: [] };
  let text = markdown;
  // Apply from the end so earlier offsets stay valid.
  for (const e of edits.sort((a, b) => b.start - a.start)) text = text.slice(0, e.start) + e.text + text.slice(e.end);
  return { text, assets: [...assets.values()], fences, diagnostics, ok, superseded: [...oldImages].filter((n) => !assets.has(n)).sort() };
}
