// The canonical printer. Input: a Diagram. Output: `.fz` text in the one layout `flowlane fmt` writes.
//
// Layout: two spaces of indent per level; in each lane its nodes, then its edges, then its loops;
// top-level edges and loops after the lanes; one blank line between top-level lanes; `//` comments on
// their own lines before the element they were written before. Attribute values are quoted strings or
// JSON; a value too long for the line goes on a continuation line and, if still too long, is laid out
// over several indented lines. `parse(print(d))` gives back `d` (up to ranges), and printing is
// idempotent: `print(parse(print(d))) === print(d)`.
import { comparePositions, type Diagnostic, type JsonValue, type Result } from '../core/index.js';
import { parse } from '../parser/index.js';
import { buildModel, DiagramIndex, type Attribute, type Diagram, type DiagramNode, type Edge, type Lane, type Loop } from '../model/index.js';

/** Lines longer than this get their later attributes moved to continuation lines. */
const LINE_WIDTH = 100;
/** A JSON value whose compact form is longer than this is laid out over several lines. */
const INLINE_JSON = 72;
const INDENT = '  ';

/** A string literal in `.fz` syntax (JSON escapes, which FlowZap's `\"` is a subset of). */
export function quote(text: string): string {
  return JSON.stringify(text);
}

/** JSON on one line. Written by hand rather than with JSON.stringify, which turns `-0` into `0`. */
function compactJson(value: JsonValue): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : JSON.stringify(value);
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(compactJson).join(',')}]`;
  return `{${Object.keys(value).map((k) => `${quote(k)}:${compactJson(value[k]!)}`).join(',')}}`;
}

/** A JSON value laid out over lines: compact when short, otherwise one member or item per line. */
export function formatJson(value: JsonValue, indent: string): string {
  const compact = compactJson(value);
  if (compact.length <= INLINE_JSON || value === null || typeof value !== 'object') return compact;
  const inner = indent + INDENT;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => inner + formatJson(v, inner)).join(',\n')}\n${indent}]`;
  }
  const keys = Object.keys(value);
  if (keys.length === 0) return '{}';
  return `{\n${keys.map((k) => `${inner}${quote(k)}: ${formatJson(value[k]!, inner)}`).join(',\n')}\n${indent}}`;
}

function formatValue(value: JsonValue, indent: string): string {
  return typeof value === 'string' ? quote(value) : formatJson(value, indent);
}

/** Prints attributes after a head (`n1: rectangle`), filling lines up to LINE_WIDTH, then continuation lines. */
function printAttributes(head: string, attributes: Attribute[], separator: ':' | '=', indent: string): string[] {
  const lines = [head];
  const continuation = indent + INDENT;
  let lastWasMultiLine = false;
  for (const a of attributes) {
    const piece = `${a.key}${separator}${formatValue(a.value, continuation)}`;
    const current = lines[lines.length - 1]!;
    const multiLine = piece.includes('\n');
    // FlowZap's own keys and `Type` stay on the first line, where FlowZap readers expect them.
    const pinned = lines.length === 1 && (!/^[A-Z]/.test(a.key) || a.key === 'Type') && !multiLine;
    const fits = !multiLine && !lastWasMultiLine && current.length + 1 + piece.length <= LINE_WIDTH;
    if (pinned || fits) lines[lines.length - 1] = `${current} ${piece}`;
    else {
      const pieceLines = piece.split('\n');
      lines.push(continuation + pieceLines[0], ...pieceLines.slice(1));
    }
    lastWasMultiLine = multiLine;
  }
  return lines;
}

function printComments(comments: string[], indent: string, out: string[]): void {
  for (const c of comments) out.push(`${indent}//${c}`);
}

class Printer {
  private readonly index: DiagramIndex;
  private readonly edgesByLane = new Map<string | undefined, Edge[]>();
  private readonly loopsByLane = new Map<string | undefined, Loop[]>();
  private readonly nodesByLane = new Map<string, DiagramNode[]>();
  private readonly lanesByParent = new Map<string, Lane[]>();
  private readonly out: string[] = [];

  constructor(private readonly diagram: Diagram) {
    this.index = new DiagramIndex(diagram);
    for (const n of diagram.nodes) (this.nodesByLane.get(n.lane) ?? this.nodesByLane.set(n.lane, []).get(n.lane)!).push(n);
    for (const l of diagram.lanes) {
      if (l.parent !== undefined) (this.lanesByParent.get(l.parent) ?? this.lanesByParent.set(l.parent, []).get(l.parent)!).push(l);
    }
    for (const e of diagram.edges) {
      const key = e.container !== undefined && this.index.lane(e.container) ? e.container : undefined;
      (this.edgesByLane.get(key) ?? this.edgesByLane.set(key, []).get(key)!).push(e);
    }
    for (const l of diagram.loops) {
      const key = l.container !== undefined && this.index.lane(l.container) ? l.container : undefined;
      (this.loopsByLane.get(key) ?? this.loopsByLane.set(key, []).get(key)!).push(l);
    }
  }

