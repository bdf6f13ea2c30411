// Hostile text must come out as well-formed, script-free SVG: labels, lane labels, edge labels,
// loop text, attribute values and diagram ids. Parsed back with svgdom's XML parser here; the
// browser test parses the same kind of output with Chromium's DOMParser.
import { describe, expect, test } from 'vitest';
// @ts-expect-error svgdom ships no type declarations.
import { createSVGWindow } from 'svgdom';
import { parseDiagram } from '../../src/model/index.js';
import { layout } from '../../src/layout/index.js';
import { renderSvg } from '../../src/render/index.js';

const HOSTILE = [
  '</text><script>alert(1)</script>',
  '<svg onload="alert(1)">',
  'Tom & Jerry &amp; &lt;b&gt; &#x41;',
  'say "hi" and \'bye\'',
  ']]><!-- --> <![CDATA[ x ]]>',
  'javascript:alert(1) url(https://evil.example/x.png)',
  '\u0001\u0002\u0007\u000b\u001f bell and friends \u007f',
  '\ud800 lone surrogate \udc00 and emoji \ud83d\ude00',
  'A'.repeat(10_240),
  ('word '.repeat(2_100)).trim(),
];

/** A .fz string literal for any text: JSON escapes are the language's escapes. */
const lit = (s: string): string => JSON.stringify(s).replace(/\\u007f/g, '\u007f');

function hostileDiagram(text: string): string {
  return [
    `lane_a { # ${text.replace(/[\r\n]/g, ' ').slice(0, 300)}`,
    `n1: circle label:${lit(text)}`,
    `n2: rectangle label:${lit(text)}`,
    `n3: diamond label:${lit(text)}`,
    `n4: taskbox label:${lit(`${text}|${text}`)} owner:${lit(text)} description:${lit(text)} system:${lit(text)}`,
    `n1.handle(right) -> n2.handle(left) [label=${lit(text)}]`,
    `n2.handle(right) -> n3.handle(left)`,
    `n3.handle(bottom) -> n4.handle(top) [label=${lit(text)}]`,
    `loop [${text.replace(/[\]\r\n]/g, ' ').slice(0, 200)}] n1 n2`,
    `}`,
  ].join('\n');
}

function parseXml(svg: string): { ok: boolean; doc: { querySelectorAll(s: string): ArrayLike<{ attributes: ArrayLike<{ name: string; value: string }> }> } } {
  // svgdom parses markup with sax in strict mode: any malformed XML throws.
  const window = createSVGWindow();
  const holder = window.document.createElementNS('http://www.w3.org/2000/svg', 'g');
  try {
    holder.innerHTML = svg.replace(/^<\?xml[^>]*>\s*/, '');
  } catch {
    return { ok: false, doc: holder };
  }
  return { ok: holder.querySelectorAll('svg').length === 1, doc: holder };
}

function assertSafe(svg: string): void {
  // Well-formed XML: no raw '<' or '&' inside text, every tag closed; parsed back without error.
  const parsed = parseXml(svg);
  expect(parsed.ok).toBe(true);
  expect(svg).not.toMatch(/<script/i);
  expect(svg).not.toMatch(/<foreignObject/i);
  // Look only at markup (tags) and the stylesheet: hostile words inside escaped text are harmless.
  const tags = svg.match(/<[A-Za-z][^>]*>/g) ?? [];
  for (const tag of tags) {
    expect(tag).not.toMatch(/\son[a-z]+\s*=/i);
    expect(tag).not.toMatch(/\s(xlink:)?href\s*=/i);
  }
  const style = /<style>([\s\S]*?)<\/style>/.exec(svg)?.[1] ?? '';
  // The only url() references are internal markers and the embedded font.
  for (const m of `${tags.join(' ')} ${style}`.matchAll(/url\(([^)]*)\)/g)) expect(m[1]).toMatch(/^(#[A-Za-z0-9_-]+|data:font\/ttf;base64,[A-Za-z0-9+/=]+)$/);
  expect(style).not.toMatch(/@import|expression\(|javascript:/i);
  // No character XML 1.0 forbids.
  // eslint-disable-next-line no-control-regex
  expect(svg).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/);
  for (const el of Array.from(parsed.doc.querySelectorAll('*'))) {
    for (const a of Array.from(el.attributes)) expect(a.name.toLowerCase().startsWith('on')).toBe(false);
  }
}

describe('hostile labels', () => {
  for (const [i, text] of HOSTILE.entries()) {
    test(`case ${i}: ${JSON.stringify(text.slice(0, 40))}`, async () => {
      const source = hostileDiagram(text);
      const parsed = parseDiagram(source);
      expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const laid = await layout(parsed.value);
      for (const theme of ['light', 'dark', 'auto'] as const) assertSafe(renderSvg(laid, { theme, id: `x${i}` }));
      // Text is bounded however long the label: at most METRICS.maxLines lines per text.
      expect(laid.nodes.every((n) => n.label.lines.length <= 8)).toBe(true);
    });
  }

  test('a hostile diagram id cannot break out of attributes or CSS', async () => {
    const laid = await layout(parseDiagram('a {\nn1: rectangle label:"x"\n}').value);
    const svg = renderSvg(laid, { id: '"><script>alert(1)</script>{}#x' });
    assertSafe(svg);
    expect(svg).toMatch(/<svg[^>]* id="_22__3e__3c_script/);
  });

  test('hostile text in a model built in code (not through the parser)', async () => {
    const d = parseDiagram('a {\nn1: rectangle label:"x"\nn2: rectangle label:"y"\nn1.handle(right) -> n2.handle(left) [label="z"]\n}').value;
    d.lanes[0]!.label = '<script>alert(1)</script>&';
    d.lanes[0]!.id = 'a"b<c';
    d.nodes[0]!.lane = 'a"b<c';
    d.nodes[1]!.lane = 'a"b<c';
    d.lanes[0]!.nodes = ['n1', 'n2'];
    d.nodes[0]!.id = 'n1"><script>';
    d.lanes[0]!.nodes[0] = 'n1"><script>';
    d.edges[0]!.from.node = 'n1"><script>';
    d.edges[0]!.label = '\u0000</text>';
    d.edges[0]!.from.handle = 'left" onclick="x';
    assertSafe(renderSvg(await layout(d)));
  });
});
