// Measures text and sizes shapes before layout, so ELK places boxes that really hold their text.
// Input: a DiagramNode (and the shared fonts). Output: a TextBlock per text and a node size.
// Shapes grow to fit: a rectangle pads its text, a circle's diameter covers the text block's
// diagonal, a diamond's half-diagonals are twice the text's half-extents (so the text's corners lie
// on or inside its edges), and a taskbox stacks its rows.
import type { JsonValue } from '../core/index.js';
import type { Attribute, Diagram, DiagramNode, Edge } from '../model/types.js';
import { attributeValue } from '../model/query.js';
import { defaultFonts, fallbackFonts, fontGeneration, lineHeight, loadFallbacks, needsFallback, textWidth, wrapText } from './fonts.js';
import type { Font } from './fonts.js';
import { METRICS } from './options.js';
import type { EdgeKind, NodeKind, TextBlock } from './types.js';

/** Removes control characters (they have no glyph and are not allowed in XML 1.0). */
export function cleanText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]/g, '').replace(/[\ud800-\udfff]/g, (c, i: number, s: string) => {
    // Keep well-formed surrogate pairs, drop lone halves.
    const code = c.charCodeAt(0);
    if (code < 0xdc00) return i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff ? c : '';
    return i > 0 && s.charCodeAt(i - 1) >= 0xd800 && s.charCodeAt(i - 1) < 0xdc00 ? c : '';
  });
}

export function fontFor(weight: number): Font {
  const f = defaultFonts();
  return weight >= 600 ? f.semibold : f.regular;
}

/**
 * Measured texts, by size, weight, width and text. Diagrams repeat their labels ("Yes", "No",
 * error names) and a docs pipeline or an editor preview renders the same diagram again and again;
 * wrapping is the costliest part of measuring. Bounded, so a long-lived process does not grow.
 */
const measured = new Map<string, TextBlock>();
const MEASURED_MAX = 20_000;

/**
 * Longest text that is wrapped at all, in UTF-16 units: more than `maxLines` lines of the widest
 * line can hold, so cutting here never changes what is drawn, and a 5 MB label costs no more to
 * draw than a 4 kB one.
 */
export const MAX_WRAPPED_LENGTH = 4000;

/** How far a node widens (times its wrap width) before a word that cannot break is cut. */
export const WIDEN = 1.6;

/**
 * Loads the fallback fonts the diagram's texts need, so that they are measured with the faces that
 * draw them. Every text the layout measures comes from the lanes, nodes (labels and attributes),
 * edges (labels and Catch errors) and loops.
 */
export function loadFontsFor(diagram: Diagram): Promise<void> {
  // Every layout calls this: once the fallbacks are in it reads nothing, and it tests each text
  // apart rather than a joined copy of them all.
  if (fallbackFonts().length > 0) return Promise.resolve();
  const texts: string[] = [];
  // Of an attribute only its key and value can be drawn (not its source ranges); a string value as
  // it is, any other JSON value as its text.
  const attributeTexts = (attributes: Attribute[]): void => {
    for (const a of attributes) texts.push(a.key, typeof a.value === 'string' ? a.value : JSON.stringify(a.value));
  };
  for (const l of diagram.lanes) texts.push(l.label ?? '', l.id);
  for (const x of diagram.nodes) {
    texts.push(x.label ?? '', x.id);
    attributeTexts(x.attributes);
  }
  for (const e of diagram.edges) {
    texts.push(e.label ?? '');
    attributeTexts(e.attributes);
  }
  for (const l of diagram.loops) texts.push(l.text);
  const needing = texts.find(needsFallback);
  return needing === undefined ? Promise.resolve() : loadFallbacks(needing);
}

/** Wraps and measures a text; `widest` bounds the widening for unbreakable words (default maxWidth × WIDEN). */
export function measureText(text: string, size: number, weight: number, maxWidth: number, widest = Math.round(maxWidth * WIDEN)): TextBlock {
  const key = `${fontGeneration()}|${size}|${weight}|${maxWidth}|${widest}|${text}`;
  let block = measured.get(key);
  if (!block) {
    if (measured.size >= MEASURED_MAX) measured.clear();
    block = measureUncached(text, size, weight, maxWidth, widest);
    measured.set(key, block);
  }
  // A copy: callers own what they get.
  return { ...block, lines: [...block.lines] };
}

