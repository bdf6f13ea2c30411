// The one place that creates a DOM for SVG: an svgdom window registered with svg.js.
// Input: nothing. Output: a fresh, empty svg.js root document for each call.
// A new window per diagram keeps renders independent (no element or id leaks from one to the next);
// svg.js itself keeps a single registered window, which is safe because rendering is synchronous.
// @ts-expect-error svgdom ships no type declarations; we only call createSVGWindow.
import { createSVGWindow } from 'svgdom';
import { SVG, registerWindow } from '@svgdotjs/svg.js';
import type { Svg } from '@svgdotjs/svg.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

interface MinimalElement {
  removeAttribute(name: string): void;
  removeAttributeNS(ns: string, name: string): void;
  setAttributeNS(ns: string, name: string, value: string): void;
}

export function createSvgRoot(): Svg {
  const window = (createSVGWindow as () => { document: { documentElement: MinimalElement } })();
  registerWindow(window, window.document);
  const el = window.document.documentElement;
  const root = SVG(el as never) as unknown as Svg;
  // svg.js writes `xmlns` as a plain attribute, which svgdom's (correctly strict) XML serialiser
  // refuses; declare the namespace as a namespace attribute instead, and drop the unused xlink one.
  el.removeAttribute('xmlns');
  el.removeAttributeNS(XMLNS_NS, 'xlink');
  el.removeAttribute('xmlns:xlink');
  el.removeAttribute('version');
  el.setAttributeNS(XMLNS_NS, 'xmlns', SVG_NS);
  return root;
}
