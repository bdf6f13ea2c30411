// The remark plugin in real unified pipelines: remark-parse -> plugin -> remark-rehype ->
// rehype-stringify (HTML) and remark-parse -> plugin -> remark-stringify (Markdown).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import rehypeStringify from 'rehype-stringify';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import remarkStringify from 'remark-stringify';
import { unified } from 'unified';
import { VFile } from 'vfile';
import { describe, expect, test } from 'vitest';
import remarkFlowlane from '../../src/remark/index.js';
import type { RemarkFlowlaneOptions } from '../../src/remark/index.js';
import { repoRoot } from '../helpers/paths.js';

const guide = readFileSync(join(repoRoot, 'test', 'markdown', 'fixtures', 'guide.md'), 'utf8');
const broken = readFileSync(join(repoRoot, 'test', 'markdown', 'fixtures', 'broken.md'), 'utf8');

function toHtml(markdown: string | VFile, options: RemarkFlowlaneOptions = {}) {
  return unified()
    .use(remarkParse)
    .use(remarkFlowlane, options)
    .use(remarkRehype, { allowDangerousHtml: true })
    .use(rehypeStringify, { allowDangerousHtml: true })
    .process(markdown);
}

describe('remark plugin', () => {
  test('replaces each diagram fence by its inline SVG; other fences stay code', async () => {
    const html = String(await toHtml(guide));
    expect(html.match(/<div class="flowlane-diagram"[^>]*><svg /g)).toHaveLength(3);
    expect(html).not.toContain('language-fz');
    expect(html).not.toContain('language-flowzap');
    // The asl fragment and the js fence are not diagrams.
    expect(html.match(/<code class="language-(asl|js)">/g)).toHaveLength(2);
    // The SVG ids are unique per fence, so the diagrams can share the page.
    const ids = [...html.matchAll(/<svg [^>]*\bid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(3);
    expect(ids).toContain('fz-order');
  });

  test('the theme comes from the options', async () => {
    expect(String(await toHtml(guide, { theme: 'dark' }))).toMatch(/class="fz-diagram fz-theme-dark/);
    expect(String(await toHtml(guide))).toMatch(/class="fz-diagram fz-theme-light/);
  });

  test("output 'img': images with data: URLs, for MDX and pipelines without raw HTML", async () => {
    const html = String(
      await unified().use(remarkParse).use(remarkFlowlane, { output: 'img' }).use(remarkRehype).use(rehypeStringify).process(guide),
    );
    const images = [...html.matchAll(/<img src="data:image\/svg\+xml;base64,([^"]+)" alt="([^"]*)"/g)];
    expect(images).toHaveLength(3);
    expect(Buffer.from(images[0]![1]!, 'base64').toString('utf8')).toMatch(/^<svg /);
    expect(images[0]![2]).toBe('Swimlane diagram: Sales');
  });

  test('through remark-stringify the Markdown holds the SVG blocks', async () => {
    const md = String(await unified().use(remarkParse).use(remarkFlowlane).use(remarkStringify).process(guide));
    expect(md.match(/<div class="flowlane-diagram"/g)).toHaveLength(3);
    expect(md).not.toContain('```fz');
  });

  test('a broken fence fails the build at its place in the Markdown file', async () => {
    const file = new VFile({ path: 'docs/broken.md', value: broken });
    const error = await toHtml(file).then(
      () => undefined,
      (e: unknown) => e as { line?: number; column?: number; message: string; ruleId?: string; source?: string },
    );
    expect(error).toBeDefined();
    expect(error).toMatchObject({ line: 13, column: 9, ruleId: 'unknown-shape', source: 'flowlane' });
    expect(error!.message).toContain('unknown shape `rect`');
  });

  test("onError 'warn': the broken fence stays code and the file carries a warning", async () => {
    const file = new VFile({ path: 'docs/broken.md', value: broken });
    const html = String(await toHtml(file, { onError: 'warn' }));
    expect(html.match(/<svg /g)).toHaveLength(1);
    expect(html).toContain('language-fz');
    expect(file.messages.map((m) => [m.line, m.column, m.ruleId])).toEqual([[13, 9, 'unknown-shape']]);
  });
});
