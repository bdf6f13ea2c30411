// Language server latency on a 2,000-node document, measured through a real LSP client over stdio
// against `node bin/flowlane.js lsp --stdio` (compiled dist/):
//   * edit to diagnostics: from sending a didChange to receiving publishDiagnostics for that version
//     (parse, FlowZap rules and the ASL-profile checks of a 2,000-state machine, plus the debounce);
//   * completion: a request after `->` (every node id offered) and one after `n1: ` (shapes).
// Targets on this machine: diagnostics under 30 ms, completion under 5 ms (median and p95 printed).
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** A state machine of `count` nodes over four lanes: start marker, a chain of states, end marker. */
export function generateMachine(count) {
  const lanes = [[], [], [], []];
  const laneOf = [];
  for (let i = 1; i <= count; i++) {
    const lane = Math.floor(((i - 1) * 4) / count);
    laneOf[i] = lane;
    let line;
    if (i === 1) line = `  n1: circle label:"Start" Comment:"bench"`;
    else if (i === count) line = `  n${i}: circle label:"End"`;
    else if (i % 3 === 0) line = `  n${i}: rectangle label:"Pass ${i}" Type:"Pass" Result:{"step":${i}}`;
    else line = `  n${i}: rectangle label:"Task ${i}" Type:"Task" Resource:"arn:aws:states:::lambda:invoke" Parameters:{"FunctionName":"f${i}"} Retry:[{"ErrorEquals":["States.ALL"],"MaxAttempts":2}]`;
    lanes[lane].push(line);
  }
  for (let i = 1; i < count; i++) {
    const to = laneOf[i + 1] === laneOf[i] ? `n${i + 1}` : `L${laneOf[i + 1]}.n${i + 1}`;
    lanes[laneOf[i]].push(`  n${i}.handle(right) -> ${to}.handle(left)`);
  }
  return lanes.map((l, i) => `L${i} { # Lane ${i}\n${l.join('\n')}\n}\n`).join('');
}

function stats(ms) {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return `median ${at(0.5).toFixed(2)} ms, p95 ${at(0.95).toFixed(2)} ms (n=${s.length})`;
}

export default async function bench() {
  const proc = spawn(process.execPath, [join(root, 'bin', 'flowlane.js'), 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createProtocolConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  const waiting = new Map();
  conn.onNotification('textDocument/publishDiagnostics', (p) => {
    const w = waiting.get(p.version);
    if (w) {
      waiting.delete(p.version);
      w(p);
    }
  });
  conn.onNotification('window/logMessage', () => {});
  conn.listen();
  // The default debounce of the server (15 ms) is part of what an editor sees, so it is kept.
  await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
  await conn.sendNotification('initialized', {});

  const count = 2000;
  const text = generateMachine(count);
  const lines = text.split('\n');
  const uri = 'file:///bench/machine.fz';
  const published = (version) => new Promise((resolve) => waiting.set(version, resolve));
  let version = 1;
  let p = published(1);
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'flowzap', version, text } });
  const first = await p;
  console.log(`document: ${count} nodes, ${lines.length} lines, ${(text.length / 1024).toFixed(0)} KiB; ${first.diagnostics.length} diagnostic(s) on open`);

  // Edits: type one character into a label on a line spread over the document, then delete it.
  const labelLines = lines.map((l, i) => [l, i]).filter(([l]) => l.includes('label:"Task'));
  const diag = [];
  for (let k = 0; k < 60; k++) {
    const [l, i] = labelLines[(k * 37) % labelLines.length];
    const character = l.indexOf('label:"') + 8;
    const insert = k % 2 === 0;
    const range = insert ? { start: { line: i, character }, end: { line: i, character } } : { start: { line: i, character }, end: { line: i, character: character + 1 } };
    version++;
    p = published(version);
    const t0 = performance.now();
    await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text: insert ? 'x' : '' }] });
    await p;
    diag.push(performance.now() - t0);
    // Let the previous round settle, as between keystrokes.
    if (!insert) await new Promise((r) => setTimeout(r, 5));
  }
  // After the insert/delete pairs the text is the original one again.

  // The ASL-profile checks run in a worker thread once the document is quiet; their diagnostics
  // follow the model's in a second publication for the same version.
  const aslLatency = [];
  for (let k = 0; k < 5; k++) {
    const [l, i] = labelLines[(k * 101) % labelLines.length];
    const character = l.indexOf('label:"') + 8;
    version++;
    let count = 0;
    const second = new Promise((resolve) => {
      const v = version;
      const wait = () => waiting.set(v, () => (++count === 2 ? resolve() : wait()));
      wait();
    });
    const t0 = performance.now();
    await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range: { start: { line: i, character }, end: { line: i, character } }, text: 'y' }] });
    await Promise.race([second, new Promise((r) => setTimeout(r, 10_000))]);
    aslLatency.push(performance.now() - t0);
  }

  const arrowLine = lines.findIndex((l) => l.includes('->'));
  const arrowAt = { line: arrowLine, character: lines[arrowLine].indexOf('->') + 3 };
  const shapeLine = lines.findIndex((l) => l.includes('n5: '));
  const shapeAt = { line: shapeLine, character: lines[shapeLine].indexOf(':') + 2 };
  const comp = [];
  const compShape = [];
  let items = 0;
  for (let k = 0; k < 200; k++) {
    let t0 = performance.now();
    const r = await conn.sendRequest('textDocument/completion', { textDocument: { uri }, position: arrowAt });
    comp.push(performance.now() - t0);
    items = r.items.length;
    t0 = performance.now();
    await conn.sendRequest('textDocument/completion', { textDocument: { uri }, position: shapeAt });
    compShape.push(performance.now() - t0);
  }
  console.log(`edit -> diagnostics:           ${stats(diag)}   (target < 30 ms)`);
  console.log(`edit -> ASL-profile diagnostics: ${stats(aslLatency)}   (worker thread, after ${120} ms of quiet)`);
  console.log(`completion after "->" (${items} items): ${stats(comp)}   (target < 5 ms)`);
  console.log(`completion of a shape:          ${stats(compShape)}   (target < 5 ms)`);
  await conn.sendRequest('shutdown');
  await conn.sendNotification('exit');
  conn.dispose();
  await new Promise((r) => proc.on('exit', r));
}
