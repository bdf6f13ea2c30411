// `flowlane to-asl FILE|- [-o OUT.asl.json] [--lane ID] [--strict]`: converts a `.fz` diagram to an
// AWS Step Functions state machine that asl-validator accepts.
// Input: the file. Output: the ASL JSON (to OUT or stdout); diagnostics on stderr; exit 1 and no
// output file when the diagram has errors or the result does not validate.
import type { Command } from 'commander';
import { emitConversion, readText } from '../io.js';

interface ToAslCliOptions {
  output?: string;
  lane?: string;
  strict?: boolean;
}

export function register(program: Command): void {
  program
    .command('to-asl')
    .description('convert a .fz diagram to an AWS Step Functions state machine (ASL JSON)')
    .argument('<file>', '.fz file, or - for standard input')
    .option('-o, --output <file>', 'write the state machine to this file instead of standard output')
    .option('--lane <id>', 'convert only this top-level lane')
    .option('--strict', 'treat every inferred state or rule (a plain FlowZap node or edge) as an error')
    .action(async (file: string, options: ToAslCliOptions) => {
      const read = readText(file);
      if (!read.ok) {
        console.error(`flowlane: ${read.message}`);
        process.exitCode = 1;
        return;
      }
      const { convertToAslText } = await import('../convert.js');
      emitConversion(read.name, convertToAslText(read.text, options), options.output);
    });
}
