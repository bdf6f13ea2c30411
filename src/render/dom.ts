// The one place that creates a DOM for SVG: an svgdom window registered with svg.js.
// Input: nothing. Output: a fresh, empty svg.js root document for each call.
// A new window per diagram keeps renders independent (no element or id leaks from one to the next);
// svg.js itself keeps a single registered window, which is safe because rendering is synchronous.
// @ts-expect-error svgdom ships no type declarations; we only call createSVGWindow.
import { createSVGWindow } from 'svgdom';
import { SVG, registerWindow } from '@svgdotjs/svg.js';
import type { Svg } from '@svgdotjs/svg.js';
import { normalizeRoot, serializePlainSvg, xmlSafe } from './xml.js';
import type { SerialAttribute, SerialNode } from './xml.js';

export { xmlSafe } from './xml.js';

/** svgdom keeps an element's attributes in a Set, cheaper to walk than its NamedNodeMap. */
interface SvgdomNode extends SerialNode {
  attrs: Set<SerialAttribute>;
}

interface MinimalElement {
  removeAttribute(name: string): void;
  removeAttributeNS(ns: string, name: string): void;
  setAttributeNS(ns: string, name: string, value: string): void;
}

export function createSvgRoot(): Svg {
  const window = (createSVGWindow as () => { document: { documentElement: MinimalElement } })();
  registerWindow(window as never, window.document as never);
  const el = window.document.documentElement;
  const root = SVG(el as never) as unknown as Svg;
  normalizeRoot(el);
  return root;
}

/**
 * Serialises the document made by createSvgRoot. Byte for byte what svgdom's outerHTML writes for
 * our trees (SVG elements only, plain attributes, the default namespace declared on the root),
 * at a third of its cost: svgdom resolves namespace bindings afresh for every element. Anything
 * else (a prefixed or namespaced name, a comment) falls back to svgdom's own serialiser.
 */
export function serializeSvg(root: Svg): string {
  const top = root.node as unknown as SvgdomNode & { outerHTML: string };
  // svgdom's serialiser does not drop what XML forbids: do it on its output.
  return serializePlainSvg(top, (node) => node.attrs) ?? xmlSafe(top.outerHTML);
}
