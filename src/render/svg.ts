// Draws a LaidOutDiagram as SVG text on the svgdom document from dom.ts: svg.js makes the root,
// plain DOM calls (child, attr, words below) everything inside it.
// Input: LaidOutDiagram (src/layout) and SvgOptions. Output: one well-formed, self-contained SVG
// document: no script, no event attributes, no external references; colours through CSS classes
// and variables (theme.ts); the measured font embedded as a subset.
// Structure (stable, for users' CSS and for tests):
//   g.fz-lane[data-id] > rect.fz-lane-body, g.fz-lane-head > rect.fz-lane-header + text.fz-lane-label, g.fz-node…
//   g.fz-node[data-id][data-shape][data-kind] > .fz-shape, text.fz-label (containers: g.fz-lane… inside)
//   A branch's start or end marker: g.fz-node[data-marker] > circle.fz-shape.fz-marker-start|end
//   (an end adds circle.fz-marker-core), title; no text.
//   A text of one line holds it directly; a text of several lines holds one tspan per line.
//   g.fz-edge[data-from][data-to][data-from-handle][data-to-handle] > path.fz-edge-path, g.fz-edge-label
//   With a trace (SvgOptions.trace): root .fz-trace.fz-trace-<status>; g.fz-node.fz-visited[data-visits]
//   (> g.fz-visit-badge past one visit) or .fz-untaken; .fz-failed > g.fz-failed-mark[data-error];
//   g.fz-edge.fz-taken or .fz-untaken. Without one, none of these (nor their CSS) is written.
// Every id is `${diagram id}-…` built from model ids, so two diagrams on one page never clash.
import type { Svg } from '@svgdotjs/svg.js';
import { defaultFonts, faceFor, fallbackFonts, textWidth } from '../layout/fonts.js';
import type { Font } from '../layout/fonts.js';
import type { Box, LaidOutDiagram, LaidOutEdge, LaidOutLane, LaidOutNode, Point, TextBlock } from '../layout/types.js';
import { addAttribute, createElement, createSvgRoot, recycleSvgRoot, serializeSvg, xmlSafe } from './dom.js';

export { xmlSafe } from './dom.js';
import { compactSubset, subsetFont, toBase64 } from './font-subset.js';
import { CATCH_DASH, invalidRules, markerRules, stylesheet, traceRules } from './theme.js';
import type { PathOverlay } from './trace.js';
import type { ThemeName } from './theme.js';

export interface SvgOptions {
  /** light (default), dark, or auto (follows prefers-color-scheme). */
  theme?: ThemeName;
  /** Prefix of every id in the SVG; sanitised to [A-Za-z0-9_-]. Default `fz`. */
  id?: string;
  /** Embed a subset of the font (default true). Without it the SVG only names the font. */
  embedFont?: boolean;
  /** Write plain colours instead of CSS variables (for rasterisers without CSS variables). */
  resolvedColors?: boolean;
  /**
   * Nodes to mark as invalid (`render --allow-invalid` of an ASL definition AWS would reject), by node
   * id, with the errors about each: class `fz-invalid`, a `!` badge and the errors as its tooltip.
   */
  invalid?: ReadonlyMap<string, readonly string[]>;
  /**
   * The path of an execution to draw over the diagram (`run --svg`, `render --trace`): visited nodes
   * `fz-visited` (with `data-visits` and a count badge past one visit), taken edges `fz-taken`, the
   * rest `fz-untaken` (dimmed), the failing node `fz-failed` with its error. Without it, no trace
   * class, rule or element is written: the drawing is byte for byte the one without a trace.
   */
  trace?: PathOverlay;
}

/** Makes a string usable inside an XML id and a CSS id selector. */
export function safeId(text: string): string {
  if (/^[A-Za-z0-9_-]+$/.test(text)) return text;
  let out = '';
  for (const ch of text) {
    if (/[A-Za-z0-9_-]/.test(ch)) out += ch;
    else out += `_${ch.codePointAt(0)!.toString(16)}_`;
  }
  return out || '_';
}

/**
 * Numbers with at most two decimals and no `-0`, so the output is stable and compact: what
 * String(Math.round(v * 100) / 100) writes, but from the integer number of hundredths, since
 * printing a fraction is V8's slow path (a quarter of a microsecond, a few thousand times a drawing).
 */
