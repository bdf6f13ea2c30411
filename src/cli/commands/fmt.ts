// `flowlane fmt FILE…`: prints the canonical text; `--write` rewrites in place; `--check` reports drift.
import type { Command } from 'commander';
import { betweenFiles, CliIoError, formatDiagnostic, readText, writeFileAtomic } from '../io.js';
import { expandInputs } from '../inputs.js';

interface FmtOptions {
  write?: boolean;
  check?: boolean;
}

export function register(program: Command): void {
  program
    .command('fmt')
    .description('print .fz files in canonical form')
    .argument('<files...>', '.fz files, globs, directories (their .fz files), or - for standard input')
    .option('--write', 'rewrite the files in place (never a file with syntax errors)')
    .option('--check', 'exit 1 when a file is not formatted')
    .action(async (files: string[], options: FmtOptions) => {
      let failed = false;
      // A file that cannot be written fails alone (exit 2, as I/O failures do); the others are still formatted.
      let ioFailed = false;
      const inputs = expandInputs(files);
      if (inputs.length === 0) {
        console.error('flowlane: no input files matched (a directory gives its .fz files)');
        process.exitCode = 2;
        return;
      }
      // Imported here, not at the top: `flowlane --help` loads this module too.
      const { formatText } = await import('../../print/index.js');
      for (const file of inputs) {
        await betweenFiles();
        const read = readText(file);
        if (!read.ok) {
          console.error(`flowlane: ${read.message}`);
          failed = true;
          continue;
        }
        const result = formatText(read.text);
        if (!result.ok) {
          for (const d of result.diagnostics) console.error(formatDiagnostic(read.name, d));
          console.error(`flowlane: ${read.name} has errors that fmt cannot print faithfully; not formatted`);
          failed = true;
          continue;
        }
        if (options.check) {
          if (result.value !== read.text) {
            console.log(`${read.name}: not formatted (run flowlane fmt --write ${read.name})`);
            failed = true;
          }
        } else if (options.write && file !== '-') {
          if (result.value !== read.text) {
            try {
              writeFileAtomic(file, result.value);
            } catch (e) {
              if (!(e instanceof CliIoError)) throw e;
              console.error(`flowlane: ${e.message}`);
              ioFailed = true;
            }
          }
        } else process.stdout.write(result.value);
      }
      process.exitCode = ioFailed ? 2 : failed ? 1 : 0;
    });
}
