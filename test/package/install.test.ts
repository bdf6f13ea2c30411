// The product is what users install: `npm pack` (which builds dist/ through `prepack`), then
// `npm i ./flowlane-*.tgz` in an empty project outside the repository, and there everything a user
// does: the README's install commands, every CLI command, the language server over stdio, the API
// from plain Node ESM, and a strict type-check of a consumer without skipLibCheck.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { repoRoot } from '../helpers/paths.js';
import { startSession } from '../server/harness.js';

const ORDER = 'sales { # Sales\n  n1: circle label:"Start"\n  n2: rectangle label:"Take Order"\n  n1.handle(right) -> n2.handle(left)\n}\n';
const ASL = '{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Succeed"}}}';

/** The playground's static folder (built by prepack, without its copy of the browser build: the package has it once, in dist/browser). */
const PLAYGROUND_FILES = ['index.html', 'playground.js', 'playground.css', 'sw.js', 'lsp/lsp-worker.js'].map((f) => `dist/playground/${f}`);

let project = '';
let tarball = '';
let packed: string[] = [];
let installLog = '';

function npm(args: string[], cwd: string): string {
  // The user's environment, not the one npm test runs in (npm_config_* would point back at the repo).
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_')));
  const r = spawnSync('npm', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return `${r.stdout}\n${r.stderr}`;
}

/** Runs a command in the project, as `sh -c` would from a terminal. */
function sh(command: string, input?: string): { status: number; stdout: string; stderr: string } {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_')));
  const r = spawnSync('sh', ['-c', command], { cwd: project, env, encoding: 'utf8', input: input ?? '', stdio: 'pipe' });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  const work = mkdtempSync(join(tmpdir(), 'flowlane-pack-'));
  const out = npm(['pack', '--json', '--pack-destination', work], repoRoot);
  // The JSON array is the part of the output from a line `[` to a line `]` (build logs come around it).
  const json = /^\[\n[\s\S]*?^\]$/m.exec(out)?.[0] ?? '';
  const info = JSON.parse(json) as { filename: string; files: { path: string }[] }[];
  tarball = join(work, info[0]!.filename);
  packed = info[0]!.files.map((f) => f.path);
  project = join(work, 'consumer');
  mkdirSync(join(project, 'docs'), { recursive: true });
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }));
  // The README's install command, with the tarball in place of the registry name.
  installLog = npm(['i', '-D', '--no-audit', '--no-fund', '--prefer-offline', tarball], project);
  writeFileSync(join(project, 'docs', 'order.fz'), ORDER);
  writeFileSync(join(project, 'docs', 'flow.fz'), 'a { # A\n  n1: circle label:"Go"\n}\n');
}, 300_000);

afterAll(() => {
  if (project) rmSync(join(project, '..'), { recursive: true, force: true });
});

