// The SVG serialiser, shared by the svgdom document (render/dom.ts, Node) and the page's own DOM
// (browser/dom.ts): the same walk and the same escapes on both, so the two write the same bytes.
// Input: the root element of a tree made by svg.js. Output: its XML text, or undefined when the tree
// holds something this walk does not write (the caller then falls back to its DOM's own serialiser).

export const SVG_NS = 'http://www.w3.org/2000/svg';
export const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

/** Removes characters XML 1.0 forbids (control characters, lone surrogates, U+FFFE/FFFF). */
export function xmlSafe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '');
}

// Every value reaches the document through these two, so none can make it ill-formed: characters
// XML 1.0 forbids (controls, lone surrogates, U+FFFE/FFFF) are dropped, markup characters escaped,
// and a carriage return is written as a reference (a raw CR in a text node ends the HTML block of
// an SVG inlined in Markdown). In attributes, tab and newline are references too, so that an XML
// parser's attribute normalisation does not turn them into spaces.
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /[&<>"\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff\ud800-\udfff]/;
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE_IN_ATTRIBUTE = /[&<>"\t\n\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff\ud800-\udfff]/;
// The stylesheet (some 25 kB with its embedded font) is the same text in render after render, and
// escaping it took as long as writing the rest of a small diagram: the last long one is kept.
let lastLong: { text: string; escaped: string } | undefined;
function escapeText(s: string): string {
  if (s.length < 4096) return escapeUncached(s);
  if (lastLong?.text !== s) lastLong = { text: s, escaped: escapeUncached(s) };
  return lastLong.escaped;
}
function escapeUncached(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return s;
  return xmlSafe(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/\r/g, '&#13;');
}
function escapeAttribute(s: string): string {
  if (!NEEDS_ESCAPE_IN_ATTRIBUTE.test(s)) return s;
  return escapeText(s).replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
}

/** An attribute as both DOMs give it. */
export interface SerialAttribute {
  localName: string;
  prefix: string | null;
  namespaceURI: string | null;
  value: string;
}

/** A node as both DOMs give it; how to list an element's attributes differs, so it is passed in. */
export interface SerialNode {
  nodeType: number;
  data?: string;
  localName?: string;
  namespaceURI?: string | null;
  prefix?: string | null;
  childNodes?: ArrayLike<SerialNode> & Iterable<SerialNode>;
}

/** Thrown inside the walk when the tree holds something only a DOM's own serialiser handles. */
class NotPlain extends Error {}

/**
 * Writes a tree of SVG elements with plain attributes and the default namespace declared on the
 * root (what svg.js makes for svg.ts); undefined for anything else (a prefixed or namespaced name,
 * a comment).
 */
export function serializePlainSvg<N extends SerialNode>(top: N, attributesOf: (node: N) => Iterable<SerialAttribute>): string | undefined {
  // One string grown in place: V8 keeps it as a rope and flattens it once, cheaper than an array of
  // small pieces joined at the end.
  let out = '';
  const element = (node: N, isRoot: boolean): void => {
    if (node.namespaceURI !== SVG_NS || node.prefix) throw new NotPlain();
    const name = node.localName!;
    out += isRoot ? `<${name} xmlns="${SVG_NS}"` : `<${name}`;
    for (const a of attributesOf(node)) {
      if (a.namespaceURI === XMLNS_NS && a.prefix === null && a.localName === 'xmlns' && isRoot) continue;
      if (a.namespaceURI !== null || a.prefix !== null) throw new NotPlain();
      out += ` ${a.localName}="${escapeAttribute(String(a.value))}"`;
    }
    out += '>';
    for (const c of node.childNodes as Iterable<N>) {
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
    if (e instanceof NotPlain) return undefined;
    throw e;
  }
}

/** The attribute calls rootElement needs: svgdom's elements and the page's alike. */
interface RootElement {
  removeAttribute(name: string): void;
  removeAttributeNS(ns: string, name: string): void;
  setAttributeNS(ns: string, name: string, value: string): void;
}

/**
 * Sets up the root `<svg>` element the same way on the server and in a page: svg.js writes `xmlns`
 * as a plain attribute, which a strict XML serialiser refuses, so the namespace is declared as a
 * namespace attribute instead, and the unused xlink declaration and `version` are dropped.
 */
export function normalizeRoot(el: RootElement): void {
  el.removeAttribute('xmlns');
  el.removeAttributeNS(XMLNS_NS, 'xlink');
  el.removeAttribute('xmlns:xlink');
  el.removeAttribute('version');
  el.setAttributeNS(XMLNS_NS, 'xmlns', SVG_NS);
}
