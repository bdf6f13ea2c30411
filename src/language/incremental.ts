// Incremental parsing for the editor: a document is cut into chunks at the lines where a top-level
// lane closes; each chunk is parsed on its own and cached by its text, so an edit re-parses only the
// chunk it touches, and the model is built from the chunks' ASTs put back together. Whenever the
// cut could change the meaning (a chunk with any parse diagnostic, text after a closing brace, a
// single chunk), the whole text is parsed as `parseDiagram` does, so the result is always the same.
// Input: text. Output: Result<Diagram>, equal to parseDiagram(text).
import { sortDiagnostics, type Diagnostic, type Range, type Result } from '../core/index.js';
import { buildModel, parseDiagram, type Diagram } from '../model/index.js';
import { parse, type AstFile } from '../parser/index.js';

/** Below this size a whole parse is fast enough and cutting is not worth it. */
const MIN_INCREMENTAL_LENGTH = 20_000;

interface Chunk {
  text: string;
  /** Line of the chunk's first line in the document. */
  line: number;
}

/**
 * Cuts the text after each line on which the brace depth returns to zero. Strings, comments, lane
 * labels and loop texts are skipped, as the lexer does; a mistake here only costs a fallback.
 */
export function cutChunks(text: string): Chunk[] {
  const chunks: Chunk[] = [];
  let depth = 0;
  let chunkStart = 0;
  let chunkLine = 0;
  let line = 0;
  let lineHadBrace = false;
  const n = text.length;
  // Jump from one character that matters to the next; everything else is skipped by the regex engine.
  INTERESTING.lastIndex = 0;
  for (let m = INTERESTING.exec(text); m; m = INTERESTING.exec(text)) {
    const i = m.index;
    const c = m[0];
    if (c === '"') {
      STRING_REST.lastIndex = i + 1;
      STRING_REST.exec(text);
      INTERESTING.lastIndex = STRING_REST.lastIndex < i + 1 ? i + 1 : STRING_REST.lastIndex;
    } else if (c === '//' || c === '#') {
      TO_EOL.lastIndex = i;
      TO_EOL.exec(text);
      INTERESTING.lastIndex = TO_EOL.lastIndex;
    } else if (c === 'loop') {
      LOOP_TEXT.lastIndex = i + 4;
      if (LOOP_TEXT.exec(text)) INTERESTING.lastIndex = LOOP_TEXT.lastIndex;
    } else if (c === '{') {
      depth++;
      lineHadBrace = true;
    } else if (c === '}') {
      depth = Math.max(0, depth - 1);
      lineHadBrace = true;
    } else {
      // A line break (\r\n counts once).
      line++;
      const next = i + c.length;
      if (depth === 0 && lineHadBrace) {
        chunks.push({ text: text.slice(chunkStart, next), line: chunkLine });
        chunkStart = next;
        chunkLine = line;
      }
      lineHadBrace = false;
    }
  }
  if (chunkStart < n || chunks.length === 0) chunks.push({ text: text.slice(chunkStart), line: chunkLine });
  return chunks;
}

const INTERESTING = /\r\n|[\r\n"{}#]|\/\/|(?<![A-Za-z0-9_-])loop(?![A-Za-z0-9_-])/g;
/** The rest of a string after its opening quote, up to the closing quote or the end of the line. */
const STRING_REST = /(?:[^"\\\r\n]|\\[^\r\n])*"?/y;
const TO_EOL = /[^\r\n]*/y;
/** `[text]` after `loop`, raw. */
const LOOP_TEXT = /[ \t]*\[[^\]\r\n]*\]?/y;

function shiftRange(r: Range, by: number): Range {
  return { start: { line: r.start.line + by, character: r.start.character }, end: { line: r.end.line + by, character: r.end.character } };
}

const AST_VALUE_KEYS = new Set(['value', 'range', 'bare', 'unterminated']);

/** A copy of an AST part with every range moved down by `by` lines; JSON values are shared, not walked. */
function shift<T>(x: T, by: number): T {
  if (Array.isArray(x)) return x.map((e) => shift(e, by)) as T;
  if (x === null || typeof x !== 'object') return x;
  const o = x as Record<string, unknown>;
  const keys = Object.keys(o);
  // An attribute value: its `value` is JSON (which may itself have keys named `range`).
  if ('value' in o && 'range' in o && keys.every((k) => AST_VALUE_KEYS.has(k))) {
    return { ...o, range: shiftRange(o['range'] as Range, by) } as T;
  }
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = o[k];
    out[k] = (k === 'range' || k.endsWith('Range')) && v && typeof v === 'object' ? shiftRange(v as Range, by) : shift(v, by);
  }
  return out as T;
}

/** A parsed chunk: its AST at line 0 (null when the chunk cannot be parsed alone), and its items at the line last used. */
interface Parsed {
  ast: AstFile | null;
  line: number;
  items: AstFile['items'];
}

export class IncrementalParser {
  private cache = new Map<string, Parsed>();

  /** `minLength`: texts shorter than this are parsed whole (tests set it to 0). */
  constructor(private readonly minLength = MIN_INCREMENTAL_LENGTH) {}

  parse(text: string): Result<Diagram> {
    if (text.length < this.minLength) return parseDiagram(text);
    const chunks = cutChunks(text);
    if (chunks.length < 2) return parseDiagram(text);
    const next = new Map<string, Parsed>();
    const items: AstFile['items'] = [];
    let trailing: string[] = [];
    for (let k = 0; k < chunks.length; k++) {
      const c = chunks[k]!;
      let entry = next.get(c.text) ?? this.cache.get(c.text);
      if (entry === undefined) {
        const r = parse(c.text);
        // Any finding of the parser may depend on the cut: let the whole parse report it.
        const ast = r.diagnostics.length > 0 ? null : r.value;
        entry = { ast, line: 0, items: ast?.items ?? [] };
      }
      // The same chunk text twice in one document (a copied lane): its second copy gets its own items.
      if (next.has(c.text) && entry.line !== c.line) entry = { ...entry, line: -1 };
      const ast = entry.ast;
      if (ast === null || (k < chunks.length - 1 && ast.trailingComments.length > 0)) {
        this.cache = next;
        next.set(c.text, entry);
        return parseDiagram(text);
      }
      // Items are moved to the chunk's line only when it moved: an edit elsewhere on the same line count reuses them.
      if (entry.line !== c.line) entry = { ast, line: c.line, items: ast.items.map((item) => shift(item, c.line)) };
      if (!next.has(c.text)) next.set(c.text, entry);
      for (const item of entry.items) items.push(item);
      if (k === chunks.length - 1) trailing = ast.trailingComments;
    }
    this.cache = next;
    const last = chunks[chunks.length - 1]!;
    const lastLines = last.text.split(/\r\n|\r|\n/);
    const file: AstFile = {
      items,
      trailingComments: trailing,
      range: { start: { line: 0, character: 0 }, end: { line: last.line + lastLines.length - 1, character: lastLines[lastLines.length - 1]!.length } },
    };
    const model = buildModel(file);
    return { value: model.value, diagnostics: sortDiagnostics([...model.diagnostics] as Diagnostic[]) };
  }
}
