// `flowlane md`: golden output for a guide with fences in a block quote and a list, idempotence,
// updates in place, --inline, --out-dir, --check, and a broken fence (file untouched, file.md:line:col).
// The stage (src/markdown) is tested directly; the command through the real bin on temporary files.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { findDiagramFences, processMarkdown } from '../../src/markdown/index.js';
import { repoRoot } from '../helpers/paths.js';

const bin = join(repoRoot, 'bin', 'flowlane.js');
const fixtures = join(repoRoot, 'test', 'markdown', 'fixtures');

function run(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function workspace(fixture: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'flowlane-md-'));
  const file = join(dir, fixture);
  copyFileSync(join(fixtures, fixture), file);
  return { dir, file };
}

const guide = readFileSync(join(fixtures, 'guide.md'), 'utf8');

describe('the Markdown stage', () => {
  test('finds fz, flowzap and asl state-machine fences, not other asl or js fences', () => {
    const found = findDiagramFences(guide);
    expect(found.map((f) => [f.info.language, f.info.id ?? null, f.node.position!.start.line])).toEqual([
      ['fz', 'order', 5],
      ['fz', null, 15],
      ['asl', null, 23],
    ]);
  });

  test('golden: one reference after each fence, container prefixes kept', async () => {
    const out = await processMarkdown(guide);
    expect(out.ok).toBe(true);
    await expect(out.text).toMatchFileSnapshot('golden/guide.md');
    expect(out.assets.map((a) => a.name)).toEqual(['order.svg', expect.stringMatching(/^fz-[0-9a-f]{16}\.svg$/), expect.stringMatching(/^fz-[0-9a-f]{16}\.svg$/)]);
    for (const a of out.assets) expect(a.svg).toMatch(/^<svg [^>]*id="fz-/);
  });

  test('idempotent: a second run changes nothing and reports every fence up to date', async () => {
    const first = await processMarkdown(guide);
    const second = await processMarkdown(first.text);
    expect(second.text).toBe(first.text);
    expect(second.fences.every((f) => f.upToDate)).toBe(true);
    expect(second.assets).toEqual(first.assets);
  });

  test('editing a diagram updates its reference in place (no second image)', async () => {
    const first = (await processMarkdown(guide)).text;
    const edited = first.replace('n1: rectangle label:"Ship"', 'n1: rectangle label:"Ship it"');
    const second = await processMarkdown(edited);
    expect(second.fences[1]!.upToDate).toBe(false);
    const again = await processMarkdown(second.text);
    expect(again.text).toBe(second.text);
    expect(second.text.match(/!\[/g)).toHaveLength(3);
    expect(second.text).not.toContain(first.match(/\(fz-[0-9a-f]{16}\.svg\)/)![0]);
  });

  test('--inline embeds each SVG after its fence, idempotently', async () => {
    const out = await processMarkdown(guide, { inline: true });
    expect(out.assets).toEqual([]);
    expect(out.text.match(/<div class="flowlane-diagram"/g)).toHaveLength(3);
    expect(out.text).not.toMatch(/\n[ >]*\n[^\n]*<svg[\s\S]*?\n\s*\n[\s\S]*?<\/svg>/);
    expect((await processMarkdown(out.text, { inline: true })).text).toBe(out.text);
    // Switching back to files replaces the inline SVG by a reference.
    expect((await processMarkdown(out.text)).text).toBe((await processMarkdown(guide)).text);
  });

  test('a broken fence: text unchanged, no assets, the mistake at its place in the Markdown file', async () => {
    const text = readFileSync(join(fixtures, 'broken.md'), 'utf8');
    const out = await processMarkdown(text);
    expect(out.ok).toBe(false);
    expect(out.text).toBe(text);
    expect(out.assets).toEqual([]);
    const error = out.diagnostics.find((d) => d.severity === 'error')!;
    expect(error.code).toBe('unknown-shape');
    expect([error.range.start.line + 1, error.range.start.character + 1]).toEqual([13, 9]);
  });

  test('fence-line mistakes: a bad id, two diagrams with one id, an unclosed fence', async () => {
    const bad = await processMarkdown('```fz id=../x\na { # A\n  n1: circle\n}\n```\n');
    expect(bad.diagnostics[0]).toMatchObject({ code: 'markdown-fence', range: { start: { line: 0, character: 0 } } });
    const dup = await processMarkdown('```fz id=x\na { # A\n  n1: circle\n}\n```\n\n```fz id=x\nb { # B\n  n1: circle\n}\n```\n');
    expect(dup.ok).toBe(false);
    expect(dup.diagnostics.map((d) => d.range.start.line)).toEqual([6]);
    const open = await processMarkdown('text\n\n```fz\na { # A\n  n1: circle\n}\n');
    expect(open.ok).toBe(false);
    expect(open.text).toBe('text\n\n```fz\na { # A\n  n1: circle\n}\n');
  });
});

describe('flowlane md', () => {
  test('writes the SVGs beside the file, then a re-run writes nothing; --check passes', () => {
    const { dir, file } = workspace('guide.md');
    const first = run(['md', 'guide.md'], dir);
    expect(first.stderr).toContain('updated guide.md');
    expect(first.code).toBe(0);
    const svgs = readdirSync(dir).filter((f) => f.endsWith('.svg')).sort();
    expect(svgs).toHaveLength(3);
    expect(svgs).toContain('order.svg');
    const text = readFileSync(file, 'utf8');
    const times = svgs.map((s) => statSync(join(dir, s)).mtimeMs);
    const second = run(['md', 'guide.md'], dir);
    expect(second.code).toBe(0);
    expect(second.stderr).toBe('');
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(svgs.map((s) => statSync(join(dir, s)).mtimeMs)).toEqual(times);
    expect(run(['md', '--check', 'guide.md'], dir).code).toBe(0);
    // A stale image and a missing one both fail the check.
    writeFileSync(join(dir, 'order.svg'), '<svg/>');
    const stale = run(['md', '--check', 'guide.md'], dir);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toContain('order.svg: stale');
    // Editing the diagram with an id rewrites its image in place; the reference stays as it is.
    const edited = text.replace('label:"Take order"', 'label:"Take the order"');
    writeFileSync(file, edited);
    expect(run(['md', 'guide.md'], dir).code).toBe(0);
    expect(readFileSync(join(dir, 'order.svg'), 'utf8')).toContain('Take the order');
    expect(readFileSync(file, 'utf8')).toBe(edited);
  });

  test('--check on a file never rendered exits 1 and writes nothing', () => {
    const { dir, file } = workspace('guide.md');
    const r = run(['md', '--check', 'guide.md'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^guide\.md:5: the image reference after this fence is missing or stale/m);
    expect(readFileSync(file, 'utf8')).toBe(guide);
    expect(readdirSync(dir)).toEqual(['guide.md']);
  });

  test('--out-dir: images there, references relative to the Markdown file', () => {
    const { dir, file } = workspace('guide.md');
    expect(run(['md', '--out-dir', 'img/diagrams', 'guide.md'], dir).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('](img/diagrams/order.svg)');
    expect(existsSync(join(dir, 'img', 'diagrams', 'order.svg'))).toBe(true);
  });

  test('two files giving one id to different diagrams: the second is refused, left unchanged', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowlane-md-'));
    const page = (label: string): string => `\`\`\`fz id=x\na { # A\n  n1: circle label:"${label}"\n}\n\`\`\`\n`;
    writeFileSync(join(dir, 'one.md'), page('One'));
    writeFileSync(join(dir, 'two.md'), page('Two'));
    const r = run(['md', 'one.md', 'two.md'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('flowlane: two.md: x.svg is also the image of a different diagram in one.md');
    expect(readFileSync(join(dir, 'two.md'), 'utf8')).toBe(page('Two'));
    expect(readFileSync(join(dir, 'x.svg'), 'utf8')).toContain('One');
  });

  test('a broken fence leaves the file untouched and reports file.md:line:col; exit 1', () => {
    const { dir, file } = workspace('broken.md');
    const r = run(['md', 'broken.md'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^broken\.md:13:9: error: unknown shape `rect`/m);
    expect(readFileSync(file, 'utf8')).toBe(readFileSync(join(fixtures, 'broken.md'), 'utf8'));
    expect(readdirSync(dir)).toEqual(['broken.md']);
  });
});

describe('flowlane md after a diagram changes', () => {
  test('removes the hash-named image it wrote before, and keeps id-named and shared ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowlane-md-old-'));
    const fence = (label: string, info = 'fz') => `\`\`\`${info}\na { # A\n  n1: circle label:"${label}"\n}\n\`\`\`\n`;
    writeFileSync(join(dir, 'p.md'), `# P\n\n${fence('One')}\n${fence('Named', 'fz id=named')}\n`);
    writeFileSync(join(dir, 'q.md'), `# Q\n\n${fence('Two')}`);
    expect(run(['md', 'p.md', 'q.md'], dir).code).toBe(0);
    const before = readdirSync(dir).filter((f) => f.endsWith('.svg')).sort();
    expect(before).toHaveLength(3);
    // p.md's first diagram now reads "Two": its old image goes; q.md's image (the same picture) stays.
    writeFileSync(join(dir, 'p.md'), readFileSync(join(dir, 'p.md'), 'utf8').replace('"One"', '"Two"').replace('"Named"', '"Renamed"'));
    const r = run(['md', 'p.md', 'q.md'], dir);
    expect(r.code).toBe(0);
    const after = readdirSync(dir).filter((f) => f.endsWith('.svg')).sort();
    expect(after).toHaveLength(2);
    expect(after).toContain('named.svg');
    const page = readFileSync(join(dir, 'p.md'), 'utf8');
    for (const svg of after.filter((f) => f !== 'named.svg')) expect(page).toContain(`](${svg})`);
    expect(r.stderr).toMatch(/removed .*fz-[0-9a-f]{16}\.svg/);
  });
});
