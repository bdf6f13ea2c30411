// Properties of the language core, on generated input (fast-check):
// - no text makes `parseDiagram` throw, and every diagnostic range lies inside the text;
// - a generated model prints to text that parses back to the same model, without errors;
// - formatting is idempotent.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { LineIndex, type JsonValue, type Range } from '../../src/core/index.js';
import { makeAttribute, NO_RANGE, parseDiagram, withoutRanges, type Attribute, type Diagram, type DiagramNode, type Edge, type Lane, type Loop } from '../../src/model/index.js';
import { print } from '../../src/print/index.js';

function insideText(text: string, r: Range): boolean {
  const index = new LineIndex(text);
  const ok = (p: { line: number; character: number }) => {
    if (p.line < 0 || p.line >= index.lineCount || p.character < 0) return false;
    const start = index.lineStarts[p.line]!;
    const end = p.line + 1 < index.lineCount ? index.lineStarts[p.line + 1]! : text.length;
    return start + p.character <= end;
  };
  const ordered = r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character);
  return ok(r.start) && ok(r.end) && ordered;
}

// Pieces of FlowZap and JSON, so that random text often gets deep into the grammar.
const fragment = fc.constantFrom(
  'lane', ' {', ' # Label', '}', '\n', '\r\n', '\t', '  ', 'n1', 'n2', ': ', 'circle', 'rectangle', 'diamond', 'taskbox', 'shape',
  ' label:', ' label=', '"text"', '"open', '"a\\"b"', '\\', '.handle(', 'right', 'left', 'top', ')', ' -> ', 'other.', '[label="x"]',
  '[label:"y"]', '[', ']', 'loop [again] ', 'Type:', '"Task"', '{"a":[1,2,{"b":null}]}', '{', '[', ',', '1e3', '-', 'true', 'null',
  '// comment', '\u0000', '\uffff', '\ud800', 'é', '😀', '@', '=', ':', 'Iterator {', 'Choice={"Variable":"$.x"}',
);
const noisyText = fc.oneof(fc.string({ maxLength: 200 }), fc.array(fragment, { maxLength: 60 }).map((parts) => parts.join('')));

describe('parsing any text', () => {
  test('never throws, and every diagnostic range lies inside the text', () => {
    fc.assert(
      fc.property(noisyText, (text) => {
        const result = parseDiagram(text);
        for (const d of result.diagnostics) {
          expect(insideText(text, d.range)).toBe(true);
          for (const e of d.fix?.edits ?? []) expect(insideText(text, e.range)).toBe(true);
        }
      }),
      // Counterexamples found before, run every time: an edge whose arrow error recovery inserted.
      { numRuns: 1500, examples: [['other.lane\nlane']] },
    );
  });
});

// Generated models: ids are identifiers that are not keywords; texts avoid only what the syntax
// cannot carry (line breaks in comments, lane labels and loop texts; `]` in loop texts).
const KEYWORDS = new Set(['loop', 'handle', 'true', 'false', 'null']);
const ident = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,6}$/).filter((s) => !KEYWORDS.has(s));
const lineText = fc.string({ maxLength: 20 }).map((s) => s.replace(/[\r\n\u2028\u2029]/g, ' ').trim());
const anyText = fc.string({ maxLength: 24, unit: 'binary' });
const json: fc.Arbitrary<JsonValue> = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<JsonValue>;
const aslKey = fc.stringMatching(/^[A-Z][A-Za-z]{0,8}$/);
const direction = fc.constantFrom('left', 'right', 'top', 'bottom');
const shape = fc.constantFrom('circle', 'rectangle', 'diamond', 'taskbox');

interface Spec {
  lanes: { id: string; label?: string; comments: string[]; nodes: { shape: string; label?: string; owner?: string; asl: [string, JsonValue][]; comments: string[] }[] }[];
  edges: { from: number; to: number; fromHandle: string; toHandle: string; label?: string; asl: [string, JsonValue][]; topLevel: boolean }[];
  loops: { text: string; nodes: number[]; topLevel: boolean }[];
  trailing: string[];
}

