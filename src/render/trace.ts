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
  // Transitions between states that have nodes, seen through the states that have none (the Choice
  // to-asl adds for a `loop`, or for a cycle without exit): a -> guard -> b is the diagram's a -> b.
  const followed = (from: string): Set<string> => {
    const out = new Set<string>();
    const seen = new Set<string>();
    const stack = [...(path.transitions.get(from) ?? [])];
    while (stack.length > 0) {
      const s = stack.pop()!;
      if (seen.has(s)) continue;
      seen.add(s);
      if (stateNodes.has(s)) out.add(s);
      else stack.push(...(path.transitions.get(s) ?? []));
    }
    return out;
  };
  const reached = new Map<string, Set<string>>();
  const reachedFrom = (s: string): Set<string> => reached.get(s) ?? reached.set(s, followed(s)).get(s)!;
  const taken = new Set<number>();
  const markersPassed = new Set<string>();
  diagram.edges.forEach((edge, index) => {
    const from = edge.from.node;
    const to = edge.to.node;
    const fromStates = statesOf.get(from);
    const toStates = statesOf.get(to);
    let isTaken = false;
    if (fromStates && toStates) {
      isTaken = fromStates.some((s) => toStates.some((t) => reachedFrom(s).has(t)));
    } else if (!fromStates && toStates) {
      // From a start marker (a node that is no state): followed when the path entered its target.
      isTaken = visits.has(to);
      if (isTaken) markersPassed.add(from);
    } else if (fromStates && !toStates) {
      // Into an end marker: followed when a state of the source ended normally.
      isTaken = fromStates.some((s) => path.exited.has(s));
      if (isTaken) markersPassed.add(to);
    }
    if (isTaken) taken.add(index);
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