function measureUncached(text: string, size: number, weight: number, maxWidth: number, widest: number): TextBlock {
  const font = fontFor(weight);
  const clean = cleanText(text).trim();
  let cut = clean.length > MAX_WRAPPED_LENGTH;
  const wrapped = cut ? clean.slice(0, MAX_WRAPPED_LENGTH) : clean;
  let lines = wrapped ? wrapText(font, wrapped, size, maxWidth, { widest }) : [];
  const limit = Math.max(maxWidth, ...lines.map((l) => textWidth(font, l, size)));
  if (lines.length > METRICS.maxLines) {
    lines = lines.slice(0, METRICS.maxLines);
    cut = true;
  }
  if (cut && lines.length > 0) {
    let last = lines[lines.length - 1]!.replace(/\u2026$/, '');
    while (last.length > 0 && textWidth(font, `${last}…`, size) > limit) last = Array.from(last).slice(0, -1).join('');
    lines[lines.length - 1] = `${last.trimEnd()}…`;
  }
  const lh = lineHeight(font, size);
  const width = Math.ceil(Math.max(0, ...lines.map((l) => textWidth(font, l, size))));
  const block: TextBlock = { lines, size, weight, width, height: lines.length * lh, lineHeight: lh };
  if (cut) block.full = clean;
  return block;
}

function stringAttr(node: DiagramNode, key: string): string | undefined {
  const v = attributeValue(node.attributes, key);
  return typeof v === 'string' ? v : undefined;
}

/** The ASL Type of a node, if it is a state. */
export function stateType(node: DiagramNode): string | undefined {
  return stringAttr(node, 'Type');
}

/** Diameter of a branch's start or end marker (a dot, whatever the diagram's other circles). */
export const MARKER_SIZE = 20;

/**
 * Whether a node is the start or end marker of a Parallel branch or a Map's iterator: a circle that
 * is no state, in a nested lane, with nothing coming in (start) or going out (end), and labelled
 * "Start"/"End" or not at all (what from-asl writes). Such a marker is drawn as a small dot, its
 * label kept as a tooltip: nine full circles for five states said less than the frame around them.
 */
export function branchMarker(node: DiagramNode, nested: boolean, hasIn: boolean, hasOut: boolean): 'start' | 'end' | undefined {
  if (!nested || normalShape(node.shape) !== 'circle' || node.block || stateType(node) !== undefined) return undefined;
  const label = node.label?.trim().toLowerCase();
  if (!hasIn && (label === undefined || label === '' || label === 'start')) return 'start';
  if (!hasOut && (label === undefined || label === '' || label === 'end')) return 'end';
  return undefined;
}

export function nodeKind(node: DiagramNode, hasIn: boolean, hasOut: boolean): NodeKind {
  const type = stateType(node);
  if (node.block && (type === 'Parallel' || type === 'Map' || type === undefined)) return 'container';
  if (type === 'Succeed') return 'succeed';
  if (type === 'Fail') return 'fail';
  if (type === 'Choice') return 'choice';
  if (type !== undefined) return 'state';
  if (node.shape === 'circle' && !hasIn) return 'start';
  if (node.shape === 'circle' && !hasOut) return 'end';
  return 'plain';
}

export function edgeKind(edge: Edge): EdgeKind {
  if (attributeValue(edge.attributes, 'Catch') !== undefined) return 'catch';
  const d = attributeValue(edge.attributes, 'Default');
  if (d !== undefined && d !== false) return 'default';
  if (attributeValue(edge.attributes, 'Choice') !== undefined) return 'choice';
  return 'next';
}

/** The text drawn on an edge: its label, or for a Catch edge without one, the error names. */
export function edgeText(edge: Edge, kind: EdgeKind): string | undefined {
  if (edge.label !== undefined && edge.label.trim() !== '') return edge.label;
  if (kind === 'catch') {
    const c = attributeValue(edge.attributes, 'Catch');
    const errors = c && typeof c === 'object' && !Array.isArray(c) ? c['ErrorEquals'] : undefined;
    if (Array.isArray(errors)) return errors.filter((e): e is string => typeof e === 'string').join(', ') || 'Catch';
    return 'Catch';
  }
  if (kind === 'default') return 'Default';
  return undefined;
}

export function retryInfo(node: DiagramNode): { count: number; maxAttempts?: number } | undefined {
  const r: JsonValue | undefined = attributeValue(node.attributes, 'Retry');
  if (!Array.isArray(r) || r.length === 0) return undefined;
  let max: number | undefined;
  for (const item of r) {
    if (item && typeof item === 'object' && !Array.isArray(item)) {
      const m = item['MaxAttempts'];
      if (typeof m === 'number' && Number.isFinite(m)) max = Math.max(max ?? 0, m);
    }
  }
  return max === undefined ? { count: r.length } : { count: r.length, maxAttempts: max };
}

export function normalShape(shape: string): 'circle' | 'rectangle' | 'diamond' | 'taskbox' {
  return shape === 'circle' || shape === 'diamond' || shape === 'taskbox' ? shape : 'rectangle';
}

export interface MeasuredNode {
  width: number;
  height: number;
  label: TextBlock;
  /** Taskbox rows with sizes relative to the node's top-left (boxes filled in by apply-layout). */
  rows: { role: 'title' | 'item' | 'owner' | 'description' | 'system'; text: TextBlock; y: number; height: number }[];
}

