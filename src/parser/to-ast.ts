// CST -> AST. Input: the CST of parser.ts (possibly with recovered, incomplete nodes) and the comment
// tokens. Output: the AST of ast.ts plus diagnostics for the pieces that only the builder can see
// (stray tokens, unclosed lanes, unterminated strings).
//
// Defensive by design: after error recovery any child may be missing, so every access is optional and
// a missing piece yields a smaller AST, never an exception.
import type { CstNode, IToken } from 'chevrotain';
import { isFirstOnLine, type FlowZapCstNode } from './parser.js';
import { JsonValue as JsonValueToken } from './tokens.js';
import { diagnostic, type Diagnostic, type JsonValue, type LineIndex, type Range } from '../core/index.js';
import type {
  AstAttribute,
  AstBlock,
  AstEdge,
  AstEndpoint,
  AstFile,
  AstLane,
  AstLaneItem,
  AstLoop,
  AstNode,
  AstToken,
  AstTopItem,
  AstValue,
  Span,
} from './ast.js';
import { pieceToken, rangeOf } from './ast.js';

type Child = CstNode | IToken;

function isToken(c: Child | undefined): c is IToken {
  return c !== undefined && (c as IToken).image !== undefined;
}

function isBlank(code: number): boolean {
  return code === 32 || code === 9;
}

/** A statement built while parsing, as opposed to a CST piece. */
function isBuilt(piece: AstLaneItem | Child): piece is AstLaneItem {
  return (piece as AstLaneItem).kind !== undefined;
}

// Each CST label holds only tokens or only nodes (the grammar never reuses a label for both), so
// the children arrays are read as they are, without copying: this builder runs on every keystroke.
const NONE: never[] = [];
/** The comments of an element without any (shared; comment lists are never changed in place). */
const NO_COMMENTS = Object.freeze([]) as unknown as string[];

function tokens(node: CstNode, name: string): IToken[] {
  return (node.children[name] as IToken[] | undefined) ?? NONE;
}

function token(node: CstNode, name: string): IToken | undefined {
  const c = node.children[name]?.[0];
  return isToken(c) ? c : undefined;
}

function nodes(node: CstNode, name: string): CstNode[] {
  return (node.children[name] as CstNode[] | undefined) ?? NONE;
}

function child(node: CstNode, name: string): CstNode | undefined {
  const c = node.children[name]?.[0];
  return c !== undefined && !isToken(c) ? c : undefined;
}


/**
 * The keys most attributes have, so that reading one does not make a new string: the AST and the
 * model keep every key, and a million of the same few words is memory the collector must walk.
 */
const COMMON_KEYS = ['label', 'Type', 'owner', 'description', 'system', 'Resource', 'Comment', 'Next', 'Parameters', 'Retry', 'Catch', 'ResultPath', 'Result'];

function keyText(image: string, start: number, end: number): string {
  const length = end - start;
  for (const key of COMMON_KEYS) if (key.length === length && image.startsWith(key, start)) return key;
  return image.slice(start, end);
}

/** Decodes the closed string literal in image[quote, end), slicing only once when it has no escape. */
function unquoteAt(image: string, quote: number, end = image.length): string {
  const body = image.slice(quote + 1, end - 1);
  return body.includes('\\') ? unquote(image.slice(quote, end), true) : body;
}

/** Decodes a string literal's text (with its quotes, or only the opening one when unterminated). */
export function unquote(raw: string, terminated: boolean): string {
  const body = raw.slice(1, terminated ? -1 : raw.endsWith('\\') ? -1 : undefined);
  if (!body.includes('\\')) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\' || i + 1 >= body.length) {
      out += c;
      continue;
    }
    const n = body[++i]!;
    switch (n) {
      case '"':
      case '\\':
      case '/':
        out += n;
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'u': {
        const hex = body.slice(i + 1, i + 5);
        if (/^[0-9a-fA-F]{4}$/.test(hex)) {
          out += String.fromCharCode(parseInt(hex, 16));
          i += 4;
        } else out += '\\u';
        break;
      }
      default:
        // FlowZap only defines `\"`; any other escape stands for itself, backslash included.
        out += '\\' + n;
    }
  }
  return out;
}

