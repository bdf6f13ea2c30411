// The diagram model: plain, JSON-serialisable data, independent of the syntax it was written in.
// Input: the AST from src/parser (through build.ts), or a converter (src/asl). Output: the only
// structure the printer, the converters, the layout and the language server read.
import type { JsonValue, Range } from '../core/index.js';

/** The four FlowZap shapes. */
export const SHAPES = ['circle', 'rectangle', 'diamond', 'taskbox'] as const;
export type Shape = (typeof SHAPES)[number];

/** The four sides a handle can name. */
export const DIRECTIONS = ['left', 'right', 'top', 'bottom'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/** FlowZap's own node attribute keys. Keys starting with an upper-case letter are ASL fields. */
export const NODE_KEYS = ['label', 'owner', 'description', 'system'] as const;
/** FlowZap's own edge attribute keys. */
export const EDGE_KEYS = ['label'] as const;

/** A `key:value` (node) or `key="value"` (edge) pair, in source order. */
export interface Attribute {
  /** The key as written: a FlowZap key (`label`) or an ASL field (`Type`, `Parameters`, …). */
  key: string;
  /** The value: a string, or any JSON value. */
  value: JsonValue;
  /** Range of the key. */
  keyRange: Range;
  /** Range of the value (all its lines, for a multi-line JSON value). */
  valueRange: Range;
}

/** A lane: a horizontal band with an id and an optional display label. */
export interface Lane {
  /** The lane id, unique in the file (also across nested lanes); used as a prefix in cross-lane edges. */
  id: string;
  /** The display label written after `#` on the opening line, trimmed; absent when the lane has none. */
  label?: string;
  /** For a nested lane: the id of the node whose block holds it. Absent for a top-level lane. */
  parent?: string;
  /** Ids of the nodes declared in this lane, in source order. */
  nodes: string[];
  /** `//` comment lines written just before the lane header, without the `//`. */
  comments: string[];
  /** `//` comment lines written after the last element of the lane, before `}`. */
  trailingComments: string[];
  /** The whole lane, from its id to its closing brace. */
  range: Range;
  /** Range of the lane id. */
  idRange: Range;
  /** Range of the `# Label` text, when there is one. */
  labelRange?: Range;
}

/** The nested lanes a node owns: the branches of a Parallel, or the item processor of a Map. */
export interface NodeBlock {
  /**
   * The ASL field that holds the nested lanes when it is not the default one (`Branches` for a
   * Parallel, `ItemProcessor` for a Map): only `Iterator`, the legacy Map field, is written.
   */
  field?: string;
  /** Ids of the nested lanes, in source order. */
  lanes: string[];
  /** From the opening `{` of the block to its closing `}`. */
  range: Range;
}

/** A node: `n1: rectangle label:"Validate" Type:"Task"`. */
export interface DiagramNode {
  /** The node id, unique in the whole file. */
  id: string;
  /** The shape as written; one of SHAPES unless a diagnostic says otherwise. */
  shape: string;
  /** The id of the lane the node is declared in. */
  lane: string;
  /** Every attribute in source order: FlowZap keys and ASL fields alike. */
  attributes: Attribute[];
  /** The `label` attribute's text, for convenience (the state name in ASL). */
  label?: string;
  /** Nested lanes owned by the node (Parallel branches, Map processor). */
  block?: NodeBlock;
  /** `//` comment lines written just before the node. */
  comments: string[];
  /** The whole node statement (without its block). */
  range: Range;
  /** Range of the node id in its declaration. */
  idRange: Range;
  /** Range of the shape word. */
  shapeRange: Range;
}

/** One end of an edge: a node and the handle (side) the edge leaves or enters by. */
export interface EdgeEnd {
  /** The node id. */
  node: string;
  /** The side; absent when the edge was written without a handle (reported, fixable). */
  handle?: string;
  /** Range of the node reference (including a lane prefix, if written). */
  nodeRange: Range;
  /** Range of the lane prefix, if one was written. */
  laneRange?: Range;
  /** The lane prefix as written, if any (resolved lanes come from the node, not from this). */
  laneWritten?: string;
  /** Range of the handle direction word. */
  handleRange?: Range;
}

/** A directed edge `a.handle(right) -> b.handle(left) [label="…"]`. Order in `Diagram.edges` matters. */
export interface Edge {
  from: EdgeEnd;
  to: EdgeEnd;
  /** The `label` attribute's text, for convenience. */
  label?: string;
  /** Every edge attribute in source order: `label` and ASL transition data (`Choice`, `Default`, `Catch`). */
  attributes: Attribute[];
  /** The lane whose block the edge is written in; absent for an edge written at top level. */
  container?: string;
  /** `//` comment lines written just before the edge. */
  comments: string[];
  /** The whole edge statement. */
  range: Range;
}

/** A `loop [text] n1 n2 …` fragment. */
export interface Loop {
  /** The text between the brackets, trimmed. */
  text: string;
  /** The node ids the loop spans, in the order written. */
  nodes: string[];
  /** Range of each node reference, parallel to `nodes`. */
  nodeRanges: Range[];
  /** The lane whose block the loop is written in; absent at top level. */
  container?: string;
  /** `//` comment lines written just before the loop. */
  comments: string[];
  /** The whole loop statement. */
  range: Range;
  /** Range of the bracketed text. */
  textRange: Range;
}

/** A whole diagram. Lanes, nodes, edges and loops are flat lists in source order; ids link them. */
export interface Diagram {
  /** Every lane, top-level and nested, in source order (a nested lane comes after its owner node's lane header). */
  lanes: Lane[];
  /** Every node, in source order. */
  nodes: DiagramNode[];
  /** Every edge, in source order. The order of a node's outgoing edges is meaningful (Choice rules, Catch order). */
  edges: Edge[];
  /** Every loop, in source order. */
  loops: Loop[];
  /** `//` comment lines at the end of the file, after the last element. */
  trailingComments: string[];
}
