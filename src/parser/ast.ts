// The abstract syntax tree: what was written, with the place of every piece, and nothing resolved.
// Input: built from the CST by to-ast.ts. Output: read by src/model/build.ts, which resolves references,
// applies FlowZap's rules and turns spans into LSP ranges.
//
// Places are kept as plain numbers inside each element (a `Span`), not as Range objects: a 1 MB file
// has some 50,000 elements, and three objects less per element is most of what parsing allocates.
import type { JsonValue, Range } from '../core/index.js';

/** Where an element was written: 0-based lines and UTF-16 columns of its start and (exclusive) end. */
export interface Span {
  line: number;
  character: number;
  endLine: number;
  endCharacter: number;
}

/** The LSP range of a span. */
export function rangeOf(s: Span): Range {
  return { start: { line: s.line, character: s.character }, end: { line: s.endLine, character: s.endCharacter } };
}

/** The range of `length` characters from a point on one line. */
export function pointRange(line: number, character: number, length: number): Range {
  return { start: { line, character }, end: { line, character: character + length } };
}

/** A piece of text with its place: an id, a shape word, a key. */
export interface AstToken extends Span {
  text: string;
}

/** An attribute value: a string, a bare word or a JSON value. */
export interface AstValue extends Span {
  value: JsonValue;
  /** Written as a bare word (`label:Start`) rather than a quoted string. */
  bare?: boolean;
  /** A string that was not closed on its line. */
  unterminated?: boolean;
}

/**
 * `key:value` on a node or `key="value"` on an edge, with the separator actually written. The key is
 * a plain string with its place beside it (attributes are the most numerous elements of a file).
 */
export interface AstAttribute extends Span {
  key: string;
  /** Where the key starts; it ends `key.length` characters later, on the same line. */
  keyLine: number;
  keyCharacter: number;
  separator: ':' | '=';
  /** Where the one-character separator stands. */
  separatorLine: number;
  separatorCharacter: number;
  /** Absent when the value is missing (a syntax error was reported). */
  value?: AstValue;
}

/** The statement, without its block. */
export interface AstNode extends Span {
  kind: 'node';
  id: AstToken;
  /** Absent when no shape was written. */
  shape?: AstToken;
  attributes: AstAttribute[];
  block?: AstBlock;
  comments: string[];
}

/** `{ lane… }` after a node, optionally named (`Iterator {`). */
export interface AstBlock extends Span {
  field?: AstToken;
  lanes: AstLane[];
  /** False when the closing `}` is missing. */
  closed: boolean;
  /** Where the opening `{` stands. */
  openLine: number;
  openCharacter: number;
}

export interface AstLane extends Span {
  kind: 'lane';
  id: AstToken;
  /** The `# Label` token text without the `#`, trimmed. */
  label?: AstToken;
  /** The label was written on the line after `{` (a variant FlowZap rejects). */
  labelOnNextLine?: boolean;
  items: AstLaneItem[];
  /** False when the closing `}` is missing. */
  closed: boolean;
  /** Where the opening `{` stands. */
  openLine: number;
  openCharacter: number;
  comments: string[];
  trailingComments: string[];
}

export type AstLaneItem = AstNode | AstEdge | AstLoop;

/**
 * An edge end. Its pieces are plain strings with their places beside them, each ending its text's
 * length after its start on the same line; `endpointTokens` gives them as AstTokens.
 */
export interface AstEndpoint extends Span {
  /** The lane prefix, when written (`sales.n4`). */
  lane: string | undefined;
  laneLine: number;
  laneCharacter: number;
  node: string;
  nodeLine: number;
  nodeCharacter: number;
  /** True when `.handle(…)` was written. */
  hasHandle: boolean;
  /** The direction word inside `handle(…)`, when written. */
  direction: string | undefined;
  directionLine: number;
  directionCharacter: number;
}

/** A piece of text written on one line, from its start, as an AstToken. */
export function pieceToken(text: string, line: number, character: number): AstToken {
  return { text, line, character, endLine: line, endCharacter: character + text.length };
}

/** The pieces of an edge end as AstTokens. */
export function endpointTokens(ep: AstEndpoint): { lane?: AstToken; node: AstToken; direction?: AstToken } {
  const out: { lane?: AstToken; node: AstToken; direction?: AstToken } = { node: pieceToken(ep.node, ep.nodeLine, ep.nodeCharacter) };
  if (ep.lane !== undefined) out.lane = pieceToken(ep.lane, ep.laneLine, ep.laneCharacter);
  if (ep.direction !== undefined) out.direction = pieceToken(ep.direction, ep.directionLine, ep.directionCharacter);
  return out;
}

/** The key of an attribute as an AstToken. */
export function keyToken(a: AstAttribute): AstToken {
  return pieceToken(a.key, a.keyLine, a.keyCharacter);
}

export interface AstEdge extends Span {
  kind: 'edge';
  from: AstEndpoint;
  /** Absent when nothing follows `->` on the line (a syntax error was reported). */
  to?: AstEndpoint;
  attributes: AstAttribute[];
  /** Where the two-character `->` stands. */
  arrowLine: number;
  arrowCharacter: number;
  comments: string[];
}

export interface AstLoopRef extends Span {
  lane?: AstToken;
  node: AstToken;
}

export interface AstLoop extends Span {
  kind: 'loop';
  /** The text between the brackets, trimmed; absent when no `[…]` was written. */
  text?: AstToken;
  refs: AstLoopRef[];
  comments: string[];
}

export type AstTopItem = AstLane | AstNode | AstEdge | AstLoop;

/** A whole file; its span covers the whole text. */
export interface AstFile extends Span {
  items: AstTopItem[];
  /** Comments after the last statement. */
  trailingComments: string[];
}
