// Incremental parsing for the editor: a document is cut into chunks at the lines where a top-level
// lane closes; each chunk is parsed on its own and cached by its text, so an edit re-parses only the
// chunk it touches, and the model is built from the chunks' ASTs put back together. Whenever the
// cut could change the meaning (a chunk with any parse diagnostic, text after a closing brace, a
// single chunk), the whole text is parsed as `parseDiagram` does, so the result is always the same.
// Input: text. Output: Result<Diagram>, equal to parseDiagram(text).
import { sortDiagnostics, type Diagnostic, type Result } from '../core/index.js';
import { buildModel, parseDiagram, type Diagram } from '../model/index.js';
import { parse, type AstFile, type AstLane } from '../parser/index.js';

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

const AST_VALUE_KEYS = new Set(['value', 'line', 'character', 'endLine', 'endCharacter', 'bare', 'unterminated']);

/** A copy of an AST part with every line number (`line`, `endLine`, `openLine`, …) moved by `by`; JSON values are shared, not walked. */
function shift<T>(x: T, by: number): T {
  if (Array.isArray(x)) return x.map((e) => shift(e, by)) as T;
  if (x === null || typeof x !== 'object') return x;
  const o = x as Record<string, unknown>;
  const keys = Object.keys(o);
  // An attribute value: its `value` is JSON (which may itself have keys named `line`).
  const isValue = 'value' in o && keys.every((k) => AST_VALUE_KEYS.has(k));
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = o[k];
    if (typeof v === 'number' && (k === 'line' || k.endsWith('Line'))) out[k] = v + by;
    else out[k] = isValue && k === 'value' ? v : shift(v, by);
  }
  return out as T;
}

/** A parsed chunk: its AST at line 0 (null when the chunk cannot be parsed alone), and its items at the line last used. */
interface Parsed {
  ast: AstFile | null;
  line: number;
  items: AstFile['items'];
  /** The texts of the segments a lane chunk was built from, kept cached while the chunk is. */
  segmentTexts: string[];
}

/** A parsed segment of a lane's statements: its items at line 0, and at the line last used. */
interface Segment {
  raw: AstLane['items'];
  trailing: string[];
  line: number;
  items: AstLane['items'];
}

