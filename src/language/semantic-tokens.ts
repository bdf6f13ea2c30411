// Semantic tokens: the text's tokens, classified with the model (lane id, node id, shape, key, value),
// delta-encoded as LSP wants. Input: an Analysis. Output: the legend and the encoded data.
import type { Analysis } from './document.js';
import { cutChunks } from './incremental.js';

export const TOKEN_TYPES = ['namespace', 'function', 'variable', 'type', 'property', 'string', 'number', 'keyword', 'comment', 'operator', 'enumMember'] as const;
export const TOKEN_MODIFIERS = ['declaration', 'defaultLibrary'] as const;
type TokenTypeName = (typeof TOKEN_TYPES)[number];

const PUNCT: Record<string, string> = { '{': 'LBrace', '}': 'RBrace', '[': 'LBracket', ']': 'RBracket', '(': 'LParen', ')': 'RParen', ':': 'Colon', '=': 'Equals', ',': 'Comma', '.': 'Dot' };
const KEYWORD_TOKENS: Record<string, string> = { loop: 'Loop', handle: 'Handle', true: 'True', false: 'False', null: 'Null' };

// The lexical structure of grammar/SPEC.md section 1, one token per piece, for highlighting only.
// The parser's lexer joins pieces into larger tokens for speed (`key:"text"`, whole JSON values),
// which an editor must colour piece by piece, so the editor scans the text itself.
const TOKEN_RE = /(\/\/[^\r\n]*)|(#[^\r\n]*)|("(?:[^"\\\r\n]|\\[^\r\n])*"?)|(-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)|(->)|([A-Za-z_][A-Za-z0-9_]*(?:-(?!>)[A-Za-z0-9_]+)*)|(\r\n|\r|\n)|([ \t\f\v\u00a0\ufeff]+)|([\s\S])/y;

/** Tokens of a text: comments apart, loop texts as one token, positions 0-based. */
function scanTokens(text: string): { tokens: Tok[]; comments: Tok[] } {
  const tokens: Tok[] = [];
  const comments: Tok[] = [];
  let line = 0;
  let lineStart = 0;
  TOKEN_RE.lastIndex = 0;
  for (let m = TOKEN_RE.exec(text); m; m = TOKEN_RE.exec(text)) {
    const offset = m.index;
    const image = m[0];
    const tok = (name: string): Tok => ({ name, image, line, char: offset - lineStart });
    if (m[1] !== undefined) comments.push(tok('Comment'));
    else if (m[2] !== undefined) tokens.push(tok('LaneLabel'));
    else if (m[3] !== undefined) tokens.push(tok('StringLiteral'));
    else if (m[4] !== undefined) tokens.push(tok('NumberLiteral'));
    else if (m[5] !== undefined) tokens.push(tok('Arrow'));
    else if (m[6] !== undefined) {
      tokens.push(tok(KEYWORD_TOKENS[image] ?? 'Identifier'));
      if (image === 'loop') {
        // `loop [text]`: the bracketed text is raw, up to `]` on the same line.
        const rest = /[ \t]*(\[[^\]\r\n]*\]?)/y;
        rest.lastIndex = TOKEN_RE.lastIndex;
        const r = rest.exec(text);
        if (r) {
          const textAt = r.index + r[0].length - r[1]!.length;
          tokens.push({ name: 'LoopText', image: r[1]!, line, char: textAt - lineStart });
          TOKEN_RE.lastIndex = r.index + r[0].length;
        }
      }
    } else if (m[7] !== undefined) {
      line++;
      lineStart = offset + image.length;
    } else if (m[8] === undefined) {
      const p = PUNCT[image];
      if (p) tokens.push(tok(p));
    }
  }
  return { tokens, comments };
}

const TYPE_INDEX = Object.fromEntries(TOKEN_TYPES.map((t, i) => [t, i])) as Record<TokenTypeName, number>;

const DECL = 1;
const ASL = 2;

/** A token with its place in the document: lexed per chunk (see incremental.ts), so edits re-lex one chunk. */
interface Tok {
  name: string;
  image: string;
  line: number;
  char: number;
}

interface Lexed {
  tokens: Tok[];
  comments: Tok[];
  /** The document line the positions above are relative to (0 for a freshly scanned chunk). */
  line: number;
}

let lexCache = new Map<string, Lexed>();

