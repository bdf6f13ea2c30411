// The diagram's nodes and edges by number, for to-asl.
// Input: a Diagram's nodes and edges. Output: typed arrays of indices (edges by source and by
// target, in diagram order) and the strongly connected components, built once per conversion.
// Why: a 100,000-node diagram was converted with a dozen Map lookups by node id per node and per
// edge; with each id resolved once here, the converter reads arrays.
import type { DiagramNode, Edge } from '../model/types.js';

export class NodeGraph {
  /** The index of the first node declared with each id (edges name ids, so duplicates share edges). */
  private readonly firstIndex = new Map<string, number>();
  /** For each node, the index of the first node with its id: the index edges are filed under. */
  readonly canon: Int32Array;
  /** Node c's outgoing edges are outEdges[outStart[c]] … outEdges[outStart[c + 1] - 1], in diagram order. */
  readonly outStart: Int32Array;
  readonly outEdges: Edge[];
  /** The index of each outgoing edge's target, or -1 when no node has its id. */
  readonly outTarget: Int32Array;
  /** Node c's incoming edges' sources, like the outgoing edges (-1: no node has the source's id). */
  readonly inStart: Int32Array;
  readonly inSource: Int32Array;
  private components: Int32Array | undefined;

  constructor(readonly nodes: readonly DiagramNode[], edges: readonly Edge[]) {
    const n = nodes.length;
    this.canon = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const id = nodes[i]!.id;
      const first = this.firstIndex.get(id);
      if (first === undefined) this.firstIndex.set(id, i);
      this.canon[i] = first ?? i;
    }
    const from = new Int32Array(edges.length);
    const to = new Int32Array(edges.length);
    this.outStart = new Int32Array(n + 1);
    this.inStart = new Int32Array(n + 1);
    edges.forEach((e, k) => {
      from[k] = this.indexOf(e.from.node);
      to[k] = this.indexOf(e.to.node);
      if (from[k]! >= 0) this.outStart[from[k]! + 1]!++;
      if (to[k]! >= 0) this.inStart[to[k]! + 1]!++;
    });
    for (let i = 0; i < n; i++) {
      this.outStart[i + 1]! += this.outStart[i]!;
      this.inStart[i + 1]! += this.inStart[i]!;
    }
    this.outEdges = new Array<Edge>(this.outStart[n]!);
    this.outTarget = new Int32Array(this.outStart[n]!);
    this.inSource = new Int32Array(this.inStart[n]!);
    const outFill = this.outStart.slice(0, n);
    const inFill = this.inStart.slice(0, n);
    edges.forEach((e, k) => {
      if (from[k]! >= 0) {
        const at = outFill[from[k]!]!++;
        this.outEdges[at] = e;
        this.outTarget[at] = to[k]!;
      }
      if (to[k]! >= 0) this.inSource[inFill[to[k]!]!++] = from[k]!;
    });
  }

  /** The index edges of this id are filed under, or -1 when no node has it. */
  indexOf(id: string): number {
    return this.firstIndex.get(id) ?? -1;
  }

  /**
   * Whether nodes a and b (canonical indices) are on one cycle of the diagram's edges: each leads
   * to the other. Strongly connected components, found once (Tarjan's algorithm, iterative), so
   * that asking for every edge of a large diagram stays linear.
   */
  inOneCycle(a: number, b: number): boolean {
    this.components ??= this.stronglyConnected();
    return this.components[a] === this.components[b];
  }

  private stronglyConnected(): Int32Array {
    const n = this.nodes.length;
    const order = new Int32Array(n).fill(-1);
    const low = new Int32Array(n);
    const component = new Int32Array(n).fill(-1);
    const onStack = new Uint8Array(n);
    const stack: number[] = [];
    const call: number[] = []; // the depth-first path: node, next edge to look at
    let counter = 0;
    let components = 0;
    for (let root = 0; root < n; root++) {
      if (order[root] !== -1 || this.canon[root] !== root) continue;
      call.push(root, this.outStart[root]!);
      order[root] = low[root] = counter++;
      stack.push(root);
      onStack[root] = 1;
      while (call.length > 0) {
        const v = call[call.length - 2]!;
        const e = call[call.length - 1]!;
        if (e < this.outStart[v + 1]!) {
          call[call.length - 1] = e + 1;
          const w = this.outTarget[e]!;
          if (w < 0) continue;
          if (order[w] === -1) {
            order[w] = low[w] = counter++;
            stack.push(w);
            onStack[w] = 1;
            call.push(w, this.outStart[w]!);
          } else if (onStack[w]) low[v] = Math.min(low[v]!, order[w]!);
          continue;
        }
        call.length -= 2;
        if (call.length > 0) {
          const parent = call[call.length - 2]!;
          low[parent] = Math.min(low[parent]!, low[v]!);
        }
        if (low[v] === order[v]) {
          let w: number;
          do {
            w = stack.pop()!;
            onStack[w] = 0;
            component[w] = components;
          } while (w !== v);
          components++;
        }
      }
    }
    return component;
  }
}
