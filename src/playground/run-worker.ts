// The playground's run worker (lsp/run-worker.js, built with the language server's worker by
// scripts/build-playground.mjs, so that the two share their chunks): one state
// machine run, off the page's thread, so that the page can end a run that does not finish (Stop, or
// the time limit) by ending the worker. The run is the language server's (src/server/run.ts,
// `runAndTrace`, as `flowlane/run` does it); the path comes back mapped onto the diagram and the
// page draws it with the browser build.
// Input: one message, RunParams. Output: one message, `{ answer, overlay }` or `{ problem }`.
import { runAndTrace, type RunParams } from '../server/run.js';

const scope = globalThis as unknown as { onmessage: ((e: { data: RunParams }) => void) | null; postMessage(m: unknown): void };

scope.onmessage = (e) => {
  void runAndTrace(e.data).then(
    (r) => scope.postMessage('problem' in r ? r : { answer: r.answer, overlay: r.overlay }),
    (error: unknown) => scope.postMessage({ problem: `the run failed (${error instanceof Error ? error.message : String(error)})` }),
  );
};
