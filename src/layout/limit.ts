// The size beyond which a diagram is not laid out. Input: a Diagram. Output: a `layout-limit`
// diagnostic at the first element past the limit, or undefined. No I/O.
// Why a limit: ELK's layered algorithm recurses along chains and overflows the stack between 4,500
// and 7,000 nodes (a chain of 4,500 took 10 s, one of 7,000 overflowed); a drawing of that size
// cannot be read on a page anyway. A shape that overflows below the limit is caught and reported
// with the same code (src/render, src/api). Checking and converting have no such limit.
import { diagnostic } from '../core/index.js';
import type { Diagnostic } from '../core/index.js';
import type { Diagram } from '../model/types.js';

/** Most nodes a diagram may have to be drawn. */
export const MAX_LAYOUT_NODES = 4000;
/** Most edges a diagram may have to be drawn. */
export const MAX_LAYOUT_EDGES = 8000;

export function layoutLimit(diagram: Diagram): Diagnostic | undefined {
  if (diagram.nodes.length > MAX_LAYOUT_NODES) {
    const past = diagram.nodes[MAX_LAYOUT_NODES]!;
    return diagnostic('layout-limit', past.range, `The diagram has ${diagram.nodes.length} nodes; flowlane draws at most ${MAX_LAYOUT_NODES} (this is node ${MAX_LAYOUT_NODES + 1}). Split it into several diagrams; check and to-asl still work on it.`);
  }
  if (diagram.edges.length > MAX_LAYOUT_EDGES) {
    const past = diagram.edges[MAX_LAYOUT_EDGES]!;
    return diagnostic('layout-limit', past.range, `The diagram has ${diagram.edges.length} edges; flowlane draws at most ${MAX_LAYOUT_EDGES} (this is edge ${MAX_LAYOUT_EDGES + 1}). Split it into several diagrams; check and to-asl still work on it.`);
  }
  return undefined;
}
