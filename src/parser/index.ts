// The parser stage. Input: `.fz` text. Output: Result<AstFile>: an AST that is always usable (partial
// when the text has mistakes) and the lexing and syntax diagnostics. Parsing never throws.
import type { IRecognitionException, IToken, TokenType } from 'chevrotain';
import { diagnostic, LineIndex, type Diagnostic, type Result } from '../core/index.js';
import type { AstFile } from './ast.js';
import { parserInstance, setSourceText } from './parser.js';
import { AstBuilder } from './to-ast.js';
import { LBrace, LBracket, lexer, MAX_NESTING, RBrace, RBracket, resetJsonScanBudget } from './tokens.js';

/** Braces and brackets nested deeper than MAX_NESTING are cut off (and reported), so no input can overflow the stack. */
export { MAX_NESTING };

export type * from './ast.js';
export { endpointTokens, keyToken, pointRange, rangeOf } from './ast.js';
export { KEYWORDS, allTokens } from './tokens.js';
export { unquote } from './to-ast.js';

/** Texts larger than this are refused with one diagnostic rather than parsed. */
export const MAX_INPUT_LENGTH = 64 * 1024 * 1024;

const DISPLAY: Record<string, string> = {
  LBrace: '`{`',
  RBrace: '`}`',
  LBracket: '`[`',
  RBracket: '`]`',
  LParen: '`(`',
  RParen: '`)`',
  Colon: '`:`',
  Equals: '`=`',
  Comma: '`,`',
  Dot: '`.`',
  Arrow: '`->`',
  Identifier: 'a name',
  StringLiteral: 'a string',
  UnterminatedString: 'a string',
  NumberLiteral: 'a number',
  LaneLabel: 'a `# label`',
  LoopText: 'a `[text]`',
  JsonValue: 'a JSON value',
  NodeHead: 'a node',
  EdgeHead: 'an edge',
  HandleRef: 'an edge end',
  KeyString: 'an attribute',
  Loop: '`loop`',
  Handle: '`handle`',
  True: '`true`',
  False: '`false`',
  Null: '`null`',
  EOF: 'the end of the file',
};

function shown(t: IToken): string {
  if (t.tokenType.name === 'EOF') return 'the end of the file';
  const image = t.image.length > 30 ? t.image.slice(0, 30) + '…' : t.image;
  return `\`${image}\``;
}

function describe(types: TokenType[]): string {
  const names = [...new Set(types.map((t) => DISPLAY[t.name] ?? t.name))];
  if (names.length <= 1) return names[0] ?? 'something else';
  return names.slice(0, -1).join(', ') + ' or ' + names[names.length - 1];
}

const RULE_WORDS: Record<string, string> = {
  object: 'a JSON object',
  array: 'a JSON array',
  member: 'a JSON object',
  value: 'an attribute value',
  attribute: 'an attribute',
  endpoint: 'an edge end',
  edgeAttributes: 'edge attributes',
  edge: 'an edge',
  node: 'a node',
  lane: 'a lane',
  block: 'a block of nested lanes',
  loop: 'a loop',
};

function syntaxMessage(e: IRecognitionException): string {
  const rule = e.context?.ruleStack?.[e.context.ruleStack.length - 1] ?? '';
  const where = RULE_WORDS[rule] ? ` in ${RULE_WORDS[rule]}` : '';
  const found = shown(e.token);
  const m = /Expecting (?:token of type )?--> (\w+) <--/.exec(e.message);
  if (m) return `expected ${DISPLAY[m[1]!] ?? m[1]}${where} but found ${found}`;
  if (e.name === 'NoViableAltException' || e.name === 'EarlyExitException') {
    if (rule === 'value') return `expected a value (a string, a number, true, false, null, an object or an array) but found ${found}`;
    return `unexpected ${found}${where}`;
  }
  return `unexpected ${found}${where}`;
}

interface Lexed {
  tokens: IToken[];
  comments: IToken[];
}

