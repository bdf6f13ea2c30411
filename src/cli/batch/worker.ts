// A batch-render worker thread. Input: BatchRenderSettings as workerData, then RenderJob messages.
// Output: one JobResult message per job, carrying the rendered file. The main thread writes it:
// a signal is handled only there, so only there can a write be let finish before the process ends.
// The worker lives for the whole batch, so its layout engine (ELK), fonts and svgdom window are
// created once and stay warm: it renders a tiny diagram before saying it is ready.
import { parentPort, workerData } from 'node:worker_threads';
import { render } from '../../api/index.js';
import { formatDiagnostic } from '../io.js';
import type { BatchRenderSettings, RenderJob, WorkerMessage } from './protocol.js';

const settings = workerData as BatchRenderSettings;
const port = parentPort!;

const WARM_UP = 'w { # Warm up\n  n1: circle label:"Start"\n  n2: rectangle label:"Step"\n  n1.handle(right) -> n2.handle(left)\n}\n';

async function run(job: RenderJob): Promise<WorkerMessage> {
  const started = performance.now();
  const messages: string[] = [];
  try {
    const r = await render(job.text, {
      name: job.input,
      lanes: settings.lanes,
      format: settings.format,
      theme: settings.theme,
      direction: settings.direction,
      scale: settings.scale,
      id: job.id,
    });
    for (const d of r.diagnostics) messages.push(formatDiagnostic(job.input, d));
    if (!r.ok || r.value === undefined) return { type: 'result', index: job.index, ok: false, messages, ms: performance.now() - started };
    return { type: 'result', index: job.index, ok: true, messages, ms: performance.now() - started, data: r.value };
  } catch (e) {
    // One file's failure (a renderer bug) must not take the batch down.
    messages.push(`flowlane: ${job.input}: ${e instanceof Error ? e.message : String(e)}`);
    return { type: 'result', index: job.index, ok: false, messages, ms: performance.now() - started };
  }
}

await render(WARM_UP, { format: settings.format, theme: settings.theme, direction: settings.direction });
port.on('message', (job: RenderJob) => {
  void run(job).then((m) => {
    // A PNG's bytes move to the main thread instead of being copied.
    const transfer = m.type === 'result' && m.data instanceof Uint8Array ? [m.data.buffer as ArrayBuffer] : [];
    port.postMessage(m, transfer);
  });
});
port.postMessage({ type: 'ready' } satisfies WorkerMessage);
