// The reference for the cold-start bench (05-startup.bench.mjs): Graphviz compiled to WebAssembly
// (@viz-js/viz) drawing the same diagram, in a process of its own, as a docs pipeline would run it.
// The issue set flowlane's cold render against this one; on a shared machine only the ratio of two
// figures from one run means anything. The bench writes the DOT text (dotOf in 05-startup).
// Usage: node bench/graphviz-cold.mjs IN.dot OUT.svg
import { readFileSync, writeFileSync } from 'node:fs';
import { instance } from '@viz-js/viz';

const [input, output] = process.argv.slice(2);
const viz = await instance();
writeFileSync(output, viz.renderString(readFileSync(input, 'utf8'), { format: 'svg' }));