describe('the tarball', () => {
  test('holds what a user needs', () => {
    for (const f of ['package.json', 'README.md', 'LICENSE', 'bin/flowlane.js', 'dist/index.js', 'dist/index.d.ts', 'dist/remark/index.js', 'dist/cli/main.js', 'dist/cli/start.cjs', 'bin/package.json', 'dist/cli.cjs', 'dist/server/asl-worker.js', 'dist/browser/flowlane.mjs', 'dist/browser/flowlane.iife.js', 'dist/browser/flowlane-fonts.mjs', 'dist/browser/index.d.ts', 'assets/fonts/Inter-Regular.ttf', 'assets/fonts/Inter-SemiBold.ttf', 'assets/fonts/NotoSansSC-Regular.ttf', 'assets/fonts/NotoSansKR-Regular.ttf', 'assets/fonts/NotoSansHebrew-Regular.ttf', 'assets/fonts/NotoSansArabic-Regular.ttf', 'assets/fonts/NotoEmoji-Regular.ttf', 'dist/layout/font-data-fallback.js', 'dist/cli/commands/playground.js', ...PLAYGROUND_FILES]) {
      expect(packed).toContain(f);
    }
  });

  test('carries the browser build once', () => {
    expect(packed.filter((f) => f.endsWith('/flowlane-fonts.mjs'))).toEqual(['dist/browser/flowlane-fonts.mjs']);
  });

  test('and nothing of the repository besides', () => {
    const stray = packed.filter((f) => /^(test|bench|\.ci|extension|scripts|src|examples|out|node_modules)\//.test(f) || /(^|\/)(tsconfig|vitest\.config)[^/]*$/.test(f) || f.endsWith('.map'));
    expect(stray).toEqual([]);
  });

  test('its package.json describes the package and keeps build-only packages out of dependencies', () => {
    const pkg = JSON.parse(readFileSync(join(project, 'node_modules', 'flowlane', 'package.json'), 'utf8')) as Record<string, unknown>;
    for (const key of ['repository', 'homepage', 'keywords', 'files', 'license']) expect(pkg[key], key).toBeDefined();
    const deps = Object.keys(pkg['dependencies'] as Record<string, string>);
    expect(deps).not.toContain('aws-local-stepfunctions');
    expect(deps).not.toContain('@fontsource/inter');
    // No install script runs on the user's machine.
    const scripts = (pkg['scripts'] ?? {}) as Record<string, string>;
    for (const s of ['preinstall', 'install', 'postinstall', 'prepare']) expect(scripts[s], s).toBeUndefined();
  });

  test('installs on Node 20 without an engine warning', () => {
    expect(installLog).not.toMatch(/EBADENGINE|Unsupported engine/);
  });

  test('every runtime import of dist/ is a declared dependency', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const seen = new Set<string>();
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.js')) {
          for (const m of readFileSync(p, 'utf8').matchAll(/(?:from |import\(|require\()'([^'.][^']*)'/g)) {
            const spec = m[1]!;
            if (spec.startsWith('node:')) continue;
            seen.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
          }
        }
      }
    };
    walk(join(project, 'node_modules', 'flowlane', 'dist'));
    seen.delete('flowlane');
    expect([...seen].filter((d) => !(d in pkg.dependencies))).toEqual([]);
  });
});

describe('the installed CLI', () => {
  test('npx flowlane --help', () => {
    const r = sh('npx flowlane --help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: flowlane');
  });

  test('npx flowlane render docs/*.fz (the README install section)', () => {
    const r = sh('npx flowlane render docs/*.fz');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.status).toBe(0);
    expect(readFileSync(join(project, 'docs', 'order.svg'), 'utf8')).toMatch(/^<\?xml[\s\S]*<svg[\s\S]*Take Order[\s\S]*<\/svg>\s*$/);
    expect(readFileSync(join(project, 'docs', 'flow.svg'), 'utf8')).toContain('<svg');
  });

  test('render --format png', () => {
    const r = sh('npx flowlane render docs/order.fz --format png -o order.png');
    expect(r.status).toBe(0);
    expect([...readFileSync(join(project, 'order.png')).subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  });

  test('check and fmt --check', () => {
    expect(sh('npx flowlane check docs/order.fz').status).toBe(0);
    expect(sh('npx flowlane fmt --check docs/order.fz').status).toBe(0);
    writeFileSync(join(project, 'bad.fz'), 'a { # A\n  n1: circel\n}\n');
    const bad = sh('npx flowlane check bad.fz');
    expect(bad.status).toBe(1);
    expect(bad.stdout + bad.stderr).toMatch(/bad\.fz:2:\d+: error: /);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });

  test('to-asl and from-asl', () => {
    const to = sh('npx flowlane to-asl docs/order.fz');
    expect(to.status).toBe(0);
    const machine = JSON.parse(to.stdout) as { StartAt: string; States: Record<string, unknown> };
    expect(machine.StartAt).toBe('Take Order');
    writeFileSync(join(project, 'm.asl.json'), ASL);
    const from = sh('npx flowlane from-asl m.asl.json');
    expect(from.status).toBe(0);
    expect(from.stdout).toMatch(/Type:"Pass"/);
  });

  test('run --svg and render --trace: the path drawn over the diagram', () => {
    const run = sh('npx flowlane run docs/order.fz --history h.json --svg run.svg --format json');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'SUCCEEDED', states: ['Take Order'] });
    expect(readFileSync(join(project, 'run.svg'), 'utf8')).toMatch(/class="fz-node[^"]* fz-visited"[^>]*data-id="n2"/);
    const traced = sh('npx flowlane render docs/order.fz --trace h.json -o traced.svg');
    expect(traced.status).toBe(0);
    expect(readFileSync(join(project, 'traced.svg'), 'utf8')).toBe(readFileSync(join(project, 'run.svg'), 'utf8'));
  });

  test('md', () => {
    writeFileSync(join(project, 'page.md'), `# Page\n\n\`\`\`fz id=order\n${ORDER}\`\`\`\n`);
    const r = sh('npx flowlane md page.md');
    expect(r.status).toBe(0);
    expect(readFileSync(join(project, 'page.md'), 'utf8')).toContain('](order.svg)');
    expect(readFileSync(join(project, 'order.svg'), 'utf8')).toContain('<svg');
  });

  test('lsp --stdio: initialize and one diagnostic', async () => {
    const s = await startSession({ args: [join(project, 'node_modules', 'flowlane', 'bin', 'flowlane.js'), 'lsp', '--stdio'], cwd: project });
    try {
      expect(s.capabilities['completionProvider']).toBeDefined();
      const uri = s.open('x.fz', 'a { # A\n  n1: circel\n}\n');
      const diagnostics = await s.diagnosticsWhere(uri, (d) => d.length > 0);
      expect(diagnostics[0]!.range.start.line).toBe(1);
    } finally {
      await s.stop();
    }
  });

  test('starts from its one-file bundle, with a code cache in the project, drawing what the ES modules draw', () => {
    // The commands above ran from dist/cli.cjs: its code cache (and ELK's) is in the project's node_modules.
    const cacheDir = join(project, 'node_modules', '.cache', 'flowlane');
    const files = readdirSync(cacheDir);
    // One per command run: --help, render, check, fmt.
    const commands = files.flatMap((f) => /^cli-.*-late-[0-9a-f]{16}-([a-z-]+)\.v8$/.exec(f)?.[1] ?? []);
    expect(commands, files.join(' ')).toEqual(expect.arrayContaining(['help', 'render', 'check', 'fmt']));
    expect(files.some((f) => /^elk-worker-.*-late-.*\.v8$/.test(f))).toBe(true);
    expect(sh('npx flowlane render docs/order.fz -o bundled.svg').status).toBe(0);
    expect(sh('FLOWLANE_BUNDLE=0 npx flowlane render docs/order.fz -o modules.svg').status).toBe(0);
    expect(readFileSync(join(project, 'bundled.svg'), 'utf8')).toBe(readFileSync(join(project, 'modules.svg'), 'utf8'));
  });
});

