// Cold start of the command line (src/cli/start.cts, scripts/build-cli.mjs): the bin runs the one-file
// bundle dist/cli.cjs through a V8 code cache, under the CLI's later tiering. None of it may change
// a byte of output: the bundle, its cache (absent, corrupt, unwritable) and the flag are checked
// here against the ES modules run plainly. The real bin, real files, each test with its own cache folder.
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { examplesDir, repoRoot } from '../helpers/paths.js';

const bin = join(repoRoot, 'bin', 'flowlane.js');

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'flowlane-start-'));
}

function run(args: string[], env: Record<string, string>, cwd = repoRoot) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Renders an example to SVG and returns the bytes; stderr must stay empty. */
function renderExample(name: string, env: Record<string, string>): string {
  const out = join(tempDir(), `${name}.svg`);
  const r = run(['render', join(examplesDir, `${name}.fz`), '-o', out], env);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return readFileSync(out, 'utf8');
}

const cliCaches = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).filter((f) => /^cli-.*\.v8$/.test(f)) : []);

describe('the bundle', () => {
  test('is built beside the modules and names its build on its first line', () => {
    const source = readFileSync(join(repoRoot, 'dist', 'cli.cjs'), 'utf8');
    expect(source).toMatch(/^\/\/ flowlane-cli [0-9a-f]{16}\n/);
    // The packages the bin used to load one module at a time are inside it (esbuild names each
    // module it wraps by its path: `"node_modules/commander/lib/error.js"(exports){…}`).
    for (const inside of ['node_modules/chevrotain/', 'node_modules/commander/', 'node_modules/@svgdotjs/svg.js/', 'dist/layout/index.js', 'dist/parser/parser.js']) {
      expect(source, inside).toContain(`"${inside}`);
    }
    // The native PNG renderer and the 7 MB fallback fonts stay outside, loaded when needed.
    expect(source).toContain('("@resvg/resvg-js")');
    expect(source).not.toContain('"node_modules/@resvg/');
    expect(source).not.toContain('"dist/layout/font-data-fallback.js"');
    expect(source).toContain('__flowlaneUrl("layout/font-data-fallback.js")');
    // ASCII only, so that start.cts may read it as latin1.
    expect(source).not.toMatch(/[^\x00-\x7f]/);
    // An import() of a run-time path goes to the loader's import(): a vm.Script has none of its own.
    expect(source).not.toMatch(/[^\w$]import\(/);
  });

  test.each(['orchestration', 'feature-loops', 'lottery-zh'])('%s: the bundle, cached or not, draws the bytes the modules draw', (name) => {
    const cache = tempDir();
    const modules = renderExample(name, { FLOWLANE_BUNDLE: '0', FLOWLANE_CACHE_DIR: cache });
    expect(cliCaches(cache)).toEqual([]);
    expect(renderExample(name, { FLOWLANE_CACHE_DIR: cache })).toBe(modules);
    expect(cliCaches(cache)).toHaveLength(1);
    expect(renderExample(name, { FLOWLANE_CACHE_DIR: cache })).toBe(modules);
    // V8's default tiering (the flag off) and no cache at all: the same bytes again.
    expect(renderExample(name, { FLOWLANE_CACHE_DIR: cache, FLOWLANE_V8_TIERING: '0', FLOWLANE_CODE_CACHE: '0' })).toBe(modules);
  });

  test('PNG, the fallback fonts (imported from inside the bundle) and --help work from it as from the modules', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'zh.fz'), 'a { # 订单\n  n1: circle label:"开始"\n  n2: rectangle label:"处理订单"\n  n1.handle(right) -> n2.handle(left)\n}\n');
    const cache = tempDir();
    for (const env of [{ FLOWLANE_BUNDLE: '0' }, {}]) {
      const tag = env.FLOWLANE_BUNDLE ?? '1';
      expect(run(['render', 'zh.fz', '-o', `zh-${tag}.svg`], { ...env, FLOWLANE_CACHE_DIR: cache }, dir)).toMatchObject({ code: 0, stderr: '' });
      expect(run(['render', 'zh.fz', '--format', 'png', '-o', `zh-${tag}.png`], { ...env, FLOWLANE_CACHE_DIR: cache }, dir)).toMatchObject({ code: 0, stderr: '' });
    }
    expect(readFileSync(join(dir, 'zh-1.svg'), 'utf8')).toBe(readFileSync(join(dir, 'zh-0.svg'), 'utf8'));
    // The Han characters come from the fallback face: its subset is embedded.
    expect(readFileSync(join(dir, 'zh-1.svg'), 'utf8')).toMatch(/Noto Sans SC|font-face[\s\S]*font-face/);
    expect(readFileSync(join(dir, 'zh-1.png')).equals(readFileSync(join(dir, 'zh-0.png')))).toBe(true);
    const help = run(['--help'], { FLOWLANE_CACHE_DIR: cache });
    expect(help.code).toBe(0);
    expect(help.stdout).toBe(run(['--help'], { FLOWLANE_BUNDLE: '0' }).stdout);
    expect(help.stdout).toMatch(/render \[options\] <files\.\.\.>/);
  });

  test('a handler module of `run` is imported from inside the bundle', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'm.asl.json'), JSON.stringify({ StartAt: 'Call', States: { Call: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:greet', End: true } } }));
    writeFileSync(join(dir, 'handlers.mjs'), 'export const Call = (input) => ({ hello: input.name });\n');
    const r = run(['run', 'm.asl.json', '--handlers', 'handlers.mjs', '--input', '{"name":"Ada"}', '--format', 'json'], { FLOWLANE_CACHE_DIR: tempDir() }, dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'SUCCEEDED', output: { hello: 'Ada' } });
  });
});

