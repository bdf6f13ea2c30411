// Shared vocabulary of every stage: positions, ranges, diagnostics and results.
// This folder imports nothing, so any stage (and the language server) can use it.

/** A position in a text: 0-based line and 0-based column counted in UTF-16 code units, as LSP expects. */
export interface Position {
  /** 0-based line number. */
  line: number;
  /** 0-based column, in UTF-16 code units. */
  character: number;
}

/** A half-open span of text: `start` is included, `end` is not. */
export interface Range {
  /** First character of the span. */
  start: Position;
  /** Position just after the last character of the span. */
  end: Position;
}

/** One replacement of a range of the original text by new text. */
export interface TextEdit {
  /** The range to replace; an empty range inserts. */
  range: Range;
  /** The replacement text. */
  newText: string;
}

/** A machine-applicable fix: edits to apply together, none of them overlapping. */
export interface Fix {
  /** What the fix does, said as a command ("Write `label:` instead of `label=`"). */
  title: string;
  /** The edits, in any order; they never overlap. */
  edits: TextEdit[];
  /**
   * A guess at what was meant (declaring an undeclared id, say): offered in the editor as a quick
   * fix, never applied by `check --fix` or "fix all", and never preferred.
   */
  suggestion?: boolean;
}

export type Severity = 'error' | 'warning' | 'info';

/** A related place that explains a diagnostic, such as the first declaration of a duplicate id. */
export interface RelatedInformation {
  /** Where the related place is, in the same document. */
  range: Range;
  /** What that place is. */
  message: string;
}

/** A finding about the input. Diagnostics are data: stages return them and never throw them. */
export interface Diagnostic {
  /** A stable kebab-case code, one of DIAGNOSTIC_CODES. */
  code: DiagnosticCode;
  /** How serious the finding is; only errors make `flowlane check` fail. */
  severity: Severity;
  /** Where the finding is, 0-based, UTF-16 columns. */
  range: Range;
  /** What is wrong and how to fix it. */
  message: string;
  /** A fix that resolves the finding, where one can be computed. */
  fix?: Fix;
  /** Other places that explain the finding. */
  related?: RelatedInformation[];
}

/** Every diagnostic code, with the severity it has unless a stage says otherwise. */
export const DIAGNOSTIC_CODES = {
  // Lexing and parsing.
  'syntax-error': 'error',
  'unexpected-character': 'error',
  'unterminated-string': 'error',
  'unclosed-lane': 'error',
  'invalid-json': 'error',
  'input-too-large': 'error',
  // FlowZap rules.
  'undefined-node': 'error',
  'duplicate-node-id': 'error',
  'duplicate-lane-id': 'error',
  'unknown-shape': 'error',
  'unknown-direction': 'error',
  'unknown-attribute': 'error',
  'duplicate-attribute': 'error',
  'missing-lane-prefix': 'error',
  'wrong-lane-prefix': 'error',
  'undefined-lane': 'error',
  'node-attribute-equals': 'error',
  'edge-attribute-colon': 'error',
  // FlowZap's own syntax guide (flowzap-mcp) once wrote the label on the next line; its rules warn.
  'lane-label-next-line': 'warning',
  'missing-handle': 'error',
  'node-outside-lane': 'error',
  'non-sequential-id': 'info',
  'invalid-attribute-value': 'error',
  // ASL profile rules that need only the diagram.
  'edge-leaves-branch': 'error',
  'block-on-non-container': 'warning',
  // ASL conversion (src/asl): reading ASL files, from-asl, to-asl and `flowlane check FILE.asl.json`.
  'asl-invalid-input': 'error',
  'asl-not-state-machine': 'error',
  'asl-invalid-state': 'error',
  'asl-missing-target': 'error',
  'asl-missing-transition': 'error',
  'asl-name-too-long': 'error',
  'asl-no-terminal': 'error',
  'asl-unreachable-state': 'error',
  'asl-duplicate-state-name': 'error',
  'asl-choice-without-rule': 'error',
  'asl-catch-after-all': 'error',
  'asl-wrong-query-language': 'error',
  'asl-transition-conflict': 'error',
  'asl-validator': 'error',
  'asl-validator-false-positive': 'warning',
  'asl-inferred': 'warning',
  'asl-repeated-label': 'warning',
  'asl-unknown-lane': 'error',
  'asl-too-deep': 'error',
  'asl-too-large': 'error',
  // Layout and rendering (src/layout, src/render).
  'layout-limit': 'error',
  'label-truncated': 'warning',
} as const satisfies Record<string, Severity>;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/** What every stage returns: a value that is always usable, plus what was found on the way. */
export interface Result<T> {
  /** The output; present even when there are errors (possibly partial). */
  value: T;
  /** Findings, in source order. */
  diagnostics: Diagnostic[];
}

