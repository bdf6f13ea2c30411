// `run()`: what a docs page calls (or the IIFE build calls on load) to turn every diagram fence into
// its diagram, like mermaid.run(). Input: the page's code blocks matching a selector. Output: each
// block replaced, in place, by an inline SVG, or by a box that names the first errors' line and
// column and keeps the source beneath; and a list of what was done, for callers that want it.
import { renderWithTitle } from './render.js';
import type { Diagnostic } from '../core/index.js';
import type { LayoutDirection } from '../layout/types.js';
import type { ThemeName } from '../render/index.js';

export interface RunOptions {
  /** Which elements hold diagram source. Default: Markdown fences marked fz or flowzap. */
  selector?: string;
  /** auto (default: follows prefers-color-scheme), light or dark. */
  theme?: ThemeName;
  direction?: LayoutDirection;
  /** Where to look; default the whole document. */
  root?: ParentNode;
  /** Lay out in a Web Worker (default true), when the bundle's script can be started as one. */
  worker?: boolean;
}

export interface RunResult {
  /** The element that now stands where the block was: the diagram's, or the error box. */
  element: HTMLElement;
  ok: boolean;
  diagnostics: Diagnostic[];
}

export const DEFAULT_SELECTOR = 'pre code.language-fz, pre code.language-flowzap';

// Every diagram of a page needs its own ids (the SVG's ids and CSS rules are scoped by them), across
// several calls of run() too.
let diagramsOnPage = 0;

/** Marks a block already handled (an error box keeps its block), so a second run() skips it. */
const DONE = 'data-flowlane';

export async function run(options: RunOptions = {}): Promise<RunResult[]> {
  const root = options.root ?? document;
  addStylesheet();
  const results: RunResult[] = [];
  for (const code of Array.from(root.querySelectorAll<HTMLElement>(options.selector ?? DEFAULT_SELECTOR))) {
    if (code.hasAttribute(DONE) || !code.isConnected) continue;
    code.setAttribute(DONE, 'pending');
    // A fence is <pre><code>: the whole <pre> is what the diagram replaces.
    const block = code.parentElement?.tagName === 'PRE' && code.parentElement.children.length === 1 ? code.parentElement : code;
    const text = code.textContent ?? '';
    const id = `fz-${++diagramsOnPage}`;
    const r = await renderWithTitle(text, { theme: options.theme ?? 'auto', id, ...(options.direction ? { direction: options.direction } : {}), ...(options.worker === false ? { worker: false } : {}) });
    if (r.ok) {
      const figure = diagramElement(r.value.output, r.value.title);
      block.replaceWith(figure);
      code.setAttribute(DONE, 'done');
      results.push({ element: figure, ok: true, diagnostics: r.diagnostics });
    } else {
      const box = errorElement(r.diagnostics);
      block.replaceWith(box);
      box.appendChild(block);
      code.setAttribute(DONE, 'error');
      results.push({ element: box, ok: false, diagnostics: r.diagnostics });
    }
  }
  return results;
}

/** The SVG as a live element (parsed as XML, so that it is exactly the bytes the library wrote). */
function diagramElement(svg: string, title: string): HTMLElement {
  const figure = document.createElement('div');
  figure.className = 'flowlane-diagram';
  figure.setAttribute('data-title', title);
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  figure.appendChild(document.importNode(doc.documentElement, true));
  return figure;
}

const MAX_SHOWN = 5;

// A few rules for the error box, inside :where() so that any rule of the site's own wins.
const STYLE_ID = 'flowlane-run-style';
const STYLE = [
  ':where(.flowlane-error){border:1px solid #dc2626;border-left-width:4px;border-radius:4px;padding:.5em 1em;margin:1em 0;color:inherit}',
  ':where(.flowlane-error) > :where(p){margin:0 0 .25em;font-weight:600;color:#dc2626}',
  ':where(.flowlane-error) > :where(ul){margin:0 0 .5em;padding-left:1.25em;font-family:ui-monospace,monospace;font-size:.9em}',
  ':where(.flowlane-diagram) > :where(svg){max-width:100%;height:auto}',
].join('\n');
function addStylesheet(): void {
  if (document.getElementById(STYLE_ID)) return;
  const style = document.createElement('style');
  style.id = STYLE_ID;
  style.textContent = STYLE;
  document.head.appendChild(style);
}

/** "line 3, column 7: unknown shape …", 1-based as an editor shows them, for the first errors. */
function errorElement(diagnostics: Diagnostic[]): HTMLElement {
  const box = document.createElement('div');
  box.className = 'flowlane-error';
  box.setAttribute('role', 'alert');
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const heading = document.createElement('p');
  heading.textContent = `flowlane: this diagram has ${errors.length === 1 ? 'an error' : `${errors.length} errors`}`;
  box.appendChild(heading);
  const list = document.createElement('ul');
  for (const d of errors.slice(0, MAX_SHOWN)) {
    const item = document.createElement('li');
    item.setAttribute('data-line', String(d.range.start.line + 1));
    item.setAttribute('data-column', String(d.range.start.character + 1));
    item.textContent = `line ${d.range.start.line + 1}, column ${d.range.start.character + 1}: ${d.message}`;
    list.appendChild(item);
  }
  if (errors.length > MAX_SHOWN) {
    const more = document.createElement('li');
    more.textContent = `and ${errors.length - MAX_SHOWN} more`;
    list.appendChild(more);
  }
  box.appendChild(list);
  return box;
}
