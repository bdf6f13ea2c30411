// `flowlane from-asl FILE|- [-o OUT.fz] [--lanes single|service] [--resource NAME] [--allow-invalid]`:
// reads an ASL definition (JSON, YAML, or a CloudFormation/SAM/Serverless template) and writes it as `.fz`.
// Input: the file. Output: the `.fz` text (to OUT or stdout); diagnostics on stderr. A definition AWS
// would reject gets the errors `check` prints, exit 1 and no output; with --allow-invalid it is
// written anyway, its errors as warnings and `// invalid:` comments above the offending states.
import type { Command } from 'commander';
import { Option } from 'commander';
import { emitConversion, readText } from '../io.js';

interface FromAslCliOptions {
  output?: string;
  lanes: 'single' | 'service';
  resource?: string;
  allowInvalid?: boolean;
}

export function register(program: Command): void {
  program
    .command('from-asl')
    .description('convert an AWS Step Functions state machine (ASL JSON/YAML or a CloudFormation/SAM template) to a .fz diagram')
    .argument('<file>', 'ASL file (.asl.json, .json, .asl.yaml, .yaml, a template), or - for standard input')
    .option('-o, --output <file>', 'write the diagram to this file instead of standard output')
    .addOption(new Option('--lanes <mode>', 'single: one lane; service: one lane per AWS service the tasks call').choices(['single', 'service']).default('single'))
    .option('--resource <name>', 'in a template with several state machines, the logical id of the one to convert')
    .option('--allow-invalid', 'convert a definition AWS would reject anyway: its errors become warnings, the offending states get // invalid: comments')
    .action(async (file: string, options: FromAslCliOptions) => {
      const read = readText(file);
      if (!read.ok) {
        console.error(`flowlane: ${read.message}`);
        process.exitCode = 1;
        return;
      }
      const { convertFromAslText } = await import('../convert.js');
      emitConversion(read.name, convertFromAslText(read.text, read.name, options), options.output);
    });
}
