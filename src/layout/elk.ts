// The one place that runs ELK. Input: an ELK JSON graph from to-elk.ts. Output: the same graph with
// ELK's positions and routes written into it (ELK lays out in place), synchronously.
// elkjs's public API (elk.bundled.js) answers through a stand-in web worker that defers both the
// request and the reply with setTimeout(0): about 2.7 ms of idle time per layout in Node, a quarter
// of a warm render in a batch. That stand-in holds ELK's own message dispatcher, which is
// synchronous; we call it directly. elkjs is pinned, and a test checks this shape.
import * as elkModule from './elk-module.js';
import type { ElkNode } from 'elkjs/lib/elk-api.js';

interface Answer {
  data?: ElkNode;
  error?: unknown;
}
/** What elk-worker.js exports (CommonJS `{ default, Worker }`): a stand-in for a web worker. */
interface FakeWorker {
  dispatcher: { saveDispatch(event: { data: { cmd: 'register'; id: number; algorithms: string[] } | { cmd: 'layout'; id: number; graph: ElkNode } }): void };
  onmessage: (event: { data: Answer }) => void;
}
type FakeWorkerClass = new () => FakeWorker;

let layoutGraph: ((graph: ElkNode) => ElkNode) | undefined;

/**
 * How many layouts ELK has run in this thread (tests check that a diagram needs one), and the time
 * they took in all, in ms (the benchmark tells ELK's share of a render from the rest with it).
 */
export const elkRuns = { count: 0, ms: 0 };

/** Lays out an ELK graph in place and returns it; throws what ELK threw. */
export function runElk(graph: ElkNode): ElkNode {
  layoutGraph ??= createEngine();
  elkRuns.count++;
  // ELK writes a route's bend points into the edge's section, but leaves those of a section it
  // routes straight as they were: a hint's (see to-elk.ts), in the frame before layout, x ≈ 1,200,000.
  const hints = (graph.edges ?? []).flatMap((e) => (e.sections ?? []).filter((s) => s.bendPoints).map((s) => ({ s, before: s.bendPoints!, json: JSON.stringify(s.bendPoints) })));
  const started = performance.now();
  const laid = layoutGraph(graph);
  elkRuns.ms += performance.now() - started;
  for (const { s, before, json } of hints) if (s.bendPoints === before && JSON.stringify(s.bendPoints) === json) delete s.bendPoints;
  // Bundles that replace elk-module.ts keep no code cache.
  if (elkRuns.count === 1) (elkModule as { saveCodeCache?: () => void }).saveCodeCache?.();
  return laid;
}

/** Creates ELK once: it keeps no state between layouts. */
function createEngine(): (graph: ElkNode) => ElkNode {
  const { Worker } = elkModule.elkWorkerModule as { Worker?: FakeWorkerClass };
  const worker = Worker ? new Worker() : undefined;
  if (typeof worker?.dispatcher?.saveDispatch !== 'function') throw new Error('flowlane: this elkjs has no synchronous dispatcher (elkjs/lib/elk-worker.min.js changed)');
  let answer: Answer | undefined;
  worker.onmessage = (event) => (answer = event.data);
  // What elkjs's constructor does first; flowlane uses only the layered algorithm.
  worker.dispatcher.saveDispatch({ data: { cmd: 'register', id: 0, algorithms: ['layered'] } });
  if (answer?.error !== undefined) throw new Error(`flowlane: ELK could not register its layered algorithm: ${String(answer.error)}`);
  return (graph) => {
    answer = undefined;
    worker.dispatcher.saveDispatch({ data: { cmd: 'layout', id: 0, graph } });
    const got = answer as Answer | undefined;
    if (got?.error !== undefined) throw got.error instanceof Error ? got.error : new Error(`ELK failed: ${String(got.error)}`);
    if (!got?.data) throw new Error('ELK gave no layout');
    return got.data;
  };
}
