// The grammar of FlowZap Code with the ASL profile, as a Chevrotain CST parser.
// Input: tokens from tokens.ts. Output: a concrete syntax tree (CST), turned into the AST by to-ast.ts.
//
// The grammar is free-form, but FlowZap is written a statement a line, so a few gates look at line
// breaks (see grammar/SPEC.md, section 2). Error recovery: Chevrotain's own (token insertion/deletion,
// re-sync), plus a `junk` alternative that swallows one token no statement can start with, so that one
// mistake never hides the statements after it.
import type { CstNode, IToken, TokenType } from 'chevrotain';
import { CstParser, EOF } from './chevrotain.js';
import {
  allTokens,
  Arrow,
  Colon,
  Comma,
  Dot,
  Equals,
  False,
  Handle,
  EdgeHead,
  HandleRef,
  Identifier,
  JsonValue,
  KeyString,
  LaneLabel,
  LBrace,
  LBracket,
  Loop,
  LoopText,
  LParen,
  NodeHead,
  Null,
  NumberLiteral,
  RBrace,
  RBracket,
  RParen,
  StringLiteral,
  True,
  UnterminatedString,
} from './tokens.js';

// Chevrotain validates a grammar (ambiguities, left recursion) every time a parser is built: a
// fifth of a cold start. The grammar is fixed, and the tests build it with validation on
// (FLOWLANE_VALIDATE_GRAMMAR=1 in test/setup), so a user's run skips it.
const SKIP_GRAMMAR_VALIDATION = typeof process === 'undefined' || process.env?.FLOWLANE_VALIDATE_GRAMMAR !== '1';

let sourceText = '';

/** Sets the text the line gates look at; parse() calls it before running the parser. */
export function setSourceText(text: string): void {
  sourceText = text;
}

/**
 * True when only white space comes before this token on its line. A `//` comment runs to the end
 * of its line, so no token can follow one on the same line: looking back over blanks is enough.
 */
export function isFirstOnLine(tok: IToken): boolean {
  for (let i = tok.startOffset - 1; i >= 0; i--) {
    const c = sourceText.charCodeAt(i);
    if (c === 10 || c === 13) return true;
    if (c !== 32 && c !== 9 && c !== 12 && c !== 11 && c !== 0xa0 && c !== 0xfeff) return false;
  }
  return true;
}

/** True when `b` is the token right after `a` on the same line. */
function sameLine(a: IToken | undefined, b: IToken | undefined): boolean {
  if (!a || !b || a.tokenType === EOF || b.tokenType === EOF) return false;
  return !isFirstOnLine(b);
}

const VALUE_START = new Set<TokenType>([StringLiteral, UnterminatedString, NumberLiteral, True, False, Null, JsonValue, LBrace, LBracket]);

// Option objects for CONSUME and SUBRULE, made once: Chevrotain re-runs the rule bodies on every
// parse, and literals written inline there would be allocated again for every token.
const L = (label: string) => ({ LABEL: label });
const ID = L('id');
const OPEN = L('open');
const CLOSE = L('close');
const LABEL = L('label');
const STRAY_LABEL = L('strayLabel');
const SHAPE = L('shape');
const KEY = L('key');
const SEP = L('sep');
const BARE = L('bare');
const KEY_STRING = L('keyString');
const FIELD = L('field');
const FROM = L('from');
const TO = L('to');
const FROM_REF = L('fromRef');
const TO_REF = L('toRef');
const FIRST = L('first');
const SECOND = L('second');
const DIRECTION = L('direction');
const TEXT = L('text');
const BARE_KEY = L('bareKey');
const BARE_KEY_STRING = L('bareKeyString');
const TOKEN = L('token');
const HEAD = L('head');

/** A CST node of this parser: Chevrotain's, plus the statements already built inside it (see `onStatement`). */
export interface FlowZapCstNode extends CstNode {
  built: unknown[] | undefined;
}

