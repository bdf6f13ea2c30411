// The abstract syntax tree: what was written, with the source range of every piece, and nothing resolved.
// Input: built from the CST by to-ast.ts. Output: read by src/model/build.ts, which resolves references
// and applies FlowZap's rules.
import type { JsonValue, Range } from '../core/index.js';

/** A piece of text with its range: an id, a shape word, a key. */
export interface AstToken {
  text: string;
  range: Range;
}

/** An attribute value: a string, a bare word or a JSON value. */
export interface AstValue {
  value: JsonValue;
  range: Range;
  /** Written as a bare word (`label:Start`) rather than a quoted string. */
  bare?: boolean;
  /** A string that was not closed on its line. */
  unterminated?: boolean;
}

/** `key:value` on a node or `key="value"` on an edge, with the separator actually written. */
export interface AstAttribute {
  key: AstToken;
  separator: ':' | '=';
  separatorRange: Range;
  /** Absent when the value is missing (a syntax error was reported). */
  value?: AstValue;
  range: Range;
}

export interface AstNode {
  kind: 'node';
  id: AstToken;
  /** Absent when no shape was written. */
  shape?: AstToken;
  attributes: AstAttribute[];
  block?: AstBlock;
  comments: string[];
  /** The statement, without its block. */
  range: Range;
}

/** `{ lane… }` after a node, optionally named (`Iterator {`). */
export interface AstBlock {
  field?: AstToken;
  lanes: AstLane[];
  /** False when the closing `}` is missing. */
  closed: boolean;
  openRange: Range;
  range: Range;
}

export interface AstLane {
  kind: 'lane';
  id: AstToken;
  /** The `# Label` token text without the `#`, trimmed. */
  label?: AstToken;
  /** The label was written on the line after `{` (a variant FlowZap rejects). */
  labelOnNextLine?: boolean;
  items: AstLaneItem[];
  /** False when the closing `}` is missing. */
  closed: boolean;
  openRange: Range;
  comments: string[];
  trailingComments: string[];
  range: Range;
}

export type AstLaneItem = AstNode | AstEdge | AstLoop;

export interface AstEndpoint {
  /** The lane prefix, when written (`sales.n4`). */
  lane?: AstToken;
  node: AstToken;
  /** True when `.handle(…)` was written. */
  hasHandle: boolean;
  /** The direction word inside `handle(…)`, when written. */
  direction?: AstToken;
  range: Range;
}

export interface AstEdge {
  kind: 'edge';
  from: AstEndpoint;
  /** Absent when nothing follows `->` on the line (a syntax error was reported). */
  to?: AstEndpoint;
  attributes: AstAttribute[];
  arrowRange: Range;
  comments: string[];
  range: Range;
}

export interface AstLoopRef {
  lane?: AstToken;
  node: AstToken;
  range: Range;
}

export interface AstLoop {
  kind: 'loop';
  /** The text between the brackets, trimmed; absent when no `[…]` was written. */
  text?: AstToken;
  refs: AstLoopRef[];
  comments: string[];
  range: Range;
}

export type AstTopItem = AstLane | AstNode | AstEdge | AstLoop;

/** A whole file. */
export interface AstFile {
  items: AstTopItem[];
  /** Comments after the last statement. */
  trailingComments: string[];
  /** Range of the whole text. */
  range: Range;
}
