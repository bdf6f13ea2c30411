// The library API: the functions the CLI uses, for programs that embed flowlane (docs builds, bundler
// plugins, scripts). Input: `.fz` text, ASL text or JSON, or a Diagram. Output: an Outcome: the value,
// the diagnostics, and `ok` (no error among them). Pure: no file system, no `process`; bad input is
// reported as diagnostics, never thrown.
import { fromAsl as fromAslStage, loadAsl, checkAslText, toAsl as toAslStage } from '../asl/index.js';
import type { AslStateMachine, FromAslOptions, LaneMode, ToAslOptions } from '../asl/index.js';
import { diagnostic, sortDiagnostics } from '../core/index.js';
import type { Diagnostic } from '../core/index.js';
import { parseDiagram } from '../model/index.js';
import type { Diagram } from '../model/index.js';
import { formatText, print } from '../print/index.js';
import { layout, layoutLimit } from '../layout/index.js';
import type { LaidOutDiagram, LayoutDirection } from '../layout/types.js';
import { DEFAULT_PNG_SCALE, renderPng, renderSvg, truncationWarnings } from '../render/index.js';
import type { ThemeName } from '../render/index.js';
import type { PathOverlay } from '../render/trace.js';

/**
 * What every API function returns: the value and the diagnostics, with `ok` true when no diagnostic is
 * an error. A union, so that `if (result.ok)` narrows `value` to the complete value; when `ok` is
 * false, `value` is what could still be made (`Failed`: undefined, or a partial value).
 */
export type Outcome<T, Failed = undefined> =
  | { ok: true; value: T; diagnostics: Diagnostic[] }
  | { ok: false; value: Failed; diagnostics: Diagnostic[] };

/** The languages `check` and `render` read. */
export type SourceLanguage = 'fz' | 'asl';

export interface SourceOptions {
  /** The language of the text; without it, taken from `name`'s extension, else guessed from the content. */
  language?: SourceLanguage;
  /** A file name, used only to choose the language (`.fz`, `.json`, `.yaml`, `.yml`). */
  name?: string;
  /** For ASL input: one lane, or one lane per AWS service (`from-asl --lanes`). */
  lanes?: LaneMode;
}

export interface RenderOptions extends SourceOptions {
  /** `svg` (default) or `png`. */
  format?: 'svg' | 'png';
  /** light (default), dark, or auto (follows prefers-color-scheme; SVG only). */
  theme?: ThemeName;
  /** right (default): lanes as rows; down: lanes as columns. */
  direction?: LayoutDirection;
  /** Prefix of every id inside the SVG, so that several diagrams can share one page. Default `fz`. */
  id?: string;
  /** PNG pixels per SVG unit (default 1). */
  scale?: number;
  /** Embed the subset of the font in the SVG (default true). */
  embedFont?: boolean;
}

/** A rendered diagram with its accessible title, for alt texts and captions. */
export interface Rendered<T> {
  /** SVG text or PNG bytes. */
  output: T;
  /** A one-line title ("Swimlane diagram: Sales, Fulfillment"). */
  title: string;
  /** A sentence-level description of the diagram's lanes and nodes. */
  description: string;
}

/** What `fromAsl` gives: the diagram and its canonical `.fz` text. */
export interface FromAslValue {
  diagram: Diagram;
  text: string;
}

// The callers pass a complete value whenever the diagnostics hold no error.
function outcome<T, Failed = undefined>(value: NoInfer<T | Failed>, diagnostics: Diagnostic[]): Outcome<T, Failed> {
  return { value, diagnostics, ok: !diagnostics.some((d) => d.severity === 'error') } as Outcome<T, Failed>;
}

