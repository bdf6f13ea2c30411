// `flowlane render FILE…|- [-o OUT] [--out-dir DIR] [--format svg|png] [--scale N] [--theme …]
// [--direction right|down] [--watch]`: lays out and draws diagrams.
// Input: `.fz` files, ASL definitions (`.json`, `.yaml`, `.yml`, rendered through fromAsl), globs,
// directories, or `-` for standard input. Output: one SVG or PNG per input, written atomically:
// `-o OUT` for one input (`-o -` is standard output), else `--out-dir DIR`, else beside each input.
// When any input has an error, nothing at all is written and the diagnostics are printed as
// `flowlane check` prints them; exit code 1. Several inputs (without --watch) are a batch instead
// (src/cli/batch): a worker pool where a bad file fails only itself, and up-to-date files are skipped.
import { existsSync, statSync, watch } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Command } from 'commander';
import { DIAGRAM_AND_ASL_FILES, expandInputs, positiveInteger, positiveNumber } from '../inputs.js';
import { Option } from 'commander';

import type { Diagnostic } from '../../core/index.js';
import type { Diagram } from '../../model/index.js';
import { ensureDir, formatDiagnostic, readText, writeFileAtomic } from '../io.js';

interface RenderCliOptions {
  output?: string;
  outDir?: string;
  format: 'svg' | 'png';
  scale: string;
  theme: 'light' | 'dark' | 'auto';
  direction: 'right' | 'down';
  lanes: 'single' | 'service';
  watch?: boolean;
  force?: boolean;
  jobs?: string;
  allowInvalid?: boolean;
  trace?: string;
}

const ASL_EXT = /\.(json|ya?ml)$/i;

/**
 * The diagram of one input text: `.fz`, or an ASL definition through the conversion stage. The ASL
 * stage (its validator, YAML) is loaded only for ASL input: that keeps a cold `.fz` render ~60 ms
 * shorter, which a docs pipeline pays once per file.
 */
export async function diagramFromText(
  text: string,
  name: string,
  lanes: 'single' | 'service' = 'single',
  allowInvalid = false,
): Promise<{ diagram?: Diagram; diagnostics: Diagnostic[]; invalid?: Map<string, string[]> }> {
  if (ASL_EXT.test(name)) {
    // The same judgement as `check` and `from-asl` (src/asl/validity.ts), with the same located errors.
    const { fromAsl, loadAsl } = await import('../../asl/index.js');
    const loaded = loadAsl(text, { name });
    if (loaded.value.definition === undefined || loaded.diagnostics.some((d) => d.severity === 'error')) return { diagnostics: loaded.diagnostics };
    const converted = fromAsl(loaded.value.definition, { lanes, locate: loaded.value.locate, allowInvalid });
    const diagnostics = [...loaded.diagnostics, ...converted.diagnostics];
    return diagnostics.some((d) => d.severity === 'error') ? { diagnostics } : { diagram: converted.value, diagnostics, invalid: converted.invalid };
  }
  const { parseDiagram } = await import('../../model/index.js');
  const parsed = parseDiagram(text);
  return parsed.diagnostics.some((d) => d.severity === 'error') ? { diagnostics: parsed.diagnostics } : { diagram: parsed.value, diagnostics: parsed.diagnostics };
}

function outputPath(input: string, options: RenderCliOptions, single: boolean): string {
  if (single && options.output !== undefined) return options.output;
  const name = input === '-' ? 'stdin' : basename(input).replace(/\.asl(?=\.)/i, '').replace(/\.(fz|json|ya?ml)$/i, '');
  const file = `${name}.${options.format}`;
  if (options.outDir !== undefined) return join(options.outDir, file);
  return input === '-' ? '-' : join(dirname(input), file);
}

