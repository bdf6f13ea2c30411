// The browser's stand-in for src/layout/elk-module.ts: elkjs's worker module bundled as an ES import
// (the server loads it with require, which a browser has not). Its module.exports is
// `{ default: FakeWorker, Worker: FakeWorker }`; layout/elk.ts calls its dispatcher synchronously.
// (Loaded inside a Web Worker, that module also sets `self.onmessage` to ELK's own dispatcher;
// browser/worker.ts replaces it with flowlane's.)
// @ts-expect-error elkjs ships no declarations for its minified worker module.
import elkWorker from 'elkjs/lib/elk-worker.min.js';

export const elkWorkerModule: unknown = elkWorker;

/** The Node build keeps a V8 code cache of ELK (src/layout/elk-module.ts); a page has none to keep. */
export function saveCodeCache(): void {}
