// `flowlane check FILE…|-`: reports every diagnostic; `--fix` applies every machine-applicable fix.
import type { Command } from 'commander';
import { applyAllFixes, type Diagnostic } from '../../core/index.js';
import { betweenFiles, CliIoError, diagnosticRecord, formatDiagnostic, readText, writeFileAtomic } from '../io.js';
import { DIAGRAM_AND_ASL_FILES, expandInputs } from '../inputs.js';

interface CheckOptions {
  format: 'text' | 'json';
  fix?: boolean;
}

/** Checks one text; ASL definitions are checked by the conversion stage once it is registered. */
export type TextChecker = (text: string, name: string) => Diagnostic[];

const checkers: { test: (name: string) => boolean; check: TextChecker }[] = [];

/** Lets another stage check files by name (e.g. `*.asl.json`); the last match wins, `.fz` is the default. */
export function registerChecker(test: (name: string) => boolean, check: TextChecker): void {
  checkers.unshift({ test, check });
}

function checkerFor(name: string, parseDiagram: typeof import('../../model/index.js').parseDiagram): TextChecker {
  return checkers.find((c) => c.test(name))?.check ?? ((text) => parseDiagram(text).diagnostics);
}

export function register(program: Command): void {
  program
    .command('check')
    .description('report syntax errors, FlowZap rule violations and ASL profile problems in .fz files, and check ASL state machines (.json, .yaml)')
    .argument('<files...>', '.fz or ASL files (.json, .yaml, .yml), globs, directories (their .fz, .asl.json and .asl.yaml files), or - for standard input')
    .option('--format <format>', 'output format: text or json', 'text')
    .option('--fix', 'apply every machine-applicable fix and rewrite the file')
    .action(async (files: string[], options: CheckOptions) => {
      let failed = false;
      // A file that cannot be written fails alone (exit 2, as I/O failures do); the others are still checked.
      let ioFailed = false;
      const records: Record<string, unknown>[] = [];
      const inputs = expandInputs(files, DIAGRAM_AND_ASL_FILES);
      if (inputs.length === 0) {
        console.error(`flowlane: no input files matched (a directory gives its .fz, .asl.json and .asl.yaml files)`);
        process.exitCode = 2;
        return;
      }
      // Imported here, not at the top: `flowlane --help` loads this module too.
      const { parseDiagram } = await import('../../model/index.js');
      for (const file of inputs) {
        await betweenFiles();
        if (/\.(md|markdown|mdx)$/i.test(file)) {
          console.error(`flowlane: ${file}: a Markdown file; check its diagrams with flowlane md --check ${file}`);
          failed = true;
          continue;
        }
        const read = readText(file);
        if (!read.ok) {
          console.error(`flowlane: ${read.message}`);
          failed = true;
          continue;
        }
        const check = checkerFor(read.name, parseDiagram);
        let text = read.text;
        if (options.fix) {
          const fixed = applyAllFixes(text, (t) => check(t, read.name));
          // `check --fix - < a.fz > b.fz`: standard output is the file's new text, also when no fix applies.
          if (file === '-') {
            process.stdout.write(fixed.text);
            text = fixed.text;
          } else if (fixed.text !== text) {
            try {
              writeFileAtomic(file, fixed.text);
              text = fixed.text;
              console.error(`${read.name}: applied ${fixed.applied} fix${fixed.applied === 1 ? '' : 'es'}`);
            } catch (e) {
              if (!(e instanceof CliIoError)) throw e;
              // The findings below are those of the file as it still is.
              console.error(`flowlane: ${e.message}`);
              ioFailed = true;
            }
          }
        }
        const diagnostics = check(text, read.name);
        if (diagnostics.some((d) => d.severity === 'error')) failed = true;
        if (options.format === 'json') records.push(...diagnostics.map((d) => diagnosticRecord(read.name, d)));
        // With `--fix -` standard output carries the fixed text, so the findings go to standard error.
        else for (const d of diagnostics) (options.fix && file === '-' ? console.error : console.log)(formatDiagnostic(read.name, d));
      }
      if (options.format === 'json') console.log(JSON.stringify(records, null, 2));
      process.exitCode = ioFailed ? 2 : failed ? 1 : 0;
    });
}
