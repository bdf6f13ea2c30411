// Graphs of numbered vertices in flat arrays, for searches over machines of 100,000 states: edges as
// compressed rows (typed arrays), searches that visit each vertex and edge once.

/** The targets of vertex v are `to[start[v]]` … `to[start[v + 1] - 1]`, in the order the edges were given. */
export interface CompressedRows {
  start: Int32Array;
  to: Int32Array;
}

/** The rows of `count` vertices from edge lists: edge e goes from `from[e]` to `to[e]`. */
export function compressedRows(count: number, from: readonly number[], to: readonly number[]): CompressedRows {
  const start = new Int32Array(count + 1);
  for (const f of from) start[f + 1]!++;
  for (let v = 0; v < count; v++) start[v + 1]! += start[v]!;
  const fill = start.slice(0, count);
  const targets = new Int32Array(to.length);
  for (let e = 0; e < from.length; e++) targets[fill[from[e]!]!++] = to[e]!;
  return { start, to: targets };
}

/** The vertices reachable from `roots` (1 at their index), breadth first. */
export function reachableFrom(rows: CompressedRows, roots: Iterable<number>, count: number): Uint8Array {
  const seen = new Uint8Array(count);
  const queue = new Int32Array(count);
  let tail = 0;
  for (const r of roots) if (!seen[r]) (seen[r] = 1), (queue[tail++] = r);
  for (let head = 0; head < tail; head++) {
    const v = queue[head]!;
    for (let e = rows.start[v]!; e < rows.start[v + 1]!; e++) {
      const w = rows.to[e]!;
      if (!seen[w]) (seen[w] = 1), (queue[tail++] = w);
    }
  }
  return seen;
}