const HEADER_RE = /^[ \t]*[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*[ \t]*\{[ \t]*(?:#[^\r\n]*)?$/;
const CLOSE_RE = /^[ \t]*\}[ \t]*$/;
const BLANK_OR_COMMENT_RE = /^[ \t]*(?:\/\/[^\r\n]*)?$/;
/** A line that starts a statement: a node (`id: shape`), an edge (`id.` or `id ->`) or a loop. */
const STATEMENT_RE = /^[ \t]*(?:[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*[ \t]*(?::[ \t]*[A-Za-z_]|\.|->)|loop(?![A-Za-z0-9_-]))/;
/** Lanes with fewer statement lines than this are parsed whole. */
const MIN_SEGMENTED_LINES = 40;
/** The wrapper each segment is parsed in: a lane of its own, on the line before the segment. */
const WRAP_OPEN = '__flowlane_segment__ {\n';

/** Net change of brace and bracket depth over one line, skipping strings, comments, labels and loop texts. */
function depthDelta(line: string): number {
  let d = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 34) {
      i++;
      while (i < line.length && line.charCodeAt(i) !== 34) i += line.charCodeAt(i) === 92 ? 2 : 1;
    } else if (c === 35 || (c === 47 && line.charCodeAt(i + 1) === 47)) break;
    else if (c === 108 && line.startsWith('loop', i) && !/[A-Za-z0-9_-]/.test(line.charAt(i - 1)) && !/[A-Za-z0-9_-]/.test(line.charAt(i + 4))) {
      const close = line.indexOf(']', i);
      if (line.slice(i + 4).trimStart().startsWith('[')) i = close < 0 ? line.length : close;
    } else if (c === 123 || c === 91) d++;
    else if (c === 125 || c === 93) d--;
  }
  return d;
}

/** A cheap, stable choice of cut points: the same statement line is a cut point whatever surrounds it. */
function isCutLine(line: string): boolean {
  let h = 0;
  for (let i = 0; i < line.length; i++) h = (h * 31 + line.charCodeAt(i)) | 0;
  return (h & 7) === 0;
}

export class IncrementalParser {
  private cache = new Map<string, Parsed>();
  private segments = new Map<string, Segment>();
  private nextSegments = new Map<string, Segment>();
  /** How many texts were handed to the parser, in total: whole texts, chunks, lane headers and segments. */
  readonly stats = { whole: 0, chunks: 0, segments: 0 };

  /** `minLength`: texts shorter than this are parsed whole (tests set it to 0). */
  constructor(private readonly minLength = MIN_INCREMENTAL_LENGTH) {}

  parse(text: string): Result<Diagram> {
    if (text.length < this.minLength) return this.whole(text);
    const chunks = cutChunks(text);
    if (chunks.length < 2) return this.whole(text);
    const next = new Map<string, Parsed>();
    const items: AstFile['items'] = [];
    let trailing: string[] = [];
    for (let k = 0; k < chunks.length; k++) {
      const c = chunks[k]!;
      let entry = next.get(c.text) ?? this.cache.get(c.text);
      if (entry === undefined) {
        const r = this.parseChunk(c.text, c.line);
        entry = { ast: r.ast, line: r.line, items: r.ast?.items ?? [], segmentTexts: r.segmentTexts };
      } else {
        // An unchanged lane keeps its segments cached, so that its next edit re-parses one segment, not all.
        for (const key of entry.segmentTexts) {
          const seg = this.nextSegments.get(key) ?? this.segments.get(key);
          if (seg && !this.nextSegments.has(key)) this.nextSegments.set(key, seg);
        }
      }
      // The same chunk text twice in one document (a copied lane): the second copy is moved from the first.
      const ast = entry.ast;
      if (ast === null || (k < chunks.length - 1 && ast.trailingComments.length > 0)) {
        this.cache = next;
        next.set(c.text, entry);
        this.segments = this.nextSegments;
        this.nextSegments = new Map();
        return this.whole(text);
      }
      // Items are moved to the chunk's line only when it moved: an edit elsewhere on the same line count reuses them.
      if (entry.line !== c.line) {
        const by = c.line - entry.line;
        entry = { ast, line: c.line, items: entry.items.map((item) => shift(item, by)), segmentTexts: entry.segmentTexts };
      }
      if (!next.has(c.text)) next.set(c.text, entry);
      for (const item of entry.items) items.push(item);
      if (k === chunks.length - 1) trailing = ast.trailingComments;
    }
    this.cache = next;
    this.segments = this.nextSegments;
    this.nextSegments = new Map();
    const last = chunks[chunks.length - 1]!;
    const lastLines = last.text.split(/\r\n|\r|\n/);
    const file: AstFile = {
      items,
      trailingComments: trailing,
      line: 0,
      character: 0,
      endLine: last.line + lastLines.length - 1,
      endCharacter: lastLines[lastLines.length - 1]!.length,
    };
    const model = buildModel(file, { reuse: true });
    return { value: model.value, diagnostics: sortDiagnostics([...model.diagnostics] as Diagnostic[]) };
  }

  private whole(text: string): Result<Diagram> {
    this.stats.whole++;
    return parseDiagram(text);
  }

  /**
   * A chunk's AST, or null when it cannot be parsed alone without a finding; `line` says which
   * document line its ranges count from (a segmented lane comes out at its place already).
   */
  private parseChunk(text: string, baseLine: number): { ast: AstFile | null; line: number; segmentTexts: string[] } {
    const segmentTexts: string[] = [];
    const segmented = this.parseLaneBySegments(text, baseLine, segmentTexts);
    if (segmented !== undefined) return { ast: segmented, line: baseLine, segmentTexts };
    this.stats.chunks++;
    const r = parse(text);
    // Any finding of the parser may depend on the cut: let the whole parse report it.
    return { ast: r.diagnostics.length > 0 ? null : r.value, line: 0, segmentTexts: [] };
  }

  /**
   * A chunk that is one plain lane, parsed as its header plus segments of its statements, each
   * segment cached by its text, so that an edit inside a long lane re-parses a few statements.
   * Undefined when the chunk is not of that shape; null when a part had a finding.
   */
  private parseLaneBySegments(text: string, baseLine: number, segmentTexts: string[]): AstFile | null | undefined {
    const lines = text.split('\n');
    // `lines` keeps a trailing empty string after the final \n; \r\n line ends stay out of this path.
    if (text.includes('\r')) return undefined;
    let h = 0;
    while (h < lines.length && BLANK_OR_COMMENT_RE.test(lines[h]!)) h++;
    let e = lines.length - 1;
    while (e > h && lines[e] === '') e--;
    if (h >= e || !HEADER_RE.test(lines[h]!) || !CLOSE_RE.test(lines[e]!) || e - h - 1 < MIN_SEGMENTED_LINES) return undefined;
    // Cut points: statement lines at depth 0, moved up over the comments and blank lines before them.
    const cuts: number[] = [h + 1];
    let depth = 0;
    for (let i = h + 1; i < e; i++) {
      const line = lines[i]!;
      if (/^[ \t]*#/.test(line)) return undefined;
      if (depth === 0 && i > h + 1 && STATEMENT_RE.test(line) && isCutLine(line)) {
        let at = i;
        while (at - 1 > cuts[cuts.length - 1]! && BLANK_OR_COMMENT_RE.test(lines[at - 1]!)) at--;
        if (at > cuts[cuts.length - 1]!) cuts.push(at);
      }
      depth += depthDelta(line);
      if (depth < 0) return undefined;
    }
    if (depth !== 0) return undefined;
    cuts.push(e);
    const header = parse(`${lines.slice(0, h + 1).join('\n')}\n}\n`);
    const lane = header.value.items[0];
    if (header.diagnostics.length > 0 || header.value.items.length !== 1 || lane?.kind !== 'lane' || lane.items.length > 0) return null;
    const items: AstLane['items'] = [];
    let trailing: string[] = [];
    for (let k = 0; k + 1 < cuts.length; k++) {
      const segText = `${lines.slice(cuts[k], cuts[k + 1]).join('\n')}\n`;
      let seg = this.nextSegments.get(segText) ?? this.segments.get(segText);
      if (!seg) {
        this.stats.segments++;
        const r = parse(WRAP_OPEN + segText + '}\n');
        const wrapper = r.value.items[0];
        if (r.diagnostics.length > 0 || r.value.items.length !== 1 || wrapper?.kind !== 'lane' || wrapper.label || wrapper.labelOnNextLine || wrapper.comments.length > 0) return null;
        const raw = wrapper.items.map((item) => shift(item, -1));
        seg = { raw, trailing: wrapper.trailingComments, line: 0, items: raw };
      }
      if (k + 2 < cuts.length && seg.trailing.length > 0) return null;
      const at = baseLine + cuts[k]!;
      if (seg.line !== at) seg = { ...seg, line: at, items: seg.raw.map((item) => shift(item, at)) };
      if (!this.nextSegments.has(segText)) this.nextSegments.set(segText, seg);
      segmentTexts.push(segText);
      for (const item of seg.items) items.push(item);
      trailing = seg.trailing;
    }
    const close = lines[e]!.indexOf('}');
    const placed = baseLine === 0 ? lane : shift(lane, baseLine);
    const whole: AstLane = { ...placed, items, trailingComments: trailing, closed: true, endLine: baseLine + e, endCharacter: close + 1 };
    return { items: [whole], trailingComments: [], line: baseLine, character: 0, endLine: baseLine + lines.length - 1, endCharacter: 0 };
  }
}