export class FlowZapParser extends CstParser {
  /**
   * Alternatives and option objects of the rules, built on first use and kept (`memo[key] ??= …`):
   * the Chevrotain performance guide's advice, since a rule body runs for every statement parsed.
   * Written inline with `??=`, so that a later run allocates nothing, not even a factory closure.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each entry has the type Chevrotain expects where it is used
  private readonly memo: Record<string, any> = {};

  constructor() {
    super(allTokens, { recoveryEnabled: true, nodeLocationTracking: 'none', maxLookahead: 3, skipValidations: SKIP_GRAMMAR_VALIDATION });
    this.performSelfAnalysis();
  }

  /**
   * The alternatives of a value: a string, a number, true, false, null, a JSON object or array, or a
   * bare word (not at the start of a line). `bareIndex` keeps the bare word's Identifier distinct from
   * the rule's other Identifiers, as Chevrotain requires.
   */
  private valueAlternatives(bareIndex: number) {
    return [
      { ALT: () => this.CONSUME(StringLiteral) },
      { ALT: () => this.CONSUME(UnterminatedString) },
      { ALT: () => this.CONSUME(NumberLiteral) },
      { ALT: () => this.CONSUME(True) },
      { ALT: () => this.CONSUME(False) },
      { ALT: () => this.CONSUME(Null) },
      { ALT: () => this.CONSUME(JsonValue) },
      { ALT: () => this.SUBRULE(this.object) },
      { ALT: () => this.SUBRULE(this.array) },
      { GATE: () => !isFirstOnLine(this.LA(1)), ALT: () => this.consume(bareIndex, Identifier, BARE) },
    ];
  }

  /**
   * Chevrotain 11 starts each CST node with `children: Object.create(null)`, an object V8 keeps in
   * slow (dictionary) mode, and these were the largest allocation of a parse. A plain object does
   * the same job, since no label of this grammar is the name of an Object.prototype property. This
   * replaces Chevrotain's internal hook of the same name (test/parser/cst.test.ts checks that it
   * still exists); its other step, the node location, is off in this parser.
   */
  cstInvocationStateUpdate(fullRuleName: string): void {
    const node: FlowZapCstNode = { name: fullRuleName, children: {}, built: undefined };
    (this as unknown as { CST_STACK: CstNode[] }).CST_STACK.push(node);
  }

  /**
   * Called with each statement's CST (node, edge or loop) as soon as it is parsed, and with the CST
   * node it stands in (a lane, or the file), out of which it is taken. The AST builder turns it into
   * its AST right away and keeps that in the parent's `built`, so the CST of a large file never
   * exists whole: each statement's CST dies young, which costs the garbage collector nothing, where
   * a whole CST would be copied by every collection during the parse.
   */
  onStatement: ((cst: CstNode, parent: FlowZapCstNode) => void) | undefined;

  private statement(cst: CstNode): void {
    // What ACTION does, without a closure per statement: nothing while the grammar is being recorded.
    if (this.RECORDING_PHASE || this.onStatement === undefined) return;
    const stack = (this as unknown as { CST_STACK: FlowZapCstNode[] }).CST_STACK;
    const parent = stack[stack.length - 1];
    const siblings = parent?.children[cst.name];
    // Chevrotain has just added the statement to its parent; if it is not there, it stays in the CST.
    if (parent === undefined || siblings === undefined || siblings[siblings.length - 1] !== cst) return;
    siblings.pop();
    this.onStatement(cst, parent);
  }

  private is(k: number, type: TokenType): boolean {
    return this.LA(k).tokenType === type;
  }

  /** `Identifier {` at the start of a line: a new lane header. */
  private laneHeaderAhead(): boolean {
    return this.is(1, Identifier) && this.is(2, LBrace) && isFirstOnLine(this.LA(1));
  }

  private nodeAhead(): boolean {
    return this.is(1, NodeHead) || (this.is(1, Identifier) && this.is(2, Colon));
  }

