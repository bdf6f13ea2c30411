// The entry of the plain-script build (dist/browser/flowlane.iife.js, global `flowlane`): the same
// exports as index.ts, and on load it runs run() with the defaults, so that a docs site needs one
// script tag and nothing else. `<script src="…" data-manual>` leaves the call to the page. The
// script is also its own layout worker's (a classic worker from the script's URL, see worker.ts).
import { run } from './run.js';
import { setFallbackFontSource } from '../layout/fonts.js';
import { inWorker, serveLayouts, setWorkerSource } from './worker.js';

export * from './index.js';

/** Points the fallback fonts at flowlane-fonts.mjs beside this script (a classic script can import a module). */
function fontsBeside(scriptUrl: string | undefined): void {
  if (scriptUrl) setFallbackFontSource(() => import(/* @vite-ignore */ new URL('./flowlane-fonts.mjs', scriptUrl).href));
}

if (inWorker()) {
  fontsBeside(self.location.href);
  serveLayouts();
} else {
  const script = typeof document !== 'undefined' ? (document.currentScript as HTMLScriptElement | null) : null;
  fontsBeside(script?.src || undefined);
  // An inline script (no src) has no URL a worker could load.
  setWorkerSource(script?.src || undefined, 'classic');
  if (script && !script.hasAttribute('data-manual')) {
    const start = (): void => void run();
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
    else start();
  }
}
