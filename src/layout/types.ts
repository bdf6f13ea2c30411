// The output of the layout stage: every lane, node, edge and loop of a Diagram with absolute
// coordinates (pixels, origin top-left), ready to draw. Input of src/render. Plain JSON data.

/** Flow direction: `right` stacks lanes as horizontal bands, `down` turns them into columns. */
export type LayoutDirection = 'right' | 'down';

export interface Point {
  x: number;
  y: number;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Text broken into lines, measured with the font it will be drawn with. */
export interface TextBlock {
  /** Lines in order; never empty strings only (an empty label has no lines). */
  lines: string[];
  /** Font size in pixels. */
  size: number;
  /** CSS font weight (400 or 600). */
  weight: number;
  /** Widest line, in pixels. */
  width: number;
  /** Height of all lines, in pixels. */
  height: number;
  /** Height of one line, in pixels. */
  lineHeight: number;
  /** The whole text, when the lines show only part of it (too long: cut with an ellipsis). */
  full?: string;
}

/** A lane band (or a nested lane inside a container). */
export interface LaidOutLane {
  id: string;
  /** The display label, or the id when the lane has none. */
  label: TextBlock;
  /** For a nested lane, the id of the container node that holds it. */
  parent?: string;
  /** The whole band, header included. */
  box: Box;
  /** The header strip holding the label (left of the band, or on top of a column). */
  header: Box;
}

/** How a node should look beyond its shape, derived from ASL fields. */
export type NodeKind = 'plain' | 'start' | 'end' | 'succeed' | 'fail' | 'choice' | 'container' | 'state';

/** One row of a taskbox (title, sub-items, owner, description, system). */
export interface TaskRow {
  role: 'title' | 'item' | 'owner' | 'description' | 'system';
  text: TextBlock;
  /** Box of the row, in absolute coordinates. */
  box: Box;
}

export interface LaidOutNode {
  id: string;
  /** The shape as written (one of the four; unknown shapes are drawn as rectangles). */
  shape: 'circle' | 'rectangle' | 'diamond' | 'taskbox';
  kind: NodeKind;
  /** The ASL `Type`, when the node is a state. */
  type?: string;
  lane: string;
  box: Box;
  /** The main label; for a container it sits in the container's header strip. */
  label: TextBlock;
  /** Where the label's block is centred. */
  labelCenter: Point;
  /** Taskbox rows (empty for other shapes). */
  rows: TaskRow[];
  /** A Retry policy: the number of retriers and the largest MaxAttempts, for a badge. */
  retry?: { count: number; maxAttempts?: number };
  /** For a container (Parallel/Map): the ids of its nested lanes, in order. */
  lanes?: string[];
  /** A branch's start or end marker, drawn as a small dot (its label as a tooltip). */
  marker?: 'start' | 'end';
}

/** What an edge means, for styling. */
export type EdgeKind = 'next' | 'choice' | 'default' | 'catch';

export interface LaidOutEdge {
  /** Index of the edge in `Diagram.edges`. */
  index: number;
  from: string;
  to: string;
  fromHandle: string;
  toHandle: string;
  kind: EdgeKind;
  /** The route: start point, bend points, end point (orthogonal). */
  points: Point[];
  /** The label, placed by ELK. */
  label?: { text: TextBlock; box: Box };
}

export interface LaidOutLoop {
  index: number;
  text: TextBlock;
  /** The frame around the loop's nodes (the bounding box of `outline` when there is one). */
  box: Box;
  /**
   * When nodes that are not in the loop lie inside `box`: the frame as an orthogonal polygon
   * (clockwise corner points) with notches that leave those nodes out.
   */
  outline?: Point[];
  /** The tab holding the text, at the frame's top-left corner. */
  tab: Box;
  nodes: string[];
}

export interface LaidOutDiagram {
  direction: LayoutDirection;
  width: number;
  height: number;
  /** The font family the text was measured with (and that the SVG names and embeds). */
  fontFamily: string;
  /** Top-level lanes first in file order, then nested lanes in file order. */
  lanes: LaidOutLane[];
  /** Nodes in file order. */
  nodes: LaidOutNode[];
  /** Edges in file order. */
  edges: LaidOutEdge[];
  loops: LaidOutLoop[];
  /** A one-line summary for `<title>`: the lane labels. */
  title: string;
  /** A longer description for `<desc>`: counts and the lanes' contents. */
  description: string;
}