/**
 * The tokens of the whole text, from the cached tokens of its unchanged chunks. Tokens are kept at
 * their document line; a chunk's tokens are copied only when lines were added or removed above it.
 */
function lexAll(text: string): { tokens: Tok[]; comments: Tok[] } {
  const chunks = text.length < 20_000 ? [{ text, line: 0 }] : cutChunks(text);
  const next = new Map<string, Lexed>();
  const tokens: Tok[] = [];
  const comments: Tok[] = [];
  for (const c of chunks) {
    let lexed = next.get(c.text) ?? lexCache.get(c.text);
    if (!lexed) lexed = { ...scanTokens(c.text), line: 0 };
    if (lexed.line !== c.line) {
      const by = c.line - lexed.line;
      const move = (t: Tok): Tok => ({ ...t, line: t.line + by });
      lexed = { tokens: lexed.tokens.map(move), comments: lexed.comments.map(move), line: c.line };
    }
    if (!next.has(c.text)) next.set(c.text, lexed);
    for (const t of lexed.tokens) tokens.push(t);
    for (const t of lexed.comments) comments.push(t);
  }
  lexCache = next;
  return { tokens, comments };
}

/** A position as one number, for looking occurrences up by where a token starts. */
function at(line: number, char: number): number {
  return line * 0x100000 + char;
}

export function semanticTokens(a: Analysis): number[] {
  let tokens: Tok[];
  let comments: Tok[];
  try {
    ({ tokens, comments } = lexAll(a.text));
  } catch {
    return [];
  }
  const occ = new Map<number, { kind: 'node' | 'lane'; declaration: boolean }>();
  for (const o of a.occurrences) occ.set(at(o.range.start.line, o.range.start.character), o);
  const data: number[] = [];
  let line = 0;
  let char = 0;
  let c = 0;
  // Emits one token delta-encoded; the comments (a separate, ordered list) are merged in on the way.
  const emit = (t: Tok, type: number, modifiers: number): void => {
    const dl = t.line - line;
    data.push(dl, dl === 0 ? t.char - char : t.char, t.image.length, type, modifiers);
    line = t.line;
    char = t.char;
  };
  const COMMENT = TOKEN_TYPES.indexOf('comment');
  const push = (t: Tok, type: TokenTypeName, modifiers = 0): void => {
    while (c < comments.length && (comments[c]!.line < t.line || (comments[c]!.line === t.line && comments[c]!.char < t.char))) emit(comments[c++]!, COMMENT, 0);
    emit(t, TYPE_INDEX[type], modifiers);
  };
  let inHandle = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const name = t.name;
    const prev = tokens[i - 1]?.name;
    const next = tokens[i + 1]?.name;
    switch (name) {
      case 'Identifier': {
        const o = occ.get(at(t.line, t.char));
        if (inHandle) push(t, 'enumMember');
        else if (o) push(t, o.kind === 'lane' ? 'namespace' : o.declaration ? 'function' : 'variable', o.declaration ? DECL : 0);
        else if (next === 'Colon' || next === 'Equals') push(t, 'property', /^[A-Z]/.test(t.image) ? ASL : 0);
        else if (prev === 'Colon' && (tokens[i - 2] ? occ.get(at(tokens[i - 2]!.line, tokens[i - 2]!.char)) : undefined)?.declaration && occ.get(at(tokens[i - 2]!.line, tokens[i - 2]!.char))?.kind === 'node') push(t, 'type');
        else if (prev === 'Colon' || prev === 'Equals') push(t, 'string');
        else if (next === 'LBrace') push(t, /^[A-Z]/.test(t.image) ? 'property' : 'namespace', /^[A-Z]/.test(t.image) ? ASL : 0);
        else push(t, 'variable');
        break;
      }
      case 'StringLiteral':
      case 'UnterminatedString':
      case 'LoopText':
      case 'LaneLabel':
        push(t, 'string');
        break;
      case 'NumberLiteral':
        push(t, 'number');
        break;
      case 'Loop':
      case 'Handle':
      case 'True':
      case 'False':
      case 'Null':
        push(t, 'keyword');
        break;
      case 'Arrow':
        push(t, 'operator');
        break;
      default:
        break;
    }
    if (name === 'LParen' && prev === 'Handle') inHandle = true;
    else if (name === 'RParen' || (name !== 'Identifier' && name !== 'LParen')) inHandle = false;
  }
  while (c < comments.length) emit(comments[c++]!, COMMENT, 0);
  return data;
}
