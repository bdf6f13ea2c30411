// The packaged extension: `npm run package:extension` makes a .vsix offline; the test unpacks it,
// checks the manifest against the files it contains, and runs the bundled server from the unpacked
// copy, outside the repository, to show the package holds everything the server needs.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root, startSession, type Session } from '../server/harness.js';
import { readZip } from './zip.js';

let files: Map<string, Buffer>;
let unpacked: string;
let manifest: {
  name: string;
  main: string;
  engines: { vscode: string };
  activationEvents: string[];
  contributes: {
    languages: { id: string; extensions: string[]; configuration: string }[];
    grammars: { language: string; scopeName: string; path: string }[];
    snippets: { language: string; path: string }[];
    commands: { command: string }[];
  };
};

beforeAll(() => {
  execFileSync('npm', ['run', '--silent', 'package:extension'], { cwd: root, stdio: 'ignore', env: { ...process.env, npm_config_offline: 'true' } });
  files = readZip(readFileSync(join(root, 'extension', 'flowlane.vsix')));
  unpacked = mkdtempSync(join(tmpdir(), 'flowlane-vsix-'));
  for (const [name, data] of files) {
    if (name.endsWith('/')) continue;
    mkdirSync(dirname(join(unpacked, name)), { recursive: true });
    writeFileSync(join(unpacked, name), data);
  }
  manifest = JSON.parse(files.get('extension/package.json')!.toString('utf8'));
}, 120_000);

const file = (p: string): Buffer | undefined => files.get(`extension/${p.replace(/^\.\//, '')}`);

describe('the .vsix', () => {
  it('contains the bundles, grammar, configuration, snippets and preview assets, and no sources', () => {
    const names = [...files.keys()];
    for (const p of ['extension.vsixmanifest', 'extension/package.json', 'extension/dist/extension.js', 'extension/dist/flowlane-server.js', 'extension/dist/asl-worker.js', 'extension/media/preview.js', 'extension/media/preview.css', 'extension/syntaxes/flowzap.tmLanguage.json', 'extension/syntaxes/language-configuration.json', 'extension/syntaxes/snippets.json']) {
      expect(names, p).toContain(p);
    }
    expect(names.filter((n) => /\/src\/|node_modules|\.ts$|\.map$/.test(n))).toEqual([]);
  });

  it('has a manifest whose every contribution points at a packaged file', () => {
    expect(manifest.engines.vscode).toMatch(/^\^1\./);
    expect(file(manifest.main)).toBeDefined();
    expect(manifest.activationEvents).toContain('onLanguage:flowzap');
    const lang = manifest.contributes.languages.find((l) => l.id === 'flowzap')!;
    expect(lang.extensions).toEqual(['.fz']);
    expect(file(lang.configuration)).toBeDefined();
    const grammar = manifest.contributes.grammars[0]!;
    expect(grammar.scopeName).toBe('source.flowzap');
    expect(file(grammar.path)!.toString()).toBe(readFileSync(join(root, 'grammar', 'flowzap.tmLanguage.json'), 'utf8'));
    expect(file(manifest.contributes.snippets[0]!.path)!.toString()).toBe(readFileSync(join(root, 'grammar', 'snippets.json'), 'utf8'));
    const config = JSON.parse(file(lang.configuration)!.toString());
    expect(config.comments.lineComment).toBe('//');
    expect(config.autoClosingPairs.some((p: { open: string }) => p.open === '"')).toBe(true);
    expect(manifest.contributes.commands.map((c) => c.command).sort()).toEqual(['flowlane.convertToAsl', 'flowlane.exportPng', 'flowlane.exportSvg', 'flowlane.openAslAsDiagram', 'flowlane.openPreview', 'flowlane.runLocally']);
  });

  it('has a client bundle that needs only vscode and Node built-ins', () => {
    const js = file('dist/extension.js')!.toString();
    const required = new Set([...js.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]!));
    for (const r of required) expect(r === 'vscode' || r.startsWith('node:') || builtinModules.includes(r), r).toBe(true);
  });

  describe('its bundled server, run from the unpacked copy', () => {
    let s: Session;
    beforeAll(async () => {
      s = await startSession({ args: [join(unpacked, 'extension', 'dist', 'flowlane-server.js'), '--stdio'], cwd: unpacked });
    });
    afterAll(async () => {
      await s?.stop();
    });

    it('registers no server command under the name of an extension command (VS Code would refuse to activate)', () => {
      const serverCommands = (s.capabilities['executeCommandProvider'] as { commands: string[] }).commands;
      const ours = manifest.contributes.commands.map((c) => c.command);
      expect(serverCommands.length).toBeGreaterThan(0);
      expect(serverCommands.filter((c) => ours.includes(c))).toEqual([]);
    });

    it('publishes diagnostics, completes and renders SVG', async () => {
      const uri = s.open('v.fz', 'a { # A\n  n1: circle label:"Start"\n  n2: rectangel label:"Go"\n  n1.handle(right) -> n2.handle(left)\n}\n');
      const d = await s.diagnostics(uri);
      expect(d.map((x) => x.code)).toContain('unknown-shape');
      const c = await s.request<{ items: { label: string }[] }>('textDocument/completion', { textDocument: { uri }, position: { line: 2, character: 6 } });
      expect(c.items.map((x) => x.label)).toContain('rectangle');
      const r = await s.request<{ svg?: string; error?: string }>('flowlane/renderSvg', { textDocument: { uri } });
      expect(r.error).toBeUndefined();
      expect(r.svg).toContain('<svg');
      const asl = await s.request<{ text?: string }>('flowlane/toAsl', { textDocument: { uri } });
      expect(asl.text).toBeDefined();
      // The ASL checks run in the bundled worker thread.
      const m = s.open('w.fz', 'm {\n  n1: circle label:"Start"\n  n2: diamond label:"Pick" Type:"Choice"\n  n1.handle(right) -> n2.handle(left)\n}\n');
      const d2 = await s.diagnosticsWhere(m, (ds) => ds.some((x) => String(x.code).startsWith('asl-')));
      expect(d2.length).toBeGreaterThan(0);
      // flowlane/run: the run stage and the path overlay in the same bundled worker.
      const runnable = s.open('r.fz', 'a { # A\n  n1: circle label:"Start"\n  n2: rectangle label:"Go"\n  n1.handle(right) -> n2.handle(left)\n}\n');
      const run = await s.request<{ status?: string; states?: string[]; svg?: string }>('flowlane/run', { uri: runnable, input: {} });
      expect(run.status).toBe('SUCCEEDED');
      expect(run.states).toEqual(['Go']);
      expect(run.svg).toMatch(/class="fz-node[^"]* fz-visited"[^>]*data-id="n2"/);
      expect(s.logs.filter((l) => /failed/.test(l))).toEqual([]);
    });
  });
});