function n(v: number): string {
  const k = Math.round(v * 100);
  if (k === 0) return '0';
  // Beyond this the shortest decimal of k / 100 may have fewer digits; no drawing gets there.
  if (!(Math.abs(k) < 1e12)) return String(k / 100);
  const whole = Math.trunc(k / 100);
  const cents = Math.abs(k - whole * 100);
  const int = k < 0 && whole === 0 ? '-0' : String(whole);
  if (cents === 0) return int;
  return cents % 10 === 0 ? `${int}.${cents / 10}` : `${int}.${cents < 10 ? '0' : ''}${cents}`;
}

/** Escapes text for element content and attribute values. */
export function escapeXml(text: string): string {
  return xmlSafe(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** The DOM calls the drawing makes: svgdom's elements (dom.ts) and the page's (browser/dom.ts) both have them. */
interface El {
  readonly nodeType: number;
  readonly firstChild: El | null;
  appendChild(node: unknown): unknown;
  removeChild(node: El): unknown;
  readonly ownerDocument: {
    createTextNode(text: string): unknown;
  };
}

// Below the root, elements are made with plain DOM calls, not svg.js's element(), group(), attr()
// and words(): those wrap every node in an object we never use again and run attribute hooks and
// number and colour checks that, for our values (strings, no colour attributes), write the same
// text. They were up to a fifth of the drawing time.
function child(parent: El, name: string, attrs?: Readonly<Record<string, string>>): El {
  const el = createElement(parent.ownerDocument, name) as El;
  if (attrs !== undefined) for (const k in attrs) attr(el, k, attrs[k]!);
  parent.appendChild(el);
  return el;
}

/** Adds an attribute the element does not have yet, the way the DOM module does it best (dom.ts). */
const attr: (el: El, name: string, value: string) => void = addAttribute;

/** An element's text, as svg.js's words() writes it into an element with no children yet. */
function words(el: El, text: string): void {
  el.appendChild(el.ownerDocument.createTextNode(text));
}

/**
 * Empties a tree once it is written. A finished tree is garbage, but the parts of it V8 has already
 * moved to its old generation (svgdom's child lists, which V8 allocates there once most of them
 * outlive a young collection) still point at the rest, and the young-generation collector counts
 * those pointers as live until the next full collection: it copied whole dead trees, two fifths of
 * the time of a 200-node drawing. Emptied, the tree dies young.
 */
function release(el: El): void {
  for (let c = el.firstChild; c !== null; c = el.firstChild) {
    if (c.nodeType === 1) release(c);
    el.removeChild(c);
  }
}

class Painter {
  readonly fonts = defaultFonts();
  /** The characters drawn, by the font asked for; used() finds the face of each once. */
  private readonly drawn = new Map<Font, Set<string>>();

  constructor(readonly prefix: string) {}

  font(weight: number): Font {
    return weight >= 600 ? this.fonts.semibold : this.fonts.regular;
  }

  /** The characters drawn, by the face that draws them (Inter's two weights, or a fallback). */
  used(): Map<Font, Set<string>> {
    const used = new Map<Font, Set<string>>();
    for (const [font, chars] of this.drawn) {
      for (const ch of chars) {
        const face = faceFor(font, ch.codePointAt(0)!);
        (used.get(face) ?? used.set(face, new Set()).get(face)!).add(ch);
      }
    }
    return used;
  }

  /** A text block centred on a point: one tspan per line, baselines from the font's metrics. */
  text(parent: El, block: TextBlock, center: Point, cls: string, anchor: 'middle' | 'start' = 'middle', left = 0): void {
    if (block.lines.length === 0) return;
    // A cut text keeps its whole wording as the element's tooltip and accessible name.
    if (block.full !== undefined) words(child(parent, 'title'), xmlSafe(block.full));
    const font = this.font(block.weight);
    const scale = block.size / font.unitsPerEm;
    const ascent = font.ascender * scale;
    const content = (font.ascender - font.descender) * scale;
    const top = center.y - block.height / 2;
    const x = anchor === 'middle' ? center.x : left;
    const baseline = (i: number): number => top + i * block.lineHeight + (block.lineHeight - content) / 2 + ascent;
    const drawn = this.drawn.get(font) ?? this.drawn.set(font, new Set()).get(font)!;
    for (const line of block.lines) for (const ch of line) drawn.add(ch);
    // Most labels are one line: that line goes in the text element itself, with no tspan (a
    // sixth of the elements of a large diagram, and its drawing time with them).
    if (block.lines.length === 1) {
      const t = child(parent, 'text', { class: cls, x: n(x), y: n(baseline(0)), 'font-size': n(block.size), 'text-anchor': anchor });
      if (block.weight >= 600) attr(t, 'font-weight', '600');
      words(t, xmlSafe(block.lines[0]!));
      return;
    }
    const t = child(parent, 'text', { class: cls, 'font-size': n(block.size), 'text-anchor': anchor });
    if (block.weight >= 600) attr(t, 'font-weight', '600');
    block.lines.forEach((line, i) => {
      words(child(t, 'tspan', { x: n(x), y: n(baseline(i)) }), xmlSafe(line));
    });
  }
}

function rect(parent: El, b: Box, cls: string | undefined, rx = 0): void {
  const r = child(parent, 'rect', cls === undefined ? { x: n(b.x), y: n(b.y), width: n(b.width), height: n(b.height) } : { class: cls, x: n(b.x), y: n(b.y), width: n(b.width), height: n(b.height) });
  if (rx > 0) attr(r, 'rx', n(rx));
}

/**
 * The pieces routePath draws and routeLength measures: straight runs to a point, and each corner
 * rounded as a quadratic curve from `p1` through the control point (the corner) to `p2`.
 */
type RoutePiece = { line: Point } | { p1: Point; corner: Point; p2: Point };

function routePieces(points: Point[], radius: number): RoutePiece[] {
  const pieces: RoutePiece[] = [];
  for (let i = 1; i < points.length - 1; i++) {
    const a = points[i - 1]!;
    const p = points[i]!;
    const b = points[i + 1]!;
    const lin = Math.hypot(p.x - a.x, p.y - a.y);
    const lout = Math.hypot(b.x - p.x, b.y - p.y);
    const r = Math.min(radius, lin / 2, lout / 2);
    if (r < 0.5 || lin === 0 || lout === 0) {
      pieces.push({ line: p });
      continue;
    }
    const p1 = { x: p.x - ((p.x - a.x) / lin) * r, y: p.y - ((p.y - a.y) / lin) * r };
    const p2 = { x: p.x + ((b.x - p.x) / lout) * r, y: p.y + ((b.y - p.y) / lout) * r };
    pieces.push({ p1, corner: p, p2 });
  }
  if (points.length > 1) pieces.push({ line: points[points.length - 1]! });
  return pieces;
}

/** An orthogonal route with softly rounded corners. */
export function routePath(points: Point[], radius = 6): string {
  if (points.length === 0) return '';
  let d = `M${n(points[0]!.x)} ${n(points[0]!.y)}`;
  for (const piece of routePieces(points, radius)) {
    if ('line' in piece) d += `L${n(piece.line.x)} ${n(piece.line.y)}`;
    else d += `L${n(piece.p1.x)} ${n(piece.p1.y)}Q${n(piece.corner.x)} ${n(piece.corner.y)} ${n(piece.p2.x)} ${n(piece.p2.y)}`;
  }
  return d;
}

/** The length of the line routePath draws: straight runs, and each rounded corner as its quadratic curve. */
export function routeLength(points: Point[], radius = 6): number {
  if (points.length === 0) return 0;
  let length = 0;
  let from = points[0]!;
  for (const piece of routePieces(points, radius)) {
    if ('line' in piece) {
      length += Math.hypot(piece.line.x - from.x, piece.line.y - from.y);
      from = piece.line;
    } else {
      length += Math.hypot(piece.p1.x - from.x, piece.p1.y - from.y) + quadraticLength(piece.p1, piece.corner, piece.p2);
      from = piece.p2;
    }
  }
  return length;
}

/** Arc length of a quadratic Bézier curve (5-point Gauss–Legendre: exact to far below a pixel for a corner). */
function quadraticLength(p0: Point, c: Point, p2: Point): number {
  const nodes = [
    [0, 0.5688888888888889],
    [-0.5384693101056831, 0.4786286704993665],
    [0.5384693101056831, 0.4786286704993665],
    [-0.906179845938664, 0.2369268850561891],
    [0.906179845938664, 0.2369268850561891],
  ] as const;
  let sum = 0;
  for (const [x, w] of nodes) {
    const t = (x + 1) / 2;
    const dx = 2 * (1 - t) * (c.x - p0.x) + 2 * t * (p2.x - c.x);
    const dy = 2 * (1 - t) * (c.y - p0.y) + 2 * t * (p2.y - c.y);
    sum += w * Math.hypot(dx, dy);
  }
  return sum / 2;
}

/**
 * Base64 font subsets by weight and character set. A diagram re-rendered (a watch, an editor
 * preview, a docs pipeline drawing pages that share their words) mostly needs a subset it made
 * before; subsetting and encoding were a tenth of a small diagram's drawing time. Bounded.
 */
const subsets = new Map<string, string>();
const SUBSETS_MAX = 256;

function embeddedFont(font: Font, weight: number, chars: string, compact: boolean): string {
  const key = `${font.family}|${weight}|${chars}`;
  let data = subsets.get(key);
  if (data === undefined) {
    if (subsets.size >= SUBSETS_MAX) subsets.clear();
    data = toBase64(compact ? compactSubset(font, chars) : subsetFont(font, chars));
    // toBase64 grows its text by +=, which V8 keeps as a rope of thousands of pieces and walks again
    // each time a stylesheet holding it is read; reading a character flattens it, once, here.
    data.charCodeAt(0);
    subsets.set(key, data);
  }
  return data;
}

/** A short name for a glyph set (FNV-1a, 32 bits, base 36): equal sets share it, others almost never do. */
export function glyphSetHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36).padStart(7, '0');
}

