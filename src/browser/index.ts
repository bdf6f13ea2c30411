// `flowlane/browser`: the library API for web pages. Input and output as in src/api (the same
// stages, bundled with browser stand-ins for the Node-only modules, see scripts/build-browser.mjs);
// render() lays out in a Web Worker when it can (render.ts, worker.ts); `run()` turns the diagram
// fences of a page into diagrams (run.ts); `renderPng` rasterises with a canvas. Layout uses the same
// embedded font metrics as the server, so a diagram's SVG is the same bytes in a page and from the CLI.
export { check, detectLanguage, format, fromAsl, parse, toAsl } from '../api/index.js';
export { render, renderPng, renderWithTitle } from './render.js';
export type { BrowserRenderOptions, PngOptions } from './render.js';
export { run } from './run.js';
export type { RunOptions, RunResult } from './run.js';
export { layoutWorker } from './worker.js';
export type { Outcome, Rendered, SourceLanguage, SourceOptions, FromAslValue } from '../api/index.js';
export type { Diagnostic, DiagnosticCode, Fix, Position, Range, Severity, TextEdit, JsonValue } from '../core/index.js';
export type { Diagram, DiagramNode, Edge, Lane, Loop } from '../model/index.js';
export type { AslStateMachine, LaneMode, ToAslOptions } from '../asl/index.js';
export type { LayoutDirection } from '../layout/types.js';
export type { ThemeName } from '../render/index.js';
export type { PathOverlay } from '../render/trace.js';
