// Runs a command that renders many diagrams (a `render` batch, `md` on many fences) in a child Node
// whose V8 thread pool fits the machine. Input: this process's argv, execArgv and environment.
// Output: the child's exit code (the child runs the same command line).
// Why: V8 runs its background work (TurboFan compiles of ELK's code, GC helpers) on a pool of four
// threads whatever the machine. On a 2-core machine they take the cores the JavaScript threads
// need: with one background thread a batch of 200 diagrams took 2.9 s instead of 3.25 s with one
// worker and 3.1 s instead of 3.7 s with two (npm run bench), and `md` on 100 fences 1.9 s instead
// of 2.4 s. The size can only be given when Node starts, and starting it again costs about 0.1 s,
// so only a run with several diagrams to render does it.
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';

/** The environment variable that marks the child (and lets a user turn the relaunch off). */
const MARK = 'FLOWLANE_V8_POOL';
/** Diagrams to render below which a run stays in this process: the relaunch would cost more than it saves. */
export const RELAUNCH_MIN_JOBS = 8;

/** The V8 thread pool for a machine with `cores` cores; undefined keeps Node's default (4). */
export function v8PoolSize(cores: number): number | undefined {
  return cores <= 4 ? Math.max(1, cores - 1) : undefined;
}

/** The child Node's arguments, or undefined when this process should do the rendering itself. */
export function relaunchArgs(argv: string[], execArgv: string[], env: NodeJS.ProcessEnv, cores: number): string[] | undefined {
  const size = v8PoolSize(cores);
  if (size === undefined || env[MARK] !== undefined) return undefined;
  // Only the flowlane command line is run again (never a program that embeds the CLI's code).
  if (argv[1] === undefined || !/^flowlane(\.js)?$/.test(basename(argv[1]))) return undefined;
  // Whoever set the pool size already (in NODE_OPTIONS or on Node's command line) keeps their choice.
  if ([...execArgv, ...(env.NODE_OPTIONS ?? '').split(/\s+/)].some((a) => a.startsWith('--v8-pool-size'))) return undefined;
  return [...execArgv, `--v8-pool-size=${size}`, argv[1], ...argv.slice(2)];
}

/**
 * Runs the child with this process's standard streams and resolves with its exit code. A signal
 * sent to this process is passed on; a child ended by a signal ends this process by the same one.
 * Resolves undefined when no child could be started, so that the caller renders in this process.
 */
export function runRelaunched(args: string[]): Promise<number | undefined> {
  // Required here, not imported at the top: every start registers the md command (which imports
  // this module), and loading child_process (with net and dgram) took each of them 5 ms. Not
  // import(): the CLI's bundle runs in a vm.Script, which has none (scripts/build-cli.mjs).
  const { spawn } = createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: 'inherit', env: { ...process.env, [MARK]: '1' } });
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    const forward = (signal: NodeJS.Signals): void => {
      child.kill(signal);
    };
    const done = (): void => {
      for (const s of signals) process.off(s, forward);
    };
    for (const s of signals) process.on(s, forward);
    let spawned = false;
    child.once('spawn', () => (spawned = true));
    child.once('error', () => {
      if (spawned) return;
      done();
      resolve(undefined);
    });
    child.once('exit', (code, signal) => {
      done();
      if (signal) process.kill(process.pid, signal);
      else resolve(code ?? 1);
    });
  });
}

/**
 * With `diagrams` to render: runs the command in the child when relaunchArgs says so and resolves
 * with the child's exit code; resolves undefined when this process should go on itself.
 */
export async function relaunchFor(diagrams: number): Promise<number | undefined> {
  if (diagrams < RELAUNCH_MIN_JOBS) return undefined;
  const args = relaunchArgs(process.argv, process.execArgv, process.env, availableParallelism());
  return args ? runRelaunched(args) : undefined;
}
