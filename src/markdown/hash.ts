// FNV-1a, 64 bits, over the UTF-8 bytes of a string. Input: text. Output: 16 hex digits.
// Written out rather than taken from node:crypto so that the Markdown stage and the remark plugin
// stay free of Node built-ins (they may run in a browser-side MDX build).

const OFFSET = 0xcbf29ce484222325n;
const PRIME = 0x100000001b3n;
const MASK = 0xffffffffffffffffn;

export function fnv1a64(text: string): string {
  let h = OFFSET;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= BigInt(byte);
    h = (h * PRIME) & MASK;
  }
  return h.toString(16).padStart(16, '0');
}
