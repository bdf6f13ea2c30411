// A pool of render workers (worker_threads), one per core by default. Input: RenderJobs and the
// batch's settings. Output: one JobResult per job, in completion order, through `onResult`, and
// the results by job index once all are done. A worker that dies (a crash, running out of memory)
// fails only the job it was running; a fresh worker takes its place for the rest of the queue.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { BatchRenderSettings, JobResult, RenderJob, WorkerMessage } from './protocol.js';

export interface PoolOptions {
  /** Number of workers; default one per core (never more than there are jobs). */
  workers?: number;
  /** Called as each job finishes. */
  onResult?: (result: JobResult, job: RenderJob) => void;
}

/** The default pool size: the cores Node may use. */
export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

const WORKER_URL = new URL('./worker.js', import.meta.url);

/** Renders every job in a pool of workers; resolves when all are done. */
export async function runPool(jobs: RenderJob[], settings: BatchRenderSettings, options: PoolOptions = {}): Promise<JobResult[]> {
  const results: JobResult[] = new Array<JobResult>(jobs.length);
  if (jobs.length === 0) return results;
  const size = Math.max(1, Math.min(options.workers ?? defaultWorkers(), jobs.length));
  const queue = [...jobs];
  let done = 0;
  // Workers that die before they are ready: a few in a row means none can start (a broken install).
  let failedStarts = 0;

  return new Promise<JobResult[]>((resolve) => {
    const finish = (result: JobResult, job: RenderJob): void => {
      done++;
      options.onResult?.(result, job);
      // The rendered bytes were the caller's to write; the pool keeps only the outcome.
      const { data: _written, ...kept } = result;
      results[job.index] = kept;
      if (done === jobs.length) resolve(results);
    };

    const start = (): void => {
      const worker = new Worker(WORKER_URL, { workerData: settings });
      let current: RenderJob | undefined;
      let ended = false;
      let ready = false;
      const next = (): void => {
        current = queue.shift();
        if (current) worker.postMessage(current);
        else {
          ended = true;
          void worker.terminate();
        }
      };
      worker.on('message', (m: WorkerMessage) => {
        if (m.type === 'ready') {
          ready = true;
          failedStarts = 0;
          return next();
        }
        const job = current!;
        current = undefined;
        finish({ index: m.index, ok: m.ok, messages: m.messages, ms: m.ms, ...(m.data !== undefined ? { data: m.data } : {}) }, job);
        next();
      });
      const died = (reason: string): void => {
        if (ended) return;
        ended = true;
        const job = current;
        current = undefined;
        if (job) finish({ index: job.index, ok: false, messages: [`flowlane: ${job.input}: the render worker stopped (${reason})`], ms: 0 }, job);
        if (!ready && ++failedStarts >= 3) {
          for (const j of queue.splice(0)) finish({ index: j.index, ok: false, messages: [`flowlane: ${j.input}: no render worker could start (${reason})`], ms: 0 }, j);
          return;
        }
        // Replace the worker while there is work left.
        if (queue.length > 0) start();
      };
      worker.on('error', (e) => died(e instanceof Error ? e.message : String(e)));
      worker.on('exit', (code) => died(`exit code ${code}`));
    };

    for (let i = 0; i < size; i++) start();
  });
}