export function renderSvgDocument(laid: LaidOutDiagram, options: SvgOptions = {}): string {
  const theme: ThemeName = options.theme === 'dark' || options.theme === 'auto' ? options.theme : 'light';
  const id = safeId(options.id ?? 'fz');
  const embed = options.embedFont !== false;
  const root: Svg = createSvgRoot();
  const trace = options.trace;
  const painter = new Painter(id);
  const width = Math.max(1, laid.width);
  const height = Math.max(1, laid.height);
  root.attr({
    id,
    class: `fz-diagram fz-theme-${theme} fz-direction-${laid.direction}${trace ? ` fz-trace${trace.status ? ` fz-trace-${trace.status.toLowerCase().replace(/_/g, '-')}` : ''}` : ''}`,
    width: n(width),
    height: n(height),
    viewBox: `0 0 ${n(width)} ${n(height)}`,
    role: 'img',
    'aria-labelledby': `${id}-title ${id}-desc`,
  });
  const top = root.node as unknown as El;
  words(child(top, 'title', { id: `${id}-title` }), xmlSafe(laid.title));
  words(child(top, 'desc', { id: `${id}-desc` }), xmlSafe(laid.description));
  const style = child(top, 'style');
  const defs = child(top, 'defs');
  for (const [suffix, cls] of [
    ['arrow', 'fz-arrow'],
    ['arrow-catch', 'fz-arrow-catch'],
    ['arrow-default', 'fz-arrow-default'],
  ] as const) {
    const m = child(defs, 'marker', {
      id: `${id}-${suffix}`,
      viewBox: '0 0 10 10',
      refX: '9',
      refY: '5',
      markerWidth: '7',
      markerHeight: '7',
      markerUnits: 'strokeWidth',
      orient: 'auto',
    });
    child(m, 'path', { class: cls, d: 'M0 0L10 5L0 10Z' });
  }
  if (trace) {
    // Taken edges end in an arrow of the path's colour: a marker's fill cannot follow its edge's class.
    const arrow = child(defs, 'marker', { id: `${id}-arrow-taken`, viewBox: '0 0 10 10', refX: '9', refY: '5', markerWidth: '5', markerHeight: '5', markerUnits: 'strokeWidth', orient: 'auto' });
    child(arrow, 'path', { class: 'fz-arrow-taken', d: 'M0 0L10 5L0 10Z' });
  }
  const mark = child(defs, 'marker', { id: `${id}-default-mark`, viewBox: '0 0 10 10', refX: '-4', refY: '5', markerWidth: '8', markerHeight: '8', markerUnits: 'userSpaceOnUse', orient: 'auto' });
  child(mark, 'path', { class: 'fz-default-mark', d: 'M2 9L8 1' });

  rect(top, { x: 0, y: 0, width, height }, 'fz-background');

  const nodesByLane = new Map<string, LaidOutNode[]>();
  for (const node of laid.nodes) (nodesByLane.get(node.lane) ?? nodesByLane.set(node.lane, []).get(node.lane)!).push(node);
  const lanesByParent = new Map<string | undefined, LaidOutLane[]>();
  for (const lane of laid.lanes) (lanesByParent.get(lane.parent) ?? lanesByParent.set(lane.parent, []).get(lane.parent)!).push(lane);
  const laneOf = new Map(laid.lanes.map((l) => [l.id, l]));
  const nodeLane = new Map(laid.nodes.map((x) => [x.id, x.lane]));
  const edgesByScope = new Map<string | undefined, LaidOutEdge[]>();
  for (const e of laid.edges) {
    const scope = laneOf.get(nodeLane.get(e.from) ?? '')?.parent;
    (edgesByScope.get(scope) ?? edgesByScope.set(scope, []).get(scope)!).push(e);
  }

  const drawLanes = (parent: El, owner: string | undefined, depth: number): void => {
    const lanes = lanesByParent.get(owner) ?? [];
    const group = child(parent, 'g', { class: owner === undefined ? 'fz-lanes' : 'fz-lanes fz-nested' });
    lanes.forEach((lane, i) => {
      const g = child(group, 'g', { class: `fz-lane${i % 2 === 1 ? ' fz-lane-alt' : ''}`, 'data-id': lane.id, id: `${id}-lane-${safeId(lane.id)}` });
      rect(g, lane.box, 'fz-lane-body');
      const head = child(g, 'g', { class: 'fz-lane-head' });
      rect(head, lane.header, 'fz-lane-header');
      painter.text(head, lane.label, { x: lane.header.x + lane.header.width / 2, y: lane.header.y + lane.header.height / 2 }, 'fz-lane-label');
      for (const node of nodesByLane.get(lane.id) ?? []) drawNode(g, node, depth);
    });
  };

  const drawNode = (parent: El, node: LaidOutNode, depth: number): void => {
    const invalid = options.invalid?.get(node.id);
    const visits = trace?.visits.get(node.id);
    const failed = trace?.failed?.node === node.id ? trace.failed : undefined;
    const traced = trace ? (visits !== undefined ? ' fz-visited' : ' fz-untaken') + (failed ? ' fz-failed' : '') : '';
    const g = child(parent, 'g', {
      class: `fz-node fz-kind-${node.kind}${invalid ? ' fz-invalid' : ''}${traced}`,
      'data-id': node.id,
      'data-shape': node.shape,
      'data-kind': node.kind,
      id: `${id}-node-${safeId(node.id)}`,
    });
    if (node.type !== undefined) attr(g, 'data-type', node.type);
    if (node.marker) attr(g, 'data-marker', node.marker);
    if (visits !== undefined) attr(g, 'data-visits', String(visits));
    const b = node.box;
    const cx = b.x + b.width / 2;
    const cy = b.y + b.height / 2;
    const shapeClass = `fz-shape fz-shape-${node.shape} fz-shape-${node.kind}`;
    if (node.kind === 'container') {
      rect(g, b, shapeClass, 10);
      const headerH = node.labelCenter.y - b.y + (node.labelCenter.y - b.y) - 0;
      rect(g, { x: b.x + 1, y: b.y + 1, width: b.width - 2, height: Math.max(0, headerH - 2) }, 'fz-container-header', 9);
      painter.text(g, node.label, node.labelCenter, 'fz-label fz-label-title');
      if (node.retry) drawBadge(g, node);
      if (invalid) drawInvalidMark(g, node, invalid);
      if (depth < 64) {
        drawLanes(g, node.id, depth + 1);
        drawEdges(g, node.id);
      }
      drawTraceMarks(g, node, visits, failed);
      return;
    }
    if (node.marker) {
      // A branch's start (a dot) or end (a ring round a dot), as in a UML activity diagram; the
      // label is the tooltip.
      const r = Math.min(b.width, b.height) / 2;
      child(g, 'circle', { class: `fz-shape fz-shape-marker fz-marker-${node.marker}`, cx: n(cx), cy: n(cy), r: n(r - 1) });
      if (node.marker === 'end') child(g, 'circle', { class: 'fz-marker-core', cx: n(cx), cy: n(cy), r: n(r - 5) });
      words(child(g, 'title'), xmlSafe(node.label.full ?? node.label.lines.join(' ')));
      if (invalid) drawInvalidMark(g, node, invalid);
      drawTraceMarks(g, node, visits, failed);
      return;
    }
    if (node.shape === 'circle') {
      const r = Math.min(b.width, b.height) / 2;
      child(g, 'circle', { class: shapeClass, cx: n(cx), cy: n(cy), r: n(r) });
      if (node.kind === 'succeed') child(g, 'circle', { class: 'fz-ring', cx: n(cx), cy: n(cy), r: n(Math.max(1, r - 4)) });
    } else if (node.shape === 'diamond') {
      child(g, 'polygon', { class: shapeClass, points: `${n(cx)},${n(b.y)} ${n(b.x + b.width)},${n(cy)} ${n(cx)},${n(b.y + b.height)} ${n(b.x)},${n(cy)}` });
    } else {
      rect(g, b, shapeClass, node.shape === 'taskbox' ? 6 : 8);
    }
    if (node.shape === 'taskbox' && node.rows.length > 0) {
      node.rows.forEach((row, i) => {
        if (i > 0) child(g, 'line', { class: 'fz-row-rule', x1: n(b.x), x2: n(b.x + b.width), y1: n(row.box.y), y2: n(row.box.y) });
        const cls = row.role === 'title' ? 'fz-label fz-label-title' : row.role === 'item' ? 'fz-label fz-label-item' : 'fz-label fz-label-meta';
        painter.text(g, row.text, { x: row.box.x + row.box.width / 2, y: row.box.y + row.box.height / 2 }, cls);
      });
    } else {
      painter.text(g, node.label, node.labelCenter, 'fz-label');
    }
    if (node.retry) drawBadge(g, node);
    if (invalid) drawInvalidMark(g, node, invalid);
    drawTraceMarks(g, node, visits, failed);
  };

  /** A visit-count disc on the node's bottom-right corner, and under a failed node its error. */
  const drawTraceMarks = (g: El, node: LaidOutNode, visits: number | undefined, failed: PathOverlay['failed']): void => {
    const b = node.box;
    if (visits !== undefined && visits > 1) {
      const badge = child(g, 'g', { class: 'fz-visit-badge', 'data-visits': String(visits) });
      const label = `×${visits}`;
      const w = Math.max(20, textWidth(painter.fonts.semibold, label, 11) + 10);
      const x = node.shape === 'circle' || node.shape === 'diamond' ? b.x + b.width / 2 + 4 : b.x + b.width - w / 2;
      const y = b.y + b.height;
      rect(badge, { x: x - w / 2, y: y - 9, width: w, height: 18 }, undefined, 9);
      painter.text(badge, { lines: [label], size: 11, weight: 600, width: 0, height: 12, lineHeight: 12 }, { x, y }, 'fz-visit-text');
      words(child(badge, 'title'), `entered ${visits} times`);
    }
    if (failed) {
      const mark = child(g, 'g', { class: 'fz-failed-mark', 'data-error': failed.error });
      const text = failed.error.length > 60 ? `${failed.error.slice(0, 59)}…` : failed.error;
      const w = textWidth(painter.fonts.semibold, text, 11) + 16;
      const x = b.x + b.width / 2;
      const y = b.y + b.height + 16;
      rect(mark, { x: x - w / 2, y: y - 10, width: w, height: 20 }, undefined, 5);
      painter.text(mark, { lines: [text], size: 11, weight: 600, width: 0, height: 12, lineHeight: 12 }, { x, y }, 'fz-failed-text');
      words(child(mark, 'title'), xmlSafe(failed.cause ? `${failed.error}: ${failed.cause}` : failed.error));
    }
  };

  /** A `!` disc on the node's top-left corner; its tooltip lists the errors. */
  const drawInvalidMark = (g: El, node: LaidOutNode, errors: readonly string[]): void => {
    const mark = child(g, 'g', { class: 'fz-invalid-mark' });
    const x = node.box.x + 2;
    const y = node.box.y + 2;
    child(mark, 'circle', { cx: n(x), cy: n(y), r: '8' });
    painter.text(mark, { lines: ['!'], size: 12, weight: 700, width: 0, height: 12, lineHeight: 12 }, { x, y }, 'fz-invalid-text');
    words(child(mark, 'title'), xmlSafe(errors.join('\n')));
  };

  const drawBadge = (g: El, node: LaidOutNode): void => {
    const r = node.retry!;
    const b = node.box;
    const badge = child(g, 'g', { class: 'fz-retry-badge', 'data-retriers': String(r.count) });
    if (r.maxAttempts !== undefined) attr(badge, 'data-max-attempts', String(r.maxAttempts));
    const x = b.x + b.width - 42;
    const y = b.y + 5;
    rect(badge, { x, y, width: 36, height: 15 }, 'fz-retry-shape', 7.5);
    child(badge, 'path', { d: `M${n(x + 13)} ${n(y + 7.5)}A4.5 4.5 0 1 1 ${n(x + 11.7)} ${n(y + 4.3)}M${n(x + 11.7)} ${n(y + 1.8)}V${n(y + 4.5)}H${n(x + 9)}` });
    const label = `×${r.maxAttempts ?? r.count}`;
    painter.text(badge, { lines: [label], size: 10, weight: 600, width: 0, height: 12, lineHeight: 12 }, { x: x + 25, y: y + 7.5 }, 'fz-retry-text');
    words(child(badge, 'title'), xmlSafe(`Retry: ${r.count} retrier${r.count === 1 ? '' : 's'}${r.maxAttempts !== undefined ? `, up to ${r.maxAttempts} attempts` : ''}`));
  };

  const drawEdges = (parent: El, scope: string | undefined): void => {
    const edges = edgesByScope.get(scope) ?? [];
    if (edges.length === 0) return;
    const group = child(parent, 'g', { class: 'fz-edges' });
    // Labelled edges last, so that no route is drawn over a label (the Catch edges of a bundle run
    // through their shared label, which its leader carries).
    const order = (x: LaidOutEdge): number => (x.label ? 2 : 0) + (trace?.taken.has(x.index) ? 1 : 0);
    // With a trace, taken edges also go after untaken ones, so the path is never under a dimmed route.
    const sorted = trace ? [...edges].sort((a, b) => order(a) - order(b)) : [...edges.filter((x) => !x.label), ...edges.filter((x) => x.label)];
    for (const e of sorted) {
      const taken = trace?.taken.has(e.index);
      const g = child(group, 'g', {
        class: `fz-edge fz-edge-${e.kind}${trace ? (taken ? ' fz-taken' : ' fz-untaken') : ''}`,
        'data-from': e.from,
        'data-to': e.to,
        'data-from-handle': e.fromHandle,
        'data-to-handle': e.toHandle,
        'data-index': String(e.index),
        id: `${id}-edge-${e.index}`,
      });
      const marker = taken ? 'arrow-taken' : e.kind === 'catch' ? 'arrow-catch' : e.kind === 'default' ? 'arrow-default' : 'arrow';
      const path = child(g, 'path', { class: 'fz-edge-path', d: routePath(e.points), 'marker-end': `url(#${id}-${marker})` });
      // Catch edges of one bundle share their last run into the target: with each line's dashes
      // counted from its own start they fall out of step there and the shared run looks frayed.
      // Counted back from the end instead, every line into one point dashes in step.
      if (e.kind === 'catch') {
        const period = CATCH_DASH[0] + CATCH_DASH[1];
        attr(path, 'stroke-dashoffset', n((period - (routeLength(e.points) % period)) % period));
      }
      if (e.kind === 'default') attr(path, 'marker-start', `url(#${id}-default-mark)`);
      if (e.label) {
        const lg = child(g, 'g', { class: 'fz-edge-label' });
        rect(lg, e.label.box, undefined, 4);
        painter.text(lg, e.label.text, { x: e.label.box.x + e.label.box.width / 2, y: e.label.box.y + e.label.box.height / 2 }, 'fz-edge-label-text');
      }
    }
  };

  drawLanes(top, undefined, 0);
  const loops = child(top, 'g', { class: 'fz-loops' });
  for (const loop of laid.loops) {
    const g = child(loops, 'g', { class: 'fz-loop', 'data-index': String(loop.index), 'data-nodes': loop.nodes.join(' ') });
    // A frame with notches (nodes inside its box that are not in the loop) is a polygon.
    if (loop.outline) child(g, 'polygon', { class: 'fz-loop-frame', points: loop.outline.map((p) => `${n(p.x)},${n(p.y)}`).join(' ') });
    else rect(g, loop.box, 'fz-loop-frame', 8);
    rect(g, loop.tab, 'fz-loop-tab', 4);
    painter.text(g, loop.text, { x: loop.tab.x + loop.tab.width / 2, y: loop.tab.y + loop.tab.height / 2 }, 'fz-loop-label');
  }
  drawEdges(top, undefined);

  // The font: named always, embedded (as a subset of the characters drawn) by default. An embedded
  // subset gets a family name of its own, derived from its glyph sets: @font-face rules are global
  // to a page, so several inline SVGs naming one family would all draw with the last subset.
  let faces = '';
  const family = laid.fontFamily.replace(/[^A-Za-z0-9 _-]/g, '');
  const used = painter.used();
  const charsOf = (face: Font): string => [...(used.get(face) ?? [])].sort().join('');
  const primary = [painter.fonts.regular, painter.fonts.semibold].map((face) => ({ face, chars: charsOf(face) })).filter((x) => x.chars !== '');
  // Fallback faces draw every weight with their one face (no synthesised bold, as in the PNG).
  const fallback = fallbackFonts().map((face) => ({ face, chars: charsOf(face) })).filter((x) => x.chars !== '');
  const fallbackFamily = (face: Font): string => face.family.replace(/[^A-Za-z0-9 _-]/g, '');
  let families = [`'${family}'`, ...fallback.map((x) => `'${fallbackFamily(x.face)}'`)].join(',');
  if (embed && primary.length + fallback.length > 0) {
    const hash = glyphSetHash([...primary, ...fallback].map((x) => `${x.face.family}:${x.face.weight}:${x.chars}`).join('\u0000'));
    const subsetFamily = `${family}-${hash}`;
    for (const { face, chars } of primary) {
      const data = embeddedFont(face, face.weight, chars, false);
      faces += `@font-face{font-family:'${subsetFamily}';font-weight:${face.weight};font-style:normal;src:url(data:font/ttf;base64,${data}) format('truetype')}\n`;
    }
    const names = fallback.map(({ face, chars }) => {
      const name = `${fallbackFamily(face)}-${hash}`;
      const data = embeddedFont(face, face.weight, chars, true);
      faces += `@font-face{font-family:'${name}';font-weight:100 900;font-style:normal;src:url(data:font/ttf;base64,${data}) format('truetype')}\n`;
      return `'${name}'`;
    });
    families = [...(primary.length > 0 ? [`'${subsetFamily}'`] : []), ...names, families].join(',');
  }
  const marks = options.invalid !== undefined && options.invalid.size > 0 ? `\n${invalidRules(`#${id}`, theme, options.resolvedColors === true)}` : '';
  const traced = trace ? `\n${traceRules(`#${id}`, theme, options.resolvedColors === true)}` : '';
  const markers = laid.nodes.some((x) => x.marker) ? `\n${markerRules(`#${id}`, theme, options.resolvedColors === true)}` : '';
  words(style, stylesheet(`#${id}`, theme, families, faces, options.resolvedColors === true) + marks + markers + traced);
  // Not svg.js's svg(): it first walks the whole tree to write its own data attributes (we keep
  // none), which cost a quarter of the render at a thousand nodes. See serializeSvg.
  const svg = serializeSvg(root);
  release(top);
  recycleSvgRoot(root);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${svg}\n`;
}
