// `.fz` -> ASL -> `.fz` gives back the same model for every example written in the ASL profile:
// the same states (label, shape, ASL fields, nesting), the same markers and the same transitions
// (with their Choice rules, Default and Catch data, in order), whatever ids, lanes and handles
// from-asl chooses for its own drawing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { fromAsl, toAsl } from '../../src/asl/index.js';
import { DiagramIndex, isAslKey, parseDiagram, type Diagram } from '../../src/model/index.js';
import { exampleFiles, examplesDir } from '../helpers/paths.js';

/** The meaning of a diagram, without ids, lanes and handles. */
function meaning(d: Diagram) {
  const index = new DiagramIndex(d);
  const path = (id: string) =>
    [...index.ownerChain(id).map((o) => o.label ?? o.id), index.laneOf(id)?.parent !== undefined ? `#${index.nestedLanes(index.laneOf(id)!.parent!).indexOf(index.laneOf(id)!)}` : ''].join('/');
  const key = (id: string) => {
    const n = index.node(id)!;
    return `${path(id)}:${n.label ?? ''}`;
  };
  // A start marker and "the first state of the scope" say the same: keep only where a scope starts
  // and the marker's fields (the scope's own fields).
  const isStart = (id: string) => {
    const n = index.node(id)!;
    return n.shape === 'circle' && !n.attributes.some((a) => a.key === 'Type') && index.in(id).length === 0 && index.out(id).length > 0;
  };
  const scopes: Record<string, { startAt: string; fields: Record<string, unknown> }> = {};
  for (const n of d.nodes) {
    const scope = path(n.id);
    if (isStart(n.id)) scopes[scope] = { startAt: key(index.out(n.id)[0]!.to.node), fields: Object.fromEntries(n.attributes.filter((a) => isAslKey(a.key)).map((a) => [a.key, a.value])) };
  }
  for (const n of d.nodes) {
    const scope = path(n.id);
    if (!scopes[scope] && n.attributes.some((a) => a.key === 'Type')) scopes[scope] = { startAt: key(n.id), fields: {} };
  }
  const states = d.nodes.filter((n) => !isStart(n.id)).map((n) => ({
    key: key(n.id),
    shape: n.shape,
    fields: Object.fromEntries(n.attributes.filter((a) => isAslKey(a.key)).map((a) => [a.key, a.value])),
    nested: n.block ? n.block.lanes.length : 0,
  }));
  states.sort((a, b) => a.key.localeCompare(b.key));
  // Markers with the same label in one scope are one marker for meaning's sake.
  const unique = states.filter((s, i) => i === 0 || s.key !== states[i - 1]!.key);
  const edges = d.edges.filter((e) => !isStart(e.from.node)).map((e) => ({
    from: key(e.from.node),
    to: key(e.to.node),
    data: Object.fromEntries(e.attributes.filter((a) => isAslKey(a.key)).map((a) => [a.key, a.value])),
  }));
  const order = (e: (typeof edges)[number]) => `${e.from}>${e.to}>${JSON.stringify(e.data)}`;
  // Plain transitions are a set; the order of Choice and Catch edges out of a node is meaningful.
  const ordered = edges.filter((e) => Object.keys(e.data).length > 0);
  const plain = [...new Set(edges.filter((e) => Object.keys(e.data).length === 0).map(order))].sort();
  return { scopes, states: unique, plain, ordered: groupByFrom(ordered) };
}

function groupByFrom<T extends { from: string }>(edges: T[]): Record<string, T[]> {
  const out: Record<string, T[]> = {};
  for (const e of edges) (out[e.from] ??= []).push(e);
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

const profileExamples = exampleFiles().filter((f) => readFileSync(join(examplesDir, f), 'utf8').includes('Type:"'));

describe('.fz -> ASL -> .fz keeps the model', () => {
  test('there are ASL-profile examples', () => {
    expect(profileExamples.length).toBeGreaterThanOrEqual(6);
  });

  test.each(profileExamples)('%s', (file) => {
    const original = parseDiagram(readFileSync(join(examplesDir, file), 'utf8')).value;
    const asl = toAsl(original);
    expect(asl.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const back = fromAsl(asl.value);
    expect(back.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(meaning(back.value)).toEqual(meaning(original));
  });
});