describe('the installed playground', () => {
  test('flowlane playground --port P FILE serves the page, its scripts, and FILE in the printed URL; a port in use is one line', async () => {
    const bin = join(project, 'node_modules', 'flowlane', 'bin', 'flowlane.js');
    const child = spawn(process.execPath, [bin, 'playground', '--port', '0', 'docs/order.fz'], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (b: Buffer) => {
          out += b.toString();
          const m = /http:\/\/127\.0\.0\.1:\d+\/\S*/.exec(out);
          if (m) resolve(m[0]);
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      const origin = new URL(url).origin;
      const page = await fetch(`${origin}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(await page.text()).toContain('<script type="module" src="./playground.js">');
      // The browser build the page loads comes from dist/browser, the same bytes.
      for (const f of ['playground.js', 'sw.js', 'lsp/lsp-worker.js', 'flowlane.mjs', 'flowlane-fonts.mjs']) {
        const r = await fetch(`${origin}/${f}`);
        expect(r.status, f).toBe(200);
        expect(r.headers.get('content-type'), f).toContain('text/javascript');
      }
      expect(Buffer.from(await (await fetch(`${origin}/flowlane.mjs`)).arrayBuffer()).equals(readFileSync(join(project, 'node_modules', 'flowlane', 'dist', 'browser', 'flowlane.mjs')))).toBe(true);
      // Only the folder's files: a path that climbs out of it (sent as written, fetch would resolve it) is a 404.
      const raw = (path: string): Promise<number> =>
        new Promise((resolve, reject) => get({ host: '127.0.0.1', port: Number(new URL(url).port), path }, (r) => resolve(r.resume().statusCode ?? 0)).on('error', reject));
      expect(await raw('/..%2f..%2fpackage.json')).toBe(404);
      expect(await raw('/../../package.json')).toBe(404);
      expect(await raw('/index.html')).toBe(200);
      // The file's text travels in the fragment, deflate-raw + base64url.
      const fragment = new URLSearchParams(new URL(url).hash.slice(1));
      expect(fragment.get('name')).toBe('order.fz');
      expect(inflateRawSync(Buffer.from(fragment.get('fz')!, 'base64url')).toString('utf8')).toBe(ORDER);
      // The same port again: one line, exit 2.
      const port = new URL(url).port;
      const again = sh(`npx flowlane playground --port ${port}`);
      expect(again.status).toBe(2);
      expect(again.stderr.trim()).toBe(`flowlane: port ${port} on 127.0.0.1 is in use; choose another with --port N (0: any free port)`);
    } finally {
      child.kill();
    }
    const missing = sh('npx flowlane playground --port 0 nowhere.fz');
    expect(missing.status).toBe(2);
    expect(missing.stderr.trim()).toBe('flowlane: nowhere.fz: no such file');
  });
});

describe('the installed library', () => {
  test('imports from plain Node ESM', () => {
    const script = `import { render, toAsl, fromAsl, check, format, parse } from 'flowlane';
import remarkFlowlane from 'flowlane/remark';
const r = await render(${JSON.stringify(ORDER)}, { id: 'x' });
console.log(JSON.stringify({ ok: r.ok, svg: r.value.startsWith('<?xml'), asl: toAsl(${JSON.stringify(ORDER)}).value.StartAt,
  fz: fromAsl(${JSON.stringify(ASL)}).value.text.includes('Type:"Pass"'), check: check('a {').ok, fmt: format('a {   # A\\n}').value, nodes: parse(${JSON.stringify(ORDER)}).value.nodes.length, remark: typeof remarkFlowlane }));`;
    writeFileSync(join(project, 'use.mjs'), script);
    const r = sh('node use.mjs');
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ ok: true, svg: true, asl: 'Take Order', fz: true, check: false, fmt: 'a { # A\n}\n', nodes: 2, remark: 'function' });
  });

  test('type-checks in a strict consumer without skipLibCheck, and `ok` narrows `value`', () => {
    const code = `import { render, parse, toAsl, fromAsl, type Outcome } from 'flowlane';
import remarkFlowlane from 'flowlane/remark';
const r = await render('a { # A\\n}\\n');
if (r.ok) {
  const svg: string = r.value;
  console.log(svg.length);
} else {
  // @ts-expect-error without ok, value may be undefined
  const nothing: string = r.value;
  console.log(nothing, r.diagnostics[0]?.range.start.line);
}
const machine = toAsl('a { # A\\n}\\n');
if (machine.ok) console.log(machine.value.StartAt);
const back = fromAsl('{}');
if (back.ok) console.log(back.value.text.length);
console.log(parse('a {').value.nodes.length, typeof remarkFlowlane);
export const typed: Outcome<number> = { ok: true, value: 1, diagnostics: [] };
`;
    writeFileSync(join(project, 'consumer.mts'), code);
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', noEmit: true, skipLibCheck: false, types: [] }, files: ['consumer.mts'] }));
    let out = '';
    try {
      execFileSync(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(project, 'tsconfig.json')], { cwd: project, encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      out = `${(e as { stdout?: string }).stdout ?? ''}${(e as { stderr?: string }).stderr ?? ''}` || String(e);
    }
    expect(out).toBe('');
  });

  test('flowlane/browser: resolves to the self-contained ES module, and type-checks in a strict DOM consumer', () => {
    writeFileSync(join(project, 'use-browser.mjs'), `import { parse, check, run } from 'flowlane/browser';\nconsole.log(JSON.stringify({ nodes: parse(${JSON.stringify(ORDER)}).value.nodes.length, check: check('a {').ok, run: typeof run }));`);
    const r = sh('node use-browser.mjs');
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ nodes: 2, check: false, run: 'function' });
    const code = `import { render, run, renderPng, type RunResult } from 'flowlane/browser';
const r = await render('a { # A\\n}\\n', { theme: 'auto', worker: false });
if (r.ok) document.body.insertAdjacentHTML('beforeend', r.value);
const done: RunResult[] = await run({ selector: 'pre code.language-fz', theme: 'dark' });
const png = await renderPng('a { # A\\n}\\n', { scale: 2 });
if (png.ok) console.log(png.value.size, done.length);
// @ts-expect-error PNG is renderPng's, not render's
await render('a {', { format: 'png' });
`;
    writeFileSync(join(project, 'page.mts'), code);
    writeFileSync(join(project, 'tsconfig.browser.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2023', 'dom'], noEmit: true, skipLibCheck: false, types: [] }, files: ['page.mts'] }));
    let out = '';
    try {
      execFileSync(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(project, 'tsconfig.browser.json')], { cwd: project, encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      out = `${(e as { stdout?: string }).stdout ?? ''}${(e as { stderr?: string }).stderr ?? ''}` || String(e);
    }
    expect(out).toBe('');
  });
});
