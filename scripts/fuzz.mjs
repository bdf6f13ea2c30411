#!/usr/bin/env node
// Fuzzing as a habit: `npm run fuzz -- --count N --seed S [--jobs J] [--progress SECONDS] [--render-every K] [--no-shared] [--out DIR]`.
// --progress prints a line to stderr every SECONDS; Ctrl-C prints how far the run got and what it found.
// Mutates the examples (and, when present, the corpora in ../shared/corpus) and runs every stage on
// each mutant in-process (compiled dist/), checking the properties that must always hold:
//   - nothing throws (parse, check, format, toAsl, fromAsl, render, the editor features);
//   - nothing runs longer than 5 s (a watchdog thread restarts the run after the input that hung);
//   - format is idempotent, and toAsl(format(x)) equals toAsl(x);
//   - ASL: toAsl(fromAsl(x)) equals x for a definition with no errors;
//   - every rendered SVG (one input in --render-every) is well-formed XML.
// Input i is derived from (seed, i) alone, so any failure is reproduced by its seed and index.
// Prints the totals and exits 1 when a property failed; --out writes each failing input to a file.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { isDeepStrictEqual, parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const HANG_MS = 5000;
const SETUP_MS = 120_000;

/** The seed texts: examples (and their state machines) always; the shared corpora unless --no-shared. */
async function sources(shared) {
  const out = [];
  const { parseDiagram } = await import(join(root, 'dist', 'model', 'index.js'));
  const { toAsl } = await import(join(root, 'dist', 'asl', 'index.js'));
  const add = (dir, pattern, kind) => {
    if (!existsSync(dir)) return;
    for (const f of readdirSync(dir).sort()) if (pattern.test(f)) out.push({ name: join(dir, f), kind, text: readFileSync(join(dir, f), 'utf8') });
  };
  add(join(root, 'examples'), /\.fz$/, 'fz');
  for (const e of out.filter((x) => x.kind === 'fz')) {
    const converted = toAsl(parseDiagram(e.text).value, { validate: false });
    if (converted.value) out.push({ name: `${e.name} (to-asl)`, kind: 'asl', text: `${JSON.stringify(converted.value, null, 2)}\n` });
  }
  if (shared) {
    add(join(root, '..', 'shared', 'corpus', 'fz'), /\.fz$/, 'fz');
    add(join(root, '..', 'shared', 'corpus', 'asl'), /\.json$/, 'asl');
  }
  return out;
}

/** A small fast PRNG (mulberry32); one per input, seeded from (seed, index). */
function rng(seed, index) {
  let a = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35)) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Pieces that matter to the grammar and to ASL, inserted by the mutator.
const PIECES = ['{', '}', '[', ']', '"', '\\', '->', '.handle(', 'right)', 'left)', 'top)', 'bottom)', 'n1', 'n2', 'n99', '\n', '\r\n', '\r', '# ', '// ', ':', '=', 'label:"', '[label="', 'Type:"Choice"', 'Type:"Parallel" {', 'Type:"Map"', 'Next:"', 'End:true', 'loop [', 'circle', 'rectangle', 'diamond', 'taskbox', 'States.ALL', '$.x', '{% $x %}', '\u0000', '\ufffe', '\ud800', '→', '中文', 'ﷺ', '😀', '"Type":"Pass"', '"Next":', '"Branches":[', ',', 'null', 'true', '0', '-1', '1e309'];

function mutate(text, random) {
  let t = text;
  const steps = 1 + Math.floor(random() * 4);
  for (let s = 0; s < steps; s++) {
    const at = Math.floor(random() * (t.length + 1));
    const op = random();
    if (op < 0.3) t = t.slice(0, at) + PIECES[Math.floor(random() * PIECES.length)] + t.slice(at);
    else if (op < 0.55) t = t.slice(0, at) + t.slice(Math.min(t.length, at + 1 + Math.floor(random() * 40)));
    else if (op < 0.7) {
      const len = Math.floor(random() * 80);
      t = t.slice(0, at) + t.slice(at, at + len) + t.slice(at);
    } else if (op < 0.85) {
      const lines = t.split('\n');
      const i = Math.floor(random() * lines.length);
      const j = Math.floor(random() * lines.length);
      [lines[i], lines[j]] = [lines[j], lines[i]];
      t = lines.join('\n');
    } else t = t.slice(0, at) + String.fromCharCode(Math.floor(random() * 0x10000)) + t.slice(at + 1);
  }
  return t;
}

