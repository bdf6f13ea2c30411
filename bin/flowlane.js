#!/usr/bin/env node
// The CLI runs compiled code: dist/ comes in the published package (built by `prepack`); in a clone, `npm run build` makes it.
import '../dist/cli/start.js';
