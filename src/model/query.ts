// Read-only helpers over a Diagram, shared by the printer, converters, layout and language server,
// so that none of them re-implements "which lane holds this node" or "is this an ASL field".
import type { JsonValue, Range } from '../core/index.js';
import type { Attribute, Diagram, DiagramNode, Edge, Lane } from './types.js';

/** The range given to elements that were not read from text (built by a converter). */
export const NO_RANGE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** An attribute key starting with an upper-case ASCII letter is an ASL field, carried verbatim. */
export function isAslKey(key: string): boolean {
  const c = key.charCodeAt(0);
  return c >= 65 && c <= 90;
}

/** The value of the first attribute with this key, or undefined. */
export function attributeValue(attributes: Attribute[], key: string): JsonValue | undefined {
  for (const a of attributes) if (a.key === key) return a.value;
  return undefined;
}

/** The ASL fields of a node or edge, in source order, as one object. */
export function aslFields(attributes: Attribute[]): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const a of attributes) if (isAslKey(a.key) && !(a.key in out)) out[a.key] = a.value;
  return out;
}

/** True when the element carries at least one ASL field. */
export function hasAslFields(attributes: Attribute[]): boolean {
  return attributes.some((a) => isAslKey(a.key));
}

/** Builds an attribute that was not read from text. */
export function makeAttribute(key: string, value: JsonValue): Attribute {
  return { key, value, keyRange: NO_RANGE, valueRange: NO_RANGE };
}

/** Lookup tables over a diagram. Build once per diagram; the diagram must not change afterwards. */
export class DiagramIndex {
  readonly nodes = new Map<string, DiagramNode>();
  readonly lanes = new Map<string, Lane>();
  /** Outgoing edges of each node, in diagram order. */
  readonly outgoing = new Map<string, Edge[]>();
  /** Incoming edges of each node, in diagram order. */
  readonly incoming = new Map<string, Edge[]>();

  constructor(readonly diagram: Diagram) {
    for (const lane of diagram.lanes) if (!this.lanes.has(lane.id)) this.lanes.set(lane.id, lane);
    for (const node of diagram.nodes) if (!this.nodes.has(node.id)) this.nodes.set(node.id, node);
    for (const edge of diagram.edges) {
      push(this.outgoing, edge.from.node, edge);
      push(this.incoming, edge.to.node, edge);
    }
  }

  node(id: string): DiagramNode | undefined {
    return this.nodes.get(id);
  }

  lane(id: string): Lane | undefined {
    return this.lanes.get(id);
  }

  /** The top-level lanes, in source order. */
  topLanes(): Lane[] {
    return this.diagram.lanes.filter((l) => l.parent === undefined);
  }

  /** The nested lanes owned by a node's block, in order. */
  nestedLanes(nodeId: string): Lane[] {
    const node = this.nodes.get(nodeId);
    if (!node?.block) return [];
    return node.block.lanes.map((id) => this.lanes.get(id)).filter((l): l is Lane => l !== undefined);
  }

  /** The node whose block holds this node's lane, or undefined for a node in a top-level lane. */
  ownerOf(nodeId: string): DiagramNode | undefined {
    const lane = this.laneOf(nodeId);
    return lane?.parent === undefined ? undefined : this.nodes.get(lane.parent);
  }

  laneOf(nodeId: string): Lane | undefined {
    const node = this.nodes.get(nodeId);
    return node ? this.lanes.get(node.lane) : undefined;
  }

  /**
   * The scope a node belongs to: the id of the nested lane chain's innermost lane, or `undefined`
   * for the top-level machine. Top-level lanes all share one scope; each nested lane is its own scope
   * (a Parallel branch or a Map processor).
   */
  scopeOf(nodeId: string): string | undefined {
    const lane = this.laneOf(nodeId);
    return lane?.parent === undefined ? undefined : lane.id;
  }

  /** The chain of owner nodes from the outermost to the innermost, for a node in a nested lane. */
  ownerChain(nodeId: string): DiagramNode[] {
    const chain: DiagramNode[] = [];
    let owner = this.ownerOf(nodeId);
    const seen = new Set<string>();
    while (owner && !seen.has(owner.id)) {
      seen.add(owner.id);
      chain.unshift(owner);
      owner = this.ownerOf(owner.id);
    }
    return chain;
  }

  out(nodeId: string): Edge[] {
    return this.outgoing.get(nodeId) ?? [];
  }

  in(nodeId: string): Edge[] {
    return this.incoming.get(nodeId) ?? [];
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * A copy of the diagram without source ranges, for comparing two models for meaning:
 * `parse(print(m))` must give back `m` up to ranges.
 */
export function withoutRanges(diagram: Diagram): unknown {
  return JSON.parse(
    JSON.stringify(diagram, (key, value) => {
      if (key === 'range' || key.endsWith('Range') || key === 'nodeRanges' || key === 'laneWritten') return undefined;
      return value;
    }),
  );
}
