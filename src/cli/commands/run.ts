// `flowlane run FILE`: executes a `.fz` diagram (through to-asl) or an ASL definition (JSON, YAML,
// CloudFormation/SAM/Serverless) offline with the run stage, Task results from an AWS Step Functions
// Local mock file or a handlers module. Input: the files and options. Output: the states entered and the
// result on stdout (text, or one JSON object), the history to --history; exit 0 when the execution ran
// (whatever its status), 1 when the definition, the mocks or the handlers are invalid, 2 for usage.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import type { Diagnostic } from '../../core/index.js';
import type { Diagram } from '../../model/index.js';
// The stages (ASL, model, interpreter) are imported where they are used: `flowlane --help` loads this module too.
import { RunSetupError } from '../../run/errors.js';
import { machineFor, machineNames, parseMockFile, taskResolver } from '../../run/mocks.js';
import type { MockFile, RunOptions, RunResult } from '../../run/index.js';
import { ensureDir, formatDiagnostic, readText, writeFileAtomic } from '../io.js';

export interface RunCliOptions {
  input?: string;
  inputFile?: string;
  mockConfig?: string;
  testCase?: string;
  handlers?: string;
  stateMachine?: string;
  format?: string;
  history?: string;
  svg?: string;
  seed?: string;
  realTime?: boolean;
  bucketDir?: string;
}

/** A problem that ends the command with an exit code: 1 for invalid input files, 2 for usage. */
export class CommandFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
  }
}

/** The definition of FILE, converted from `.fz` or read as ASL; diagnostics stop it with exit 1. */
export async function loadDefinition(file: string, stateMachine?: string): Promise<{ definition: unknown; name: string; diagram?: Diagram }> {
  const { checkAslText, loadAsl, toAsl } = await import('../../asl/index.js');
  const { parseDiagram } = await import('../../model/index.js');
  const read = readText(file);
  if (!read.ok) throw new CommandFailure(read.message, 1);
  const report = (diagnostics: Diagnostic[]): void => {
    for (const d of diagnostics) console.error(formatDiagnostic(read.name, d));
    if (diagnostics.some((d) => d.severity === 'error')) throw new CommandFailure(`${read.name}: the state machine is invalid; not run`, 1);
  };
  if (/\.fz$/i.test(file)) {
    const parsed = parseDiagram(read.text);
    report(parsed.diagnostics.filter((d) => d.severity === 'error'));
    const converted = toAsl(parsed.value);
    report(converted.diagnostics.filter((d) => d.severity === 'error'));
    return { definition: converted.value, name: read.name, diagram: parsed.value };
  }
  const attempt = (resource?: string) => loadAsl(read.text, { name: read.name, ...(resource !== undefined ? { resource } : {}) });
  // --state-machine names the mock file's machine; in a template it also picks the resource when one has that id.
  let loaded = attempt(stateMachine);
  if (loaded.value.definition === undefined && stateMachine !== undefined) loaded = attempt();
  report(loaded.diagnostics);
  if (loaded.value.definition === undefined) throw new CommandFailure(`${read.name}: no state machine found`, 1);
  report(checkAslText(read.text, { name: read.name, ...(loaded.value.resource !== undefined ? { resource: loaded.value.resource } : {}) }).diagnostics);
  return { definition: loaded.value.definition, name: read.name };
}

export function readJsonFile(path: string, what: string): unknown {
  const read = readText(path);
  if (!read.ok) throw new CommandFailure(read.message, 1);
  try {
    return JSON.parse(read.text);
  } catch (e) {
    throw new CommandFailure(`${read.name}: the ${what} is not valid JSON (${e instanceof Error ? e.message : String(e)})`, 1);
  }
}

export function readMocks(path: string): MockFile {
  try {
    return parseMockFile(readJsonFile(path, 'mock config'));
  } catch (e) {
    if (e instanceof RunSetupError) throw new CommandFailure(`${path}: ${e.message}`, 1);
    throw e;
  }
}

/** The mock file's machine for this definition: --state-machine, the only one in the file, or the file's base name. */
export function mockMachine(mocks: MockFile, file: string, given?: string): string {
  if (given !== undefined) return given;
  const machine = machineFor(mocks, file);
  if (machine !== undefined) return machine;
  throw new CommandFailure(`the mock config has several state machines (${machineNames(mocks).join(', ')}); choose one with --state-machine`, 2);
}

export async function loadHandlers(path: string): Promise<Record<string, unknown>> {
  if (!existsSync(path)) throw new CommandFailure(`${path}: no such file`, 1);
  try {
    const mod = (await import(pathToFileURL(resolve(path)).href)) as Record<string, unknown>;
    // Named exports by state name, and a default export object for names that are not identifiers (ARNs).
    const byDefault = mod.default !== null && typeof mod.default === 'object' ? (mod.default as Record<string, unknown>) : {};
    return { ...byDefault, ...mod };
  } catch (e) {
    throw new CommandFailure(`${path}: cannot load the handlers module (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`, 1);
  }
}