function lex(text: string, lines: LineIndex, diagnostics: Diagnostic[]): Lexed {
  resetJsonScanBudget(text.length);
  // The lexer tracks start offsets only (full line/column tracking costs more than the rest of
  // lexing); a token's end is its start plus the length of its image.
  const result = lexer.tokenize(text);
  const comments = (result.groups['comments'] as IToken[] | undefined) ?? [];
  // Consecutive bad characters make one diagnostic.
  let i = 0;
  const errors = result.errors;
  while (i < errors.length) {
    const first = errors[i]!;
    let end = first.offset + first.length;
    while (i + 1 < errors.length && errors[i + 1]!.offset === end && errors[i + 1]!.line === first.line) {
      end = errors[i + 1]!.offset + errors[i + 1]!.length;
      i++;
    }
    i++;
    const bad = text.slice(first.offset, end);
    const what = bad.includes('\0')
      ? 'a NUL character'
      : `\`${bad.length > 20 ? bad.slice(0, 20) + '…' : bad}\``;
    diagnostics.push(
      diagnostic('unexpected-character', lines.range(first.offset, end), `unexpected ${what}: no token starts with it here; remove it, or put it inside a "string"`),
    );
  }
  return { tokens: limitNesting(result.tokens, lines, diagnostics), comments };
}

/** Drops braces and brackets nested deeper than MAX_NESTING, with their contents' openers, and reports the first. */
function limitNesting(tokens: IToken[], lines: LineIndex, diagnostics: Diagnostic[]): IToken[] {
  let depth = 0;
  let tooDeep = false;
  for (const t of tokens) {
    if (t.tokenType === LBrace || t.tokenType === LBracket) {
      if (++depth > MAX_NESTING) {
        tooDeep = true;
        break;
      }
    } else if (t.tokenType === RBrace || t.tokenType === RBracket) depth = Math.max(0, depth - 1);
  }
  if (!tooDeep) return tokens;
  const kept: IToken[] = [];
  let reported = false;
  depth = 0;
  let skipped = 0;
  for (const t of tokens) {
    const opens = t.tokenType === LBrace || t.tokenType === LBracket;
    const closes = t.tokenType === RBrace || t.tokenType === RBracket;
    if (skipped > 0) {
      if (opens) skipped++;
      else if (closes) skipped--;
      continue;
    }
    if (opens && depth >= MAX_NESTING) {
      skipped = 1;
      if (!reported) {
        reported = true;
        diagnostics.push(
          diagnostic('invalid-json', lines.range(t.startOffset, t.startOffset + 1), `nesting deeper than ${MAX_NESTING} levels is not supported; the deeper part was skipped`),
        );
      }
      continue;
    }
    if (opens) depth++;
    else if (closes) depth = Math.max(0, depth - 1);
    kept.push(t);
  }
  return kept;
}

/** Parses `.fz` text into an AST. Never throws; mistakes become diagnostics and a partial AST. */
export function parse(text: string): Result<AstFile> {
  const lines = new LineIndex(text);
  const diagnostics: Diagnostic[] = [];
  const whole = lines.range(0, text.length);
  const empty: AstFile = { items: [], trailingComments: [], line: 0, character: 0, endLine: whole.end.line, endCharacter: whole.end.character };
  if (text.length > MAX_INPUT_LENGTH) {
    diagnostics.push(diagnostic('input-too-large', lines.range(0, 0), `the text has ${text.length} characters; flowlane reads at most ${MAX_INPUT_LENGTH}`));
    return { value: empty, diagnostics };
  }
  try {
    const { tokens, comments } = lex(text, lines, diagnostics);
    setSourceText(text);
    const builder = new AstBuilder(lines, comments);
    parserInstance.onStatement = (statement, parent) => builder.statement(statement, parent);
    parserInstance.input = tokens;
    const cst = parserInstance.file();
    for (const e of parserInstance.errors) {
      const t = e.token;
      const start = Number.isFinite(t.startOffset) ? t.startOffset : text.length;
      const end = Number.isFinite(t.startOffset) ? t.startOffset + t.image.length : start;
      const inJson = (e.context?.ruleStack ?? []).some((r) => r === 'object' || r === 'array' || r === 'member');
      diagnostics.push(diagnostic(inJson ? 'invalid-json' : 'syntax-error', lines.range(start, end), syntaxMessage(e)));
    }
    const ast = builder.file(cst, text.length);
    diagnostics.push(...builder.diagnostics);
    return { value: ast, diagnostics: dedupe(diagnostics) };
  } catch (e) {
    // A safety net: the nesting limit keeps recursion bounded, but a parser bug must not kill an editor.
    diagnostics.push(diagnostic('syntax-error', lines.range(0, 0), `the parser could not read this text (${e instanceof Error ? e.message : String(e)})`));
    return { value: empty, diagnostics };
  } finally {
    parserInstance.input = [];
    parserInstance.onStatement = undefined;
    setSourceText('');
  }
}

function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics
    .filter((d) => {
      const key = `${d.range.start.line}:${d.range.start.character}:${d.code}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
