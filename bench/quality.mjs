// `npm run quality`: drawing-quality figures (bench/quality-metrics.mjs) over the examples and the
// shared corpus, both directions, and for ASL both lane modes, as one table per corpus.
// Usage: node bench/quality.mjs [--asl-step N] [--json] [--worst K]
//   --asl-step N  every Nth distinct ASL state machine of at least 6 states (default 1: all 97)
//   --worst K     also list the K drawings with the most bends per corpus and direction
//   --rows        print every drawing's figures as one JSON line instead (to diff two builds)
// Runs the compiled code in dist/ (npm run quality builds it first).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { aslQualityPicks, measureDrawing, totals } from './quality-metrics.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { diagramOf } = await import(join(root, 'dist/api/index.js'));
const { layout } = await import(join(root, 'dist/layout/index.js'));

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const aslStep = Number(opt('--asl-step', '1'));
const worst = Number(opt('--worst', '0'));
const asJson = args.includes('--json');
const perRow = args.includes('--rows');

/** Sources per corpus: { corpus, name, text, language, lanes? }. */
function sources() {
  const out = [];
  for (const f of readdirSync(join(root, 'examples')).filter((x) => x.endsWith('.fz')).sort()) {
    out.push({ corpus: 'examples', name: f, text: readFileSync(join(root, 'examples', f), 'utf8'), language: 'fz' });
  }
  const corpus = join(root, '../shared/corpus');
  const fz = join(corpus, 'fz');
  if (existsSync(fz)) {
    for (const f of readdirSync(fz).filter((x) => x.endsWith('.fz')).sort()) out.push({ corpus: 'fz', name: f, text: readFileSync(join(fz, f), 'utf8'), language: 'fz' });
  }
  const asl = join(corpus, 'asl');
  if (existsSync(join(asl, 'MANIFEST.tsv'))) {
    // Distinct state machines (one per near-duplicate group) of at least 6 states: the ones with a layout to judge.
    aslQualityPicks(readFileSync(join(asl, 'MANIFEST.tsv'), 'utf8')).forEach((file, i) => {
      if (i % aslStep !== 0) return;
      const text = readFileSync(join(asl, file), 'utf8');
      for (const lanes of ['single', 'service']) out.push({ corpus: `asl-${lanes}`, name: file, text, language: 'asl', lanes });
    });
  }
  return out;
}

const rows = [];
for (const s of sources()) {
  const d = diagramOf(s.text, { language: s.language, ...(s.lanes ? { lanes: s.lanes } : {}) });
  if (!d.ok || !d.value) continue;
  const sizes = {};
  for (const direction of ['right', 'down']) {
    const t0 = performance.now();
    const laid = await layout(d.value, { direction });
    const ms = performance.now() - t0;
    const f = measureDrawing(laid);
    sizes[direction] = Math.max(f.width, f.height);
    rows.push({ corpus: s.corpus, name: s.name, direction, ms, ...f });
  }
  // How much bigger the down drawing is than the right one (its larger side over the right's).
  rows[rows.length - 1].downOverRight = sizes.down / Math.max(1, sizes.right);
}

const groups = new Map();
for (const r of rows) {
  const k = `${r.corpus} ${r.direction}`;
  (groups.get(k) ?? groups.set(k, []).get(k)).push(r);
}
const table = [];
for (const [k, list] of groups) {
  const [corpus, direction] = k.split(' ');
  const t = totals(list);
  const ratios = list.filter((r) => r.downOverRight !== undefined).map((r) => r.downOverRight);
  table.push({ corpus, direction, ...t, maxDownOverRight: ratios.length ? Math.round(Math.max(...ratios) * 100) / 100 : undefined, ms: Math.round(list.reduce((s, r) => s + r.ms, 0)) });
}

if (perRow) {
  for (const r of rows) console.log(JSON.stringify({ corpus: r.corpus, name: r.name, direction: r.direction, bends: r.bends, jogs: r.jogs, crossings: r.crossings, overlaps: r.overlaps, joins: r.joins, straight: r.straight, intrusions: r.intrusions, handoffs: r.handoffs, straightHandoffs: r.straightHandoffs, width: r.width, height: r.height }));
} else if (asJson) {
  console.log(JSON.stringify(table, null, 2));
} else {
  console.log('| corpus | dir | drawings | edges | bends/edge | jogs<12 | crossings | overlaps>20 (unrelated) | joins 4-20 px | straight | over 4 bends | handoffs straight | single-step straight | one flow step straight | one-to-one straight | routes through labels | loop intrusions | median aspect | max side | down/right max | median node area | layout ms |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  const pct = (x) => `${Math.round(x * 100)} %`;
  for (const t of table) {
    console.log(`| ${t.corpus} | ${t.direction} | ${t.drawings} | ${t.edges} | ${t.bendsPerEdge} | ${t.jogs} | ${t.crossings} | ${t.overlaps} (${t.unrelatedOverlaps}) | ${t.joins} | ${pct(t.straightShare)} | ${t.crooked} | ${pct(t.straightHandoffShare)} of ${t.handoffs} | ${pct(t.straightStepHandoffShare)} of ${t.stepHandoffs} | ${pct(t.straightFlowStepHandoffShare)} of ${t.flowStepHandoffs} | ${pct(t.straightSoleHandoffShare)} of ${t.soleHandoffs} | ${t.labelHits} | ${t.intrusions} | ${t.medianAspect} | ${t.maxSide} | ${t.maxDownOverRight ?? ''} | ${pct(t.medianNodeShare)} | ${t.ms} |`);
  }
  // Issue 13's handoff target is over the real corpora together (the examples are ours), per direction.
  for (const [scope, keep] of [['all corpora', () => true], ['the real corpora (FlowZap, ASL)', (r) => r.corpus !== 'examples']]) {
    for (const direction of ['right', 'down']) {
      const t = totals(rows.filter((r) => r.direction === direction && keep(r)));
      console.log(`${scope === 'all corpora' && direction === 'right' ? '\n' : ''}handoffs over ${scope}, ${direction}: ${pct(t.straightHandoffShare)} of ${t.handoffs} straight; single-step (no fan or merge at either handle) ${pct(t.straightStepHandoffShare)} of ${t.stepHandoffs}; of those one flow step (the target not also reached by a longer way) ${pct(t.straightFlowStepHandoffShare)} of ${t.flowStepHandoffs}; one-to-one ${pct(t.straightSoleHandoffShare)} of ${t.soleHandoffs}`);
    }
  }
  if (worst > 0) {
    for (const [k, list] of groups) {
      const top = [...list].sort((a, b) => b.bends / Math.max(1, b.edges) - a.bends / Math.max(1, a.edges)).slice(0, worst);
      console.log(`\n${k}: most bends per edge`);
      for (const r of top) console.log(`  ${r.name}: ${(r.bends / Math.max(1, r.edges)).toFixed(1)} bends/edge, ${r.jogs} jogs, ${r.crossings} crossings, ${r.width}×${r.height}`);
    }
  }
}
