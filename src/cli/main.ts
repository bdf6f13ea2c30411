// The `flowlane` command line. Input: argv. Output: files, stdout, exit code.
// Each command lives in commands/<name>.ts and registers itself on the program. Only the command
// being run is loaded (the renderer and the ASL validator take most of a cold start), so that
// `flowlane check` in a docs pipeline or a pre-commit hook starts fast. `--help` loads them all to
// list them, so a command module imports its stages inside its action, not at its top.
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { DIAGRAM_AND_ASL_FILES } from './inputs.js';

interface CommandModule {
  register(program: Command): void;
}

const ASL_FILE = /\.(json|ya?ml)$/i;

/** A glob or a directory given to `check` may bring ASL files with it. */
function mayHoldAslFiles(arg: string): boolean {
  if (arg.startsWith('-')) return false;
  if (/[*?]/.test(arg)) return true;
  try {
    return statSync(arg).isDirectory() && readdirSync(arg).some((f) => DIAGRAM_AND_ASL_FILES.test(f) && ASL_FILE.test(f));
  } catch {
    return false;
  }
}

/** Which module defines which command; `needed` narrows a module to the runs that use it. */
const COMMANDS: { name: string; load: () => Promise<CommandModule>; needed?: (args: string[]) => boolean }[] = [
  { name: 'check', load: () => import('./commands/check.js') },
  // ASL files given to `check` are checked by the conversion stage.
  { name: 'check', load: () => import('./commands/asl-check.js'), needed: (args) => args.some((a) => ASL_FILE.test(a) || mayHoldAslFiles(a)) },
  { name: 'fmt', load: () => import('./commands/fmt.js') },
  { name: 'render', load: () => import('./commands/render.js') },
  { name: 'to-asl', load: () => import('./commands/to-asl.js') },
  { name: 'from-asl', load: () => import('./commands/from-asl.js') },
  { name: 'lsp', load: () => import('./commands/lsp.js') },
  { name: 'md', load: () => import('./commands/md.js') },
  { name: 'playground', load: () => import('./commands/playground.js') },
  { name: 'run', load: () => import('./commands/run.js') },
  { name: 'test', load: () => import('./commands/test.js') },
];

/**
 * Runs the command line on process.argv. No top-level await, and nothing runs on import, so that
 * dist/cli.cjs (scripts/build-cli.mjs) can hold this module and a start-up snapshot can load it.
 */
/**
 * A reader that stops early (`flowlane --help | head -1`, `flowlane to-asl x.fz | head`) closes the
 * pipe: the rest of the output has nowhere to go, which is no failure of ours. End quietly, as a
 * command killed by SIGPIPE would, instead of a stack trace for the unhandled EPIPE.
 */
function endQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
}

export async function main(): Promise<void> {
  endQuietlyOnClosedPipe();
  const program = new Command();
  program
    .name('flowlane')
    .description('FlowZap Code (.fz) diagrams as code: check, format, render, and convert to and from AWS Step Functions')
    .version((createRequire(import.meta.url)('../../package.json') as { version: string }).version, '-v, --version', 'print the version')
    .showHelpAfterError()
    // Usage mistakes exit 2, like I/O failures; 1 is kept for problems found in the input.
    .exitOverride()
    .addHelpText('after', '\nExit codes: 0 ok, 1 problems found in the input, 2 usage errors (unknown option, bad value,\nmissing argument) and I/O failures.');
  try {
    const args = process.argv.slice(2);
    const name = args.find((a) => !a.startsWith('-'));
    const known = COMMANDS.some((c) => c.name === name);
    for (const command of COMMANDS) {
      if (known ? command.name !== name || (command.needed && !command.needed(args)) : command.needed) continue;
      (await command.load()).register(program);
    }
    await program.parseAsync(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // Commander has printed its message (or the help, or the version) already.
      process.exitCode = e.exitCode === 0 ? 0 : 2;
    } else {
      // Commands report their own findings; anything that reaches here is a bug or an I/O failure.
      console.error(`flowlane: ${e instanceof Error ? e.message : String(e)}`);
      process.exitCode = 2;
    }
  }
}

