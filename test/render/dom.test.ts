// The SVG serialiser of dom.ts writes exactly what svgdom's own serialiser writes, for plain trees
// (the fast path) and for trees it hands back to svgdom (a comment).
import { describe, expect, test } from 'vitest';
import { createSvgRoot, serializeSvg } from '../../src/render/dom.js';

describe('serializeSvg', () => {
  test('equals svgdom outerHTML, escapes included', () => {
    const root = createSvgRoot();
    root.attr({ id: 'a"b', class: 'x & y' });
    const g = root.group().attr({ 'data-id': '<n1>' });
    g.element('text').words('</text><script>alert("1")</script> & \'q\'');
    g.element('rect').attr({ x: '1', y: '2.5' });
    const outer = (root.node as unknown as { outerHTML: string }).outerHTML;
    expect(serializeSvg(root)).toBe(outer);
    expect(outer).not.toContain('<script>');
  });

  test('anything beyond plain elements and text goes through svgdom', () => {
    const root = createSvgRoot();
    const node = root.node as unknown as { appendChild(n: unknown): void; ownerDocument: { createComment(t: string): unknown }; outerHTML: string };
    node.appendChild(node.ownerDocument.createComment('c'));
    expect(serializeSvg(root)).toBe(node.outerHTML);
  });
});