/** A JSON value, as carried by ASL attributes. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Builds a diagnostic with the default severity of its code. */
export function diagnostic(
  code: DiagnosticCode,
  range: Range,
  message: string,
  extra: { fix?: Fix; related?: RelatedInformation[]; severity?: Severity } = {},
): Diagnostic {
  const d: Diagnostic = { code, severity: extra.severity ?? DIAGNOSTIC_CODES[code], range, message };
  if (extra.fix) d.fix = extra.fix;
  if (extra.related && extra.related.length > 0) d.related = extra.related;
  return d;
}

export function position(line: number, character: number): Position {
  return { line, character };
}

export function range(startLine: number, startChar: number, endLine: number, endChar: number): Range {
  return { start: { line: startLine, character: startChar }, end: { line: endLine, character: endChar } };
}

/** An empty range at a position, for insertions. */
export function emptyRange(p: Position): Range {
  return { start: p, end: p };
}

export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

/** The smallest range covering both. */
export function coverRanges(a: Range, b: Range): Range {
  return {
    start: comparePositions(a.start, b.start) <= 0 ? a.start : b.start,
    end: comparePositions(a.end, b.end) >= 0 ? a.end : b.end,
  };
}

/**
 * The diagnostics by start position, stable. A counting sort by line (then by character within a
 * line), when the lines are not far more than the findings: sorting 50,000 findings with a
 * comparator of nested positions was a tenth of a large conversion.
 */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  const n = diagnostics.length;
  let maxLine = 0;
  let ordered = true;
  for (let i = 0; i < n; i++) {
    const line = diagnostics[i]!.range.start.line;
    if (line > maxLine) maxLine = line;
    if (ordered && i > 0 && comparePositions(diagnostics[i - 1]!.range.start, diagnostics[i]!.range.start) > 0) ordered = false;
  }
  if (ordered) return [...diagnostics];
  const byPosition = (a: Diagnostic, b: Diagnostic): number => comparePositions(a.range.start, b.range.start);
  if (maxLine > 4 * n + 1024) return [...diagnostics].sort(byPosition);
  const start = new Int32Array(maxLine + 2);
  for (const d of diagnostics) start[d.range.start.line + 1]!++;
  for (let l = 0; l <= maxLine; l++) start[l + 1]! += start[l]!;
  const fill = start.slice(0, maxLine + 1);
  const out = new Array<Diagnostic>(n);
  for (const d of diagnostics) out[fill[d.range.start.line]!++] = d;
  // Within a line, by character: an insertion sort for the usual few findings, a stable sort for many
  // (a one-line file can hold thousands).
  for (let l = 0; l <= maxLine; l++) {
    if (start[l + 1]! - start[l]! > 16) {
      const line = out.slice(start[l]!, start[l + 1]!).sort(byPosition);
      for (let i = 0; i < line.length; i++) out[start[l]! + i] = line[i]!;
      continue;
    }
    for (let i = start[l]! + 1; i < start[l + 1]!; i++) {
      const d = out[i]!;
      let j = i - 1;
      while (j >= start[l]! && out[j]!.range.start.character > d.range.start.character) out[j + 1] = out[j]!, j--;
      out[j + 1] = d;
    }
  }
  return out;
}

export { applyEdits, offsetAt, positionAt, LineIndex } from './text.js';
export { applyAllFixes } from './fix.js';
export { editDistance, withinEditDistance } from './words.js';
export { compressedRows, reachableFrom, type CompressedRows } from './graph.js';
