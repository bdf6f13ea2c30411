// The two ways the parser departs from a plain Chevrotain CstParser, both for speed (see the comments
// in src/parser/parser.ts): CST children are plain objects made by our own `cstInvocationStateUpdate`,
// and statements are handed to the AST builder, and taken out of the CST, as soon as they are parsed.
import type { CstNode } from 'chevrotain';
import { CstParser } from '../../src/parser/chevrotain.js';
import { describe, expect, test } from 'vitest';
import { parserInstance, setSourceText, type FlowZapCstNode } from '../../src/parser/parser.js';
import { lexer, resetJsonScanBudget } from '../../src/parser/tokens.js';
import { parse } from '../../src/parser/index.js';

function cstOf(text: string, onStatement?: (cst: CstNode, parent: FlowZapCstNode) => void): FlowZapCstNode {
  resetJsonScanBudget(text.length);
  setSourceText(text);
  parserInstance.onStatement = onStatement;
  parserInstance.input = lexer.tokenize(text).tokens;
  try {
    return parserInstance.file() as FlowZapCstNode;
  } finally {
    parserInstance.onStatement = undefined;
    parserInstance.input = [];
    setSourceText('');
  }
}

const text = 'a { # A\n  n1: circle label:"x"\n  n2: rectangle\n  n1.handle(right) -> n2.handle(left)\n}\n';

describe('the CST of the FlowZap parser', () => {
  test('replaces a hook that Chevrotain has, so that the replacement is used', () => {
    const hook = (CstParser.prototype as unknown as Record<string, unknown>)['cstInvocationStateUpdate'];
    expect(typeof hook).toBe('function');
    expect(Object.prototype.hasOwnProperty.call(Object.getPrototypeOf(parserInstance), 'cstInvocationStateUpdate')).toBe(true);
  });

  test('has plain-object children, and keeps every statement when no one takes them', () => {
    const cst = cstOf(text);
    expect(Object.getPrototypeOf(cst.children)).toBe(Object.prototype);
    const lane = cst.children['lane']![0] as FlowZapCstNode;
    expect(lane.children['node']).toHaveLength(2);
    expect(lane.children['edge']).toHaveLength(1);
    expect(lane.built).toBeUndefined();
  });

  test('hands each statement over with the lane it stands in, and takes it out of that lane', () => {
    const handed: string[] = [];
    const cst = cstOf(text, (statement, parent) => {
      handed.push(`${statement.name} in ${parent.name}`);
      (parent.built ??= []).push(statement.name);
    });
    expect(handed).toEqual(['node in lane', 'node in lane', 'edge in lane']);
    const lane = cst.children['lane']![0] as FlowZapCstNode;
    expect(lane.children['node']).toEqual([]);
    expect(lane.children['edge']).toEqual([]);
    expect(lane.built).toEqual(['node', 'node', 'edge']);
  });

  test('gives the same AST whether a statement was handed over or read from the CST', () => {
    // A statement inside a recovered (broken) lane is still built, and in source order.
    const broken = 'a {\n  n1: circle label:"x"\n  ] n2: rectangle\n  n1.handle(right) -> n2.handle(left)\n';
    const ast = parse(broken).value;
    const lane = ast.items[0];
    expect(lane?.kind).toBe('lane');
    if (lane?.kind !== 'lane') return;
    expect(lane.items.map((i) => i.kind)).toEqual(['node', 'node', 'edge']);
  });
});