  print(): string {
    const printed = new Set<Lane>();
    let first = true;
    // A top-level edge stays where it was written among the lanes: edge order is meaning in ASL
    // (a Choice's rules, a state's Catch entries follow it), so an edge written before a lane that
    // holds a later edge from the same state must not move after it. Edges written after the lanes
    // (and every edge of a model without source places) still come after them.
    const topEdges = [...(this.edgesByLane.get(undefined) ?? [])];
    const topLoops = this.loopsByLane.get(undefined) ?? [];
    for (const lane of this.diagram.lanes) {
      if (lane.parent !== undefined && this.index.node(lane.parent)) continue;
      const before: Edge[] = [];
      while (topEdges.length > 0 && comparePositions(topEdges[0]!.range.start, lane.range.start) < 0) before.push(topEdges.shift()!);
      if (before.length > 0) {
        if (!first) this.out.push('');
        for (const e of before) this.edge(e, '');
        first = false;
      }
      if (!first) this.out.push('');
      first = false;
      this.lane(lane, '', printed);
    }
    if (topEdges.length + topLoops.length > 0 && !first) this.out.push('');
    for (const e of topEdges) this.edge(e, '');
    for (const l of topLoops) this.loop(l, '');
    if (this.diagram.trailingComments.length > 0 && this.out.length > 0) this.out.push('');
    printComments(this.diagram.trailingComments, '', this.out);
    return this.out.length === 0 ? '' : this.out.join('\n') + '\n';
  }

  private lane(lane: Lane, indent: string, printed: Set<Lane>): void {
    if (printed.has(lane)) return;
    printed.add(lane);
    printComments(lane.comments, indent, this.out);
    this.out.push(`${indent}${lane.id} {${lane.label !== undefined ? ` # ${lane.label}` : ''}`);
    const inner = indent + INDENT;
    // Nodes are printed from the diagram's list so that a duplicate id is printed, not dropped.
    for (const node of this.nodesByLane.get(lane.id) ?? []) this.node(node, inner, printed);
    for (const e of this.edgesByLane.get(lane.id) ?? []) this.edge(e, inner);
    for (const l of this.loopsByLane.get(lane.id) ?? []) this.loop(l, inner);
    printComments(lane.trailingComments, inner, this.out);
    this.out.push(`${indent}}`);
  }

  private node(node: DiagramNode, indent: string, printed: Set<Lane>): void {
    printComments(node.comments, indent, this.out);
    const head = `${indent}${node.id}:${node.shape ? ` ${node.shape}` : ''}`;
    const lines = printAttributes(head, node.attributes, ':', indent);
    if (node.block) {
      lines[lines.length - 1] += node.block.field ? ` ${node.block.field} {` : ' {';
      this.out.push(...lines);
      for (const lane of this.lanesByParent.get(node.id) ?? []) this.lane(lane, indent + INDENT, printed);
      this.out.push(`${indent}}`);
    } else this.out.push(...lines);
  }

  private ref(nodeId: string, handle: string | undefined, prefixLane: string | undefined): string {
    return `${prefixLane !== undefined ? `${prefixLane}.` : ''}${nodeId}${handle !== undefined ? `.handle(${handle})` : ''}`;
  }

  private edge(edge: Edge, indent: string): void {
    printComments(edge.comments, indent, this.out);
    const fromLane = this.index.laneOf(edge.from.node)?.id;
    const toLane = this.index.laneOf(edge.to.node)?.id;
    // The target's lane prefix is written exactly when the edge crosses lanes.
    const prefix = toLane === undefined ? edge.to.laneWritten : toLane !== fromLane ? toLane : undefined;
    const fromPrefix = fromLane === undefined ? edge.from.laneWritten : undefined;
    const head = `${indent}${this.ref(edge.from.node, edge.from.handle, fromPrefix)} -> ${this.ref(edge.to.node, edge.to.handle, prefix)}`;
    if (edge.attributes.length === 0) {
      this.out.push(head);
      return;
    }
    const pieces = edge.attributes.map((a) => `${a.key}=${formatValue(a.value, indent)}`);
    this.out.push(...`${head} [${pieces.join(' ')}]`.split('\n'));
  }

  private loop(loop: Loop, indent: string): void {
    printComments(loop.comments, indent, this.out);
    const refs = loop.nodes.map((id) => {
      const lane = this.index.laneOf(id)?.id;
      return loop.container !== undefined && lane !== undefined && lane !== loop.container ? `${lane}.${id}` : id;
    });
    this.out.push(`${indent}loop [${loop.text}]${refs.length > 0 ? ' ' + refs.join(' ') : ''}`);
  }
}

/** Prints a diagram as canonical `.fz` text. */
export function print(diagram: Diagram): string {
  return new Printer(diagram).print();
}

/**
 * Mistakes the printer cannot print faithfully: two lanes with one id would each be printed with the
 * nodes of both (and every run would double them), so such a text is refused, not formatted.
 */
export const UNPRINTABLE: ReadonlySet<string> = new Set(['duplicate-lane-id']);

/**
 * The canonical text of `.fz` source, as `flowlane fmt` writes it. Text with syntax errors comes
 * back unchanged, with those errors (so does text with an UNPRINTABLE mistake): formatting it could lose what the parser could not read.
 */
export function formatText(text: string): Result<string> & { ok: boolean } {
  const ast = parse(text);
  const errors: Diagnostic[] = ast.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) return { ok: false, value: text, diagnostics: errors };
  const model = buildModel(ast.value);
  const unfaithful = model.diagnostics.filter((d) => UNPRINTABLE.has(d.code));
  if (unfaithful.length > 0) return { ok: false, value: text, diagnostics: unfaithful };
  return { ok: true, value: print(model.value), diagnostics: [] };
}
