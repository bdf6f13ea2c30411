#!/usr/bin/env node
// The CLI runs compiled code: dist/ comes in the published package (built by `prepack`); in a clone, `npm run build` makes it.
// CommonJS (bin/package.json), so that Node starts without its ES module loader (src/cli/start.cts).
require('../dist/cli/start.cjs');
