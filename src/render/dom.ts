// The one place that creates a DOM for SVG: an svgdom window registered with svg.js.
// Input: nothing. Output: a fresh, empty svg.js root element for each call.
// One window serves the process, but every diagram is drawn under a root element of its own that
// is never attached to the window's document, so nothing drawn for one diagram can be found or
// reused by the next (svgdom keeps no index of ids or elements outside the tree). A window per
// diagram cost a tenth of a small diagram's drawing time. svg.js keeps a single registered window,
// which is safe because rendering is synchronous.
// @ts-expect-error svgdom ships no type declarations; we only call createSVGWindow.
import { createSVGWindow } from 'svgdom';
import { SVG, registerWindow } from '@svgdotjs/svg.js';
import type { Svg } from '@svgdotjs/svg.js';
import { SVG_NS, XMLNS_NS, normalizeRoot, serializePlainSvg, xmlSafe } from './xml.js';
import type { SerialAttribute, SerialNode } from './xml.js';

export { xmlSafe } from './xml.js';

/** svgdom keeps an element's attributes in a Set, cheaper to walk than its NamedNodeMap. */
interface SvgdomNode extends SerialNode {
  attrs: Set<SerialAttribute>;
  firstChild: unknown;
}

interface MinimalElement {
  removeAttribute(name: string): void;
  removeAttributeNS(ns: string, name: string): void;
  setAttributeNS(ns: string, name: string, value: string): void;
}

interface SvgdomDocument {
  createElement(name: string): MinimalElement;
  createElementNS(ns: string, name: string): MinimalElement;
}

/** The process's one svgdom window, made at the first drawing. */
let svgWindow: { document: SvgdomDocument } | undefined;

/**
 * An attribute the drawing writes and only the serialiser reads. svgdom makes every attribute a
 * full Node (an event target with its own listener map, child list and attribute set): for the
 * 40,000 attributes of a 1,000-node drawing that was a third of the drawing's time, most of it in
 * the collector. svgdom reads an element's attributes from its `attrs` set by these fields (its
 * getAttribute, its own serialiser, cloneNode), so a record with them stands in for one.
 */
class PlainAttribute implements SerialAttribute {
  readonly prefix = null;
  readonly namespaceURI = null;
  readonly nodeType = 2;
  constructor(
    readonly localName: string,
    public value: string,
    public ownerElement: unknown,
  ) {}
  get name(): string {
    return this.localName;
  }
  get nodeName(): string {
    return this.localName;
  }
  get nodeValue(): string {
    return this.value;
  }
  cloneNode(): PlainAttribute {
    return new PlainAttribute(this.localName, this.value, null);
  }
}

/** Adds an attribute (a plain name, no namespace) that the element does not have yet. */
export function addAttribute(el: object, name: string, value: string): void {
  const node = el as SvgdomNode;
  node.attrs.add(new PlainAttribute(name, value, node));
}

/**
 * A new SVG element, by its plain name. svgdom's document is an SVG document, whose createElement
 * makes SVG elements: the same element as createElementNS, without splitting and checking the name
 * as a qualified one (a third of the cost of making an element). Our names are plain and fixed.
 */
export function createElement(doc: object, name: string): object {
  return (doc as SvgdomDocument).createElement(name);
}

/**
 * A root whose drawing is written and emptied (recycleSvgRoot), with the namespace declaration
 * normalizeRoot left on it. Making a root through svg.js (its element, svg.js's wrapper and the
 * namespace attributes svg.js writes and normalizeRoot takes off) cost a sixth of drawing a small
 * diagram; an emptied root is as fresh as a new one. Taken while a drawing is under way, so a
 * drawing that throws leaves none to reuse.
 */
let spareRoot: { root: Svg; xmlns: SerialAttribute } | undefined;

export function createSvgRoot(): Svg {
  const spare = spareRoot;
  if (spare !== undefined) {
    spareRoot = undefined;
    const attrs = (spare.root.node as unknown as SvgdomNode).attrs;
    attrs.clear();
    attrs.add(spare.xmlns);
    return spare.root;
  }
  svgWindow ??= (createSVGWindow as () => { document: SvgdomDocument })();
  registerWindow(svgWindow as never, svgWindow.document as never);
  const el = svgWindow.document.createElementNS(SVG_NS, 'svg');
  const root = SVG(el as never) as unknown as Svg;
  normalizeRoot(el);
  return root;
}

/** Takes back a root whose tree is written and emptied, for the next drawing (see spareRoot). */
export function recycleSvgRoot(root: Svg): void {
  const node = root.node as unknown as SvgdomNode;
  if (node.firstChild !== null) return;
  const xmlns = [...node.attrs].find((a) => a.localName === 'xmlns' && a.namespaceURI === XMLNS_NS);
  if (xmlns !== undefined) spareRoot = { root, xmlns };
}

/**
 * Serialises the tree under a root made by createSvgRoot. Byte for byte what svgdom's outerHTML writes for
 * our trees (SVG elements only, plain attributes, the default namespace declared on the root),
 * at a third of its cost: svgdom resolves namespace bindings afresh for every element. Anything
 * else (a prefixed or namespaced name, a comment) falls back to svgdom's own serialiser.
 */
export function serializeSvg(root: Svg): string {
  const top = root.node as unknown as SvgdomNode & { outerHTML: string };
  // svgdom's serialiser does not drop what XML forbids: do it on its output.
  return serializePlainSvg(top, (node) => node.attrs) ?? xmlSafe(top.outerHTML);
}
