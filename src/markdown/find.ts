// Which fences of a Markdown text are diagrams, with the reference this tool wrote after each.
// Input: Markdown text, or an mdast `code` node. Output: FenceInfo, the fences in document order.
// Kept apart from fences.ts, which renders: the CLI counts a file's diagram fences with these same
// rules before it loads the renderer (src/cli/relaunch.ts).
import { fromMarkdown } from 'mdast-util-from-markdown';
import type { Code, Nodes, Parent, RootContent } from 'mdast';
import type { SourceLanguage } from '../api/index.js';

/** What a diagram fence is. */
export interface FenceInfo {
  /** `fz` for ```fz / ```flowzap, `asl` for ```asl holding a state machine. */
  language: SourceLanguage;
  /** The `id` given on the fence line (`id=login`, `id="login"` or `{#login}`), if any. */
  id?: string;
  /** A mistake on the fence line itself (a malformed id), reported like a diagnostic inside the fence. */
  problem?: string;
}

const FZ_LANGS = new Set(['fz', 'flowzap']);
const ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Whether a fence is a diagram, and its id. ```asl fences count only when they hold a state machine
 * (both `StartAt` and `States` appear): docs often show a single state or a fragment in ```asl.
 */
export function fenceInfo(node: Pick<Code, 'lang' | 'meta' | 'value'>): FenceInfo | undefined {
  const lang = (node.lang ?? '').toLowerCase();
  let language: SourceLanguage;
  if (FZ_LANGS.has(lang)) language = 'fz';
  else if (lang === 'asl' && /\bStartAt\b/.test(node.value) && /\bStates\b/.test(node.value)) language = 'asl';
  else return undefined;
  const info: FenceInfo = { language };
  const meta = node.meta ?? '';
  const m = /(?:^|\s)id=(?:"([^"]*)"|'([^']*)'|(\S+))/.exec(meta) ?? /\{#([^}\s]*)\}/.exec(meta);
  if (m) {
    const id = m[1] ?? m[2] ?? m[3] ?? '';
    if (ID_RE.test(id)) info.id = id;
    else info.problem = `the fence's id \`${id}\` cannot name a file: use letters, digits, \`.\`, \`_\` and \`-\`, starting with a letter or digit`;
  }
  return info;
}

export interface Found {
  node: Code;
  info: FenceInfo;
  /** The node right after the fence that this tool wrote earlier, if any. */
  reference?: RootContent;
  /** What goes before each inserted line: the fence's container prefix (`> `, list indentation). */
  prefix: string;
}

/** Where an inline SVG starts; a reference is recognised by it (or by being a lone `.svg` image). */
export const INLINE_OPEN = '<div class="flowlane-diagram"';

/** Every diagram fence of a Markdown text, with the reference that follows it, in document order. */
export function findDiagramFences(markdown: string): Found[] {
  const tree = fromMarkdown(markdown);
  const lines = splitLines(markdown);
  const out: Found[] = [];
  const visit = (parent: Parent): void => {
    parent.children.forEach((child, i) => {
      if (child.type === 'code') {
        const info = fenceInfo(child);
        // Indented code blocks have no language; only fenced ones are diagrams.
        if (info && child.position) {
          const next = parent.children[i + 1];
          const found: Found = { node: child, info, prefix: containerPrefix(lines[child.position.start.line - 1] ?? '', child.position.start.column) };
          if (next && isReference(next)) found.reference = next;
          out.push(found);
        }
      }
      if ('children' in child) visit(child as Parent);
    });
  };
  visit(tree);
  return out;
}

/** A node this tool writes after a fence: a paragraph that is a single `.svg` image, or an inline SVG block. */
function isReference(node: Nodes): boolean {
  if (node.type === 'html') return node.value.startsWith(INLINE_OPEN);
  if (node.type !== 'paragraph' || node.children.length !== 1) return false;
  const only = node.children[0]!;
  return only.type === 'image' && /\.svg(?:[?#].*)?$/i.test(only.url);
}

/** The prefix of a fence's lines inside containers: `>` kept, list markers and text turned into spaces. */
function containerPrefix(line: string, column: number): string {
  return line.slice(0, column - 1).replace(/[^>\s]/g, ' ').replace(/\t/g, '    ');
}

/** Splits text into lines the way positions count them (`\r\n`, `\n` or `\r` end a line). */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\n|\r/);
}