/** S3 buckets as folders under DIR (`DIR/<bucket>/<key>`), for ItemReader and ResultWriter. */
export function bucketFolders(dir: string): Pick<RunOptions, 'readObject' | 'listObjects' | 'writeResults'> {
  const root = resolve(dir);
  const inside = (...parts: string[]): string => {
    const p = resolve(root, ...parts);
    if (p !== root && !p.startsWith(`${root}/`)) throw new RunSetupError(`the S3 location ${parts.join('/')} is outside ${dir}`);
    return p;
  };
  return {
    readObject: (bucket, key) => {
      const p = inside(bucket, key);
      return existsSync(p) && statSync(p).isFile() ? readFileSync(p, 'utf8') : undefined;
    },
    listObjects: (bucket, prefix) => {
      const base = inside(bucket);
      const out: string[] = [];
      const walk = (rel: string, depth: number): void => {
        if (depth > 32) return;
        for (const e of readdirSync(join(base, rel), { withFileTypes: true })) {
          const key = rel === '' ? e.name : `${rel}/${e.name}`;
          if (e.isDirectory()) walk(key, depth + 1);
          else if (key.startsWith(prefix)) out.push(key);
        }
      };
      if (existsSync(base)) walk('', 0);
      return out.sort();
    },
    writeResults: (bucket, prefix, files) => {
      const folder = inside(bucket, prefix);
      ensureDir(folder);
      for (const [name, content] of Object.entries(files)) writeFileAtomic(join(folder, name), content);
    },
  };
}

function parseInput(options: RunCliOptions): unknown {
  if (options.input !== undefined && options.inputFile !== undefined) throw new CommandFailure('give --input or --input-file, not both', 2);
  if (options.inputFile !== undefined) return readJsonFile(options.inputFile, 'input');
  if (options.input === undefined) return {};
  try {
    return JSON.parse(options.input);
  } catch (e) {
    throw new CommandFailure(`--input is not valid JSON (${e instanceof Error ? e.message : String(e)})`, 2);
  }
}

export interface PreparedRun {
  definition: unknown;
  /** The `.fz` diagram the definition came from (an ASL input has none: `run --svg` draws it through from-asl). */
  diagram?: Diagram;
  options: RunOptions;
}

/** Everything `run` needs before it starts: the definition, input, mocks, handlers and options. */
export async function prepareRun(file: string, options: RunCliOptions): Promise<PreparedRun> {
  if (options.format !== undefined && options.format !== 'text' && options.format !== 'json') throw new CommandFailure(`--format must be text or json, not "${options.format}"`, 2);
  if (options.testCase !== undefined && options.mockConfig === undefined) throw new CommandFailure('--test-case needs --mock-config', 2);
  const seed = options.seed === undefined ? 0 : Number(options.seed);
  if (!Number.isInteger(seed)) throw new CommandFailure(`--seed must be an integer, not "${options.seed}"`, 2);
  const input = parseInput(options);
  const { definition, diagram } = await loadDefinition(file, options.stateMachine);
  const handlers = options.handlers !== undefined ? await loadHandlers(options.handlers) : undefined;
  let mocks: { file: MockFile; machine: string; testCase: string } | undefined;
  if (options.mockConfig !== undefined) {
    const mockFile = readMocks(options.mockConfig);
    const machine = mockMachine(mockFile, file, options.stateMachine);
    if (options.testCase === undefined) throw new CommandFailure('--mock-config needs --test-case NAME (the test case of the mock file to run)', 2);
    mocks = { file: mockFile, machine, testCase: options.testCase };
  }
  let resolveTask;
  try {
    resolveTask = taskResolver({ ...(mocks ? { mocks } : {}), ...(handlers ? { handlers } : {}) });
  } catch (e) {
    if (e instanceof RunSetupError) throw new CommandFailure(`${options.mockConfig}: ${e.message}`, 1);
    throw e;
  }
  return {
    definition,
    ...(diagram ? { diagram } : {}),
    options: {
      input,
      resolveTask,
      seed,
      stateMachineName: mocks?.machine ?? basename(file).replace(/(\.asl)?\.(fz|json|ya?ml)$/i, ''),
      ...(options.realTime ? { realTime: true } : {}),
      ...(options.bucketDir !== undefined ? bucketFolders(options.bucketDir) : {}),
    },
  };
}

/** Runs a prepared machine; a setup problem met while running (a state without a mock) is exit 1. */
export async function execute(prepared: PreparedRun): Promise<RunResult> {
  try {
    const { runStateMachine } = await import('../../run/interpreter.js');
    return await runStateMachine(prepared.definition, prepared.options);
  } catch (e) {
    if (e instanceof RunSetupError) throw new CommandFailure(e.message, 1);
    throw e;
  }
}

