// The browser's stand-in for src/render/dom.ts (swapped in when the browser bundle is built, see
// scripts/build-browser.mjs): svg.js draws into an element of the page's own DOM instead of an
// svgdom window, and the same serialiser as on the server writes it, so the bytes are the same.
// Input: nothing. Output: a fresh, empty svg.js root for each call, never attached to the page.
import { SVG, registerWindow } from '@svgdotjs/svg.js';
import type { Svg } from '@svgdotjs/svg.js';
import { SVG_NS, normalizeRoot, serializePlainSvg, xmlSafe } from '../render/xml.js';
import type { SerialNode } from '../render/xml.js';

export { xmlSafe } from '../render/xml.js';

/** Adds an attribute (a plain name, no namespace) that the element does not have yet. */
export function addAttribute(el: object, name: string, value: string): void {
  (el as Element).setAttribute(name, value);
}

/** A new SVG element, by its plain name (an XML document's createElement would make it in no namespace). */
export function createElement(doc: object, name: string): object {
  return (doc as Document).createElementNS(SVG_NS, name);
}

export function createSvgRoot(): Svg {
  // A document of its own per diagram, like the server's detached root element: nothing drawn for one
  // diagram can be found or reused by the next, and the page's document is never touched.
  const doc = document.implementation.createDocument(SVG_NS, 'svg', null);
  registerWindow(window, doc);
  const el = doc.documentElement;
  const root = SVG(el) as Svg;
  normalizeRoot(el);
  return root;
}

/** Each diagram keeps a document of its own (createSvgRoot): there is nothing to take back. */
export function recycleSvgRoot(_root: Svg): void {}

/** Serialises the document made by createSvgRoot: the walk of render/xml.ts over the DOM's attributes. */
export function serializeSvg(root: Svg): string {
  const top = root.node as unknown as Element & SerialNode;
  return serializePlainSvg(top, (node) => (node as unknown as Element).attributes) ?? xmlSafe(new XMLSerializer().serializeToString(top));
}