  private edgeAhead(): boolean {
    return this.is(1, EdgeHead) || this.is(1, HandleRef) || (this.is(1, Identifier) && (this.is(2, Dot) || this.is(2, Arrow)));
  }

  /** Another attribute of the current node, and not the start of the next node (see SPEC section 2). */
  private attributeAhead(): boolean {
    if (this.is(1, KeyString)) return true;
    if (!this.is(1, Identifier)) return false;
    const sep = this.LA(2).tokenType;
    if (sep !== Colon && sep !== Equals) return false;
    if (!isFirstOnLine(this.LA(1))) return true;
    // On a new line, `key:` continues the node only with a non-bare-word value.
    return VALUE_START.has(this.LA(3).tokenType);
  }

  public file = this.RULE('file', () => {
    this.MANY(
      (this.memo['file.many'] ??= () => {
        this.OR(
          (this.memo['file.or'] ??= {
            IGNORE_AMBIGUITIES: true,
            DEF: [
              { GATE: () => this.is(2, LBrace), ALT: () => this.SUBRULE(this.lane) },
              { GATE: () => this.nodeAhead(), ALT: () => this.statement(this.SUBRULE(this.node)) },
              { GATE: () => this.edgeAhead(), ALT: () => this.statement(this.SUBRULE(this.edge)) },
              { ALT: () => this.statement(this.SUBRULE(this.loop)) },
              { ALT: () => this.SUBRULE(this.junk) },
            ],
          }),
        );
      }),
    );
  });

  public lane = this.RULE('lane', () => {
    this.CONSUME(Identifier, ID);
    this.CONSUME(LBrace, OPEN);
    this.OPTION((this.memo['lane.label'] ??= { GATE: () => sameLine(this.LA(0), this.LA(1)), DEF: () => this.CONSUME(LaneLabel, LABEL) }));
    this.MANY(
      (this.memo['lane.items'] ??= {
        GATE: () => !this.is(1, RBrace) && !this.is(1, EOF) && !this.laneHeaderAhead(),
        DEF: () => {
          this.OR(
            (this.memo['lane.or'] ??= {
              IGNORE_AMBIGUITIES: true,
              DEF: [
                { GATE: () => this.nodeAhead(), ALT: () => this.statement(this.SUBRULE(this.node)) },
                { GATE: () => this.edgeAhead(), ALT: () => this.statement(this.SUBRULE(this.edge)) },
                { ALT: () => this.statement(this.SUBRULE(this.loop)) },
                { ALT: () => this.CONSUME2(LaneLabel, STRAY_LABEL) },
                { ALT: () => this.SUBRULE(this.junk) },
              ],
            }),
          );
        },
      }),
    );
    this.OPTION2((this.memo['lane.close'] ??= () => this.CONSUME(RBrace, CLOSE)));
  });

  public node = this.RULE('node', () => {
    // `n1: rectangle` at the start of a line is one `NodeHead` token; anything else goes piece by piece.
    this.OR2(
      (this.memo['node.head'] ??= [
        { ALT: () => this.CONSUME(NodeHead, HEAD) },
        {
          ALT: () => {
            this.CONSUME(Identifier, ID);
            this.CONSUME(Colon);
            this.OPTION(
              (this.memo['node.shape'] ??= {
                GATE: () => this.is(1, Identifier) && !this.is(2, Colon) && !this.is(2, Equals) && sameLine(this.LA(0), this.LA(1)),
                DEF: () => this.CONSUME2(Identifier, SHAPE),
              }),
            );
          },
        },
      ]),
    );
    // A `key:"text"` token is kept directly in the node (no `attribute` CST node for it): most
    // attributes are written that way, and a CST node each would double the parser's allocations.
    this.MANY(
      (this.memo['node.attributes'] ??= {
        GATE: () => this.attributeAhead(),
        DEF: () => {
          this.OR((this.memo['node.attribute.or'] ??= [{ ALT: () => this.CONSUME(KeyString, KEY_STRING) }, { ALT: () => this.SUBRULE(this.attribute) }]));
        },
      }),
    );
    this.OPTION2(
      (this.memo['node.block'] ??= {
        GATE: () =>
          (this.is(1, LBrace) && sameLine(this.LA(0), this.LA(1))) ||
          (this.is(1, Identifier) && this.is(2, LBrace) && sameLine(this.LA(0), this.LA(1))),
        DEF: () => this.SUBRULE(this.block),
      }),
    );
  });

