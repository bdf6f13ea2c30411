// The package entry, `import { parse, check, format, render, toAsl, fromAsl } from 'flowlane'`.
// Input/output: see src/api/index.ts. Only this file and `flowlane/remark` are exported by the
// package; the stages behind them are internal and may change without notice.
export { parse, check, format, render, renderWithTitle, toAsl, fromAsl, detectLanguage } from './api/index.js';
export type { Outcome, RenderOptions, Rendered, SourceLanguage, SourceOptions, FromAslValue } from './api/index.js';
export type { Diagnostic, DiagnosticCode, Fix, Position, Range, RelatedInformation, Result, Severity, TextEdit, JsonValue } from './core/index.js';
export type { Attribute, Diagram, DiagramNode, Direction, Edge, EdgeEnd, Lane, Loop, NodeBlock, Shape } from './model/index.js';
export type { AslStateMachine, LaneMode, ToAslOptions } from './asl/index.js';
export type { LayoutDirection } from './layout/types.js';
export type { ThemeName } from './render/index.js';
