// The path overlay: which nodes and edges of a diagram an execution went through.
// Input: the Diagram, the node of each state (to-asl's `stateNodes`) and the ExecutedPath read from
// a history (src/run/path.ts). Output: a PathOverlay by node id and edge index, which the SVG
// renderer draws (classes fz-visited, fz-taken, fz-failed, fz-untaken; a visit-count badge; the
// error on the failing node). Pure.
import type { Diagram } from '../model/types.js';
import type { ExecutedPath } from '../run/path.js';

export interface PathOverlay {
  /** Times each node was entered, by node id (markers that the path passes count once). */
  visits: ReadonlyMap<string, number>;
  /** Indices (into Diagram.edges) of the edges followed. */
  taken: ReadonlySet<number>;
  /** The node whose failure ended the execution, with the error. */
  failed?: { node: string; error: string; cause?: string };
  /** How the execution ended, for the drawing's root class (fz-trace-succeeded, …). */
  status?: string;
}

/**
 * Maps a path by state names onto the diagram. An edge is taken when a transition of the path goes
 * from a state of its source node to a state of its target node; an edge from a start marker when
 * its target was entered; an edge into an end marker when its source state was left normally.
 */
export function pathOverlay(diagram: Diagram, stateNodes: ReadonlyMap<string, string>, path: ExecutedPath): PathOverlay {
  const statesOf = new Map<string, string[]>();
  for (const [state, node] of stateNodes) (statesOf.get(node) ?? statesOf.set(node, []).get(node)!).push(state);
  const visits = new Map<string, number>();
  for (const [state, count] of path.visits) {
    const node = stateNodes.get(state);
    // A node with two states (a Task and the Choice inferred after it) is entered as often as its busiest state.
    if (node !== undefined) visits.set(node, Math.max(visits.get(node) ?? 0, count));
  }
  const taken = new Set<number>();
  const markersPassed = new Set<string>();
  diagram.edges.forEach((edge, index) => {
    const from = edge.from.node;
    const to = edge.to.node;
    const fromStates = statesOf.get(from);
    const toStates = statesOf.get(to);
    let followed = false;
    if (fromStates && toStates) {
      followed = fromStates.some((s) => toStates.some((t) => path.transitions.get(s)?.has(t) === true));
    } else if (!fromStates && toStates) {
      // From a start marker (a node that is no state): followed when the path entered its target.
      followed = visits.has(to);
      if (followed) markersPassed.add(from);
    } else if (fromStates && !toStates) {
      // Into an end marker: followed when a state of the source ended normally.
      followed = fromStates.some((s) => path.exited.has(s));
      if (followed) markersPassed.add(to);
    }
    if (followed) taken.add(index);
  });
  for (const marker of markersPassed) if (!visits.has(marker)) visits.set(marker, 1);
  const failedNode = path.failure?.state !== undefined ? stateNodes.get(path.failure.state) : undefined;
  return {
    visits,
    taken,
    ...(failedNode !== undefined && path.failure
      ? { failed: { node: failedNode, error: path.failure.error, ...(path.failure.cause !== undefined ? { cause: path.failure.cause } : {}) } }
      : {}),
    ...(path.status !== undefined ? { status: path.status } : {}),
  };
}