  /**
   * An attribute written with spaces, or whose value is not a plain string (`key:"text"` is one
   * token). The value alternatives are inlined rather than a `value` subrule: one CST node less per
   * attribute, and attributes are most of a large file.
   */
  public attribute = this.RULE('attribute', () => {
    this.CONSUME(Identifier, KEY);
    this.OR((this.memo['attribute.sep'] ??= [{ ALT: () => this.CONSUME(Colon, SEP) }, { ALT: () => this.CONSUME(Equals, SEP) }]));
    this.OR2((this.memo['attribute.value'] ??= this.valueAlternatives(2)));
  });

  public block = this.RULE('block', () => {
    this.OPTION((this.memo['block.field'] ??= () => this.CONSUME(Identifier, FIELD)));
    this.CONSUME(LBrace, OPEN);
    this.MANY(
      (this.memo['block.lanes'] ??= {
        GATE: () => !this.is(1, RBrace) && !this.is(1, EOF),
        DEF: () => {
          this.OR(
            (this.memo['block.or'] ??= {
              IGNORE_AMBIGUITIES: true,
              DEF: [
                { GATE: () => this.is(2, LBrace), ALT: () => this.SUBRULE(this.lane) },
                { ALT: () => this.SUBRULE(this.junk) },
              ],
            }),
          );
        },
      }),
    );
    this.OPTION2((this.memo['block.close'] ??= () => this.CONSUME(RBrace, CLOSE)));
  });

  public edge = this.RULE('edge', () => {
    // `a.handle(right) -> b.handle(left)` is one `EdgeHead` token, and an end written as one
    // `HandleRef` token is kept in the edge itself; anything else goes piece by piece.
    this.OR4(
      (this.memo['edge.head'] ??= [
        { ALT: () => this.CONSUME(EdgeHead, HEAD) },
        {
          ALT: () => {
            this.OR((this.memo['edge.from'] ??= [{ ALT: () => this.CONSUME(HandleRef, FROM_REF) }, { ALT: () => this.SUBRULE(this.endpoint, FROM) }]));
            this.CONSUME(Arrow);
            this.OPTION(
              (this.memo['edge.to'] ??= {
                GATE: () => (this.is(1, Identifier) || this.is(1, HandleRef)) && sameLine(this.LA(0), this.LA(1)),
                DEF: () => {
                  this.OR2((this.memo['edge.to.or'] ??= [{ ALT: () => this.CONSUME2(HandleRef, TO_REF) }, { ALT: () => this.SUBRULE2(this.endpoint, TO) }]));
                },
              }),
            );
          },
        },
      ]),
    );
    this.OPTION2(
      (this.memo['edge.attributes'] ??= {
        GATE: () => this.is(1, LBracket) && sameLine(this.LA(0), this.LA(1)),
        DEF: () => {
          this.CONSUME(LBracket);
          this.MANY(
            (this.memo['edge.attribute'] ??= () => {
              this.OR3(
                (this.memo['edge.attribute.or'] ??= [
                  { ALT: () => this.CONSUME(KeyString, KEY_STRING) },
                  { ALT: () => this.SUBRULE(this.attribute) },
                  { ALT: () => this.CONSUME(Comma) },
                ]),
              );
            }),
          );
          this.CONSUME(RBracket);
        },
      }),
    );
  });

