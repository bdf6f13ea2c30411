// Offsets <-> positions, and applying edits. JavaScript strings are UTF-16, so string offsets are
// already the UTF-16 columns that LSP wants; only line starts need computing.
import type { Position, Range, TextEdit } from './index.js';

/** Line starts of a text, for converting offsets to positions in O(log n). Line ends are \n, \r\n or \r. */
export class LineIndex {
  readonly lineStarts: number[];
  constructor(readonly text: string) {
    const starts = [0];
    if (text.indexOf('\r') < 0) {
      // The common case, \n only: indexOf scans much faster than a loop over every character.
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    } else {
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 10) starts.push(i + 1);
        else if (c === 13) {
          if (text.charCodeAt(i + 1) === 10) i++;
          starts.push(i + 1);
        }
      }
    }
    this.lineStarts = starts;
  }

  /** The line of the last lookup: lookups mostly move forward a little, so this one is tried first. */
  private lastLine = 0;

  /** The 0-based line of an offset (clamped into the text); like positionAt, without allocating. */
  lineOf(offset: number): number {
    const o = Number.isFinite(offset) ? Math.max(0, Math.min(offset, this.text.length)) : 0;
    const starts = this.lineStarts;
    const last = this.lastLine;
    if (starts[last]! <= o && (last + 1 >= starts.length || o < starts[last + 1]!)) return last;
    if (last + 1 < starts.length && starts[last + 1]! <= o && (last + 2 >= starts.length || o < starts[last + 2]!)) return (this.lastLine = last + 1);
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return (this.lastLine = lo);
  }

  positionAt(offset: number): Position {
    // A NaN offset (from a token invented by error recovery) must still give a position in the text.
    const o = Number.isFinite(offset) ? Math.max(0, Math.min(offset, this.text.length)) : 0;
    const line = this.lineOf(o);
    return { line, character: o - this.lineStarts[line]! };
  }

  offsetAt(p: Position): number {
    if (p.line < 0) return 0;
    if (p.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[p.line]!;
    const next = p.line + 1 < this.lineStarts.length ? this.lineStarts[p.line + 1]! : this.text.length;
    return Math.min(start + Math.max(0, p.character), next);
  }

  range(startOffset: number, endOffset: number): Range {
    return { start: this.positionAt(startOffset), end: this.positionAt(endOffset) };
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }
}

export function positionAt(text: string, offset: number): Position {
  return new LineIndex(text).positionAt(offset);
}

export function offsetAt(text: string, p: Position): number {
  return new LineIndex(text).offsetAt(p);
}

/** Applies non-overlapping edits to a text. Overlapping edits after the first are skipped. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const index = new LineIndex(text);
  const resolved = edits
    .map((e, order) => ({ start: index.offsetAt(e.range.start), end: index.offsetAt(e.range.end), text: e.newText, order }))
    .sort((a, b) => a.start - b.start || a.end - b.end || a.order - b.order);
  let out = '';
  let cursor = 0;
  for (const e of resolved) {
    if (e.start < cursor) continue;
    out += text.slice(cursor, e.start) + e.text;
    cursor = e.end;
  }
  return out + text.slice(cursor);
}
