#!/usr/bin/env node
// The CLI runs compiled code: `npm ci` builds dist/ through the `prepare` script.
import '../dist/cli/main.js';