const spec: fc.Arbitrary<Spec> = fc.record({
  lanes: fc.array(
    fc.record(
      {
        id: ident,
        label: lineText,
        comments: fc.array(lineText.map((s) => ' ' + s), { maxLength: 2 }),
        nodes: fc.array(
          fc.record(
            {
              shape,
              label: anyText,
              owner: anyText,
              asl: fc.uniqueArray(fc.tuple(aslKey, json), { maxLength: 3, selector: (t) => t[0] }),
              comments: fc.array(lineText.map((s) => ' ' + s), { maxLength: 1 }),
            },
            { requiredKeys: ['shape', 'asl', 'comments'] },
          ),
          { maxLength: 5 },
        ),
      },
      { requiredKeys: ['id', 'comments', 'nodes'] },
    ),
    { minLength: 1, maxLength: 4, selector: undefined },
  ),
  edges: fc.array(
    fc.record(
      { from: fc.nat(), to: fc.nat(), fromHandle: direction, toHandle: direction, label: anyText, asl: fc.uniqueArray(fc.tuple(aslKey, json), { maxLength: 2, selector: (t) => t[0] }), topLevel: fc.boolean() },
      { requiredKeys: ['from', 'to', 'fromHandle', 'toHandle', 'asl', 'topLevel'] },
    ),
    { maxLength: 8 },
  ),
  loops: fc.array(fc.record({ text: lineText.map((s) => s.replace(/\]/g, ')')), nodes: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), topLevel: fc.boolean() }), { maxLength: 2 }),
  trailing: fc.array(lineText.map((s) => ' ' + s), { maxLength: 2 }),
});

/** Builds a valid diagram (unique ids, known lanes) from a spec, as a converter would. */
function build(s: Spec): Diagram {
  const d: Diagram = { lanes: [], nodes: [], edges: [], loops: [], trailingComments: s.trailing.map((c) => c.trimEnd()) };
  const seenLanes = new Set<string>();
  let n = 0;
  for (const l of s.lanes) {
    if (seenLanes.has(l.id)) continue;
    seenLanes.add(l.id);
    const lane: Lane = { id: l.id, nodes: [], comments: l.comments.map((c) => c.trimEnd()), trailingComments: [], range: NO_RANGE, idRange: NO_RANGE };
    if (l.label !== undefined) lane.label = l.label;
    d.lanes.push(lane);
    for (const spec of l.nodes) {
      const attributes: Attribute[] = [];
      if (spec.label !== undefined) attributes.push(makeAttribute('label', spec.label));
      if (spec.owner !== undefined) attributes.push(makeAttribute('owner', spec.owner));
      for (const [k, v] of spec.asl) attributes.push(makeAttribute(k, v));
      const node: DiagramNode = { id: `n${++n}`, shape: spec.shape, lane: lane.id, attributes, comments: spec.comments.map((c) => c.trimEnd()), range: NO_RANGE, idRange: NO_RANGE, shapeRange: NO_RANGE };
      if (spec.label !== undefined) node.label = spec.label;
      lane.nodes.push(node.id);
      d.nodes.push(node);
    }
  }
  if (d.nodes.length === 0) return d;
  const pick = (i: number) => d.nodes[i % d.nodes.length]!;
  for (const e of s.edges) {
    const from = pick(e.from);
    const to = pick(e.to);
    const attributes: Attribute[] = [];
    if (e.label !== undefined) attributes.push(makeAttribute('label', e.label));
    for (const [k, v] of e.asl) attributes.push(makeAttribute(k, v));
    const edge: Edge = { from: { node: from.id, handle: e.fromHandle, nodeRange: NO_RANGE }, to: { node: to.id, handle: e.toHandle, nodeRange: NO_RANGE }, attributes, comments: [], range: NO_RANGE };
    if (e.label !== undefined) edge.label = e.label;
    if (!e.topLevel) edge.container = from.lane;
    d.edges.push(edge);
  }
  for (const l of s.loops) {
    const loop: Loop = { text: l.text, nodes: l.nodes.map((i) => pick(i).id), nodeRanges: l.nodes.map(() => NO_RANGE), comments: [], range: NO_RANGE, textRange: NO_RANGE };
    if (!l.topLevel) loop.container = pick(l.nodes[0]!).lane;
    d.loops.push(loop);
  }
  return d;
}

/** The edges and loops of a lane are printed inside it; the order across containers is the printer's. */
function canonicalOrder(d: Diagram): unknown {
  const m = withoutRanges(d) as Diagram;
  const rank = (container: string | undefined) => (container === undefined ? d.lanes.length : d.lanes.findIndex((l) => l.id === container));
  m.edges = [...m.edges].map((e, i) => ({ e, i })).sort((a, b) => rank(a.e.container) - rank(b.e.container) || a.i - b.i).map((x) => x.e);
  m.loops = [...m.loops].map((l, i) => ({ l, i })).sort((a, b) => rank(a.l.container) - rank(b.l.container) || a.i - b.i).map((x) => x.l);
  return m;
}

describe('generated models', () => {
  test('print, then parse, gives back the same model without errors', () => {
    fc.assert(
      fc.property(spec, (s) => {
        const model = build(s);
        const text = print(model);
        const back = parseDiagram(text);
        expect(back.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(withoutRanges(back.value)).toEqual(canonicalOrder(model));
      }),
      { numRuns: 400 },
    );
  });

  test('formatting is idempotent', () => {
    fc.assert(
      fc.property(spec, (s) => {
        const once = print(build(s));
        expect(print(parseDiagram(once).value)).toBe(once);
      }),
      { numRuns: 300 },
    );
  });
});