/** Sizes a leaf node (not a container) to fit its text, leaving room for a retry badge. */
export function measureNode(node: DiagramNode): MeasuredNode {
  const m = measureShape(node);
  // The badge sits in the top-right corner; growing both sides keeps the label centred and clear of it.
  if (retryInfo(node)) {
    m.width += 2 * RETRY_BADGE_WIDTH;
    if (normalShape(node.shape) === 'circle') m.height = m.width;
  }
  return m;
}

/** Space between a circle's ring and the farthest corner of its label's box (rings are up to 3.5 px thick). */
export const CIRCLE_PADDING = 8;

/** How far inside a Succeed circle its second ring is drawn. */
export const SUCCEED_RING_INSET = 4;

/** A circle grows to the size of another circle of its diagram at most this many times its own. */
export const CIRCLE_SPREAD = 1.85;

/**
 * One size for the start, end, succeed and fail circles of a diagram, where their labels allow it:
 * sorted by the size their labels need, circles within CIRCLE_SPREAD of the smallest of a run take
 * the run's largest size, so "Start" and "End" match while a long label does not inflate every
 * marker. Input: the diagram's leaf nodes. Output: diameter by node id (circles only).
 */
export function circleSizes(nodes: DiagramNode[], markers: Set<string> = new Set()): Map<string, number> {
  const own = nodes.filter((x) => normalShape(x.shape) === 'circle' && !x.block && !markers.has(x.id)).map((x) => ({ id: x.id, d: measureNode(x).width }));
  own.sort((a, b) => a.d - b.d || (a.id < b.id ? -1 : 1));
  const out = new Map<string, number>();
  for (let i = 0; i < own.length; ) {
    let j = i;
    while (j < own.length && own[j]!.d <= own[i]!.d * CIRCLE_SPREAD) j++;
    const size = own[j - 1]!.d;
    for (let k = i; k < j; k++) out.set(own[k]!.id, size);
    i = j;
  }
  return out;
}

/** Width of the retry badge drawn by src/render, plus its margin. */
export const RETRY_BADGE_WIDTH = 44;

function measureShape(node: DiagramNode): MeasuredNode {
  const shape = normalShape(node.shape);
  const { padding, min, wrap, fontSize, smallFontSize } = METRICS;
  const labelText = node.label ?? (shape === 'circle' ? '' : node.id);
  if (shape === 'taskbox') {
    const parts = labelText.split('|').map((p) => p.trim()).filter((p) => p !== '');
    const rows: MeasuredNode['rows'] = [];
    const add = (role: MeasuredNode['rows'][number]['role'], text: string, size: number, weight: number): void => {
      const t = measureText(text, size, weight, wrap.taskbox);
      rows.push({ role, text: t, y: 0, height: t.height + padding.y });
    };
    add('title', parts[0] ?? node.id, fontSize, 600);
    for (const p of parts.slice(1)) add('item', `• ${p}`, smallFontSize, 400);
    const owner = stringAttr(node, 'owner');
    const description = stringAttr(node, 'description');
    const system = stringAttr(node, 'system');
    if (owner) add('owner', `Owner: ${owner}`, smallFontSize, 400);
    if (description) add('description', description, smallFontSize, 400);
    if (system) add('system', `System: ${system}`, smallFontSize, 400);
    let y = padding.y / 2;
    for (const r of rows) {
      r.y = y;
      y += r.height;
    }
    const width = Math.max(min.rectangle.width, ...rows.map((r) => r.text.width + 2 * padding.x));
    return { width: Math.ceil(width), height: Math.ceil(Math.max(min.rectangle.height, y + padding.y / 2)), label: rows[0]!.text, rows };
  }
  if (shape === 'circle') {
    // The label's box lies inside the circle: its diagonal is a chord, plus padding on both ends.
    // A Succeed state's inner ring (drawn 4 px inside, src/render/svg.ts) must clear the label too.
    const label = measureText(labelText, fontSize, 400, wrap.circle);
    const inset = stateType(node) === 'Succeed' ? SUCCEED_RING_INSET : 0;
    const d = Math.max(min.circle, Math.hypot(label.width, label.height) + 2 * (CIRCLE_PADDING + inset));
    return { width: Math.ceil(d), height: Math.ceil(d), label, rows: [] };
  }
  if (shape === 'diamond') {
    const label = measureText(labelText, fontSize, 400, wrap.diamond, Math.round(wrap.diamond * 1.25));
    const w = Math.max(min.diamond.width, 2 * label.width + 2 * padding.x);
    const h = Math.max(min.diamond.height, 2 * label.height + 2 * padding.y);
    return { width: Math.ceil(w), height: Math.ceil(h), label, rows: [] };
  }
  const label = measureText(labelText, fontSize, 400, wrap.rectangle);
  const w = Math.max(min.rectangle.width, label.width + 2 * padding.x);
  const h = Math.max(min.rectangle.height, label.height + 2 * padding.y);
  return { width: Math.ceil(w), height: Math.ceil(h), label, rows: [] };
}
