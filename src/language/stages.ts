// The later stages the editor uses (ASL conversion, SVG rendering), loaded on first use so that the
// server starts fast and stays usable when a stage fails to load.
// Input: a Diagram. Output: ASL JSON text or SVG, with the stage's diagnostics.
import type { Diagnostic, Result } from '../core/index.js';
import type { Diagram } from '../model/types.js';

type ToAsl = (diagram: Diagram, options?: Record<string, unknown>) => Result<unknown>;
type FromAsl = (definition: unknown, options?: Record<string, unknown>) => Result<Diagram>;
type Render = (diagram: Diagram, options?: Record<string, unknown>) => Promise<Result<string | Uint8Array | undefined>>;
type Print = (diagram: Diagram) => string;

interface AslStage {
  toAsl?: ToAsl;
  fromAsl?: FromAsl;
  checkAslText?: (text: string, options?: { name?: string }) => Result<{ definition: unknown; locate: unknown }>;
  /** ASL-profile checks over a diagram, when the stage exposes them. */
  checkDiagram?: (diagram: Diagram) => Diagnostic[];
}

let aslStage: Promise<AslStage> | undefined;
let renderStage: Promise<{ renderDiagram?: Render }> | undefined;

// The specifiers are literal so that esbuild bundles the stages into the extension's server.
function loadAsl(): Promise<AslStage> {
  aslStage ??= import('../asl/index.js').then((m) => m as unknown as AslStage).catch(() => ({}));
  return aslStage;
}

function loadRender(): Promise<{ renderDiagram?: Render }> {
  renderStage ??= import('../render/index.js').then((m) => m as unknown as { renderDiagram?: Render }).catch(() => ({}));
  return renderStage;
}

export async function diagramToAslText(diagram: Diagram): Promise<{ text?: string; diagnostics: Diagnostic[]; error?: string }> {
  const stage = await loadAsl();
  if (!stage.toAsl) return { diagnostics: [], error: 'the ASL converter is not available' };
  const r = stage.toAsl(diagram);
  return { text: `${JSON.stringify(r.value, null, 2)}\n`, diagnostics: r.diagnostics };
}

export async function aslTextToFz(json: string, print: Print): Promise<{ text?: string; diagnostics: Diagnostic[]; error?: string }> {
  const stage = await loadAsl();
  if (!stage.fromAsl) return { diagnostics: [], error: 'the ASL converter is not available' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (e) {
    return { diagnostics: [], error: `not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  const r = stage.fromAsl(parsed);
  return { text: print(r.value), diagnostics: r.diagnostics };
}

/** An ASL document (`.asl.json`, `.asl.yaml`) opened in the editor: the diagnostics `flowlane check` prints for it. */
export async function aslDocumentDiagnostics(text: string, name: string): Promise<Diagnostic[]> {
  const stage = await loadAsl();
  return stage.checkAslText ? stage.checkAslText(text, { name }).diagnostics : [];
}

/** The diagram of an ASL document, for the preview: drawn as `render` draws it, also when AWS would reject it (marked). */
export async function aslDocumentDiagram(text: string, name: string): Promise<{ diagram: Diagram; invalid: Map<string, string[]> } | undefined> {
  const stage = await loadAsl();
  if (!stage.checkAslText || !stage.fromAsl) return undefined;
  const loaded = stage.checkAslText(text, { name }).value;
  if (loaded.definition === undefined) return undefined;
  // Only flowlane's own checks mark states here: asl-validator already ran for the diagnostics.
  const r = stage.fromAsl(loaded.definition, { locate: loaded.locate, allowInvalid: true, validate: false }) as Result<Diagram> & { invalid: Map<string, string[]> };
  return { diagram: r.value, invalid: r.invalid };
}

/** ASL-profile checks, for diagrams that use the profile; empty while the stage is not loaded yet. */
export async function aslChecks(diagram: Diagram): Promise<Diagnostic[]> {
  const stage = await loadAsl();
  try {
    if (stage.checkDiagram) return stage.checkDiagram(diagram);
    if (stage.toAsl) return stage.toAsl(diagram).diagnostics;
  } catch {
    // A converter bug must not take the diagnostics of the syntax stage with it.
  }
  return [];
}

export async function renderSvg(diagram: Diagram, options: Record<string, unknown>): Promise<{ svg?: string; diagnostics: Diagnostic[]; error?: string }> {
  const stage = await loadRender();
  if (!stage.renderDiagram) return { diagnostics: [], error: 'the renderer is not available' };
  const r = await stage.renderDiagram(diagram, { ...options, format: 'svg' });
  if (typeof r.value === 'string') return { svg: r.value, diagnostics: r.diagnostics };
  // Past the layout limit: the preview shows why instead of a blank.
  return { diagnostics: r.diagnostics, error: r.diagnostics.find((d) => d.severity === 'error')?.message ?? 'the renderer returned no SVG' };
}
