// The language server's host under Node: the ASL checks and conversions run in worker threads
// (asl-worker.ts beside this file; in the extension's bundle, asl-worker.js beside the bundle).
import { Worker } from 'node:worker_threads';
import type { ServerHost } from './server.js';

export const NODE_HOST: ServerHost = {
  startAslThread: () => new Worker(new URL('./asl-worker.js', import.meta.url)),
};