  /** An edge end written with spaces or without a handle (`n1.handle(right)` is one token). */
  public endpoint = this.RULE('endpoint', () => {
    this.CONSUME(Identifier, FIRST);
    this.OPTION(
      (this.memo['endpoint.lane'] ??= {
        GATE: () => this.is(1, Dot) && this.is(2, Identifier),
        DEF: () => {
          this.CONSUME(Dot);
          this.CONSUME2(Identifier, SECOND);
        },
      }),
    );
    this.OPTION2(
      (this.memo['endpoint.handle'] ??= {
        GATE: () => this.is(1, Dot) && this.is(2, Handle),
        DEF: () => {
          this.CONSUME2(Dot);
          this.CONSUME(Handle);
          this.CONSUME(LParen);
          this.OPTION3((this.memo['endpoint.direction'] ??= () => this.CONSUME3(Identifier, DIRECTION)));
          this.CONSUME(RParen);
        },
      }),
    );
  });

  public loop = this.RULE('loop', () => {
    this.CONSUME(Loop);
    this.OPTION((this.memo['loop.text'] ??= () => this.CONSUME(LoopText, TEXT)));
    this.MANY(
      (this.memo['loop.refs'] ??= {
        GATE: () => this.is(1, Identifier) && sameLine(this.LA(0), this.LA(1)),
        DEF: () => this.SUBRULE(this.loopRef),
      }),
    );
  });

  public loopRef = this.RULE('loopRef', () => {
    this.CONSUME(Identifier, FIRST);
    this.OPTION(
      (this.memo['loopRef.lane'] ??= {
        GATE: () => this.is(1, Dot) && this.is(2, Identifier),
        DEF: () => {
          this.CONSUME(Dot);
          this.CONSUME2(Identifier, SECOND);
        },
      }),
    );
  });

  public value = this.RULE('value', () => {
    this.OR((this.memo['value.or'] ??= this.valueAlternatives(1)));
  });

  public object = this.RULE('object', () => {
    this.CONSUME(LBrace);
    this.MANY_SEP((this.memo['object.members'] ??= { SEP: Comma, DEF: () => this.SUBRULE(this.member) }));
    this.CONSUME(RBrace);
  });

  public member = this.RULE('member', () => {
    // An unquoted key is read (and reported, with a fix) rather than rejected: `{a: 1}` is a common slip.
    this.OR(
      (this.memo['member.or'] ??= [
        { ALT: () => this.CONSUME(KeyString, BARE_KEY_STRING) },
        {
          ALT: () => {
            this.OR2((this.memo['member.key'] ??= [{ ALT: () => this.CONSUME(StringLiteral, KEY) }, { ALT: () => this.CONSUME(Identifier, BARE_KEY) }]));
            this.CONSUME(Colon);
            this.SUBRULE(this.value);
          },
        },
      ]),
    );
  });

  public array = this.RULE('array', () => {
    this.CONSUME(LBracket);
    this.MANY_SEP((this.memo['array.items'] ??= { SEP: Comma, DEF: () => this.SUBRULE(this.value) }));
    this.CONSUME(RBracket);
  });

  /** One token that no statement starts with: kept in the CST so that the AST builder can report it. */
  public junk = this.RULE('junk', () => {
    this.OR((this.memo['junk.or'] ??= JUNK_TOKENS.map((t) => ({ ALT: () => this.CONSUME(t, TOKEN) }))));
  });
}

// `junk` takes any token the parser sees (every token type but the skipped ones and comments) except
// `loop`, which always starts a statement. The gates in `file`/`lane` try the real statements first,
// so junk only ever takes what they rejected.
const JUNK_TOKENS: TokenType[] = allTokens.filter((t) => t.GROUP === undefined && t !== Loop);

/** One parser for the whole process: Chevrotain parsers are expensive to build and cheap to reset. */
export const parserInstance = new FlowZapParser();
