// Where a path of a JSON document is in its text, without a second parse into a YAML tree.
// Input: JSON text (already known to be valid and within the depth limit). Output: for a path, the
// offsets of the deepest value found on it: from the member's key to the end of its value, as the
// YAML locator gives them. One linear scan, done on the first question; no recursion.
import type { JsonPath } from './types.js';

interface Slot {
  /** The member's key (its opening quote) or the item's first character. */
  start: number;
  /** One past the value's last character. */
  end: number;
  /** An object's members by key (the first of a repeated key) or an array's items by index. */
  children?: Map<string | number, Slot>;
}

/** Builds the slot tree of `text` in one pass. */
function indexJson(text: string): Slot | undefined {
  let root: Slot | undefined;
  // Open containers, innermost last, with what the next value will be attached as.
  const stack: { slot: Slot; isArray: boolean; next: number; key?: string; keyStart?: number }[] = [];
  const attach = (slot: Slot): void => {
    const top = stack[stack.length - 1];
    if (!top) {
      root ??= slot;
      return;
    }
    if (top.isArray) top.slot.children!.set(top.next++, slot);
    else if (top.key !== undefined) {
      slot.start = top.keyStart!;
      if (!top.slot.children!.has(top.key)) top.slot.children!.set(top.key, slot);
      top.key = undefined;
    }
  };
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x2c || c === 0x3a) continue;
    if (c === 0x7b || c === 0x5b) {
      const slot: Slot = { start: i, end: i + 1, children: new Map() };
      attach(slot);
      stack.push({ slot, isArray: c === 0x5b, next: 0 });
    } else if (c === 0x7d || c === 0x5d) {
      const top = stack.pop();
      if (top) top.slot.end = i + 1;
    } else if (c === 0x22) {
      const from = i;
      let escaped = false;
      for (i++; i < n && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) (i++, (escaped = true));
      const top = stack[stack.length - 1];
      // A string in an object where no key is pending is a key.
      if (top && !top.isArray && top.key === undefined) {
        const raw = text.slice(from + 1, i);
        top.key = escaped ? (JSON.parse(`"${raw}"`) as string) : raw;
        top.keyStart = from;
      } else attach({ start: from, end: i + 1 });
    } else {
      // A number, true, false or null: up to the next delimiter.
      const from = i;
      while (i + 1 < n && !/[\s,:\]}]/.test(text[i + 1]!)) i++;
      attach({ start: from, end: i + 1 });
    }
  }
  return root;
}

/** A function from paths to `[start, end)` offsets in `text`; undefined when not even the root is found. */
export function jsonLocator(text: string): (path: JsonPath) => [number, number] | undefined {
  let root: Slot | undefined | null = null;
  return (path) => {
    if (root === null) root = indexJson(text);
    if (!root) return undefined;
    let slot: Slot = root;
    let best: [number, number] = [slot.start, slot.end];
    for (const seg of path) {
      const child: Slot | undefined = slot.children?.get(seg);
      if (!child) break;
      slot = child;
      best = [slot.start, slot.end];
    }
    return best;
  };
}
