// A worker thread for the ASL-profile checks, which on a large state machine take far longer than
// parsing: the server publishes the syntax and FlowZap diagnostics at once and merges these in when
// they arrive, so typing, completion and hover never wait for them.
// Input: messages `{ id, text }`. Output: messages `{ id, diagnostics }`.
// Also, for the `flowlane/toAsl` request: `{ id, text, kind: 'toAsl' }` → `{ id, result }`, the
// converted ASL text (a large machine's validation must not block the server's thread either).
// And for `flowlane/run`: `{ id, kind: 'run', run: RunParams }` → `{ id, answer }` (src/server/run.ts):
// the server ends the worker when a run takes too long.
import { parentPort } from 'node:worker_threads';
import { runDocument } from './run.js';
import type { RunAnswer, RunParams } from './run.js';
import type { Diagnostic } from '../core/index.js';
import { parseDiagram } from '../model/index.js';
import { aslChecks, diagramToAslText } from '../language/stages.js';

parentPort?.on('message', (m: { id: number; text: string; kind?: 'checks' | 'toAsl' | 'run'; run?: RunParams }) => {
  void (async () => {
    if (m.kind === 'run' && m.run) {
      let answer: RunAnswer;
      try {
        answer = await runDocument(m.run);
      } catch (e) {
        answer = { problem: `the run failed (${e instanceof Error ? e.message : String(e)})` };
      }
      parentPort?.postMessage({ id: m.id, answer });
      return;
    }
    if (m.kind === 'toAsl') {
      let result: Awaited<ReturnType<typeof diagramToAslText>>;
      try {
        result = await diagramToAslText(parseDiagram(m.text).value);
      } catch (e) {
        result = { diagnostics: [], error: `the conversion failed (${e instanceof Error ? e.message : String(e)})` };
      }
      parentPort?.postMessage({ id: m.id, result });
      return;
    }
    let diagnostics: Diagnostic[] = [];
    try {
      const r = parseDiagram(m.text);
      if (!r.diagnostics.some((d) => d.severity === 'error')) diagnostics = await aslChecks(r.value);
    } catch {
      // A converter bug leaves the syntax diagnostics standing alone.
    }
    parentPort?.postMessage({ id: m.id, diagnostics });
  })();
});
