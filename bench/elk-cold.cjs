// The floor of the cold-start bench (05-startup.bench.mjs): a process that does nothing but load
// elkjs the way flowlane does (vm.Script with a V8 code cache written after a layout, the same late
// tiering) and lay out the 50-node diagram's ELK graph once. No cold flowlane render can be faster.
// Usage: node bench/elk-cold.cjs GRAPH.json CACHE.v8
const { readFileSync, writeFileSync } = require('node:fs');
const { setFlagsFromString } = require('node:v8');
const { Script } = require('node:vm');

// flowlane's late tiering (INTERRUPT_BUDGET in src/cli/start.cts), set the same way, before ELK loads.
setFlagsFromString(`--interrupt-budget=${8 * 67584}`);

const [graphFile, cacheFile] = process.argv.slice(2);
const file = require.resolve('elkjs/lib/elk-worker.min.js');
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  // The first, untimed run writes it.
}
const script = new Script(`(function (exports, require, module) {${readFileSync(file, 'utf8')}\n})`, { filename: file, ...(cachedData ? { cachedData } : {}) });
const elk = { exports: {} };
script.runInThisContext()(elk.exports, require, elk);
const worker = new elk.exports.Worker();
let answer;
worker.onmessage = (event) => (answer = event.data);
worker.dispatcher.saveDispatch({ data: { cmd: 'register', id: 0, algorithms: ['layered'] } });
worker.dispatcher.saveDispatch({ data: { cmd: 'layout', id: 0, graph: JSON.parse(readFileSync(graphFile, 'utf8')) } });
if (answer?.error !== undefined || !answer?.data) throw new Error(`ELK failed: ${String(answer?.error)}`);
if (!cachedData || script.cachedDataRejected) writeFileSync(cacheFile, script.createCachedData());
