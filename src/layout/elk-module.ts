// Loads elkjs's worker module (CommonJS, 1.6 MB) with require: imported as ESM, Node first lexes the
// whole file for export names, about 120 ms of every cold start and of every batch worker's start.
// The extension's bundle replaces this file with a plain require (extension/build.mjs).
import { createRequire } from 'node:module';

/** module.exports of elkjs/lib/elk-worker.min.js: `{ default: FakeWorker, Worker: FakeWorker }`. */
export const elkWorkerModule: unknown = createRequire(import.meta.url)('elkjs/lib/elk-worker.min.js');