/** The input number `index`: a mutant of one of the sources. */
function inputAt(all, seed, index) {
  const random = rng(seed, index);
  const source = all[Math.floor(random() * all.length)];
  return { source, text: mutate(source.text, random), random };
}

// Characters outside XML 1.0's Char production, lone surrogates included.
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

async function worker() {
  const { seed, from, to, renderEvery, shared, progress } = workerData;
  const all = await sources(shared);
  const counter = new Int32Array(progress);
  const { parseDiagram } = await import(join(root, 'dist', 'model', 'index.js'));
  const { formatText, print } = await import(join(root, 'dist', 'print', 'index.js'));
  const asl = await import(join(root, 'dist', 'asl', 'index.js'));
  const api = await import(join(root, 'dist', 'api', 'index.js'));
  const lang = {
    ...(await import(join(root, 'dist', 'language', 'document.js'))),
    ...(await import(join(root, 'dist', 'language', 'completion.js'))),
    ...(await import(join(root, 'dist', 'language', 'navigation.js'))),
    ...(await import(join(root, 'dist', 'language', 'semantic-tokens.js'))),
    ...(await import(join(root, 'dist', 'language', 'outline.js'))),
    ...(await import(join(root, 'dist', 'language', 'actions.js'))),
  };
  const sax = (await import('sax')).default;
  const totals = { inputs: 0, fz: 0, asl: 0, formatted: 0, converted: 0, roundTrips: 0, rendered: 0, editor: 0 };
  const fail = (index, kind, message, text) => parentPort.postMessage({ type: 'failure', index, kind, message: String(message).slice(0, 300), text });
  const wellFormed = (svg) => {
    if (NOT_XML.test(svg)) return 'a character XML forbids';
    const p = sax.parser(true);
    let error;
    p.onerror = (e) => {
      error ??= e.message.split('\n')[0];
      p.resume();
    };
    p.write(svg).close();
    return error;
  };
  const errorsIn = (ds) => ds.some((d) => d.severity === 'error');

  // Loading the stages and the corpora, and each stage's first use (the validator compiles its
  // schemas, ELK and the fonts load), take seconds on a busy machine: the watchdog waits for them,
  // so that it times the work of one input and not a cold start.
  const warm = 'a { # A\n  n1: circle label:"Start"\n  n2: rectangle label:"Step"\n  n1.handle(right) -> n2.handle(left)\n}\n';
  const warmDiagram = parseDiagram(warm);
  formatText(warm);
  const warmAsl = asl.toAsl(warmDiagram.value, { validate: false });
  const warmText = JSON.stringify(warmAsl.value);
  const warmChecked = asl.checkAslText(warmText, { name: 'warm.asl.json' });
  if (warmChecked.value.definition !== undefined) asl.fromAsl(warmChecked.value.definition);
  lang.semanticTokens(lang.analyze(warm));
  await api.render(warmDiagram.value, { embedFont: false });
  await api.render(warmText, { language: 'asl', embedFont: false });
  parentPort.postMessage({ type: 'ready' });
  for (let index = from; index < to; index++) {
    Atomics.store(counter, 0, index);
    const { source, text, random } = inputAt(all, seed, index);
    totals.inputs++;
    let stage = 'start';
    try {
      if (source.kind === 'fz') {
        totals.fz++;
        stage = 'parse';
        const parsed = parseDiagram(text);
        stage = 'format';
        const f = formatText(text);
        if (f.ok) {
          totals.formatted++;
          const again = formatText(f.value);
          if (!again.ok || again.value !== f.value) fail(index, 'format not idempotent', 'format(format(x)) differs from format(x)', text);
        }
        if (!errorsIn(parsed.diagnostics)) {
          stage = 'toAsl';
          const a = asl.toAsl(parsed.value, { validate: false });
          totals.converted++;
          if (f.ok) {
            const b = asl.toAsl(parseDiagram(f.value).value, { validate: false });
            if (!isDeepStrictEqual(a.value, b.value)) fail(index, 'format changed meaning', 'toAsl(format(x)) differs from toAsl(x)', text);
          }
        }
        stage = 'editor';
        const analysis = lang.analyze(text);
        const lines = text.split('\n');
        const line = Math.floor(random() * lines.length);
        const pos = { line, character: Math.floor(random() * ((lines[line]?.length ?? 0) + 2)) };
        lang.complete(text, pos, analysis);
        lang.hover(analysis, pos);
        lang.definition(analysis, pos);
        lang.references(analysis, pos, true);
        lang.semanticTokens(analysis);
        lang.documentSymbols(analysis);
        lang.foldingRanges(analysis);
        lang.codeActions(analysis, { start: pos, end: pos }, analysis.diagnostics ?? [], 'file:///fuzz.fz');
        totals.editor++;
        if (index % renderEvery === 0) {
          stage = 'render';
          const r = await api.render(parsed.value, { embedFont: false, direction: random() < 0.5 ? 'right' : 'down' });
          if (r.ok) {
            totals.rendered++;
            const bad = wellFormed(r.value);
            if (bad) fail(index, 'SVG not well-formed', bad, text);
          }
        }
      } else {
        totals.asl++;
        stage = 'check';
        const checked = asl.checkAslText(text, { name: 'fuzz.asl.json' });
        const definition = checked.value.definition;
        if (definition !== undefined) {
          stage = 'fromAsl';
          const d = asl.fromAsl(definition);
          totals.converted++;
          if (!errorsIn(checked.diagnostics)) {
            stage = 'round trip';
            const back = asl.toAsl(parseDiagram(print(d.value)).value, { validate: false });
            totals.roundTrips++;
            if (!isDeepStrictEqual(back.value, definition)) fail(index, 'ASL round trip', 'toAsl(fromAsl(x)) differs from x', text);
          }
          if (index % renderEvery === 0) {
            stage = 'render';
            const r = await api.render(text, { language: 'asl', embedFont: false });
            if (r.ok) {
              totals.rendered++;
              const bad = wellFormed(r.value);
              if (bad) fail(index, 'SVG not well-formed', bad, text);
            }
          }
        }
      }
    } catch (e) {
      fail(index, `threw in ${stage}`, e instanceof Error ? `${e.message} ${e.stack?.split('\n')[1]?.trim() ?? ''}` : e, text);
    }
  }
  parentPort.postMessage({ type: 'done', totals });
}

