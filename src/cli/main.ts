// The `flowlane` command line. Input: argv. Output: files, stdout, exit code.
// Each command lives in commands/<name>.ts and registers itself on the program.
import { Command } from 'commander';
import { register as registerCheck } from './commands/check.js';
import { register as registerFmt } from './commands/fmt.js';
import { register as registerLsp } from './commands/lsp.js';
import { register as registerAslCheck } from './commands/asl-check.js';
import { register as registerToAsl } from './commands/to-asl.js';
import { register as registerFromAsl } from './commands/from-asl.js';
import { register as registerRender } from './commands/render.js';

const program = new Command();
program
  .name('flowlane')
  .description('FlowZap Code (.fz) diagrams as code: check, format, render, and convert to and from AWS Step Functions')
  .version('0.1.0')
  .showHelpAfterError();

registerCheck(program);
registerFmt(program);
registerLsp(program);
registerAslCheck(program);
registerToAsl(program);
registerFromAsl(program);
registerRender(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  // Commands report their own findings; anything that reaches here is a bug or an I/O failure.
  console.error(`flowlane: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 2;
}
