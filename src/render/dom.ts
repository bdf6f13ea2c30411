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

interface SerialNode {
  nodeType: number;
  data?: string;
  localName?: string;
  namespaceURI?: string | null;
  prefix?: string | null;
  attrs?: Set<{ localName: string; prefix: string | null; namespaceURI: string | null; value: string }>;
  childNodes?: SerialNode[];
}

/** Removes characters XML 1.0 forbids (control characters, lone surrogates, U+FFFE/FFFF). */
export function xmlSafe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '');
}

/** Thrown inside serializeSvg when the tree holds something only svgdom's serialiser handles. */
class NotPlain extends Error {}

// Every value reaches the document through these two, so none can make it ill-formed: characters
// XML 1.0 forbids (controls, lone surrogates, U+FFFE/FFFF) are dropped, markup characters escaped,
// and a carriage return is written as a reference (a raw CR in a text node ends the HTML block of
// an SVG inlined in Markdown). In attributes, tab and newline are references too, so that an XML
// parser's attribute normalisation does not turn them into spaces.
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /[&<>"\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff\ud800-\udfff]/;
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE_IN_ATTRIBUTE = /[&<>"\t\n\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff\ud800-\udfff]/;
function escapeText(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return s;
  return xmlSafe(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/\r/g, '&#13;');
}
function escapeAttribute(s: string): string {
  if (!NEEDS_ESCAPE_IN_ATTRIBUTE.test(s)) return s;
  return escapeText(s).replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
}

/**
 * Serialises the document made by createSvgRoot. Byte for byte what svgdom's outerHTML writes for
 * our trees (SVG elements only, plain attributes, the default namespace declared on the root),
 * at a third of its cost: svgdom resolves namespace bindings afresh for every element. Anything
 * else (a prefixed or namespaced name, a comment) falls back to svgdom's own serialiser.
 */
export function serializeSvg(root: Svg): string {
  const top = root.node as unknown as SerialNode & { outerHTML: string };
  // One string grown in place: V8 keeps it as a rope and flattens it once, cheaper than an array of
  // small pieces joined at the end.
  let out = '';
  const element = (node: SerialNode, isRoot: boolean): void => {
    if (node.namespaceURI !== SVG_NS || node.prefix) throw new NotPlain();
    const name = node.localName!;
    out += isRoot ? `<${name} xmlns="${SVG_NS}"` : `<${name}`;
    for (const a of node.attrs!) {
      if (a.namespaceURI === XMLNS_NS && a.prefix === null && a.localName === 'xmlns' && isRoot) continue;
      if (a.namespaceURI !== null || a.prefix !== null) throw new NotPlain();
      out += ` ${a.localName}="${escapeAttribute(String(a.value))}"`;
    }
    out += '>';
    for (const c of node.childNodes!) {
      if (c.nodeType === 3) out += escapeText(c.data!);
      else if (c.nodeType === 1) element(c, false);
      else throw new NotPlain();
    }
    out += `</${name}>`;
  };
  try {
    element(top, true);
    return out;
  } catch (e) {
    // svgdom's serialiser does not drop what XML forbids: do it on its output.
    if (e instanceof NotPlain) return xmlSafe(top.outerHTML);
    throw e;
  }
}
