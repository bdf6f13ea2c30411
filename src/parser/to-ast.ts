// CST -> AST. Input: the CST of parser.ts (possibly with recovered, incomplete nodes) and the comment
// tokens. Output: the AST of ast.ts plus diagnostics for the pieces that only the builder can see
// (stray tokens, unclosed lanes, unterminated strings).
//
// Defensive by design: after error recovery any child may be missing, so every access is optional and
// a missing piece yields a smaller AST, never an exception.
import type { CstNode, IToken } from 'chevrotain';
import { isFirstOnLine } from './parser.js';
import { JsonValue as JsonValueToken } from './tokens.js';
import { diagnostic, type Diagnostic, type JsonValue, type LineIndex, type Position, type Range } from '../core/index.js';
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
} from './ast.js';

type Child = CstNode | IToken;

function isToken(c: Child | undefined): c is IToken {
  return c !== undefined && (c as IToken).image !== undefined;
}

// Each CST label holds only tokens or only nodes (the grammar never reuses a label for both), so
// the children arrays are read as they are, without copying: this builder runs on every keystroke.
const NONE: never[] = [];

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

function startOffset(c: Child): number {
  return isToken(c) ? c.startOffset : (c.location?.startOffset ?? Number.NaN);
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
  private commentIndex = 0;

  constructor(
    private readonly lines: LineIndex,
    private readonly comments: IToken[],
  ) {}

  private range(start: number, endExclusive: number): Range {
    return this.lines.range(start, endExclusive);
  }

  /** End of the last real token seen: where a token inserted by error recovery is placed. */
  private lastEnd = 0;

  private tokRange(t: IToken): Range {
    // Tokens inserted by Chevrotain's recovery have no offsets; put them where the text left off.
    if (!Number.isFinite(t.startOffset)) return this.range(this.lastEnd, this.lastEnd);
    const end = t.startOffset + t.image.length;
    if (end > this.lastEnd) this.lastEnd = end;
    // Only a JSON value spans lines; every other token ends on the line it starts on.
    if (t.tokenType !== JsonValueToken) {
      const start = this.lines.positionAt(t.startOffset);
      return { start, end: { line: start.line, character: start.character + t.image.length } };
    }
    return this.range(t.startOffset, end);
  }

  /** A position `delta` characters after `p`, on the same line (compound tokens never span lines). */
  private static after(p: Position, delta: number): Position {
    return delta === 0 ? p : { line: p.line, character: p.character + delta };
  }

  private tok(t: IToken): AstToken {
    return { text: t.image, range: this.tokRange(t) };
  }

  /** Range of a CST node from its recorded offsets; falls back to the given token. */
  private cstRange(n: CstNode, fallback?: IToken): Range {
    const loc = n.location;
    if (loc && Number.isFinite(loc.startOffset) && loc.endOffset !== undefined && Number.isFinite(loc.endOffset) && loc.endOffset >= loc.startOffset) {
      return this.range(loc.startOffset, loc.endOffset + 1);
    }
    return fallback ? this.tokRange(fallback) : this.range(0, 0);
  }

  /** Comment texts (without `//`) that lie before `offset` and were not taken yet. */
  private takeComments(offset: number): string[] {
    const out: string[] = [];
    while (this.commentIndex < this.comments.length && this.comments[this.commentIndex]!.startOffset < offset) {
      out.push(this.comments[this.commentIndex]!.image.slice(2).trimEnd());
      this.commentIndex++;
    }
    return out;
  }

  file(cst: CstNode | undefined, textLength: number): AstFile {
    const items: AstTopItem[] = [];
    if (cst) {
      const children = [...nodes(cst, 'lane'), ...nodes(cst, 'node'), ...nodes(cst, 'edge'), ...nodes(cst, 'loop'), ...nodes(cst, 'junk')];
      children.sort((a, b) => startOffset(a) - startOffset(b));
      const junk: IToken[] = [];
      for (const c of children) {
        switch (c.name) {
          case 'lane': {
            const lane = this.lane(c);
            if (lane) items.push(lane);
            break;
          }
          case 'node': {
            const n = this.node(c);
            if (n) items.push(n);
            break;
          }
          case 'edge': {
            const e = this.edge(c);
            if (e) items.push(e);
            break;
          }
          case 'loop':
            items.push(this.loop(c));
            break;
          case 'junk':
            junk.push(...tokens(c, 'token'));
        }
      }
      this.reportJunk(junk, 'top');
    }
    return { items, trailingComments: this.takeComments(Infinity), range: this.range(0, textLength) };
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
      this.diagnostics.push(diagnostic('syntax-error', this.range(first.startOffset, (last.endOffset ?? last.startOffset) + 1), message));
    }
  }

  lane(c: CstNode): AstLane | undefined {
    const idTok = token(c, 'id');
    const open = token(c, 'open');
    if (!idTok || !open) return undefined;
    const comments = this.takeComments(idTok.startOffset);
    const lane: AstLane = {
      kind: 'lane',
      id: this.tok(idTok),
      items: [],
      closed: false,
      openRange: this.tokRange(open),
      comments,
      trailingComments: [],
      range: this.cstRange(c, idTok),
    };
    const label = token(c, 'label');
    if (label) lane.label = { text: label.image.slice(1).trim(), range: this.tokRange(label) };

    const children: Child[] = [
      ...nodes(c, 'node'),
      ...nodes(c, 'edge'),
      ...nodes(c, 'loop'),
      ...nodes(c, 'junk'),
      ...tokens(c, 'strayLabel'),
    ];
    children.sort((a, b) => startOffset(a) - startOffset(b));
    const junk: IToken[] = [];
    for (const item of children) {
      if (isToken(item)) {
        // `# Label` on the line after `{`, before anything else: the label the author meant.
        if (!lane.label && lane.items.length === 0) {
          lane.label = { text: item.image.slice(1).trim(), range: this.tokRange(item) };
          lane.labelOnNextLine = true;
          // Comments before the misplaced label stay with the lane header.
          lane.comments.push(...this.takeComments(item.startOffset));
        } else junk.push(item);
        continue;
      }
      let built: AstLaneItem | undefined;
      if (item.name === 'node') built = this.node(item);
      else if (item.name === 'edge') built = this.edge(item);
      else if (item.name === 'loop') built = this.loop(item);
      else if (item.name === 'junk') junk.push(...tokens(item, 'token'));
      if (built) lane.items.push(built);
    }
    this.reportJunk(junk, 'lane');

    const close = token(c, 'close');
    if (close) {
      lane.closed = true;
      lane.trailingComments = this.takeComments(close.startOffset);
      lane.range = this.range(idTok.startOffset, close.startOffset + 1);
    } else {
      this.diagnostics.push(
        diagnostic('unclosed-lane', lane.id.range, `lane \`${idTok.image}\` is not closed: add \`}\` after its last line`),
      );
    }
    return lane;
  }

  node(c: CstNode): AstNode | undefined {
    const idTok = token(c, 'id');
    if (!idTok) return undefined;
    const n: AstNode = {
      kind: 'node',
      id: this.tok(idTok),
      attributes: [],
      comments: this.takeComments(idTok.startOffset),
      range: this.tokRange(idTok),
    };
    const shape = token(c, 'shape');
    if (shape) n.shape = this.tok(shape);
    const end = shape ?? idTok;
    let endOffset = (end.endOffset ?? end.startOffset) + 1;
    for (const a of this.attributesOf(c)) {
      const attr = isToken(a) ? this.keyString(a) : this.attribute(a);
      if (!attr) continue;
      n.attributes.push(attr);
      const endAt = isToken(a) ? a.startOffset + a.image.length : a.location?.endOffset !== undefined ? a.location.endOffset + 1 : NaN;
      if (Number.isFinite(endAt)) endOffset = Math.max(endOffset, endAt);
    }
    n.range = this.range(idTok.startOffset, endOffset);
    const blockCst = child(c, 'block');
    if (blockCst) n.block = this.block(blockCst);
    return n;
  }

  block(c: CstNode): AstBlock {
    const open = token(c, 'open');
    const field = token(c, 'field');
    const b: AstBlock = {
      lanes: [],
      closed: false,
      openRange: open ? this.tokRange(open) : this.cstRange(c),
      range: this.cstRange(c),
    };
    if (field) b.field = this.tok(field);
    const children: CstNode[] = [...nodes(c, 'lane'), ...nodes(c, 'junk')];
    children.sort((a, b2) => startOffset(a) - startOffset(b2));
    const junk: IToken[] = [];
    for (const item of children) {
      if (item.name === 'lane') {
        const lane = this.lane(item);
        if (lane) b.lanes.push(lane);
      } else junk.push(...tokens(item, 'token'));
    }
    this.reportJunk(junk, 'block');
    const close = token(c, 'close');
    if (close) b.closed = true;
    else
      this.diagnostics.push(
        diagnostic('unclosed-lane', b.openRange, 'this block of nested lanes is not closed: add `}` after its last lane'),
      );
    return b;
  }

  /** The attributes of a node or edge in source order: `key:"text"` tokens and `attribute` nodes. */
  private attributesOf(c: CstNode): Child[] {
    const strings = tokens(c, 'keyString');
    const others = nodes(c, 'attribute');
    if (others.length === 0) return strings;
    if (strings.length === 0) return others;
    return [...strings, ...others].sort((a, b) => startOffset(a) - startOffset(b));
  }

  attribute(c: CstNode): AstAttribute | undefined {
    const compound = token(c, 'keyString');
    if (compound) return this.keyString(compound);
    return this.attributeParts(c);
  }

  /** `key:"text"` written as one token. */
  private keyString(compound: IToken): AstAttribute | undefined {
    if (Number.isFinite(compound.startOffset)) {
      const image = compound.image;
      const sep = image.search(/[:=]/);
      this.lastEnd = Math.max(this.lastEnd, compound.startOffset + image.length);
      const p0 = this.lines.positionAt(compound.startOffset);
      const p1 = AstBuilder.after(p0, sep);
      const p2 = AstBuilder.after(p0, sep + 1);
      const p3 = AstBuilder.after(p0, image.length);
      return {
        key: { text: image.slice(0, sep), range: { start: p0, end: p1 } },
        separator: image.charCodeAt(sep) === 61 ? '=' : ':',
        separatorRange: { start: p1, end: p2 },
        range: { start: p0, end: p3 },
        value: { value: unquote(image.slice(sep + 1), true), range: { start: p2, end: p3 } },
      };
    }
    return undefined;
  }

  private attributeParts(c: CstNode): AstAttribute | undefined {
    const key = token(c, 'key');
    const sep = token(c, 'sep');
    if (!key || !sep) return undefined;
    const attr: AstAttribute = {
      key: this.tok(key),
      separator: sep.image === '=' ? '=' : ':',
      separatorRange: this.tokRange(sep),
      range: this.cstRange(c, key),
    };
    const value = this.value(c);
    if (value) attr.value = value;
    return attr;
  }

  /** The value held by an `attribute`, `member` or `value` CST node. */
  value(c: CstNode): AstValue | undefined {
    const str = token(c, 'StringLiteral');
    if (str) return { value: unquote(str.image, true), range: this.tokRange(str) };
    const num = token(c, 'NumberLiteral');
    if (num) return { value: Number(num.image), range: this.tokRange(num) };
    const blob = token(c, 'JsonValue');
    if (blob) return { value: (blob as IToken & { payload: JsonValue }).payload, range: this.tokRange(blob) };
    const nested = child(c, 'object') ?? child(c, 'array');
    if (nested) return { value: this.json(nested), range: this.cstRange(nested) };
    const unterminated = token(c, 'UnterminatedString');
    if (unterminated) {
      const range = this.tokRange(unterminated);
      this.diagnostics.push(
        diagnostic('unterminated-string', range, 'this string is not closed: add `"` at its end (strings stay on one line)', {
          fix: { title: 'Close the string', edits: [{ range: { start: range.end, end: range.end }, newText: '"' }] },
        }),
      );
      return { value: unquote(unterminated.image, false), range, unterminated: true };
    }
    const t = token(c, 'True') ?? token(c, 'False') ?? token(c, 'Null');
    if (t) return { value: t.image === 'true' ? true : t.image === 'false' ? false : null, range: this.tokRange(t) };
    const bare = token(c, 'bare');
    if (bare) return { value: bare.image, range: this.tokRange(bare), bare: true };
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
          const k0 = this.lines.positionAt(compound.startOffset);
          const k1 = AstBuilder.after(k0, sep);
          const keyPart = { text: compound.image.slice(0, sep), range: { start: k0, end: k1 } };
          this.diagnostics.push(
            diagnostic('invalid-json', keyPart.range, `JSON object keys are quoted strings: write \`"${keyPart.text}"\``, {
              fix: { title: 'Quote the key', edits: [{ range: keyPart.range, newText: JSON.stringify(keyPart.text) }] },
            }),
          );
          out[keyPart.text] = unquote(compound.image.slice(sep + 1), true);
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
    const from = fromRef ? this.handleRef(fromRef) : fromCst ? this.endpoint(fromCst) : undefined;
    const arrow = token(c, 'Arrow');
    if (!from || !arrow) return undefined;
    const e: AstEdge = {
      kind: 'edge',
      from,
      attributes: [],
      arrowRange: this.tokRange(arrow),
      comments: this.takeComments(fromRef ? fromRef.startOffset : startOffset(fromCst!)),
      range: this.cstRange(c),
    };
    const toRef = token(c, 'toRef');
    const toCst = child(c, 'to');
    const to = toRef ? this.handleRef(toRef) : toCst ? this.endpoint(toCst) : undefined;
    if (to) e.to = to;
    if (!e.to) {
      this.diagnostics.push(
        diagnostic('syntax-error', e.arrowRange, 'this edge has no target: write `-> n2.handle(left)` after the arrow, on the same line'),
      );
    }
    for (const a of this.attributesOf(c)) {
      const attr = isToken(a) ? this.keyString(a) : this.attribute(a);
      if (attr) e.attributes.push(attr);
    }
    return e;
  }

  endpoint(c: CstNode): AstEndpoint | undefined {
    const compound = token(c, 'handleRef');
    if (compound) return this.handleRef(compound);
    return this.endpointParts(c);
  }

  /** `[lane.]node.handle(dir)` written as one token. */
  private handleRef(compound: IToken): AstEndpoint | undefined {
    if (Number.isFinite(compound.startOffset)) {
      // `[lane.]node.handle(dir)`: names never contain dots, so the pieces are found by position.
      const image = compound.image;
      const handleAt = image.lastIndexOf('.handle(');
      const dot = image.indexOf('.');
      const open = handleAt + '.handle('.length;
      const hasLane = dot < handleAt;
      this.lastEnd = Math.max(this.lastEnd, compound.startOffset + image.length);
      const p0 = this.lines.positionAt(compound.startOffset);
      const pHandle = AstBuilder.after(p0, handleAt);
      const ep: AstEndpoint = {
        node: hasLane
          ? { text: image.slice(dot + 1, handleAt), range: { start: AstBuilder.after(p0, dot + 1), end: pHandle } }
          : { text: image.slice(0, handleAt), range: { start: p0, end: pHandle } },
        hasHandle: true,
        range: { start: p0, end: AstBuilder.after(p0, image.length) },
      };
      if (hasLane) ep.lane = { text: image.slice(0, dot), range: { start: p0, end: AstBuilder.after(p0, dot) } };
      if (image.length - 1 > open) {
        ep.direction = { text: image.slice(open, image.length - 1), range: { start: AstBuilder.after(p0, open), end: AstBuilder.after(p0, image.length - 1) } };
      }
      return ep;
    }
    return undefined;
  }

  private endpointParts(c: CstNode): AstEndpoint | undefined {
    const first = token(c, 'first');
    if (!first) return undefined;
    const second = token(c, 'second');
    const ep: AstEndpoint = {
      node: this.tok(second ?? first),
      hasHandle: token(c, 'Handle') !== undefined,
      range: this.cstRange(c, first),
    };
    if (second) ep.lane = this.tok(first);
    const dir = token(c, 'direction');
    if (dir) ep.direction = this.tok(dir);
    return ep;
  }

  loop(c: CstNode): AstLoop {
    const kw = token(c, 'Loop');
    const l: AstLoop = {
      kind: 'loop',
      refs: [],
      comments: this.takeComments(kw ? kw.startOffset : startOffset(c)),
      range: this.cstRange(c, kw),
    };
    const text = token(c, 'text');
    if (text) l.text = { text: text.image.slice(1, -1).trim(), range: this.tokRange(text) };
    for (const r of nodes(c, 'loopRef')) {
      const first = token(r, 'first');
      if (!first) continue;
      const second = token(r, 'second');
      const ref: AstLoop['refs'][number] = { node: this.tok(second ?? first), range: this.cstRange(r, first) };
      if (second) ref.lane = this.tok(first);
      l.refs.push(ref);
    }
    return l;
  }
}
