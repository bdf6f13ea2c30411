// Messages between the batch pool (pool.ts) and its workers (worker.ts).
// Input/output: plain structured-clone data, no classes, so they cross worker_threads unchanged.

/** How every file of a batch is drawn; fixed for the pool's lifetime and given to each worker at start. */
export interface BatchRenderSettings {
  format: 'svg' | 'png';
  theme: 'light' | 'dark' | 'auto';
  direction: 'right' | 'down';
  lanes: 'single' | 'service';
  scale: number;
}

/** One file to render: its text was read (and hashed) by the main thread. */
export interface RenderJob {
  /** Position in the batch, echoed back in the reply. */
  index: number;
  /** The input's name as given (for messages and for choosing .fz or ASL). */
  input: string;
  /** The file to write. */
  output: string;
  /** Prefix of the ids inside the SVG. */
  id: string;
  /** The input's text. */
  text: string;
}

/** A worker's answer for one job. */
export interface JobResult {
  index: number;
  ok: boolean;
  /** Diagnostics and failures, already formatted as `file:line:col: severity: message [code]`. */
  messages: string[];
  /** Time spent on the job in the worker, in milliseconds. */
  ms: number;
  /** The rendered file (SVG text or PNG bytes) when ok; the main thread writes it. */
  data?: string | Uint8Array;
}

/** Sent by a worker once it has loaded and warmed up its layout engine. */
export interface ReadyMessage {
  type: 'ready';
}

export type WorkerMessage = ReadyMessage | ({ type: 'result' } & JobResult);
