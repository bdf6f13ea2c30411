// The library API: behaviour of each function on good and bad input (never a throw), the package's
// exports map as Node resolves it, and a type-level test: a consumer file compiled with tsc against
// the published `.d.ts` through the exports map.
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { check, detectLanguage, format, fromAsl, parse, render, toAsl } from '../../src/index.js';
import { examplesDir, repoRoot } from '../helpers/paths.js';

const GOOD = 'a { # A\n  n1: circle label:"Start"\n  n2: circle label:"End"\n  n1.handle(right) -> n2.handle(left)\n}\n';
const BAD = 'a { # A\n  n1: rect label:"x"\n}\n';
const ASL = '{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}';

describe('library API', () => {
  test('parse: a diagram always, diagnostics for mistakes', () => {
    expect(parse(GOOD)).toMatchObject({ ok: true, diagnostics: [] });
    expect(parse(GOOD).value.nodes.map((n) => n.id)).toEqual(['n1', 'n2']);
    const bad = parse(BAD);
    expect(bad.ok).toBe(false);
    expect(bad.diagnostics[0]).toMatchObject({ code: 'unknown-shape', range: { start: { line: 1, character: 6 } } });
    expect(bad.value.lanes).toHaveLength(1);
  });

  test('check: .fz and ASL text (by option, by name, or by content)', () => {
    expect(check(GOOD).ok).toBe(true);
    expect(check(BAD).value.map((d) => d.code)).toEqual(['unknown-shape']);
    expect(check(ASL).ok).toBe(true);
    const asl = check('{"StartAt":"B","States":{"A":{"Type":"Pass","End":true}}}');
    expect(asl.ok).toBe(false);
    expect(asl.diagnostics.some((d) => d.code === 'asl-missing-target')).toBe(true);
    expect(check('StartAt: A\nStates:\n  A: {Type: Pass, End: true}\n', { name: 'm.asl.yaml' }).ok).toBe(true);
    expect(check('{', { language: 'asl' }).diagnostics[0]!.code).toBe('asl-invalid-input');
    expect(detectLanguage(GOOD)).toBe('fz');
    expect(detectLanguage('StartAt: A\n')).toBe('asl');
  });

  test('format: the canonical text, or the text unchanged with its syntax errors', () => {
    const messy = 'a {   # A\nn1: circle    label:"Start"\n}';
    expect(format(messy)).toEqual({ ok: true, value: 'a { # A\n  n1: circle label:"Start"\n}\n', diagnostics: [] });
    const broken = format('a { # A\n  n1: circle label:\n');
    expect(broken.ok).toBe(false);
    expect(broken.value).toBe('a { # A\n  n1: circle label:\n');
  });

  test('render: SVG from text, from a Diagram and from ASL; PNG bytes; undefined on errors', async () => {
    const svg = await render(GOOD, { id: 'one', theme: 'dark' });
    expect(svg.ok).toBe(true);
    expect(svg.value).toMatch(/^<\?xml[^>]*>\s*<svg [^>]*id="one"[^>]*class="fz-diagram fz-theme-dark/);
    const fromDiagram = await render(parse(GOOD).value, { id: 'one', theme: 'dark' });
    expect(fromDiagram.value).toBe(svg.value);
    const down = await render(GOOD, { direction: 'down' });
    expect(down.value).toContain('fz-direction-down');
    expect((await render(ASL)).value).toContain('<svg');
    const png = await render(GOOD, { format: 'png' });
    expect([...png.value!.slice(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    const bad = await render(BAD);
    expect(bad).toMatchObject({ ok: false, value: undefined });
    expect(bad.diagnostics[0]!.code).toBe('unknown-shape');
  });

  test('toAsl and fromAsl: text or values in, values plus diagnostics out', () => {
    const lottery = readFileSync(join(examplesDir, 'lottery.fz'), 'utf8');
    const machine = toAsl(lottery);
    expect(machine.ok).toBe(true);
    expect(machine.value).toHaveProperty('StartAt');
    expect(toAsl(parse(lottery).value).value).toEqual(machine.value);
    expect(toAsl(BAD)).toMatchObject({ ok: false, value: undefined });
    const back = fromAsl(machine.value!);
    expect(back.ok).toBe(true);
    expect(toAsl(back.value!.text).value).toEqual(machine.value);
    expect(fromAsl(ASL).value!.diagram.nodes.length).toBeGreaterThan(0);
    const invalid = fromAsl('{"StartAt": ');
    expect(invalid).toMatchObject({ ok: false, value: undefined });
    expect(invalid.diagnostics[0]!.code).toBe('asl-invalid-input');
  });

  test('hostile input never throws', async () => {
    for (const input of ['', '\0', '{{{{', 'a {', '"', '}'.repeat(1000), '{"States": 3}']) {
      expect(() => parse(input)).not.toThrow();
      expect(() => check(input)).not.toThrow();
      expect(() => format(input)).not.toThrow();
      expect(() => toAsl(input)).not.toThrow();
      expect(() => fromAsl(input)).not.toThrow();
      await expect(render(input)).resolves.toHaveProperty('diagnostics');
    }
  });

  test('a value that is no Diagram, from JavaScript: a diagnostic that says what to pass, no TypeError', async () => {
    // fromAsl gives { diagram, text }: passing that whole to render or toAsl is the likely slip.
    const converted = fromAsl(ASL).value! as unknown as Parameters<typeof render>[0];
    for (const wrong of [converted, {} as Parameters<typeof render>[0], null as unknown as Parameters<typeof render>[0]]) {
      const drawn = await render(wrong);
      expect(drawn).toMatchObject({ ok: false, value: undefined });
      expect(drawn.diagnostics[0]!.message).toMatch(/expected \.fz text or a Diagram/);
      expect(toAsl(wrong)).toMatchObject({ ok: false, value: undefined });
    }
    expect((await render(converted)).diagnostics[0]!.message).toMatch(/pass its `diagram`/);
    expect((await render(fromAsl(ASL).value!.diagram)).ok).toBe(true);
  });
});

describe('the package', () => {
  test('the API, Markdown, remark and browser code is pure: no file system, no process, no threads', () => {
    for (const dir of ['api', 'markdown', 'remark', 'browser']) {
      for (const file of readdirSync(join(repoRoot, 'src', dir))) {
        const code = readFileSync(join(repoRoot, 'src', dir, file), 'utf8');
        expect(code, `src/${dir}/${file}`).not.toMatch(/from 'node:|\bprocess\.|\bBuffer\b/);
      }
    }
    expect(readFileSync(join(repoRoot, 'src', 'index.ts'), 'utf8')).not.toMatch(/from 'node:/);
  });

  test('exports the API, flowlane/remark and the bin; nothing internal', () => {
    const script = `
      const api = await import('flowlane');
      const remark = await import('flowlane/remark');
      const out = { api: Object.keys(api).sort(), remark: typeof remark.default };
      try { await import('flowlane/dist/model/index.js'); out.internal = 'loaded'; } catch (e) { out.internal = e.code; }
      out.bin = import.meta.resolve('flowlane/bin/flowlane.js').endsWith('/bin/flowlane.js');
      console.log(JSON.stringify(out));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: repoRoot, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { api: string[]; remark: string; internal: string; bin: boolean };
    expect(out.api).toEqual(expect.arrayContaining(['check', 'format', 'fromAsl', 'parse', 'render', 'toAsl']));
    expect(out.remark).toBe('function');
    expect(out.internal).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
    expect(out.bin).toBe(true);
  });

  test('type-level: a consumer compiles against the published .d.ts through the exports map', () => {
    const tsc = join(repoRoot, 'node_modules', '.bin', 'tsc');
    let output = '';
    try {
      execFileSync(tsc, ['-p', join('test', 'api', 'fixture', 'tsconfig.json')], { cwd: repoRoot, encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      output = String((e as { stdout?: string }).stdout ?? e);
    }
    expect(output).toBe('');
  });
});
