// The browser's stand-in for src/parser/chevrotain.ts, which finds Chevrotain's single-file build on
// disk with a top-level await: in the bundle it is a plain re-export, which esbuild bundles.
export { createToken, Lexer, CstParser, EOF, createSyntaxDiagramsCode } from 'chevrotain';
