// Semantic tokens: the lexer's tokens, classified with the model (lane id, node id, shape, key, value),
// delta-encoded as LSP wants. Input: an Analysis. Output: the legend and the encoded data.
import { Lexer, type IToken } from 'chevrotain';
import { allTokens } from '../parser/index.js';
import type { Analysis } from './document.js';

export const TOKEN_TYPES = ['namespace', 'function', 'variable', 'type', 'property', 'string', 'number', 'keyword', 'comment', 'operator', 'enumMember'] as const;
export const TOKEN_MODIFIERS = ['declaration', 'defaultLibrary'] as const;
type TokenTypeName = (typeof TOKEN_TYPES)[number];

// The language's own token types, through the parser's public exports; a lexer of our own so the
// parser's instance state is never shared with the editor's.
const lexer = new Lexer(allTokens, { positionTracking: 'full', ensureOptimizations: false, recoveryEnabled: true });

interface Classified {
  line: number;
  char: number;
  length: number;
  type: TokenTypeName;
  modifiers: number;
}

const DECL = 1;
const ASL = 2;

export function semanticTokens(a: Analysis): number[] {
  let tokens: IToken[];
  let comments: IToken[];
  try {
    const r = lexer.tokenize(a.text);
    tokens = r.tokens;
    comments = (r.groups['comments'] as IToken[] | undefined) ?? [];
  } catch {
    return [];
  }
  const occ = new Map<number, { kind: 'node' | 'lane'; declaration: boolean }>();
  for (const o of a.occurrences) occ.set(a.lines.offsetAt(o.range.start), o);
  const out: Classified[] = [];
  const push = (t: IToken, type: TokenTypeName, modifiers = 0): void => {
    const start = a.lines.positionAt(t.startOffset);
    out.push({ line: start.line, char: start.character, length: t.image.length, type, modifiers });
  };
  let inHandle = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const name = t.tokenType.name;
    const prev = tokens[i - 1]?.tokenType.name;
    const next = tokens[i + 1]?.tokenType.name;
    switch (name) {
      case 'Identifier': {
        const o = occ.get(t.startOffset);
        if (inHandle) push(t, 'enumMember');
        else if (o) push(t, o.kind === 'lane' ? 'namespace' : o.declaration ? 'function' : 'variable', o.declaration ? DECL : 0);
        else if (next === 'Colon' || next === 'Equals') push(t, 'property', /^[A-Z]/.test(t.image) ? ASL : 0);
        else if (prev === 'Colon' && occ.get(tokens[i - 2]?.startOffset ?? -1)?.declaration && occ.get(tokens[i - 2]!.startOffset)?.kind === 'node') push(t, 'type');
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
  for (const c of comments) push(c, 'comment');
  out.sort((x, y) => x.line - y.line || x.char - y.char);
  const data: number[] = [];
  let line = 0;
  let char = 0;
  for (const t of out) {
    const dl = t.line - line;
    data.push(dl, dl === 0 ? t.char - char : t.char, t.length, TOKEN_TYPES.indexOf(t.type), t.modifiers);
    line = t.line;
    char = t.char;
  }
  return data;
}
