// The entry of the ES module build (dist/browser/flowlane.mjs): the exports of index.ts; the bundle
// is also its own layout worker's script (a module worker from import.meta.url, see worker.ts).
import { setFallbackFontSource } from '../layout/fonts.js';
import { inWorker, serveLayouts, setWorkerSource } from './worker.js';

export * from './index.js';

// The fallback fonts sit beside the bundle (scripts/build-browser.mjs).
setFallbackFontSource(() => import(/* @vite-ignore */ new URL('./flowlane-fonts.mjs', import.meta.url).href));

if (inWorker()) serveLayouts();
else setWorkerSource(import.meta.url, 'module');
