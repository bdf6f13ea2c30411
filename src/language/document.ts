// One analysis of a document's text, shared by every editor feature: the diagram model and its
// diagnostics, lookup tables, and the list of id occurrences (declarations and references) that
// definition, references, rename, hover and semantic tokens work from.
// Input: text. Output: Analysis. Never throws: a failure inside a stage gives an empty diagram.
import { comparePositions, LineIndex, type Diagnostic, type Position, type Range } from '../core/index.js';
import { parseDiagram } from '../model/index.js';
import { DiagramIndex } from '../model/query.js';
import type { Diagram } from '../model/types.js';
import type { IncrementalParser } from './incremental.js';

/** A place where a node id or a lane id is written. */
export interface Occurrence {
  kind: 'node' | 'lane';
  /** The id written there. */
  id: string;
  /** The range of the id itself (without prefix or handle). */
  range: Range;
  /** True for the node's or lane's declaration. */
  declaration: boolean;
}

export interface Analysis {
  text: string;
  lines: LineIndex;
  diagram: Diagram;
  /** Lookup tables over the diagram (built on first use). */
  readonly index: DiagramIndex;
  /** Syntax and FlowZap diagnostics from the model stage. */
  diagnostics: Diagnostic[];
  /** Every id occurrence, sorted by position (collected on first use). */
  readonly occurrences: Occurrence[];
}

const EMPTY: Diagram = { lanes: [], nodes: [], edges: [], loops: [], trailingComments: [] };

/** Analyses a text; with an IncrementalParser kept per document, an edit re-parses only what changed. */
export function analyze(text: string, parser?: IncrementalParser): Analysis {
  const lines = new LineIndex(text);
  let diagram = EMPTY;
  let diagnostics: Diagnostic[] = [];
  try {
    const r = parser ? parser.parse(text) : parseDiagram(text);
    diagram = r.value;
    diagnostics = r.diagnostics;
  } catch {
    // A bug in a stage must not take the editor down; the document just shows nothing until the next edit.
  }
  // The lookup tables are built on first use: publishing diagnostics after a keystroke needs neither.
  let index: DiagramIndex | undefined;
  let occurrences: Occurrence[] | undefined;
  const d = diagram;
  return {
    text,
    lines,
    diagram,
    diagnostics,
    get index() {
      return (index ??= new DiagramIndex(d));
    },
    get occurrences() {
      return (occurrences ??= collectOccurrences(d, text, lines));
    },
  };
}

const REF = /([A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*)(?:(\s*\.\s*)([A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*))?/y;

/**
 * The id (and lane prefix) of a reference, read from the text at the reference's start: only the
 * start of a model range is relied on, so an id's range always spans exactly the id.
 */
function readRef(start: Position, text: string, lines: LineIndex): { lane?: { id: string; range: Range }; id: string; range: Range } | undefined {
  REF.lastIndex = lines.offsetAt(start);
  const m = REF.exec(text);
  if (!m) return undefined;
  // An id never spans lines, so its end is its start moved by its length.
  const span = (line: number, character: number, length: number): Range => ({ start: { line, character }, end: { line, character: character + length } });
  if (m[3] !== undefined && m[3] !== 'handle') {
    if (/[\r\n]/.test(m[2]!)) return { id: m[1]!, range: span(start.line, start.character, m[1]!.length) };
    return { lane: { id: m[1]!, range: span(start.line, start.character, m[1]!.length) }, id: m[3], range: span(start.line, start.character + m[1]!.length + m[2]!.length, m[3].length) };
  }
  return { id: m[1]!, range: span(start.line, start.character, m[1]!.length) };
}

/** An id's range at a declaration: its start, and the id's length. */
function declRange(id: string, r: Range): Range {
  return { start: r.start, end: { line: r.start.line, character: r.start.character + id.length } };
}

function collectOccurrences(diagram: Diagram, text: string, lines: LineIndex): Occurrence[] {
  const out: Occurrence[] = [];
  for (const lane of diagram.lanes) out.push({ kind: 'lane', id: lane.id, range: declRange(lane.id, lane.idRange), declaration: true });
  for (const node of diagram.nodes) out.push({ kind: 'node', id: node.id, range: declRange(node.id, node.idRange), declaration: true });
  const ref = (node: string, r: Range): void => {
    const found = readRef(r.start, text, lines);
    if (!found || found.id !== node) return;
    if (found.lane) out.push({ kind: 'lane', id: found.lane.id, range: found.lane.range, declaration: false });
    out.push({ kind: 'node', id: node, range: found.range, declaration: false });
  };
  for (const edge of diagram.edges) for (const end of [edge.from, edge.to]) ref(end.node, end.nodeRange);
  for (const loop of diagram.loops) loop.nodes.forEach((id, i) => loop.nodeRanges[i] && ref(id, loop.nodeRanges[i]!));
  out.sort((a, b) => comparePositions(a.range.start, b.range.start));
  // The same place may be reached twice (a converter-built range); keep one.
  return out.filter((o, i) => i === 0 || comparePositions(o.range.start, out[i - 1]!.range.start) !== 0);
}

export function contains(r: Range, p: Position): boolean {
  return comparePositions(r.start, p) <= 0 && comparePositions(p, r.end) <= 0;
}

/** The occurrence under a position (the end of an id counts, so a cursor just after it finds it). */
export function occurrenceAt(a: Analysis, p: Position): Occurrence | undefined {
  const occ = a.occurrences;
  let lo = 0;
  let hi = occ.length - 1;
  // Last occurrence starting at or before p.
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (comparePositions(occ[mid]!.range.start, p) <= 0) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  const o = found >= 0 ? occ[found] : undefined;
  return o && contains(o.range, p) ? o : undefined;
}

/** Every occurrence of the same id and kind, declarations included. */
export function occurrencesOf(a: Analysis, kind: Occurrence['kind'], id: string): Occurrence[] {
  return a.occurrences.filter((o) => o.kind === kind && o.id === id);
}

/** Clamps a position to the document, so out-of-range requests behave like requests at the end. */
export function clampPosition(a: Analysis, p: Position): Position | undefined {
  if (!p || typeof p.line !== 'number' || typeof p.character !== 'number' || !Number.isFinite(p.line) || !Number.isFinite(p.character)) return undefined;
  if (p.line < 0 || p.character < 0) return undefined;
  if (p.line >= a.lines.lineCount) return undefined;
  return a.lines.positionAt(a.lines.offsetAt(p));
}