/** Renders every input in memory; writes all outputs only when no input has an error. Returns the exit code. */
async function renderAll(inputs: string[], options: RenderCliOptions): Promise<number> {
  // Loaded here, not at start-up: a batch's main thread only hands files to workers, and the
  // renderer (ELK, svgdom, fonts) is most of a cold start.
  const { renderDiagram } = await import('../../render/index.js');
  const single = inputs.length === 1;
  const outputs: { path: string; data: string | Uint8Array }[] = [];
  let failed = false;
  const scale = Number(options.scale);
  // The history is read (and judged) before any input: a bad one fails the command with nothing written.
  let traced: { file: import('../trace.js').TraceFile; overlay: typeof import('../trace.js').traceOverlay; Failure: typeof import('./run.js').CommandFailure } | undefined;
  if (options.trace !== undefined) {
    const { readTraceFile, traceOverlay } = await import('../trace.js');
    const { CommandFailure } = await import('./run.js');
    try {
      traced = { file: readTraceFile(options.trace), overlay: traceOverlay, Failure: CommandFailure };
    } catch (e) {
      if (!(e instanceof CommandFailure)) throw e;
      console.error(`flowlane: ${e.message}`);
      console.error('flowlane: nothing written');
      return 1;
    }
  }
  for (const input of inputs) {
    const read = readText(input);
    if (!read.ok) {
      console.error(`flowlane: ${read.message}`);
      failed = true;
      continue;
    }
    const { diagram, diagnostics, invalid } = await diagramFromText(read.text, read.name, options.lanes, options.allowInvalid === true);
    for (const d of diagnostics) console.error(formatDiagnostic(read.name, d));
    if (!diagram) {
      failed = true;
      continue;
    }
    let trace;
    if (traced) {
      try {
        trace = traced.overlay(diagram, traced.file.events, traced.file.where);
      } catch (e) {
        if (!(e instanceof traced.Failure)) throw e;
        console.error(`flowlane: ${e.message}`);
        failed = true;
        continue;
      }
    }
    const rendered = await renderDiagram(diagram, {
      format: options.format,
      theme: options.theme,
      direction: options.direction,
      scale: Number.isFinite(scale) && scale > 0 ? scale : 2,
      id: input === '-' ? 'fz' : `fz-${basename(input).replace(/\..*$/, '')}`,
      ...(invalid && invalid.size > 0 ? { invalid } : {}),
      ...(trace ? { trace } : {}),
    });
    for (const d of rendered.diagnostics) console.error(formatDiagnostic(read.name, d));
    if (rendered.value === undefined) {
      failed = true;
      continue;
    }
    outputs.push({ path: outputPath(input, options, single), data: rendered.value });
  }
  if (failed) {
    console.error('flowlane: nothing written: fix the errors above first');
    return 1;
  }
  for (const o of outputs) {
    if (o.path === '-') {
      process.stdout.write(typeof o.data === 'string' ? o.data : Buffer.from(o.data));
      continue;
    }
    ensureDir(dirname(o.path));
    writeFileAtomic(o.path, o.data);
    if (!single || options.watch) console.error(`wrote ${o.path}`);
  }
  return 0;
}

/**
 * Calls `render` with the inputs that changed, once a burst of writes has settled, one render at a
 * time. It watches each input's directory, not the file: editors often save by writing a new file
 * and renaming it over the old one, after which a watch on the old file hears nothing more.
 */
