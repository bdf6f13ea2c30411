// Every SVG is well-formed XML, whatever the labels, types and attribute values hold: control
// characters, U+FFFE, lone surrogates, quotes, markup, carriage returns. Checked with a strict XML
// parser (sax, strict mode) plus the XML 1.0 Char production, which sax does not enforce, on the
// examples and on fast-check-generated diagrams with hostile strings everywhere a string can go.
// Also: Markdown alt text cannot open raw HTML, and an inline SVG holds no raw CR.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import sax from 'sax';
import { describe, expect, test } from 'vitest';
import { render } from '../../src/api/index.js';
import { processMarkdown } from '../../src/markdown/index.js';
import { parseDiagram } from '../../src/model/index.js';
import { repoRoot } from '../helpers/paths.js';

// Characters outside XML 1.0's Char production (lone surrogates included).
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Throws unless `svg` is well-formed XML with a single `svg` root. */
function expectWellFormed(svg: string): void {
  expect(NOT_XML.exec(svg)?.[0]).toBeUndefined();
  const parser = sax.parser(true);
  let error: Error | undefined;
  let roots = 0;
  let depth = 0;
  parser.onerror = (e) => {
    error ??= e;
    parser.resume();
  };
  parser.onopentag = (tag) => {
    if (depth++ === 0) {
      roots++;
      expect(tag.name).toBe('svg');
    }
  };
  parser.onclosetag = () => {
    depth--;
  };
  parser.write(svg).close();
  expect(error?.message).toBeUndefined();
  expect(roots).toBe(1);
}

describe('the examples', () => {
  const files = readdirSync(join(repoRoot, 'examples')).filter((f) => f.endsWith('.fz'));
  test.each(files)('%s renders to well-formed XML', async (file) => {
    const r = await render(readFileSync(join(repoRoot, 'examples', file), 'utf8'), { embedFont: false });
    expect(r.ok).toBe(true);
    expectWellFormed(r.value!);
  });
});

// Any UTF-16 code units, so lone surrogates and U+FFFE come up, plus the characters that matter most.
const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom('x\u0000y', '\r\r', 'a\rb', '"', "'", '<b>', '&amp;', ']]>', '\ufffe', '\ud800', '\udc00x', '\t\n', '<!--', '--', '\u2028'),
);

/** `.fz` text whose every string comes from `strings`, written as JSON escapes so that any code unit fits. */
function diagramText(s: string[]): string {
  const q = (i: number): string => JSON.stringify(s[i % s.length] ?? '');
  return [
    `a { # ${(s[0] ?? '').replace(/[\r\n\u2028\u2029]/g, ' ')}`,
    `  n1: circle label:${q(1)}`,
    `  n2: rectangle label:${q(2)} Type:${q(3)} Comment:${q(4)}`,
    `  n3: diamond label:${q(5)}`,
    `  n4: taskbox label:${q(6)}`,
    `  n1.handle(right) -> n2.handle(left) [label=${q(7)}]`,
    `  n2.handle(right) -> n3.handle(left) [label=${q(8)}]`,
    `  n3.handle(bottom) -> b.n5.handle(top)`,
    `  loop [${(s[9] ?? '').replace(/[\]\r\n\u2028\u2029]/g, ' ')}] n2 n3`,
    '}',
    `b { # ${(s[10] ?? '').replace(/[\r\n\u2028\u2029]/g, ' ')}`,
    `  n5: rectangle label:${q(11)}`,
    '}',
    '',
  ].join('\n');
}

describe('generated diagrams with hostile strings', () => {
  test('every SVG is well-formed, in both directions, also where check reports the strings', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(hostile, { minLength: 12, maxLength: 12 }), fc.constantFrom('right' as const, 'down' as const), async (strings, direction) => {
        const parsed = parseDiagram(diagramText(strings));
        // A Diagram is drawn as it is, errors or not: the renderer alone must keep the XML intact.
        const r = await render(parsed.value, { direction, embedFont: false });
        expect(r.ok).toBe(true);
        expectWellFormed(r.value!);
      }),
      { numRuns: 150, seed: 17 },
    );
  }, 120_000);

  test('a Type with a control character is reported by check and drawn without it', async () => {
    const text = 'a { # A\n  n1: rectangle label:"S" Type:"x\\u0000y"\n}\n';
    const parsed = parseDiagram(text);
    expect(parsed.diagnostics.map((d) => `${d.code} ${d.range.start.line}:${d.range.start.character}`)).toContain('invalid-attribute-value 1:31');
    const r = await render(parsed.value, { embedFont: false });
    expect(r.value).toContain('data-type="xy"');
    expectWellFormed(r.value!);
  });

  test('tabs, newlines and carriage returns in attribute values survive as references', async () => {
    const parsed = parseDiagram('a { # A\n  n1: rectangle label:"S" Type:"a\\tb\\nc\\rd"\n}\n');
    const r = await render(parsed.value, { embedFont: false });
    expect(r.value).toContain('data-type="a&#9;b&#10;c&#13;d"');
  });
});

describe('Markdown', () => {
  test('alt text cannot open raw HTML, close the image or start code', async () => {
    const md = "# Page\n\n```fz\nx { # <b title='\" onload=\"alert(1)//'>x</b> [a] `c` &amp; *e*\n  n1: circle label:\"Start\"\n}\n```\n";
    const out = await processMarkdown(md, { imagePrefix: 'img/' });
    const image = /!\[(.*)\]\(img\//.exec(out.text)?.[1];
    expect(image).toBeDefined();
    // Every markup character is backslash-escaped; no unescaped `<`, `[`, `]`, backtick or `&` is left.
    expect(image!.replace(/\\./g, '')).not.toMatch(/[<>[\]`&*_]/);
    expect(image).toContain("\\<b title='\" onload=\"alert(1)//'\\>x\\</b\\>");
  });

  test('an inline SVG holds no raw carriage return, so the HTML block does not end inside it', async () => {
    const md = '# Page\n\n```fz\nx { # X\n  n1: rectangle label:"one\\r\\rtwo"\n}\n```\n';
    const out = await processMarkdown(md, { inline: true });
    expect(out.text).toContain('<svg');
    expect(out.text).not.toContain('\r');
    const block = out.text.slice(out.text.indexOf('<div'), out.text.lastIndexOf('</div>'));
    // CommonMark ends an HTML block at a blank line.
    expect(block).not.toMatch(/\n[ \t]*\n/);
  });
});
