// The entry of the ES module build (dist/browser/flowlane.mjs): the exports of index.ts; the bundle
// is also its own layout worker's script (a module worker from import.meta.url, see worker.ts).
import { inWorker, serveLayouts, setWorkerSource } from './worker.js';

export * from './index.js';

if (inWorker()) serveLayouts();
else setWorkerSource(import.meta.url, 'module');