function watchInputs(inputs: string[], directories: string[], render: (changed: string[]) => Promise<number>): void {
  const byDir = new Map<string, Map<string, string>>();
  const namesIn = (dir: string): Map<string, string> => byDir.get(dir) ?? byDir.set(dir, new Map()).get(dir)!;
  for (const input of inputs) namesIn(dirname(input)).set(basename(input), input);
  // A directory given on the command line also takes the .fz files added to it later.
  const open = new Set(directories);
  for (const dir of directories) namesIn(dir);
  const changed = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  const flush = (): void => {
    if (running || changed.size === 0) return;
    const batch = inputs.filter((i) => changed.has(i) && existsSync(i));
    changed.clear();
    if (batch.length === 0) return;
    running = true;
    // A render that fails reports and keeps watching; only a change starts the next one.
    render(batch)
      .catch((e: unknown) => console.error(`flowlane: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => {
        running = false;
        flush();
      });
  };
  for (const [dir, names] of byDir) {
    watch(dir, (_event, name) => {
      if (name === null) return;
      let input = names.get(String(name));
      if (input === undefined && open.has(dir) && String(name).endsWith('.fz') && !String(name).startsWith('.')) {
        input = join(dir, String(name));
        names.set(String(name), input);
        inputs.push(input);
      }
      if (input === undefined) return;
      changed.add(input);
      clearTimeout(timer);
      // Editors write in several steps; wait for the burst to end.
      timer = setTimeout(flush, 120);
    });
  }
}

export function register(program: Command): void {
  program
    .command('render')
    .description('lay out and draw diagrams as SVG or PNG (.fz files, or ASL definitions through from-asl)')
    .argument('<files...>', '.fz or ASL files, globs, directories (their .fz, .asl.json and .asl.yaml files), or - for standard input')
    .option('-o, --output <file>', 'output file for a single input (- for standard output)')
    .option('--out-dir <dir>', 'directory for the outputs (one per input, named after it)')
    .addOption(new Option('--format <format>', 'output format (default: from the -o file name, else svg)').choices(['svg', 'png']).default('svg'))
    .option('--scale <n>', 'PNG pixels per SVG unit, a number above 0 (default 2; e.g. --scale 1 for a small file, --scale 4 for print)', positiveNumber, '2')
    .addOption(new Option('--theme <theme>', 'colour theme; auto follows prefers-color-scheme').choices(['light', 'dark', 'auto']).default('light'))
    .addOption(new Option('--direction <dir>', 'flow direction: right (lanes as rows) or down (lanes as columns)').choices(['right', 'down']).default('right'))
    .addOption(new Option('--lanes <mode>', 'for ASL input: single lane, or one lane per AWS service').choices(['single', 'service']).default('single'))
    .option('--allow-invalid', 'for ASL input: draw a definition AWS would reject anyway, the offending states marked, the errors as warnings')
    .option('--trace <history>', 'draw the path of an execution over the diagram: a history file as `run --history` writes it or `aws stepfunctions get-execution-history` prints it')
    .option('--watch', 're-render when an input changes')
    .option('--force', 'with several inputs: render even files whose output is up to date')
    .option('--jobs <n>', 'with several inputs: number of worker threads, 1 or more (default: one per core)', positiveInteger)
    .action(async (files: string[], options: RenderCliOptions, command: Command) => {
      // `-o diagram.png` means PNG without --format; a --format that contradicts the name is a mistake.
      const named = /\.(svg|png)$/i.exec(options.output ?? '')?.[1]?.toLowerCase() as 'svg' | 'png' | undefined;
      if (named !== undefined && named !== options.format) {
        if (command.getOptionValueSource('format') === 'default') options.format = named;
        else {
          console.error(`flowlane: -o ${options.output} names a .${named} file but --format is ${options.format}; drop --format or make the two agree`);
          process.exitCode = 2;
          return;
        }
      }
      const inputs = expandInputs(files, DIAGRAM_AND_ASL_FILES);
      if (inputs.length === 0) {
        console.error('flowlane: no input files matched (a directory gives its .fz, .asl.json and .asl.yaml files)');
        process.exitCode = 2;
        return;
      }
      if (inputs.length > 1 && options.output !== undefined) {
        console.error('flowlane: -o takes one input; use --out-dir for several');
        process.exitCode = 2;
        return;
      }
      if (options.trace !== undefined && inputs.length > 1) {
        console.error('flowlane: --trace takes one input (the diagram of the state machine the history is from)');
        process.exitCode = 2;
        return;
      }
      // Several files without --watch are a batch: a worker pool, each file failing only itself (src/cli/batch).
      if (inputs.length > 1 && !options.watch && !inputs.includes('-') && !options.allowInvalid) {
        const { renderBatch } = await import('../batch/index.js');
        process.exitCode = await renderBatch(inputs.map((i) => ({ input: i, output: outputPath(i, options, false), id: `fz-${basename(i).replace(/\..*$/, '')}` })), options);
        return;
      }
      process.exitCode = await renderAll(inputs, options);
      if (!options.watch) return;
      if (inputs.includes('-')) {
        console.error('flowlane: --watch cannot watch standard input');
        return;
      }
      console.error(`watching ${inputs.length} file${inputs.length === 1 ? '' : 's'}; Ctrl-C to stop`);
      const directories = files.filter((f) => f !== '-' && existsSync(f) && statSync(f).isDirectory());
      watchInputs(inputs, directories, (batch) => renderAll(batch, options));
      await new Promise<void>(() => undefined);
    });
}