describe('the code cache', () => {
  test('is written at the end of a cold start, read by the next, one per command', () => {
    const cache = tempDir();
    const small = join(tempDir(), 'a.fz');
    writeFileSync(small, 'a { # A\n  n1: circle label:"Start"\n  n2: circle label:"End"\n  n1.handle(right) -> n2.handle(left)\n}\n');
    expect(run(['check', small], { FLOWLANE_CACHE_DIR: cache })).toMatchObject({ code: 0, stderr: '' });
    const [file] = cliCaches(cache);
    expect(file).toMatch(/^cli-v\d+\.\d+\.\d+-[a-z0-9]+-late-[0-9a-f]{16}-check\.v8$/);
    const path = join(cache, file!);
    const written = statSync(path).mtimeMs;
    // Accepted: not written again.
    expect(run(['check', small], { FLOWLANE_CACHE_DIR: cache })).toMatchObject({ code: 0, stderr: '' });
    expect(statSync(path).mtimeMs).toBe(written);
    // Another command has a cache of its own, and --help and -v share one; a word that is no command writes none.
    expect(run(['fmt', '--check', small], { FLOWLANE_CACHE_DIR: cache })).toMatchObject({ code: 0, stderr: '' });
    expect(run(['--help'], { FLOWLANE_CACHE_DIR: cache }).code).toBe(0);
    expect(run(['-v'], { FLOWLANE_CACHE_DIR: cache }).code).toBe(0);
    expect(run(['rendr', small], { FLOWLANE_CACHE_DIR: cache }).code).toBe(2);
    // Nor does a run that failed (it ran little of its command), nor a command's --help (commander's help only).
    expect(run(['render', join(tempDir(), 'missing.fz')], { FLOWLANE_CACHE_DIR: cache }).code).not.toBe(0);
    expect(run(['to-asl', '--bogus'], { FLOWLANE_CACHE_DIR: cache }).code).toBe(2);
    expect(run(['render', '--help'], { FLOWLANE_CACHE_DIR: cache }).code).toBe(0);
    expect(cliCaches(cache).map((f) => f.replace(/^.*-[0-9a-f]{16}-/, '')).sort()).toEqual(['check.v8', 'fmt.v8', 'help.v8']);
    expect(statSync(path).mtimeMs).toBe(written);
    expect(readdirSync(cache).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // The ELK cache sits beside them, named for the CLI's V8 flag.
    expect(run(['render', small, '-o', join(tempDir(), 'a.svg')], { FLOWLANE_CACHE_DIR: cache }).code).toBe(0);
    expect(readdirSync(cache).filter((f) => /^elk-worker-.*-late-.*\.v8$/.test(f))).toHaveLength(1);
    // The render's cache holds less than one grown by every command would: V8 reads all of it at each start.
    const sizeOf = (command: string): number => statSync(join(cache, cliCaches(cache).find((f) => f.endsWith(`-${command}.v8`))!)).size;
    expect(sizeOf('help')).toBeLessThan(sizeOf('render'));
  });

  test('the commands it keeps caches for are the CLI\'s commands', () => {
    // The compiled list (vitest does not compile .cts files): the one the bin reads.
    const { COMMANDS } = createRequire(import.meta.url)(join(repoRoot, 'dist', 'cli', 'command-names.cjs')) as { COMMANDS: readonly string[] };
    const help = run(['--help'], { FLOWLANE_CACHE_DIR: tempDir() }).stdout;
    const listed = [...help.slice(help.indexOf('Commands:')).matchAll(/^ {2}([a-z-]+)\b/gm)].map((m) => m[1]).filter((c) => c !== 'help');
    expect([...COMMANDS].sort()).toEqual([...new Set(listed)].sort());
  });

  test('a corrupt cache changes nothing and is replaced; one of an older build is removed', () => {
    const cache = tempDir();
    const clean = renderExample('orchestration', { FLOWLANE_CACHE_DIR: cache });
    const [file] = cliCaches(cache);
    const path = join(cache, file!);
    const good = readFileSync(path).length;
    writeFileSync(path, Buffer.alloc(4096, 7));
    // Of an older build under the same Node and flags: removed. Another Node's: kept.
    const older = file!.replace(/-[0-9a-f]{16}-render\.v8$/, '-0000000000000000-render.v8');
    writeFileSync(join(cache, older), 'old');
    // One of the layout before caches were kept per command (one file, the commands it held beside it).
    const legacy = file!.replace(/-[0-9a-f]{16}-render\.v8$/, '-1111111111111111.v8');
    writeFileSync(join(cache, legacy), 'legacy');
    writeFileSync(join(cache, `${legacy}.commands`), 'render');
    // Another Node's, and the caches made without the CLI's V8 flag: kept.
    const others = ['cli-v0.0.0-x64-late-0000000000000000-render.v8', file!.replace('-late-', '-').replace(/-[0-9a-f]{16}-/, '-2222222222222222-')];
    for (const f of others) writeFileSync(join(cache, f), 'other');
    expect(renderExample('orchestration', { FLOWLANE_CACHE_DIR: cache })).toBe(clean);
    expect(readFileSync(path).length).toBeGreaterThan(good / 2);
    expect(cliCaches(cache).sort()).toEqual([file, ...others].sort());
    expect(existsSync(join(cache, `${legacy}.commands`))).toBe(false);
    expect(renderExample('orchestration', { FLOWLANE_CACHE_DIR: cache })).toBe(clean);
  });

  test('where it cannot be written (a read-only install), every start compiles afresh, silently', () => {
    const blocked = join(tempDir(), 'a-file');
    writeFileSync(blocked, '');
    // A folder inside a file can never be created, whoever runs the test (root ignores permissions).
    const cache = join(blocked, 'cache');
    const clean = renderExample('orchestration', { FLOWLANE_BUNDLE: '0', FLOWLANE_CODE_CACHE: '0' });
    expect(renderExample('orchestration', { FLOWLANE_CACHE_DIR: cache })).toBe(clean);
    expect(renderExample('orchestration', { FLOWLANE_CACHE_DIR: cache })).toBe(clean);
  });
});

describe('--help and -v load no stage', () => {
  // The command modules are loaded to list the commands, so they import their stages inside their
  // actions: their static imports (followed through dist/) must reach none of the stages.
  const STAGES = /^(parser|model|print|asl|layout|render|run\/(interpreter|index)|markdown|server|api|language)\//;

  function staticImports(file: string): string[] {
    const text = readFileSync(file, 'utf8');
    return [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+'(\.[^']+)';/gm)].map((m) => join(file, '..', m[1]!));
  }

  test('the static import graph of main.js and the command modules', () => {
    const dist = join(repoRoot, 'dist');
    const start = [join(dist, 'cli', 'main.js'), ...readdirSync(join(dist, 'cli', 'commands')).filter((f) => f.endsWith('.js')).map((f) => join(dist, 'cli', 'commands', f))];
    // asl-check registers a checker for ASL files only, and is loaded only when `check` is given one.
    const seen = new Set<string>();
    const queue = start.filter((f) => !f.endsWith('asl-check.js'));
    while (queue.length > 0) {
      const f = queue.pop()!;
      if (seen.has(f)) continue;
      seen.add(f);
      queue.push(...staticImports(f));
    }
    const reached = [...seen].map((f) => f.slice(dist.length + 1)).filter((f) => STAGES.test(f));
    expect(reached).toEqual([]);
    // Nor the Node modules that take milliseconds to load and only some commands use (loaded inside
    // their actions): every start registers every command.
    const heavy = [...seen].flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/^import\s(?!type\b)[^;]*?from\s+'node:(child_process|http|https|zlib|worker_threads|net|readline)';/gm)].map((m) => `${f.slice(dist.length + 1)}: ${m[1]}`));
    expect(heavy).toEqual([]);
    // The walk did follow imports (io.js, inputs.js, the run stage's light modules).
    expect([...seen].some((f) => f.endsWith(join('cli', 'io.js')))).toBe(true);
  });
});
