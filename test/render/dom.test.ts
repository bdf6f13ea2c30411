// The SVG serialiser of dom.ts writes exactly what svgdom's own serialiser writes, for plain trees
// (the fast path) and for trees it hands back to svgdom (a comment).
import { describe, expect, test } from 'vitest';
import { addAttribute, createElement, createSvgRoot, recycleSvgRoot, serializeSvg } from '../../src/render/dom.js';
import { parseDiagram } from '../../src/model/index.js';
import { layout } from '../../src/layout/index.js';
import { renderSvg } from '../../src/render/index.js';

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

  test('attributes added with addAttribute read in svgdom as its own do', () => {
    type El = { appendChild(n: unknown): void; getAttribute(n: string): string | null; cloneNode(deep: boolean): El; outerHTML: string; ownerDocument: { createElementNS(ns: string, n: string): El; createComment(t: string): unknown } };
    const plain = createSvgRoot();
    const own = createSvgRoot();
    for (const [root, add] of [
      [plain, (el: El, k: string, v: string) => addAttribute(el, k, v)],
      [own, (el: El, k: string, v: string) => (el as unknown as { setAttribute(k: string, v: string): void }).setAttribute(k, v)],
    ] as const) {
      const top = root.node as unknown as El;
      const g = top.ownerDocument.createElementNS('http://www.w3.org/2000/svg', 'g');
      add(g, 'data-id', 'a<b & "c"');
      add(g, 'class', 'fz-node');
      top.appendChild(g);
    }
    const [p, o] = [plain.node, own.node] as unknown as [El, El];
    const pg = (p as unknown as { firstChild: El }).firstChild;
    expect(pg.getAttribute('data-id')).toBe('a<b & "c"');
    expect(pg.getAttribute('class')).toBe('fz-node');
    expect(serializeSvg(plain)).toBe(serializeSvg(own));
    expect(p.outerHTML).toBe(o.outerHTML);
    expect(p.cloneNode(true).outerHTML).toBe(o.outerHTML);
    // svgdom's own serialiser (a tree with a comment) writes them too.
    p.appendChild(p.ownerDocument.createComment('c'));
    o.appendChild(o.ownerDocument.createComment('c'));
    expect(serializeSvg(plain)).toBe(serializeSvg(own));
    expect(serializeSvg(plain)).toContain('data-id="a&lt;b &amp; &quot;c&quot;"');
  });

  test('createElement makes the element createElementNS makes', () => {
    type El = { namespaceURI: string | null; localName: string; prefix: string | null; nodeName: string; constructor: unknown; ownerDocument: { createElementNS(ns: string, n: string): El } };
    const doc = (createSvgRoot().node as unknown as El).ownerDocument;
    for (const name of ['g', 'rect', 'text', 'tspan', 'path', 'title', 'marker']) {
      const fast = createElement(doc, name) as El;
      const full = doc.createElementNS('http://www.w3.org/2000/svg', name);
      expect([fast.namespaceURI, fast.localName, fast.prefix, fast.nodeName, fast.constructor]).toEqual([full.namespaceURI, full.localName, full.prefix, full.nodeName, full.constructor]);
    }
  });

  test('each root stands alone: nothing drawn under one is found from the next', () => {
    type El = { appendChild(n: unknown): void; parentNode: unknown; ownerDocument: { getElementById(id: string): unknown; documentElement: { childNodes: unknown[] } } };
    const first = createSvgRoot();
    first.attr({ id: 'one' });
    const top = first.node as unknown as El;
    const g = createElement(top.ownerDocument, 'g') as El;
    addAttribute(g, 'id', 'inner');
    top.appendChild(g);
    const second = createSvgRoot();
    const next = second.node as unknown as El;
    expect(next).not.toBe(top);
    expect(next.parentNode).toBeNull();
    expect(next.ownerDocument.getElementById('one')).toBeNull();
    expect(next.ownerDocument.getElementById('inner')).toBeNull();
    expect(serializeSvg(second)).not.toContain('one');
  });

  test('a recycled root comes back as fresh as a new one, and only once it is emptied', () => {
    const first = createSvgRoot();
    first.attr({ id: 'one', class: 'x', width: '10' });
    const top = first.node as unknown as { appendChild(n: unknown): void; removeChild(n: unknown): void; firstChild: unknown; ownerDocument: object };
    const g = createElement(top.ownerDocument, 'g');
    top.appendChild(g);
    recycleSvgRoot(first);
    // Not emptied: not taken back.
    expect(createSvgRoot()).not.toBe(first);
    top.removeChild(g);
    recycleSvgRoot(first);
    const again = createSvgRoot();
    expect(again).toBe(first);
    expect(serializeSvg(again)).toBe(serializeSvg(createSvgRoot()));
    expect(serializeSvg(again)).toBe('<svg xmlns="http://www.w3.org/2000/svg"></svg>');
    // Taken: the next root is another one.
    expect(createSvgRoot()).not.toBe(again);
  });

  test('drawings in a row, and one after a drawing that failed, write what a first drawing writes', async () => {
    const a = await layout(parseDiagram('a { # A\n  n1: circle label:"Start"\n  n2: rectangle label:"Step"\n  n1.handle(right) -> n2.handle(left)\n}').value);
    const b = await layout(parseDiagram('b { # B\n  m1: diamond label:"Choose?"\n}').value);
    const firstA = renderSvg(a, { id: 'a' });
    const firstB = renderSvg(b, { id: 'b' });
    expect(renderSvg(a, { id: 'a' })).toBe(firstA);
    expect(firstB).not.toContain('n1');
    // A drawing that throws halfway leaves its root behind, unrecycled.
    const broken = { ...a, nodes: [{ ...a.nodes[0]!, box: undefined }] } as unknown as typeof a;
    expect(() => renderSvg(broken, { id: 'a' })).toThrow();
    expect(renderSvg(b, { id: 'b' })).toBe(firstB);
    expect(renderSvg(a, { id: 'a' })).toBe(firstA);
  });
});
