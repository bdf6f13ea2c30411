// The entry of the plain-script build (dist/browser/flowlane.iife.js, global `flowlane`): the same
// exports as index.ts, and on load it runs run() with the defaults, so that a docs site needs one
// script tag and nothing else. `<script src="…" data-manual>` leaves the call to the page.
import { run } from './run.js';

export * from './index.js';

const script = typeof document !== 'undefined' ? document.currentScript : null;
if (script && !script.hasAttribute('data-manual')) {
  const start = (): void => void run();
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
  else start();
}
