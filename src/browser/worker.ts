// ELK in a Web Worker: the same bundle, loaded a second time as the worker's script, lays diagrams
// out off the page's main thread (ELK is most of a render), and the page draws the SVG (svg.js needs
// a DOM, which a worker has not). Input (page -> worker): { id, input, options }; output (worker ->
// page): { id, result } with the Outcome of layoutOf, plain data that crosses by structured clone.
// A bundle served from another origin (a CDN) is started through a blob: script that loads it.
// Without a usable worker (an inline bundle, a CSP that forbids workers, a worker that fails to
// load) the layout runs in the page, with the same result.
import { layoutOf } from '../api/index.js';
import type { Outcome } from '../api/index.js';
import type { Diagram } from '../model/index.js';
import type { LaidOutDiagram, LayoutDirection } from '../layout/types.js';
import type { LaneMode } from '../asl/index.js';

/** What the worker needs of render's options: those of the source and of the layout. */
export interface LayoutRequestOptions {
  language?: 'fz' | 'asl';
  name?: string;
  lanes?: LaneMode;
  direction?: LayoutDirection;
}

interface Request {
  id: number;
  input: string | Diagram;
  options: LayoutRequestOptions;
}
interface Reply {
  id: number;
  result?: Outcome<LaidOutDiagram>;
  error?: string;
}

interface WorkerScope {
  onmessage: ((event: { data: Request }) => void) | null;
  postMessage(message: Reply): void;
}

/** True inside a dedicated worker (no document, a WorkerGlobalScope). */
export function inWorker(): boolean {
  return typeof document === 'undefined' && typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined';
}

/**
 * Called by both entries when the bundle runs as a worker's script: answers layout requests.
 * elkjs's worker module, evaluated with the bundle, has already set `onmessage` to ELK's own
 * dispatcher; flowlane's replaces it (ELK is called synchronously, through layout/elk.ts).
 */
export function serveLayouts(): void {
  const scope = globalThis as unknown as WorkerScope;
  scope.onmessage = (event) => {
    const { id, input, options } = event.data;
    const fail = (e: unknown): void => scope.postMessage({ id, error: e instanceof Error ? e.message : String(e) });
    // An error reply sends the page to lay out itself; a reply that cannot be cloned is one too.
    layoutOf(input, options).then((result) => {
      try {
        scope.postMessage({ id, result });
      } catch (e) {
        fail(e);
      }
    }, fail);
  };
}

/** Where the bundle's own script is, to start it as a worker: set by the entry (esm.ts, iife.ts). */
let source: { url: string; type: 'module' | 'classic' } | undefined;
export function setWorkerSource(url: string | undefined, type: 'module' | 'classic'): void {
  source = url ? { url, type } : undefined;
}

let worker: Worker | undefined;
/** Set when the worker could not be made or failed: from then on every layout runs in the page. */
let broken = false;
let nextId = 0;
/** Layouts the worker answered. */
let answered = 0;
const pending = new Map<number, { resolve: (r: Outcome<LaidOutDiagram>) => void; request: Request }>();

function startWorker(): Worker | undefined {
  if (worker || broken) return worker;
  if (!source || typeof Worker === 'undefined') return undefined;
  try {
    const w = createWorker(source.url, source.type);
    w.onmessage = (event: MessageEvent<Reply>) => {
      const waiting = pending.get(event.data.id);
      if (!waiting) return;
      pending.delete(event.data.id);
      if (event.data.result) {
        answered++;
        waiting.resolve(event.data.result);
      }
      else void inPage(waiting.request).then(waiting.resolve);
    };
    // A script that does not load (404, CSP) or dies: what it had not answered is laid out here.
    w.onerror = (event) => {
      event.preventDefault();
      giveUp();
    };
    worker = w;
    return w;
  } catch {
    // A page that forbids workers: no worker, silently.
    broken = true;
    return undefined;
  }
}

/**
 * A worker runs only a script of the page's origin; a bundle from a CDN is started through a
 * one-line script of the page's own (a blob: URL) that loads it, as a <script> tag would.
 */
function createWorker(url: string, type: 'module' | 'classic'): Worker {
  try {
    return new Worker(url, { type });
  } catch (e) {
    if (new URL(url, location.href).origin === location.origin) throw e;
    const boot = type === 'module' ? `import ${JSON.stringify(url)};` : `importScripts(${JSON.stringify(url)});`;
    // Kept for the page's life (one, of a few bytes): revoked before the worker fetched it, it
    // would stop the worker.
    return new Worker(URL.createObjectURL(new Blob([boot], { type: 'text/javascript' })), { type });
  }
}

function giveUp(): void {
  broken = true;
  worker?.terminate();
  worker = undefined;
  const waiting = [...pending.values()];
  pending.clear();
  for (const w of waiting) void inPage(w.request).then(w.resolve);
}

function inPage(request: Request): Promise<Outcome<LaidOutDiagram>> {
  return layoutOf(request.input, request.options);
}

/** Lays out in the worker when there is one, else in the page; the same Outcome either way. */
export function layoutSomewhere(input: string | Diagram, options: LayoutRequestOptions, useWorker: boolean): Promise<Outcome<LaidOutDiagram>> {
  const request: Request = { id: nextId++, input, options };
  const w = useWorker ? startWorker() : undefined;
  if (!w) return inPage(request);
  return new Promise((resolve) => {
    pending.set(request.id, { resolve, request });
    try {
      w.postMessage(request);
    } catch {
      // Input that cannot be cloned (a Diagram holding a function, say): lay it out here.
      pending.delete(request.id);
      void inPage(request).then(resolve);
    }
  });
}

/** Whether layouts go to a worker (none yet, running, or failed and so in the page), and how many it answered. */
export function layoutWorker(): { state: 'none' | 'running' | 'failed'; layouts: number } {
  return { state: broken ? 'failed' : worker ? 'running' : 'none', layouts: answered };
}