async function main() {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '10000' },
      seed: { type: 'string', default: '1' },
      'render-every': { type: 'string', default: '50' },
      'no-shared': { type: 'boolean', default: false },
      out: { type: 'string' },
      json: { type: 'boolean', default: false },
      jobs: { type: 'string', default: '1' },
      progress: { type: 'string', default: '0' },
    },
  });
  const count = Number(values.count);
  const seed = Number(values.seed);
  const renderEvery = Math.max(1, Number(values['render-every']));
  const shared = !values['no-shared'];
  const jobs = Number(values.jobs);
  const progressEvery = Number(values.progress);
  if (!Number.isInteger(count) || count < 0 || !Number.isInteger(seed) || !Number.isInteger(jobs) || jobs < 1) {
    console.error('flowlane fuzz: --count, --seed and --jobs take integers (--jobs 1 or more)');
    process.exit(2);
  }
  if (!existsSync(join(root, 'dist', 'api', 'index.js'))) {
    console.error('flowlane fuzz: dist/ is missing; run npm run build first');
    process.exit(2);
  }
  const started = performance.now();
  const totals = { inputs: 0, fz: 0, asl: 0, formatted: 0, converted: 0, roundTrips: 0, rendered: 0, editor: 0, hangs: 0, crashes: 0 };
  const failures = [];
  const all = await sources(shared);
  // Contiguous slices of the inputs, one worker (and one watchdog) each: input i is the same input
  // whatever --jobs is, so a failure is reproduced by its seed and index alone.
  const slice = Math.ceil(count / jobs);
  const slices = [];
  // Where each slice's worker is (its shared counter), for --progress lines and a summary on Ctrl-C.
  const positions = [];
  const done = () => positions.reduce((n, p) => n + (Atomics.load(p.counter, 0) - p.start), 0);
  const failuresSoFar = () => positions.reduce((n, p) => n + p.failures.length, 0);
  const progressLine = (what) => `fuzz: ${what}: ${done().toLocaleString('en-US')} of ${count.toLocaleString('en-US')} inputs in ${((performance.now() - started) / 1000).toFixed(0)} s, ${failuresSoFar()} failures so far`;
  const ticker = progressEvery > 0 ? setInterval(() => console.error(progressLine('progress')), progressEvery * 1000) : undefined;
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      console.error(progressLine(`stopped by ${signal}`));
      for (const p of positions) for (const f of p.failures.slice(0, 10)) console.error(`  input ${f.index}: ${f.kind}: ${f.message}`);
      process.exit(130);
    });
  }
  for (let from = 0; from < count; from += slice) slices.push(runSlice(from, Math.min(count, from + slice)));
  const results = await Promise.all(slices);
  if (ticker) clearInterval(ticker);
  for (const r of results) {
    for (const [k, v] of Object.entries(r.totals)) totals[k] += v;
    failures.push(...r.failures);
  }
  failures.sort((a, b) => a.index - b.index);

  /** Runs inputs [from, to) in a worker, starting a new worker after an input that hung or crashed it. */
  async function runSlice(from, to) {
    const mine = { inputs: 0, fz: 0, asl: 0, formatted: 0, converted: 0, roundTrips: 0, rendered: 0, editor: 0, hangs: 0, crashes: 0 };
    const found = [];
    const position = { start: from, counter: new Int32Array(1), failures: found };
    positions.push(position);
    while (from < to) {
      const progress = new SharedArrayBuffer(4);
      const counter = new Int32Array(progress);
      Atomics.store(counter, 0, from);
      position.counter = counter;
      const w = new Worker(fileURLToPath(import.meta.url), { workerData: { seed, from, to, renderEvery, shared, progress } });
      const result = await new Promise((resolve) => {
        let last = from;
        let since = performance.now();
        let ready = false;
        const watch = setInterval(() => {
          if (!ready) {
            if (performance.now() - since < SETUP_MS) return;
            clearInterval(watch);
            void w.terminate();
            resolve({ crashedAt: from, error: new Error(`the worker was not ready after ${SETUP_MS / 1000} s`) });
            return;
          }
          const now = Atomics.load(counter, 0);
          if (now !== last) {
            last = now;
            since = performance.now();
          } else if (performance.now() - since > HANG_MS) {
            clearInterval(watch);
            void w.terminate();
            resolve({ hungAt: now });
          }
        }, 100);
        w.on('message', (m) => {
          if (m.type === 'ready') {
            ready = true;
            since = performance.now();
          } else if (m.type === 'failure') found.push(m);
          else if (m.type === 'done') {
            clearInterval(watch);
            resolve({ totals: m.totals });
          }
        });
        w.on('error', (e) => {
          clearInterval(watch);
          resolve({ crashedAt: Atomics.load(counter, 0), error: e });
        });
      });
      if (result.totals) {
        for (const [k, v] of Object.entries(result.totals)) mine[k] += v;
        break;
      }
      const at = result.hungAt ?? result.crashedAt;
      const { text } = inputAt(all, seed, at);
      if (result.hungAt !== undefined) {
        mine.hangs++;
        found.push({ index: at, kind: 'hang', message: `no progress for ${HANG_MS / 1000} s`, text });
      } else {
        mine.crashes++;
        found.push({ index: at, kind: 'worker crashed', message: String(result.error?.message ?? result.error), text });
      }
      // The inputs before it ran (their totals died with the worker: count them as inputs only).
      mine.inputs += at - from + 1;
      from = at + 1;
    }
    return { totals: mine, failures: found };
  }
  const seconds = (performance.now() - started) / 1000;
  if (values.out && failures.length > 0) {
    mkdirSync(values.out, { recursive: true });
    for (const f of failures) writeFileSync(join(values.out, `seed${seed}-input${f.index}.txt`), f.text);
  }
  const kinds = {};
  for (const f of failures) kinds[f.kind] = (kinds[f.kind] ?? 0) + 1;
  if (values.json) console.log(JSON.stringify({ seed, count, seconds, totals, failures: kinds, examples: failures.slice(0, 10).map(({ text: _t, ...f }) => f) }));
  else {
    console.log(`fuzz: seed ${seed}, ${totals.inputs} inputs (${totals.fz} .fz, ${totals.asl} ASL) in ${seconds.toFixed(1)} s: ${totals.formatted} formatted, ${totals.converted} converted, ${totals.roundTrips} ASL round trips, ${totals.editor} editor passes, ${totals.rendered} SVGs rendered`);
    console.log(`fuzz: ${failures.length} failures${failures.length ? `: ${JSON.stringify(kinds)}` : ''}`);
    for (const f of failures.slice(0, 10)) console.log(`  input ${f.index}: ${f.kind}: ${f.message}`);
  }
  process.exit(failures.length > 0 ? 1 : 0);
}

if (isMainThread) await main();
else await worker();