export class AstBuilder {
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    private readonly lines: LineIndex,
    private readonly comments: IToken[],
  ) {}

  // The span last located by `locate`: kept in fields so that locating allocates nothing. Each
  // element copies them into its literal right after locating, with no call in between.
  private sl = 0;
  private sc = 0;
  private el = 0;
  private ec = 0;

  /** End of the last real token seen: where a token inserted by error recovery is placed. */
  private lastEnd = 0;

  /** Locates [start, end); `oneLine` when the piece cannot span lines (saves a lookup). */
  private locate(start: number, end: number, oneLine = false): void {
    const lines = this.lines;
    const max = lines.text.length;
    const s = start < 0 ? 0 : start > max ? max : start;
    const e = end < s ? s : end > max ? max : end;
    const l = lines.lineOf(s);
    this.sl = l;
    this.sc = s - lines.lineStarts[l]!;
    if (oneLine) {
      this.el = l;
      this.ec = this.sc + (e - s);
    } else {
      const m = lines.lineOf(e);
      this.el = m;
      this.ec = e - lines.lineStarts[m]!;
    }
  }

  private range(start: number, endExclusive: number): Range {
    return this.lines.range(start, endExclusive);
  }

  /** Locates a token. Only a JSON value spans lines; every other token ends on the line it starts on. */
  private locateToken(t: IToken): void {
    // Tokens inserted by Chevrotain's recovery have no offsets; put them where the text left off.
    if (!Number.isFinite(t.startOffset)) {
      this.locate(this.lastEnd, this.lastEnd, true);
      return;
    }
    const end = t.startOffset + t.image.length;
    if (end > this.lastEnd) this.lastEnd = end;
    this.locate(t.startOffset, end, t.tokenType !== JsonValueToken);
  }

  private tokRange(t: IToken): Range {
    this.locateToken(t);
    return { start: { line: this.sl, character: this.sc }, end: { line: this.el, character: this.ec } };
  }

  private tok(t: IToken, text = t.image): AstToken {
    this.locateToken(t);
    return { text, line: this.sl, character: this.sc, endLine: this.el, endCharacter: this.ec };
  }

  // The parser records no node locations (a location object per CST node, and an end offset per
  // token, would cost more than they save): a CST node's place is that of its first and last tokens.

  /** Start offset of a built element. */
  private startOf(item: Span): number {
    return this.lines.lineStarts[item.line]! + item.character;
  }

  /** End offset (exclusive) of a built element. */
  private endOf(item: Span): number {
    return this.lines.lineStarts[item.endLine]! + item.endCharacter;
  }

  /** Start offset of a CST piece: its first token's, or its first built statement's; NaN when it has none. */
  private start(c: Child): number {
    if (isToken(c)) return c.startOffset;
    const built = (c as FlowZapCstNode).built as AstLaneItem[] | undefined;
    let min = built !== undefined && built.length > 0 ? this.startOf(built[0]!) : Number.NaN;
    const children = c.children;
    for (const key in children) {
      // A label's list may be empty: the parser takes statements out of it as it hands them over.
      const first = children[key]![0];
      if (first === undefined) continue;
      const s = this.start(first);
      if (Number.isFinite(s) && !(s >= min)) min = s;
    }
    return min;
  }

  /** End offset (exclusive) of a CST piece; NaN when it has no token. */
  private end(c: Child): number {
    if (isToken(c)) return Number.isFinite(c.startOffset) ? c.startOffset + c.image.length : Number.NaN;
    const built = (c as FlowZapCstNode).built as AstLaneItem[] | undefined;
    let max = built !== undefined && built.length > 0 ? this.endOf(built[built.length - 1]!) : Number.NaN;
    const children = c.children;
    for (const key in children) {
      const list = children[key]!;
      if (list.length === 0) continue;
      const e = this.end(list[list.length - 1]!);
      if (Number.isFinite(e) && !(e <= max)) max = e;
    }
    return max;
  }

  /** Locates a CST node from its first and last tokens; falls back to the given token. */
  private locateCst(n: CstNode, fallback?: IToken): void {
    const s = this.start(n);
    const e = this.end(n);
    if (Number.isFinite(s) && Number.isFinite(e) && e >= s) this.locate(s, e);
    else if (fallback) this.locateToken(fallback);
    else this.locate(0, 0, true);
  }

  /**
   * The pieces of several lists (each in source order, as the parser adds them) merged into one list
   * in source order; a merge rather than a sort, since a lane can hold thousands of statements.
   */
  private inSourceOrder(lists: Child[][]): Child[] {
    const used = lists.filter((l) => l.length > 0);
    if (used.length <= 1) return used[0] ?? NONE;
    const keys = used.map((l) => l.map((c) => {
      const s = this.start(c);
      return Number.isFinite(s) ? s : Infinity;
    }));
    const at = used.map(() => 0);
    const out: Child[] = [];
    for (;;) {
      let best = -1;
      for (let k = 0; k < used.length; k++) {
        if (at[k]! < used[k]!.length && (best < 0 || keys[k]![at[k]!]! < keys[best]![at[best]!]!)) best = k;
      }
      if (best < 0) return out;
      out.push(used[best]![at[best]!++]!);
    }
  }

  /**
   * Builds one statement as soon as the parser has read it, and keeps its AST in the CST node it
   * stands in (see FlowZapParser.onStatement): the statement's CST is garbage from then on.
   */
  statement(cst: CstNode, parent: FlowZapCstNode): void {
    const item = this.item(cst);
    if (item) (parent.built ??= []).push(item);
  }

  private item(c: CstNode): AstLaneItem | undefined {
    return c.name === 'node' ? this.node(c) : c.name === 'edge' ? this.edge(c) : this.loop(c);
  }

  /**
   * Visits the contents of a lane or of the file in source order: the statements built while
   * parsing (ASTs, in order already) merged with the pieces still in the CST (`lists`: lanes, stray
   * tokens, and any statement the parser could not hand over).
   */
  private inOrder(c: CstNode, lists: Child[][], visit: (piece: AstLaneItem | Child) => void): void {
    const built = ((c as FlowZapCstNode).built ?? NONE) as AstLaneItem[];
    const others = this.inSourceOrder(lists);
    const key = (k: number): number => {
      const s = k < others.length ? this.start(others[k]!) : Infinity;
      return Number.isFinite(s) ? s : Infinity;
    };
    let j = 0;
    let next = key(0);
    for (const item of built) {
      const at = this.startOf(item);
      while (next < at) {
        visit(others[j++]!);
        next = key(j);
      }
      visit(item);
    }
    while (j < others.length) visit(others[j++]!);
  }

  /**
   * Hands out the comments in source order: each element takes the comments not taken yet that lie
   * before its start (a lane also before its closing brace, for its trailing comments). Done after
   * the build, since statements are built before the lanes around them.
   */
  private assignComments(file: AstFile): void {
    const comments = this.comments;
    const starts = this.lines.lineStarts;
    let next = 0;
    const take = (line: number, character: number): string[] => {
      const offset = line === Infinity ? Infinity : starts[line]! + character;
      if (next >= comments.length || comments[next]!.startOffset >= offset) return NO_COMMENTS;
      const out: string[] = [];
      while (next < comments.length && comments[next]!.startOffset < offset) out.push(comments[next++]!.image.slice(2).trimEnd());
      return out;
    };
    const lane = (l: AstLane): void => {
      l.comments = take(l.line, l.character);
      // Comments before a label written on the next line stay with the lane header.
      if (l.labelOnNextLine && l.label) {
        const more = take(l.label.line, l.label.character);
        if (more.length > 0) l.comments = [...l.comments, ...more];
      }
      for (const item of l.items) visit(item);
      if (l.closed) l.trailingComments = take(l.endLine, l.endCharacter - 1);
    };
    const visit = (item: AstTopItem): void => {
      if (item.kind === 'lane') return lane(item);
      item.comments = take(item.line, item.character);
      if (item.kind === 'node' && item.block) for (const nested of item.block.lanes) lane(nested);
    };
    for (const item of file.items) visit(item);
    file.trailingComments = take(Infinity, 0);
  }

  file(cst: CstNode | undefined, textLength: number): AstFile {
    const items: AstTopItem[] = [];
    if (cst) {
      const junk: IToken[] = [];
      this.inOrder(cst, [nodes(cst, 'lane'), nodes(cst, 'node'), nodes(cst, 'edge'), nodes(cst, 'loop'), nodes(cst, 'junk')], (piece) => {
        if (isBuilt(piece)) items.push(piece);
        else if (isToken(piece)) junk.push(piece);
        else if (piece.name === 'lane') {
          const lane = this.lane(piece);
          if (lane) items.push(lane);
        } else if (piece.name === 'junk') junk.push(...tokens(piece, 'token'));
        else {
          const item = this.item(piece);
          if (item) items.push(item);
        }
      });
      this.reportJunk(junk, 'top');
    }
    this.locate(0, textLength);
    const file: AstFile = { items, trailingComments: NO_COMMENTS, line: this.sl, character: this.sc, endLine: this.el, endCharacter: this.ec };
    this.assignComments(file);
    return file;
  }
  /** One diagnostic per line of stray tokens, saying what may start a statement there. */
  private reportJunk(junk: IToken[], where: 'top' | 'lane' | 'block'): void {
    let i = 0;
    while (i < junk.length) {
      const first = junk[i]!;
      let last = first;
      while (i + 1 < junk.length && !isFirstOnLine(junk[i + 1]!)) last = junk[++i]!;
      i++;
      const shown = first.image.length > 40 ? first.image.slice(0, 40) + '…' : first.image;
      const expected =
        where === 'block'
          ? 'only lanes (`id { # Label` … `}`) can stand inside a node block'
          : where === 'lane'
            ? 'a lane holds nodes (`n1: rectangle label:"…"`), edges (`n1.handle(right) -> n2.handle(left)`) and loops (`loop [text] n1 n2`)'
            : 'a file holds lanes (`id { # Label` … `}`), edges and loops';
      const message =
        first.image === '}'
          ? where === 'top'
            ? 'unexpected `}`: there is no open lane to close; remove it'
            : 'unexpected `}`'
          : first.image.startsWith('#')
            ? 'unexpected `#` label: a lane label goes right after the lane\'s `{` (`id { # Label`)'
            : `unexpected \`${shown}\`: ${expected}`;
      this.diagnostics.push(diagnostic('syntax-error', this.range(first.startOffset, last.startOffset + last.image.length), message));
    }
  }

  lane(c: CstNode): AstLane | undefined {
    const idTok = token(c, 'id');
    const open = token(c, 'open');
    if (!idTok || !open) return undefined;
    const id = this.tok(idTok);
    const openTok = this.tok(open);
    const labelTok = token(c, 'label');
    const label = labelTok ? this.tok(labelTok, labelTok.image.slice(1).trim()) : undefined;
    const close = token(c, 'close');
    if (close) this.locate(idTok.startOffset, close.startOffset + 1);
    else this.locateCst(c, idTok);
    const lane: AstLane = {
      kind: 'lane',
      id,
      label,
      labelOnNextLine: undefined,
      items: [],
      closed: close !== undefined,
      openLine: openTok.line,
      openCharacter: openTok.character,
      comments: NO_COMMENTS,
      trailingComments: NO_COMMENTS,
      line: this.sl,
      character: this.sc,
      endLine: this.el,
      endCharacter: this.ec,
    };

    const junk: IToken[] = [];
    const rest: Child[][] = [nodes(c, 'node'), nodes(c, 'edge'), nodes(c, 'loop'), nodes(c, 'junk'), tokens(c, 'strayLabel')];
    const built = (c as FlowZapCstNode).built as AstLaneItem[] | undefined;
    // The usual lane: every statement was built while parsing, and nothing else is left in its CST.
    if (built !== undefined && rest.every((list) => list.length === 0)) lane.items = built;
    else this.inOrder(c, rest, (piece) => {
      if (isBuilt(piece)) lane.items.push(piece);
      else if (isToken(piece)) {
        // `# Label` on the line after `{`, before anything else: the label the author meant.
        if (!lane.label && lane.items.length === 0) {
          lane.label = this.tok(piece, piece.image.slice(1).trim());
          lane.labelOnNextLine = true;
        } else junk.push(piece);
      } else if (piece.name === 'junk') junk.push(...tokens(piece, 'token'));
      else {
        const item = this.item(piece);
        if (item) lane.items.push(item);
      }
    });
    this.reportJunk(junk, 'lane');

    if (!close) {
      this.diagnostics.push(
        diagnostic('unclosed-lane', rangeOf(lane.id), `lane \`${idTok.image}\` is not closed: add \`}\` after its last line`),
      );
    }
    return lane;
  }

  node(c: CstNode): AstNode | undefined {
    const head = token(c, 'head');
    const idTok = head ?? token(c, 'id');
    if (!idTok || !Number.isFinite(idTok.startOffset)) return undefined;
    let id: AstToken;
    let shape: AstToken | undefined;
    let endOffset = idTok.startOffset + idTok.image.length;
    let headAttributes: AstAttribute[] | undefined;
    if (head) {
      // `id: shape key:"text"…` as one token: the id ends at the colon, the shape starts after the
      // blanks and ends at the next blank, and `key:"text"` attributes may follow.
      const image = head.image;
      const colon = image.indexOf(':');
      let at = colon + 1;
      while (isBlank(image.charCodeAt(at))) at++;
      let shapeEnd = at;
      while (shapeEnd < image.length && !isBlank(image.charCodeAt(shapeEnd))) shapeEnd++;
      this.locateToken(head);
      id = pieceToken(image.slice(0, colon), this.sl, this.sc);
      shape = pieceToken(image.slice(at, shapeEnd), this.sl, this.sc + at);
      if (shapeEnd < image.length) headAttributes = AstBuilder.keyStrings(image, shapeEnd, this.sl, this.sc);
    } else {
      id = this.tok(idTok);
      const shapeTok = token(c, 'shape');
      if (shapeTok) {
        shape = this.tok(shapeTok);
        if (Number.isFinite(shapeTok.startOffset)) endOffset = shapeTok.startOffset + shapeTok.image.length;
      }
    }
    const rest = this.attributes(this.attributesOf(c));
    const attributes = headAttributes === undefined ? rest : rest.length === 0 ? headAttributes : headAttributes.concat(rest);
    for (const a of attributes) {
      const endAt = this.endOf(a);
      if (Number.isFinite(endAt) && endAt > endOffset) endOffset = endAt;
    }
    const blockCst = child(c, 'block');
    const block = blockCst ? this.block(blockCst) : undefined;
    this.locate(idTok.startOffset, endOffset);
    return {
      kind: 'node',
      id,
      shape,
      attributes,
      block,
      comments: NO_COMMENTS,
      line: this.sl,
      character: this.sc,
      endLine: this.el,
      endCharacter: this.ec,
    };
  }

  block(c: CstNode): AstBlock {
    const open = token(c, 'open');
    const fieldTok = token(c, 'field');
    const field = fieldTok ? this.tok(fieldTok) : undefined;
    if (open) this.locateToken(open);
    else this.locateCst(c);
    const openLine = this.sl;
    const openCharacter = this.sc;
    const lanes: AstLane[] = [];
    const children = this.inSourceOrder([nodes(c, 'lane'), nodes(c, 'junk')]) as CstNode[];
    const junk: IToken[] = [];
    for (const item of children) {
      if (item.name === 'lane') {
        const lane = this.lane(item);
        if (lane) lanes.push(lane);
      } else junk.push(...tokens(item, 'token'));
    }
    this.reportJunk(junk, 'block');
    const closed = token(c, 'close') !== undefined;
    if (!closed) {
      this.diagnostics.push(
        diagnostic('unclosed-lane', { start: { line: openLine, character: openCharacter }, end: { line: openLine, character: openCharacter + 1 } }, 'this block of nested lanes is not closed: add `}` after its last lane'),
      );
    }
    this.locateCst(c);
    return { field, lanes, closed, openLine, openCharacter, line: this.sl, character: this.sc, endLine: this.el, endCharacter: this.ec };
  }

  /** The attributes of a node or edge in source order: `key:"text"` tokens and `attribute` nodes. */
  /**
   * The attributes built from their CST pieces, in an array of exactly their number: the AST outlives
   * the parse, and an array grown by `push` keeps room for 16.
   */
  private attributes(written: Child[]): AstAttribute[] {
    if (written.length === 0) return [];
    const out = new Array<AstAttribute>(written.length);
    let n = 0;
    for (const a of written) {
      const attr = isToken(a) ? this.keyString(a) : this.attribute(a);
      if (attr) out[n++] = attr;
    }
    out.length = n;
    return out;
  }

  private attributesOf(c: CstNode): Child[] {
    const strings = tokens(c, 'keyString');
    const others = nodes(c, 'attribute');
    if (others.length === 0) return strings;
    if (strings.length === 0) return others;
    return this.inSourceOrder([strings, others]);
  }

  attribute(c: CstNode): AstAttribute | undefined {
    const compound = token(c, 'keyString');
    if (compound) return this.keyString(compound);
    return this.attributeParts(c);
  }

  /** `key:"text"` written as one token. */
  private keyString(compound: IToken): AstAttribute | undefined {
    if (!Number.isFinite(compound.startOffset)) return undefined;
    this.locateToken(compound);
    return AstBuilder.keyStringAt(compound.image, 0, compound.image.length, this.sl, this.sc);
  }

  /**
   * The `key:"text"` written in image[start, end), for an image that starts at line `l`, column `c`.
   * The separator is the first `:` or `=`: keys are names, which hold neither.
   */
  private static keyStringAt(image: string, start: number, end: number, l: number, c: number): AstAttribute {
    let sep = start;
    while (sep < end && image.charCodeAt(sep) !== 58 && image.charCodeAt(sep) !== 61) sep++;
    return {
      key: keyText(image, start, sep),
      keyLine: l,
      keyCharacter: c + start,
      separator: image.charCodeAt(sep) === 61 ? '=' : ':',
      separatorLine: l,
      separatorCharacter: c + sep,
      value: { value: unquoteAt(image, sep + 1, end), line: l, character: c + sep + 1, endLine: l, endCharacter: c + end },
      line: l,
      character: c + start,
      endLine: l,
      endCharacter: c + end,
    };
  }

  /** The blank-separated `key:"text"` attributes from `from` to the end of a node head's image. */
  private static keyStrings(image: string, from: number, l: number, c: number): AstAttribute[] {
    const out: AstAttribute[] = [];
    let i = from;
    while (i < image.length) {
      while (isBlank(image.charCodeAt(i))) i++;
      const start = i;
      while (image.charCodeAt(i) !== 58 && image.charCodeAt(i) !== 61) i++;
      // The string: up to the closing quote, stepping over escapes (the lexer matched it whole).
      let j = i + 2;
      while (image.charCodeAt(j) !== 34) j += image.charCodeAt(j) === 92 ? 2 : 1;
      out.push(AstBuilder.keyStringAt(image, start, j + 1, l, c));
      i = j + 1;
    }
    return out.slice();
  }

  private attributeParts(c: CstNode): AstAttribute | undefined {
    const keyTok = token(c, 'key');
    const sepTok = token(c, 'sep');
    if (!keyTok || !sepTok) return undefined;
    this.locateToken(keyTok);
    const keyLine = this.sl;
    const keyCharacter = this.sc;
    this.locateToken(sepTok);
    const separatorLine = this.sl;
    const separatorCharacter = this.sc;
    const value = this.value(c);
    this.locateCst(c, keyTok);
    return {
      key: keyTok.image,
      keyLine,
      keyCharacter,
      separator: sepTok.image === '=' ? '=' : ':',
      separatorLine,
      separatorCharacter,
      value,
      line: this.sl,
      character: this.sc,
      endLine: this.el,
      endCharacter: this.ec,
    };
  }

  /** A value of `v` at the span last located. */
  private located(value: JsonValue): AstValue {
    return { value, line: this.sl, character: this.sc, endLine: this.el, endCharacter: this.ec };
  }

  /** The value held by an `attribute`, `member` or `value` CST node. */
  value(c: CstNode): AstValue | undefined {
    const str = token(c, 'StringLiteral');
    if (str) {
      this.locateToken(str);
      return this.located(unquote(str.image, true));
    }
    const num = token(c, 'NumberLiteral');
    if (num) {
      this.locateToken(num);
      const n = Number(num.image);
      if (!Number.isFinite(n)) {
        this.diagnostics.push(diagnostic('invalid-json', this.tokRange(num), `the number ${num.image.length > 24 ? `${num.image.slice(0, 20)}…` : num.image} is too large for JSON (it reads as Infinity, which cannot be written back): write a smaller number, or a string`));
      }
      return this.located(n);
    }
    const blob = token(c, 'JsonValue');
    if (blob) {
      this.locateToken(blob);
      return this.located((blob as IToken & { payload: JsonValue }).payload);
    }
    const nested = child(c, 'object') ?? child(c, 'array');
    if (nested) {
      const json = this.json(nested);
      this.locateCst(nested);
      return this.located(json);
    }
    const unterminated = token(c, 'UnterminatedString');
    if (unterminated) {
      const range = this.tokRange(unterminated);
      this.diagnostics.push(
        diagnostic('unterminated-string', range, 'this string is not closed: add `"` at its end (strings stay on one line)', {
          fix: { title: 'Close the string', edits: [{ range: { start: range.end, end: range.end }, newText: '"' }] },
        }),
      );
      return { ...this.located(unquote(unterminated.image, false)), unterminated: true };
    }
    const t = token(c, 'True') ?? token(c, 'False') ?? token(c, 'Null');
    if (t) {
      this.locateToken(t);
      return this.located(t.image === 'true' ? true : t.image === 'false' ? false : null);
    }
    const bare = token(c, 'bare');
    if (bare) {
      this.locateToken(bare);
      return { ...this.located(bare.image), bare: true };
    }
    return undefined;
  }

  /** A JSON object or array from its CST, iteratively: nesting depth is already bounded by the lexer pass. */
  private json(c: CstNode): JsonValue {
    if (c.name === 'object') {
      const out: Record<string, JsonValue> = {};
      for (const m of nodes(c, 'member')) {
        const compound = token(m, 'bareKeyString');
        if (compound && Number.isFinite(compound.startOffset)) {
          // `{a:"x"}`: the key is unquoted, and reported like any bare key.
          const sep = compound.image.indexOf(':');
          const keyText = compound.image.slice(0, sep);
          const range = this.range(compound.startOffset, compound.startOffset + sep);
          this.diagnostics.push(
            diagnostic('invalid-json', range, `JSON object keys are quoted strings: write \`"${keyText}"\``, {
              fix: { title: 'Quote the key', edits: [{ range, newText: JSON.stringify(keyText) }] },
            }),
          );
          out[keyText] = unquote(compound.image.slice(sep + 1), true);
          continue;
        }
        const key = token(m, 'key');
        const bareKey = token(m, 'bareKey');
        const v = child(m, 'value');
        if (!key && !bareKey) continue;
        if (bareKey) {
          const range = this.tokRange(bareKey);
          this.diagnostics.push(
            diagnostic('invalid-json', range, `JSON object keys are quoted strings: write \`"${bareKey.image}"\``, {
              fix: { title: 'Quote the key', edits: [{ range, newText: JSON.stringify(bareKey.image) }] },
            }),
          );
        }
        const value = v ? this.value(v) : undefined;
        out[key ? unquote(key.image, true) : bareKey!.image] = value ? value.value : null;
      }
      return out;
    }
    const out: JsonValue[] = [];
    for (const v of nodes(c, 'value')) {
      const value = this.value(v);
      if (value) out.push(value.value);
    }
    return out;
  }

  edge(c: CstNode): AstEdge | undefined {
    const fromRef = token(c, 'fromRef');
    const fromCst = child(c, 'from');
    const arrow = token(c, 'Arrow');
    const head = token(c, 'head');
    if (head) return this.edgeHead(c, head);
    const from = fromRef ? this.handleRef(fromRef) : fromCst ? this.endpoint(fromCst) : undefined;
    if (!from || !arrow) return undefined;
    this.locateToken(arrow);
    const arrowLine = this.sl;
    const arrowCharacter = this.sc;
    // An arrow that error recovery inserted has no width: the range must not run past the text.
    const arrowEndCharacter = this.ec;
    const toRef = token(c, 'toRef');
    const toCst = child(c, 'to');
    const to = toRef ? this.handleRef(toRef) : toCst ? this.endpoint(toCst) : undefined;
    if (!to) {
      this.diagnostics.push(
        diagnostic('syntax-error', { start: { line: arrowLine, character: arrowCharacter }, end: { line: arrowLine, character: arrowEndCharacter } }, 'this edge has no target: write `-> n2.handle(left)` after the arrow, on the same line'),
      );
    }
    const attributes = this.attributes(this.attributesOf(c));
    this.locateCst(c);
    return {
      kind: 'edge',
      from,
      to,
      attributes,
      arrowLine,
      arrowCharacter,
      comments: NO_COMMENTS,
      line: this.sl,
      character: this.sc,
      endLine: this.el,
      endCharacter: this.ec,
    };
  }

  endpoint(c: CstNode): AstEndpoint | undefined {
    const compound = token(c, 'handleRef');
    if (compound) return this.handleRef(compound);
    return this.endpointParts(c);
  }

  /** `a.handle(right) -> b.handle(left)` written as one token, with the edge's attributes after it. */
  private edgeHead(c: CstNode, head: IToken): AstEdge | undefined {
    if (!Number.isFinite(head.startOffset)) return undefined;
    const image = head.image;
    // Names never hold `->` (a `-` in a name is never followed by `>`), so the first arrow is the edge's.
    const arrow = image.indexOf('->');
    let fromEnd = arrow;
    while (image.charCodeAt(fromEnd - 1) === 32 || image.charCodeAt(fromEnd - 1) === 9) fromEnd--;
    let toStart = arrow + 2;
    while (image.charCodeAt(toStart) === 32 || image.charCodeAt(toStart) === 9) toStart++;
    this.locateToken(head);
    const l = this.sl;
    const col = this.sc;
    const from = AstBuilder.handleRefAt(image, 0, fromEnd, l, col);
    const to = AstBuilder.handleRefAt(image, toStart, image.length, l, col);
    const attributes = this.attributes(this.attributesOf(c));
    // Most edges are the head alone; `[…]` after it extends the edge to its closing bracket.
    if (token(c, 'LBracket') === undefined) this.locate(head.startOffset, head.startOffset + image.length, true);
    else this.locateCst(c, head);
    return {
      kind: 'edge',
      from,
      to,
      attributes,
      arrowLine: l,
      arrowCharacter: col + arrow,
      comments: NO_COMMENTS,
      line: this.sl,
      character: this.sc,
      endLine: this.el,
      endCharacter: this.ec,
    };
  }

  /** `[lane.]node.handle(dir)` written as one token. */
  private handleRef(compound: IToken): AstEndpoint | undefined {
    if (!Number.isFinite(compound.startOffset)) return undefined;
    this.locateToken(compound);
    return AstBuilder.handleRefAt(compound.image, 0, compound.image.length, this.sl, this.sc);
  }

  /**
   * The endpoint written as `[lane.]node.handle(dir)` in image[from, to), for an image that starts at
   * line `l`, column `c`: names never contain dots, so the pieces are found by position.
   */
  private static handleRefAt(image: string, from: number, to: number, l: number, c: number): AstEndpoint {
    const handleAt = image.lastIndexOf('.handle(', to);
    const dot = image.indexOf('.', from);
    const open = handleAt + '.handle('.length;
    const hasLane = dot < handleAt;
    const close = to - 1;
    const nodeAt = hasLane ? dot + 1 : from;
    return {
      lane: hasLane ? image.slice(from, dot) : undefined,
      laneLine: l,
      laneCharacter: c + from,
      node: image.slice(nodeAt, handleAt),
      nodeLine: l,
      nodeCharacter: c + nodeAt,
      hasHandle: true,
      direction: close > open ? image.slice(open, close) : undefined,
      directionLine: l,
      directionCharacter: c + open,
      line: l,
      character: c + from,
      endLine: l,
      endCharacter: c + to,
    };
  }

  private endpointParts(c: CstNode): AstEndpoint | undefined {
    const first = token(c, 'first');
    if (!first) return undefined;
    const second = token(c, 'second');
    const firstTok = this.tok(first);
    const nodeTok = second ? this.tok(second) : firstTok;
    const dir = token(c, 'direction');
    const direction = dir ? this.tok(dir) : undefined;
    this.locateCst(c, first);
    return {
      lane: second ? firstTok.text : undefined,
      laneLine: firstTok.line,
      laneCharacter: firstTok.character,
      node: nodeTok.text,
      nodeLine: nodeTok.line,
      nodeCharacter: nodeTok.character,
      hasHandle: token(c, 'Handle') !== undefined,
      direction: direction?.text,
      directionLine: direction?.line ?? 0,
      directionCharacter: direction?.character ?? 0,
      line: this.sl,
      character: this.sc,
      endLine: this.el,
      endCharacter: this.ec,
    };
  }

  loop(c: CstNode): AstLoop {
    const kw = token(c, 'Loop');
    const textTok = token(c, 'text');
    const text = textTok ? this.tok(textTok, textTok.image.slice(1, -1).trim()) : undefined;
    const refs: AstLoop['refs'] = [];
    for (const r of nodes(c, 'loopRef')) {
      const first = token(r, 'first');
      if (!first) continue;
      const second = token(r, 'second');
      const firstTok = this.tok(first);
      const secondTok = second ? this.tok(second) : undefined;
      this.locateCst(r, first);
      refs.push({
        lane: secondTok ? firstTok : undefined,
        node: secondTok ?? firstTok,
        line: this.sl,
        character: this.sc,
        endLine: this.el,
        endCharacter: this.ec,
      });
    }
    this.locateCst(c, kw);
    return { kind: 'loop', text, refs, comments: NO_COMMENTS, line: this.sl, character: this.sc, endLine: this.el, endCharacter: this.ec };
  }
}