function shorten(text: string, max = 72): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The text report: each state entered, indented by nesting, with its output (or error), then the result. */
export function textReport(result: RunResult): string {
  const lines: { depth: number; name: string; note: string }[] = [];
  const open: number[] = [];
  for (const e of result.history) {
    const entered = e.stateEnteredEventDetails as { name: string } | undefined;
    const exited = e.stateExitedEventDetails as { name: string; output: string } | undefined;
    if (entered) {
      open.push(lines.length);
      lines.push({ depth: open.length - 1, name: entered.name, note: e.type === 'FailStateEntered' ? '✗ failed' : '' });
      if (e.type === 'FailStateEntered') open.pop();
    } else if (exited) {
      for (let k = open.length - 1; k >= 0; k--) {
        const line = lines[open[k]!]!;
        if (line.name === exited.name) {
          line.note = `→ ${shorten(exited.output)}`;
          open.splice(k);
          break;
        }
      }
    }
  }
  const width = Math.min(32, Math.max(0, ...lines.map((l) => l.depth * 2 + l.name.length)));
  const out = lines.map((l) => `${`${'  '.repeat(l.depth)}${l.name}`.padEnd(width)}  ${l.note || '✗'}`.trimEnd());
  if (result.status === 'SUCCEEDED') out.push(`SUCCEEDED ${shorten(JSON.stringify(result.output), 200)}`);
  else out.push(`${result.status} ${result.error}${result.cause ? `: ${shorten(result.cause, 200)}` : ''}`);
  return `${out.join('\n')}\n`;
}


/** The diagram of the run (the `.fz` one, or from-asl's drawing of an ASL input) with its path overlaid, as SVG. */
async function pathSvg(prepared: PreparedRun, result: RunResult, file: string): Promise<string> {
  const { fromAsl } = await import('../../asl/index.js');
  const { renderDiagram } = await import('../../render/index.js');
  const { traceOverlay } = await import('../trace.js');
  const diagram = prepared.diagram ?? fromAsl(prepared.definition).value;
  const trace = traceOverlay(diagram, result.history, () => file);
  const rendered = await renderDiagram(diagram, { format: 'svg', trace, id: `fz-${basename(file).replace(/\..*$/, '')}` });
  if (typeof rendered.value !== 'string') throw new CommandFailure(`${file}: the diagram cannot be drawn (${rendered.diagnostics.map((d) => d.message).join('; ')})`, 1);
  return rendered.value;
}

/** Runs a command body, turning CommandFailure into its message and exit code. */
export async function guarded(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (e) {
    if (!(e instanceof CommandFailure)) throw e;
    console.error(`flowlane: ${e.message}`);
    process.exitCode = e.exitCode;
  }
}

export function register(program: Command): void {
  program
    .command('run')
    .description('execute a .fz diagram or an ASL state machine offline; Task results come from a Step Functions Local mock file or handlers')
    .argument('<file>', '.fz diagram, or ASL JSON/YAML (a definition or a CloudFormation/SAM/Serverless template)')
    .option('--input <json>', 'the execution input, as JSON (default {})')
    .option('--input-file <file>', 'read the execution input from this JSON file')
    .option('--mock-config <file>', 'AWS Step Functions Local mock file (StateMachines, MockedResponses)')
    .option('--test-case <name>', 'the test case of the mock file to run')
    .option('--handlers <file>', 'JavaScript module exporting Task handlers by state name (or, in its default export, by resource)')
    .option('--state-machine <name>', 'the state machine of the mock file (and the template resource) to use')
    .option('--format <format>', 'text or json', 'text')
    .option('--history <file>', 'write the execution history (GetExecutionHistory shape) to this file')
    .option('--svg <file>', 'draw the diagram with the path the execution took (visited states, taken edges, the failing state) to this SVG file')
    .option('--seed <n>', 'seed for retry jitter, UUIDs and random numbers (default 0)')
    .option('--real-time', 'sleep through Wait states and retry intervals instead of skipping them')
    .option('--bucket-dir <dir>', 'folder standing for S3: DIR/<bucket>/<key>, for a distributed Map\'s ItemReader and ResultWriter')
    .addHelpText('after', '\nExit codes: 0 the execution ran (whatever its status), 1 invalid definition, mocks or handlers, 2 usage.')
    .action((file: string, options: RunCliOptions) =>
      guarded(async () => {
        const prepared = await prepareRun(file, options);
        const result = await execute(prepared);
        // The drawing is made before anything is written, so a failure to draw leaves no partial output.
        const svg = options.svg !== undefined ? await pathSvg(prepared, result, file) : undefined;
        if (svg !== undefined) writeFileAtomic(options.svg!, svg);
        if (options.history !== undefined) writeFileAtomic(options.history, `${JSON.stringify({ events: result.history }, null, 2)}\n`);
        const { runReport } = await import('../../run/index.js');
        process.stdout.write(options.format === 'json' ? `${JSON.stringify(runReport(result))}\n` : textReport(result));
        process.exitCode = 0;
      }),
    );
}
