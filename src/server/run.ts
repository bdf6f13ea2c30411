// `flowlane/run`: executes the document's state machine with the run stage and draws its path.
// Input: the document's text and name, the execution input, and a mock file (already read: the
// server reads files, this function does not) with a test case. Output: RunAnswer, what
// `run --format json` prints plus the overlay SVG; `problem` instead when the run could not start
// (invalid definition, unknown test case, a Task without a mock). Runs in the ASL worker thread.
import type { Diagnostic } from '../core/index.js';
import type { Diagram } from '../model/types.js';
import type { PathOverlay } from '../render/trace.js';

export interface RunParams {
  text: string;
  /** The document's path or URI: `.asl.json`/`.asl.yaml` is read as ASL, anything else as `.fz`. */
  name: string;
  input?: unknown;
  /** A Step Functions Local mock file's content. */
  mocks?: unknown;
  testCase?: string;
  stateMachine?: string;
  theme?: 'light' | 'dark' | 'auto';
}

export interface RunAnswer {
  status?: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT';
  output?: unknown;
  error?: string | null;
  cause?: string | null;
  states?: string[];
  svg?: string;
  /** Why the run did not start (or the drawing could not be made). */
  problem?: string;
}

const ASL_NAME = /\.asl\.(json|ya?ml)$/i;

function firstError(diagnostics: readonly Diagnostic[]): Diagnostic | undefined {
  return diagnostics.find((d) => d.severity === 'error');
}

const at = (d: Diagnostic): string => `line ${d.range.start.line + 1}, column ${d.range.start.character + 1}: ${d.message}`;

/** A run that started: its report, and its path mapped onto the diagram it ran. */
export interface TracedRun {
  answer: RunAnswer;
  diagram: Diagram;
  overlay: PathOverlay;
}

/**
 * Runs the document's state machine and maps its path onto the diagram, without drawing: the
 * server draws it with the Node renderer (runDocument), the playground's run worker posts it to the
 * page, which draws it with the browser build.
 */
export async function runAndTrace(p: RunParams): Promise<TracedRun | { problem: string }> {
  const asl = await import('../asl/index.js');
  const run = await import('../run/index.js');
  let diagram: Diagram;
  let definition: unknown;
  if (ASL_NAME.test(p.name)) {
    const loaded = asl.checkAslText(p.text, { name: p.name });
    const bad = firstError(loaded.diagnostics);
    if (bad || loaded.value.definition === undefined) return { problem: bad ? `the state machine is invalid (${at(bad)})` : 'this file holds no state machine' };
    definition = loaded.value.definition;
    diagram = asl.fromAsl(definition, { validate: false }).value;
  } else {
    const { parseDiagram } = await import('../model/index.js');
    const parsed = parseDiagram(p.text);
    const syntax = firstError(parsed.diagnostics);
    if (syntax) return { problem: `the diagram has errors (${at(syntax)})` };
    diagram = parsed.value;
    const converted = asl.toAsl(diagram);
    const bad = firstError(converted.diagnostics);
    if (bad) return { problem: `the state machine is invalid (${at(bad)})` };
    definition = converted.value;
  }
  let result;
  try {
    let mocks: { file: ReturnType<typeof run.parseMockFile>; machine: string; testCase: string } | undefined;
    if (p.mocks !== undefined) {
      const file = run.parseMockFile(p.mocks);
      const machine = p.stateMachine ?? run.machineFor(file, p.name);
      if (machine === undefined) return { problem: `the mock config has several state machines (${run.machineNames(file).join(', ')}); choose one with stateMachine` };
      if (p.testCase === undefined) return { problem: 'a mock config needs a testCase' };
      mocks = { file, machine, testCase: p.testCase };
    }
    result = await run.runStateMachine(definition, { input: p.input ?? {}, resolveTask: run.taskResolver(mocks ? { mocks } : {}) });
  } catch (e) {
    if (e instanceof run.RunSetupError) return { problem: e.message };
    throw e;
  }
  const { pathOverlay } = await import('../render/trace.js');
  const names = asl.toAslWithLocator(diagram, { validate: false });
  const path = run.executedPath(definition, result.history).value;
  return { answer: run.runReport(result), diagram, overlay: pathOverlay(diagram, names.stateNodes, path) };
}

export async function runDocument(p: RunParams): Promise<RunAnswer> {
  const traced = await runAndTrace(p);
  if ('problem' in traced) return traced;
  const { renderSvg } = await import('../language/stages.js');
  const drawn = await renderSvg(traced.diagram, { theme: p.theme ?? 'light', trace: traced.overlay });
  return {
    ...traced.answer,
    ...(drawn.svg !== undefined ? { svg: drawn.svg } : { problem: `the path cannot be drawn (${drawn.error ?? 'no SVG'})` }),
  };
}
