// The lexer of FlowZap Code. Input: text. Output: Chevrotain tokens (comments in their own group).
// Keywords are defined with `longer_alt: Identifier` so that `loops` or `handler` stay identifiers.
import type { CustomPatternMatcherFunc, IToken, TokenType } from 'chevrotain';
import { createToken, Lexer } from './chevrotain.js';

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\f\v\u00a0\ufeff]+/, group: Lexer.SKIPPED });
export const Newline = createToken({ name: 'Newline', pattern: /\r\n?|\n/, group: Lexer.SKIPPED, line_breaks: true });
export const Comment = createToken({ name: 'Comment', pattern: /\/\/[^\n\r]*/, group: 'comments' });
/** `# Display Label` after a lane's `{`, to the end of the line. */
export const LaneLabel = createToken({ name: 'LaneLabel', pattern: /#[^\n\r]*/ });

export const Identifier = createToken({
  name: 'Identifier',
  pattern: /[A-Za-z_][A-Za-z0-9_]*(?:-(?!>)[A-Za-z0-9_]+)*/,
  start_chars_hint: [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_'],
});

// Compound tokens make the common statements cheap to parse: `n1: rectangle` at the start of a
// line, `n1.handle(right)` (with an optional lane prefix), a whole `a.handle(right) -> b.handle(left)`,
// and `key:"text"` / `key="text"` written without spaces. They are only a faster way of reading the
// same thing: anything else (a missing parenthesis, a line break) is read token by token by the same
// grammar, and the AST builder splits each compound into the pieces it stands for. (The editor's
// highlighting scans the text itself, piece by piece: see src/language/semantic-tokens.ts.)
const NAME = '[A-Za-z_][A-Za-z0-9_]*(?:-(?!>)[A-Za-z0-9_]+)*';
const IDENT_START = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_'];
/** `node.handle(dir)` or `lane.node.handle(dir)`. */
const HANDLE_REF = `${NAME}(?:\\.${NAME})?\\.handle\\([A-Za-z_]*\\)`;
export const HandleRef = createToken({
  name: 'HandleRef',
  pattern: new RegExp(HANDLE_REF),
  start_chars_hint: IDENT_START,
});
/** `a.handle(right) -> b.handle(left)`, spaces or tabs around the arrow: most edges. */
export const EdgeHead = createToken({
  name: 'EdgeHead',
  pattern: new RegExp(`${HANDLE_REF}[ \\t]*->[ \\t]*${HANDLE_REF}`),
  start_chars_hint: IDENT_START,
});

// `id: shape` at the start of a line, followed by a blank, a line break, `{` or the end: the head of
// most node statements. Keywords are never an id or a shape here (`loop: x` stays a loop, and
// `n1: true` is not a shape), and a word later on the line (a bare value, `label:Start`) is never
// a head, since only blanks may come before one on its line.
// The head also takes the `key:"text"` attributes that follow it on its line, blank-separated: the
// whole of most node lines is then one token.
// Quoted text as an "unrolled loop" (runs of plain characters between escapes): an alternation
// inside `*` makes V8's regexp engine recurse per character, overflowing on a multi-megabyte label.
const QUOTED = '"[^"\\\\\\n\\r]*(?:\\\\[^\\n\\r][^"\\\\\\n\\r]*)*"';
const NODE_HEAD = new RegExp(`(${NAME}):[ \\t]*(${NAME})(?:[ \\t]+${NAME}[:=]${QUOTED})*(?=[ \\t\\r\\n{]|$)`, 'y');
const matchNodeHead: CustomPatternMatcherFunc = (text, offset) => {
  for (let i = offset - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) break;
    if (c !== 32 && c !== 9 && c !== 12 && c !== 11 && c !== 0xa0 && c !== 0xfeff) return null;
  }
  NODE_HEAD.lastIndex = offset;
  const m = NODE_HEAD.exec(text);
  if (m === null || KEYWORD_SET.has(m[1]!) || KEYWORD_SET.has(m[2]!)) return null;
  return m;
};
export const NodeHead = createToken({ name: 'NodeHead', pattern: matchNodeHead, line_breaks: false, start_chars_hint: IDENT_START });

/** `key:"text"` or `key="text"`. */
export const KeyString = createToken({
  name: 'KeyString',
  pattern: new RegExp(`${NAME}[:=]"[^"\\\\\\n\\r]*(?:\\\\[^\\n\\r][^"\\\\\\n\\r]*)*"`),
  start_chars_hint: IDENT_START,
});

function keyword(name: string, word: string): TokenType {
  return createToken({ name, pattern: new RegExp(word), longer_alt: Identifier });
}

export const Loop = keyword('Loop', 'loop');
export const Handle = keyword('Handle', 'handle');
export const True = keyword('True', 'true');
export const False = keyword('False', 'false');
export const Null = keyword('Null', 'null');

/** The words the lexer treats as keywords; the TextMate grammar must highlight each of them. */
export const KEYWORDS = ['loop', 'handle', 'true', 'false', 'null'] as const;
const KEYWORD_SET = new Set<string>(KEYWORDS);

// Unrolled loops like QUOTED, for the same reason.
export const StringLiteral = createToken({ name: 'StringLiteral', pattern: /"[^"\\\n\r]*(?:\\[^\n\r][^"\\\n\r]*)*"/ });
/** A string that reaches the end of its line without a closing quote; reported, then read as if closed. */
export const UnterminatedString = createToken({ name: 'UnterminatedString', pattern: /"[^"\\\n\r]*(?:\\[^\n\r][^"\\\n\r]*)*\\?/ });
export const NumberLiteral = createToken({ name: 'NumberLiteral', pattern: /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/ });

export const Arrow = createToken({ name: 'Arrow', pattern: /->/ });

// `loop [text]`: the bracketed text is raw (no quotes), so it is one token, but only right after `loop`;
// everywhere else `[` opens edge attributes or a JSON array.
const matchLoopText: CustomPatternMatcherFunc = (text, offset, matched) => {
  const last = matched[matched.length - 1];
  if (!last || last.tokenType !== Loop || text.charCodeAt(offset) !== 91) return null;
  const re = /\[[^\]\r\n]*\]/y;
  re.lastIndex = offset;
  return re.exec(text);
};
export const LoopText = createToken({ name: 'LoopText', pattern: matchLoopText, line_breaks: false, start_chars_hint: ['['] });

/** Deepest nesting a JSON value may have; deeper input is cut off and reported (see parser/index.ts). */
export const MAX_NESTING = 256;

// A whole JSON object or array after `key:` or `key=`, read as one token and parsed with JSON.parse:
// large ASL definitions are mostly JSON, and this keeps them out of the token-by-token grammar.
// Only a balanced, valid value of bounded depth becomes a JsonValue token; anything else falls back to
// the `object`/`array` rules, which point at the exact mistake and recover from it.
//
// Scanning for the end of a value that turns out not to close can cost up to the rest of the text;
// a budget of a few passes over the text keeps lexing linear on hostile input (the fallback tokens
// are always correct, only slower).
let scanBudget = 0;

/** Gives the JSON scanner its budget for one text; the parser calls it before each tokenize. */
export function resetJsonScanBudget(textLength: number): void {
  scanBudget = 4 * textLength + 1024;
}

const matchJsonValue: CustomPatternMatcherFunc = (text, offset, matched) => {
  const open = text.charCodeAt(offset);
  if (open !== 123 && open !== 91) return null;
  const last = matched[matched.length - 1];
  if (!last || (last.tokenType !== Colon && last.tokenType !== Equals)) return null;
  if (scanBudget <= 0) return null;
  const result = scanJsonValue(text, offset);
  return result;
};

/** An exponent of three digits or more, or 309 digits in a row: where a number may overflow to Infinity. */
const MAY_OVERFLOW = /[eE]\+?[0-9]{3}|[0-9]{309}/;

/** Whether a parsed value (at most MAX_NESTING deep) holds a number that is not finite. */
function holdsNonFinite(v: unknown): boolean {
  if (typeof v === 'number') return !Number.isFinite(v);
  if (v === null || typeof v !== 'object') return false;
  return (Array.isArray(v) ? v : Object.values(v)).some(holdsNonFinite);
}

function scanJsonValue(text: string, offset: number): RegExpExecArray | null {
  let depth = 0;
  const start = offset;
  const spend = (i: number) => {
    scanBudget -= i - start + 1;
  };
  for (let i = offset; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // Skip a string; a line break inside one means it is not closed.
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 92) i++;
        else if (d === 34) break;
        else if (d === 10 || d === 13) return null;
      }
      if (i >= text.length) {
        spend(i);
        return null;
      }
    } else if (c === 123 || c === 91) {
      if (++depth > MAX_NESTING) {
        spend(i);
        return null;
      }
    } else if (c === 125 || c === 93) {
      if (--depth === 0) {
        spend(i);
        const image = text.slice(offset, i + 1);
        let payload: unknown;
        try {
          payload = JSON.parse(image);
        } catch {
          return null;
        }
        // A number too large for a double reads as Infinity and would be written back as null: the
        // token-by-token rules report it at its place.
        if (MAY_OVERFLOW.test(image) && holdsNonFinite(payload)) return null;
        const result = [image] as unknown as RegExpExecArray & { payload: unknown };
        result.payload = payload;
        return result;
      }
    } else if (c === 10 || c === 13) {
      // A line that starts like a statement (`n2:`, `n1.`, `x {`, `//`) ends the search: the value is
      // not closed, and swallowing the statements after it would hide them.
      let j = i + 1;
      while (j < text.length && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9 || text.charCodeAt(j) === 10 || text.charCodeAt(j) === 13)) j++;
      if (/^(?:[A-Za-z_][A-Za-z0-9_-]*\s*(?:[:.{]|->)|\/\/)/.test(text.slice(j, j + 80))) {
        spend(j);
        return null;
      }
      i = j - 1;
    }
  }
  spend(text.length);
  return null;
}

export const LBrace = createToken({ name: 'LBrace', pattern: /\{/ });
export const RBrace = createToken({ name: 'RBrace', pattern: /\}/ });
export const LBracket = createToken({ name: 'LBracket', pattern: /\[/ });
export const RBracket = createToken({ name: 'RBracket', pattern: /\]/ });
export const LParen = createToken({ name: 'LParen', pattern: /\(/ });
export const RParen = createToken({ name: 'RParen', pattern: /\)/ });
export const Colon = createToken({ name: 'Colon', pattern: /:/ });
export const Equals = createToken({ name: 'Equals', pattern: /=/ });
export const JsonValue = createToken({ name: 'JsonValue', pattern: matchJsonValue, line_breaks: true, start_chars_hint: ['{', '['] });
export const Comma = createToken({ name: 'Comma', pattern: /,/ });
export const Dot = createToken({ name: 'Dot', pattern: /\./ });

/** Every token type, in matching order. */
export const allTokens: TokenType[] = [
  WhiteSpace,
  Newline,
  Comment,
  LaneLabel,
  StringLiteral,
  UnterminatedString,
  Arrow,
  NumberLiteral,
  LoopText,
  JsonValue,
  LBrace,
  RBrace,
  LBracket,
  RBracket,
  LParen,
  RParen,
  Colon,
  Equals,
  Comma,
  Dot,
  NodeHead,
  EdgeHead,
  HandleRef,
  KeyString,
  Loop,
  Handle,
  True,
  False,
  Null,
  Identifier,
];

export const lexer = new Lexer(allTokens, {
  positionTracking: 'onlyOffset',
  // The token definitions are fixed; the tests validate them (see parser.ts).
  skipValidations: typeof process === 'undefined' || process.env?.FLOWLANE_VALIDATE_GRAMMAR !== '1',
  ensureOptimizations: false,
  // Errors are collected and reported as diagnostics; the lexer skips the bad character and goes on.
  recoveryEnabled: true,
});

export type { IToken };
