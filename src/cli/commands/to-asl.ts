// `flowlane to-asl FILE|- [-o OUT.asl.json] [--lane ID] [--strict]`: converts a `.fz` diagram to an
// AWS Step Functions state machine that asl-validator accepts.
// Input: the file. Output: the ASL JSON (to OUT or stdout); diagnostics on stderr; exit 1 and no
// output file when the diagram has errors or the result does not validate.
import type { Command } from 'commander';
import { toAsl } from '../../asl/index.js';
import type { Diagnostic } from '../../core/index.js';
import { parseDiagram } from '../../model/index.js';
import { emitConversion, readText } from '../io.js';

interface ToAslCliOptions {
  output?: string;
  lane?: string;
  strict?: boolean;
}

/** The whole conversion, as the command runs it: ASL JSON text, or the diagnostics that stop it. */
export function convertToAslText(text: string, options: { lane?: string; strict?: boolean } = {}): { text?: string; diagnostics: Diagnostic[] } {
  const parsed = parseDiagram(text);
  if (parsed.diagnostics.some((d) => d.severity === 'error')) return { diagnostics: parsed.diagnostics };
  const converted = toAsl(parsed.value, { ...(options.lane !== undefined ? { lane: options.lane } : {}), strict: options.strict === true });
  // The model already reported edges leaving a branch; keep one diagnostic per place and problem.
  const seen = new Set(parsed.diagnostics.map((d) => `${d.code}:${d.range.start.line}:${d.range.start.character}`));
  const diagnostics = [...parsed.diagnostics, ...converted.diagnostics.filter((d) => !seen.has(`${d.code}:${d.range.start.line}:${d.range.start.character}`))];
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  return { text: `${JSON.stringify(converted.value, null, 2)}\n`, diagnostics };
}

export function register(program: Command): void {
  program
    .command('to-asl')
    .description('convert a .fz diagram to an AWS Step Functions state machine (ASL JSON)')
    .argument('<file>', '.fz file, or - for standard input')
    .option('-o, --output <file>', 'write the state machine to this file instead of standard output')
    .option('--lane <id>', 'convert only this top-level lane')
    .option('--strict', 'treat every inferred state or rule (a plain FlowZap node or edge) as an error')
    .action((file: string, options: ToAslCliOptions) => {
      const read = readText(file);
      if (!read.ok) {
        console.error(`flowlane: ${read.message}`);
        process.exitCode = 1;
        return;
      }
      emitConversion(read.name, convertToAslText(read.text, options), options.output);
    });
}
