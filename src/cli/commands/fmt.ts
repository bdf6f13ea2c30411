// `flowlane fmt FILE…`: prints the canonical text; `--write` rewrites in place; `--check` reports drift.
import type { Command } from 'commander';
import { parse } from '../../parser/index.js';
import { buildModel } from '../../model/index.js';
import { print } from '../../print/index.js';
import { formatDiagnostic, readText, writeFileAtomic } from '../io.js';

interface FmtOptions {
  write?: boolean;
  check?: boolean;
}

/** The canonical text of a file, or the syntax errors that make formatting unsafe. */
export function formatText(text: string): { ok: true; text: string } | { ok: false; errors: ReturnType<typeof parse>['diagnostics'] } {
  const ast = parse(text);
  const errors = ast.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, text: print(buildModel(ast.value).value) };
}

export function register(program: Command): void {
  program
    .command('fmt')
    .description('print .fz files in canonical form')
    .argument('<files...>', '.fz files (or - for standard input)')
    .option('--write', 'rewrite the files in place (never a file with syntax errors)')
    .option('--check', 'exit 1 when a file is not formatted')
    .action((files: string[], options: FmtOptions) => {
      let failed = false;
      for (const file of files) {
        const read = readText(file);
        if (!read.ok) {
          console.error(`flowlane: ${read.message}`);
          failed = true;
          continue;
        }
        const result = formatText(read.text);
        if (!result.ok) {
          for (const d of result.errors) console.error(formatDiagnostic(read.name, d));
          console.error(`flowlane: ${read.name} has syntax errors; not formatted`);
          failed = true;
          continue;
        }
        if (options.check) {
          if (result.text !== read.text) {
            console.log(`${read.name}: not formatted (run flowlane fmt --write ${read.name})`);
            failed = true;
          }
        } else if (options.write && file !== '-') {
          if (result.text !== read.text) writeFileAtomic(file, result.text);
        } else process.stdout.write(result.text);
      }
      process.exitCode = failed ? 1 : 0;
    });
}