/** The language of a text: by option, then file extension, then content (JSON, or ASL's top-level YAML keys). */
export function detectLanguage(text: string, options: SourceOptions = {}): SourceLanguage {
  if (options.language) return options.language;
  const name = options.name ?? '';
  if (/\.fz$/i.test(name)) return 'fz';
  if (/\.(json|ya?ml)$/i.test(name)) return 'asl';
  // `.fz` text never starts with a brace, and its top level holds lanes (`id {`), not `Key:` pairs.
  if (/^\s*[{[]/.test(text)) return 'asl';
  if (/^(StartAt|States|Resources|AWSTemplateFormatVersion|stepFunctions|Transform)\s*:/m.test(text)) return 'asl';
  return 'fz';
}

/** Parses `.fz` text into its Diagram: always a usable (possibly partial) diagram, with every diagnostic. */
export function parse(text: string): Outcome<Diagram, Diagram> {
  const r = parseDiagram(text);
  return outcome(r.value, r.diagnostics);
}

/** Checks `.fz` text or ASL text (JSON, YAML, CloudFormation/SAM/Serverless) and returns every diagnostic. */
export function check(text: string, options: SourceOptions = {}): Outcome<Diagnostic[], Diagnostic[]> {
  const diagnostics = detectLanguage(text, options) === 'asl' ? checkAslText(text, aslLoadOptions(options)).diagnostics : parseDiagram(text).diagnostics;
  return outcome(diagnostics, diagnostics);
}

/** The canonical text of `.fz` source (what `flowlane fmt` writes); text with syntax errors comes back unchanged. */
export function format(text: string): Outcome<string, string> {
  const r = formatText(text);
  return outcome(r.value, r.diagnostics);
}

function aslLoadOptions(options: SourceOptions): { name?: string } {
  // Without a name, the loader decides between JSON and YAML by content.
  return options.name !== undefined && /\.(json|ya?ml)$/i.test(options.name) ? { name: options.name } : {};
}

/**
 * The diagram of a text: `.fz` parsed and built, ASL loaded and converted. `value` is undefined when
 * the text has an error (its diagnostics say where, in that text's own lines and columns).
 */
export function diagramOf(text: string, options: SourceOptions = {}): Outcome<Diagram> {
  if (detectLanguage(text, options) === 'asl') {
    const converted = fromAslText(text, options);
    return outcome(converted.value?.diagram, converted.diagnostics);
  }
  const parsed = parseDiagram(text);
  return outcome<Diagram>(parsed.diagnostics.some((d) => d.severity === 'error') ? undefined : parsed.value, parsed.diagnostics);
}

/**
 * Whether a value handed in as a Diagram has its lists: from JavaScript no compiler checked it,
 * and `fromAsl(…).value` (a diagram and its text) is an easy thing to pass by mistake.
 */
function notADiagram(input: unknown): Diagnostic | undefined {
  const d = input as Partial<Diagram> | null;
  if (d !== null && typeof d === 'object' && Array.isArray(d.lanes) && Array.isArray(d.nodes) && Array.isArray(d.edges)) return undefined;
  const hint = d !== null && typeof d === 'object' && 'diagram' in d ? ': fromAsl gives { diagram, text }, pass its `diagram`' : '';
  return diagnostic('syntax-error', { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, `expected .fz text or a Diagram (with lanes, nodes and edges)${hint}`);
}

/**
 * The first half of render: the diagram of a text (or the Diagram itself) laid out, or the
 * diagnostics that stop it. The browser build runs this half in a Web Worker and draws in the page.
 */
export async function layoutOf(input: string | Diagram, options: SourceOptions & { direction?: LayoutDirection } = {}): Promise<Outcome<LaidOutDiagram>> {
  const wrong = typeof input === 'string' ? undefined : notADiagram(input);
  if (wrong) return outcome(undefined, [wrong]);
  const source = typeof input === 'string' ? diagramOf(input, options) : outcome<Diagram>(input, []);
  if (!source.ok || source.value === undefined) return outcome(undefined, source.diagnostics);
  const tooBig = layoutLimit(source.value);
  if (tooBig) return outcome(undefined, [...source.diagnostics, tooBig]);
  let laid: LaidOutDiagram;
  try {
    laid = await layout(source.value, options.direction ? { direction: options.direction } : {});
  } catch (e) {
    // Layout never throws for a diagram built by the model stage within the limit; a hand-made
    // Diagram may still be malformed, and a shape the limit did not foresee may exhaust the stack.
    const code = e instanceof RangeError ? 'layout-limit' : 'syntax-error';
    return outcome(undefined, [...source.diagnostics, diagnostic(code, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, `the diagram could not be laid out (${e instanceof Error ? e.message : String(e)})`)]);
  }
  return outcome(laid, sortDiagnostics([...source.diagnostics, ...truncationWarnings(source.value, laid)]));
}

/** The second half of render, for SVG: the drawing of a laid-out diagram with render's options. */
export function svgOf(laid: LaidOutDiagram, options: Pick<RenderOptions, 'id' | 'theme' | 'embedFont'> & { trace?: PathOverlay } = {}): Rendered<string> {
  const svg = renderSvg(laid, { id: options.id ?? 'fz', theme: options.theme ?? 'light', ...(options.embedFont === false ? { embedFont: false } : {}), ...(options.trace ? { trace: options.trace } : {}) });
  return { output: svg, title: laid.title, description: laid.description };
}

/** Lays out and draws a diagram, keeping the title and description of the layout. */
export async function renderWithTitle(input: string | Diagram, options: RenderOptions & { format: 'png' }): Promise<Outcome<Rendered<Uint8Array>>>;
export async function renderWithTitle(input: string | Diagram, options?: RenderOptions & { format?: 'svg' }): Promise<Outcome<Rendered<string>>>;
export async function renderWithTitle(input: string | Diagram, options?: RenderOptions): Promise<Outcome<Rendered<string | Uint8Array>>>;
export async function renderWithTitle(input: string | Diagram, options: RenderOptions = {}): Promise<Outcome<Rendered<string | Uint8Array>>> {
  const laidOut = await layoutOf(input, options);
  if (!laidOut.ok) return outcome(undefined, laidOut.diagnostics);
  const laid = laidOut.value;
  if (options.format === 'png') {
    const svg = renderSvg(laid, { id: options.id ?? 'fz', theme: options.theme === 'dark' ? 'dark' : 'light', embedFont: false, resolvedColors: true });
    const scale = options.scale !== undefined && Number.isFinite(options.scale) && options.scale > 0 ? options.scale : DEFAULT_PNG_SCALE;
    return outcome({ output: renderPng(svg, { scale }), title: laid.title, description: laid.description }, laidOut.diagnostics);
  }
  return outcome(svgOf(laid, options), laidOut.diagnostics);
}

/**
 * Renders `.fz` text, ASL text or a Diagram as SVG text (or PNG bytes with `format: 'png'`).
 * `value` is undefined when the input has an error; the diagnostics say where.
 */
export async function render(input: string | Diagram, options: RenderOptions & { format: 'png' }): Promise<Outcome<Uint8Array>>;
export async function render(input: string | Diagram, options?: RenderOptions & { format?: 'svg' }): Promise<Outcome<string>>;
export async function render(input: string | Diagram, options?: RenderOptions): Promise<Outcome<string | Uint8Array>>;
export async function render(input: string | Diagram, options: RenderOptions = {}): Promise<Outcome<string | Uint8Array>> {
  const r = await renderWithTitle(input, options);
  return outcome(r.value?.output, r.diagnostics);
}

/**
 * Converts a diagram (or `.fz` text) to an ASL state machine. With text that has errors, `value` is
 * undefined; otherwise it is the machine, and conversion findings (inferences, missing targets) are
 * in the diagnostics.
 */
export function toAsl(input: string | Diagram, options: ToAslOptions = {}): Outcome<AslStateMachine, AslStateMachine | undefined> {
  let diagram: Diagram;
  let diagnostics: Diagnostic[] = [];
  if (typeof input === 'string') {
    const parsed = parseDiagram(input);
    if (parsed.diagnostics.some((d) => d.severity === 'error')) return outcome(undefined, parsed.diagnostics);
    diagram = parsed.value;
    diagnostics = parsed.diagnostics;
  } else {
    const wrong = notADiagram(input);
    if (wrong) return outcome(undefined, [wrong]);
    diagram = input;
  }
  const converted = toAslStage(diagram, options);
  return outcome(converted.value, sortDiagnostics([...diagnostics, ...converted.diagnostics]));
}

function fromAslText(text: string, options: SourceOptions): Outcome<FromAslValue> {
  const loaded = loadAsl(text, aslLoadOptions(options));
  if (loaded.value.definition === undefined || loaded.diagnostics.some((d) => d.severity === 'error')) return outcome(undefined, loaded.diagnostics);
  const fromOptions: FromAslOptions = { locate: loaded.value.locate };
  if (options.lanes) fromOptions.lanes = options.lanes;
  const converted = fromAslStage(loaded.value.definition, fromOptions);
  const diagnostics = [...loaded.diagnostics, ...converted.diagnostics];
  if (diagnostics.some((d) => d.severity === 'error')) return outcome(undefined, diagnostics);
  return outcome({ diagram: converted.value, text: print(converted.value) }, diagnostics);
}

/**
 * Converts an ASL state machine to a diagram and its `.fz` text. Takes ASL text (JSON, YAML or a
 * CloudFormation/SAM/Serverless template, positions in diagnostics point into it) or the parsed
 * definition object. `value` is undefined when the input holds no convertible state machine.
 */
export function fromAsl(input: string | AslStateMachine, options: { lanes?: LaneMode; name?: string } = {}): Outcome<FromAslValue> {
  if (typeof input === 'string') return fromAslText(input, { ...options, language: 'asl' });
  const converted = fromAslStage(input, options.lanes ? { lanes: options.lanes } : {});
  const failed = converted.diagnostics.some((d) => d.severity === 'error');
  return outcome<FromAslValue>(failed ? undefined : { diagram: converted.value, text: print(converted.value) }, converted.diagnostics);
}

export type { AslStateMachine, Diagram, Diagnostic, LaneMode, LayoutDirection, ThemeName, ToAslOptions };
