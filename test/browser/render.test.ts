// Renders every example and a sample of ../shared/corpus (fz and ASL) in headless Chromium and
// checks the pictures the way a reader would, measuring in the browser (getBBox, path geometry,
// with the embedded font loaded): no label overflows its shape, no two nodes overlap, every node
// lies inside its lane, no edge passes through a node, every edge leaves and enters on the side its
// handle names, no edge label overlaps a node or another label, every loop frame holds its nodes
// and its border and tab clear every other node and label. Edge crossings are counted and
// printed per diagram. One browser is shared by the whole file.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { parseDiagram } from '../../src/model/index.js';
import { layout } from '../../src/layout/index.js';
import { renderSvg } from '../../src/render/index.js';
import { corpusSample, examples, generatedDiagram } from '../render/helpers.js';
import { launchChromium } from '../helpers/browser.js';


let browser: Browser | undefined;
let page: Page | undefined;

beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.newPage();
  await page.setContent('<!doctype html><html><body style="margin:0"></body></html>');
});

afterAll(async () => {
  await browser?.close();
});

interface Report {
  parseError?: string;
  fontLoaded: boolean;
  nodes: number;
  edges: number;
  crossings: number;
  violations: string[];
  scripts: number;
  eventAttributes: number;
}

/** Runs in the page: parses the SVG as XML, shows it, loads its font, measures everything. */
async function inspect(svgText: string): Promise<Report> {
  const doc = new DOMParser().parseFromString(svgText, 'image/svg+xml');
  const err = doc.querySelector('parsererror');
  const empty = { fontLoaded: false, nodes: 0, edges: 0, crossings: 0, violations: [], scripts: 0, eventAttributes: 0 };
  if (err) return { ...empty, parseError: err.textContent ?? 'parse error' };
  document.body.innerHTML = '';
  const svg = document.importNode(doc.documentElement, true) as unknown as SVGSVGElement;
  document.body.appendChild(svg);
  const scripts = svg.querySelectorAll('script').length;
  let eventAttributes = 0;
  for (const el of Array.from(svg.querySelectorAll('*'))) for (const a of Array.from(el.attributes)) if (/^on/i.test(a.name)) eventAttributes++;
  // Each embedded subset has a family of its own (Inter-<hash of its glyphs>).
  const family = /@font-face\{font-family:'([^']+)'/.exec(svgText)?.[1] ?? 'Inter';
  await document.fonts.load(`400 13px '${family}'`, 'Ab');
  await document.fonts.load(`600 13px '${family}'`, 'Ab');
  await document.fonts.ready;
  const fontLoaded = family.startsWith('Inter-') && document.fonts.check(`400 13px '${family}'`) && [...document.fonts].some((f) => f.family.replace(/['"]/g, '') === family && f.status === 'loaded');

  type B = { x: number; y: number; width: number; height: number };
  const bbox = (el: Element): B => {
    const b = (el as SVGGraphicsElement).getBBox();
    return { x: b.x, y: b.y, width: b.width, height: b.height };
  };
  const violations: string[] = [];
  const TOL = 0.75;
  const inside = (a: B, b: B, tol = TOL): boolean => a.x >= b.x - tol && a.y >= b.y - tol && a.x + a.width <= b.x + b.width + tol && a.y + a.height <= b.y + b.height + tol;
  const overlap = (a: B, b: B, tol = 0.5): boolean => a.x < b.x + b.width - tol && b.x < a.x + a.width - tol && a.y < b.y + b.height - tol && b.y < a.y + a.height - tol;
  const fmt = (b: B): string => `[${b.x.toFixed(1)},${b.y.toFixed(1)} ${b.width.toFixed(1)}x${b.height.toFixed(1)}]`;

  const nodes = Array.from(svg.querySelectorAll('g.fz-node')) as SVGGElement[];
  const shapeOf = new Map<Element, B>();
  for (const g of nodes) {
    const shape = g.querySelector(':scope > .fz-shape');
    if (!shape) {
      violations.push(`node ${g.dataset.id}: no .fz-shape`);
      continue;
    }
    shapeOf.set(g, bbox(shape));
  }

  // 1. Labels inside their shapes.
  for (const g of nodes) {
    const s = shapeOf.get(g);
    if (!s) continue;
    const shape = g.dataset.shape;
    const kind = g.dataset.kind;
    for (const t of Array.from(g.querySelectorAll(':scope > text'))) {
      const b = bbox(t);
      if (b.width === 0) continue;
      let ok: boolean;
      if (kind === 'container' || shape === 'rectangle' || shape === 'taskbox') ok = inside(b, s);
      else if (shape === 'circle') {
        const cx = s.x + s.width / 2;
        const cy = s.y + s.height / 2;
        const r = s.width / 2 + TOL;
        ok = [
          [b.x, b.y],
          [b.x + b.width, b.y],
          [b.x, b.y + b.height],
          [b.x + b.width, b.y + b.height],
        ].every(([x, y]) => Math.hypot(x! - cx, y! - cy) <= r);
      } else {
        const cx = s.x + s.width / 2;
        const cy = s.y + s.height / 2;
        ok = [
          [b.x, b.y],
          [b.x + b.width, b.y],
          [b.x, b.y + b.height],
          [b.x + b.width, b.y + b.height],
        ].every(([x, y]) => Math.abs(x! - cx) / (s.width / 2) + Math.abs(y! - cy) / (s.height / 2) <= 1 + 0.02);
      }
      if (!ok) violations.push(`label of ${g.dataset.id} (${shape}) overflows: text ${fmt(b)} shape ${fmt(s)} "${t.textContent?.slice(0, 30)}"`);
    }
  }

  // 2. No two nodes overlap (a container holds its nested nodes: those pairs are skipped).
  for (let i = 0; i < nodes.length; i++) {
    for (let j = i + 1; j < nodes.length; j++) {
      const a = nodes[i]!;
      const b = nodes[j]!;
      if (a.contains(b) || b.contains(a)) continue;
      const sa = shapeOf.get(a);
      const sb = shapeOf.get(b);
      if (sa && sb && overlap(sa, sb)) violations.push(`nodes ${a.dataset.id} and ${b.dataset.id} overlap`);
    }
  }

  // 3. Every node inside its lane.
  for (const g of nodes) {
    const lane = g.parentElement?.closest('g.fz-lane');
    const body = lane?.querySelector(':scope > .fz-lane-body');
    const s = shapeOf.get(g);
    if (!lane || !body || !s) {
      violations.push(`node ${g.dataset.id}: not in a lane group`);
      continue;
    }
    if (!inside(s, bbox(body), 0.01)) violations.push(`node ${g.dataset.id} ${fmt(s)} outside lane ${(lane as SVGGElement).dataset.id} ${fmt(bbox(body))}`);
  }

  // 4–6. Edges.
  const byId = new Map(nodes.map((g) => [g.dataset.id!, g]));
  const edges = Array.from(svg.querySelectorAll('g.fz-edge')) as SVGGElement[];
  const labelBoxes: { edge: SVGGElement; box: B }[] = [];
  const segments: { edge: number; x1: number; y1: number; x2: number; y2: number }[] = [];
  edges.forEach((e, ei) => {
    const path = e.querySelector(':scope > .fz-edge-path') as SVGPathElement | null;
    const from = byId.get(e.dataset.from!);
    const to = byId.get(e.dataset.to!);
    if (!path || !from || !to) {
      violations.push(`edge ${e.dataset.from}->${e.dataset.to}: missing path or node`);
      return;
    }
    const total = path.getTotalLength();
    // A Catch line's dashes are counted back from its end (its offset makes the pattern end at a
    // period's start), so the lines of one bundle dash in step on the run they share.
    if (e.classList.contains('fz-edge-catch')) {
      const period = 10;
      const phase = (((total + Number(path.getAttribute('stroke-dashoffset') ?? 'NaN')) % period) + period) % period;
      if (!(Math.min(phase, period - phase) < 0.25)) violations.push(`catch edge ${e.dataset.from}->${e.dataset.to}: dashes end at phase ${phase.toFixed(2)} of ${period}`);
    }
    const name = `${e.dataset.from}.${e.dataset.fromHandle} -> ${e.dataset.to}.${e.dataset.toHandle}`;
    // The side an end lies on, and the direction it must point.
    const onSide = (p: DOMPoint, q: DOMPoint, s: B, side: string, kind: string | undefined): boolean => {
      const tol = 1.5;
      // On a circle or a diamond, an end spread off the middle (spreadPorts, spreadSharedEnds)
      // lies on the outline, in the part facing the side, and points straight out of that side.
      if (kind === 'circle' || kind === 'diamond') {
        const [hw, hh] = [s.width / 2, s.height / 2];
        const [dx, dy] = [p.x - (s.x + hw), p.y - (s.y + hh)];
        const off = kind === 'circle' ? Math.abs(Math.hypot(dx, dy) - Math.min(hw, hh)) : Math.abs(Math.abs(dx) / hw + Math.abs(dy) / hh - 1) * Math.min(hw, hh);
        if (off > tol) return false;
        if (side === 'left') return dx <= -0.4 * hw && q.x < p.x - 0.1 && Math.abs(q.y - p.y) < 0.1;
        if (side === 'right') return dx >= 0.4 * hw && q.x > p.x + 0.1 && Math.abs(q.y - p.y) < 0.1;
        if (side === 'top') return dy <= -0.4 * hh && q.y < p.y - 0.1 && Math.abs(q.x - p.x) < 0.1;
        return dy >= 0.4 * hh && q.y > p.y + 0.1 && Math.abs(q.x - p.x) < 0.1;
      }
      const inX = p.x >= s.x - tol && p.x <= s.x + s.width + tol;
      const inY = p.y >= s.y - tol && p.y <= s.y + s.height + tol;
      if (side === 'left') return Math.abs(p.x - s.x) <= tol && inY && q.x < p.x - 0.1;
      if (side === 'right') return Math.abs(p.x - (s.x + s.width)) <= tol && inY && q.x > p.x + 0.1;
      if (side === 'top') return Math.abs(p.y - s.y) <= tol && inX && q.y < p.y - 0.1;
      return Math.abs(p.y - (s.y + s.height)) <= tol && inX && q.y > p.y + 0.1;
    };
    if (total > 0 && from !== to) {
      const step = Math.min(2, total / 2);
      if (!onSide(path.getPointAtLength(0), path.getPointAtLength(step), shapeOf.get(from)!, e.dataset.fromHandle!, (from as HTMLElement).dataset.shape)) violations.push(`edge ${name} does not leave by ${e.dataset.fromHandle}`);
      if (!onSide(path.getPointAtLength(total), path.getPointAtLength(total - step), shapeOf.get(to)!, e.dataset.toHandle!, (to as HTMLElement).dataset.shape)) violations.push(`edge ${name} does not enter by ${e.dataset.toHandle}`);
    }
    // Through a node: sample the path; the edge's own ends and the containers around it are exempt.
    const others = nodes.filter((g) => g !== from && g !== to && !g.contains(e));
    for (let l = 0; l <= total; l += 3) {
      const p = path.getPointAtLength(l);
      for (const g of others) {
        const s = shapeOf.get(g)!;
        if (p.x > s.x + 2 && p.x < s.x + s.width - 2 && p.y > s.y + 2 && p.y < s.y + s.height - 2) {
          violations.push(`edge ${name} passes through node ${g.dataset.id} at ${p.x.toFixed(1)},${p.y.toFixed(1)}`);
          l = total + 1;
          break;
        }
      }
    }
    const label = e.querySelector(':scope > .fz-edge-label > rect');
    if (label) labelBoxes.push({ edge: e, box: bbox(label) });
    // Corner points of the route: M, each Q's control point, and the last point.
    const nums = (path.getAttribute('d') ?? '').match(/[MLQ]|-?\d+(\.\d+)?/g) ?? [];
    const corners: [number, number][] = [];
    let cmd = '';
    const vals: number[] = [];
    for (const tok of nums) {
      if (/[MLQ]/.test(tok)) {
        cmd = tok;
        vals.length = 0;
        continue;
      }
      vals.push(Number(tok));
      if (cmd === 'M' && vals.length === 2) corners.push([vals[0]!, vals[1]!]);
      if (cmd === 'Q' && vals.length === 4) corners.push([vals[0]!, vals[1]!]);
      if (cmd === 'L' && vals.length === 2) vals.length = 0;
    }
    const m = (path.getAttribute('d') ?? '').match(/(-?\d+(?:\.\d+)?) (-?\d+(?:\.\d+)?)$/);
    if (m) corners.push([Number(m[1]), Number(m[2])]);
    for (let k = 1; k < corners.length; k++) segments.push({ edge: ei, x1: corners[k - 1]![0], y1: corners[k - 1]![1], x2: corners[k]![0], y2: corners[k]![1] });
  });
  for (const { edge, box } of labelBoxes) {
    for (const g of nodes) {
      if (g.contains(edge)) continue;
      if (overlap(box, shapeOf.get(g)!)) violations.push(`label of edge ${edge.dataset.from}->${edge.dataset.to} overlaps node ${g.dataset.id}`);
    }
  }
  for (let i = 0; i < labelBoxes.length; i++)
    for (let j = i + 1; j < labelBoxes.length; j++)
      if (overlap(labelBoxes[i]!.box, labelBoxes[j]!.box)) violations.push(`labels of ${labelBoxes[i]!.edge.dataset.from}->${labelBoxes[i]!.edge.dataset.to} and ${labelBoxes[j]!.edge.dataset.from}->${labelBoxes[j]!.edge.dataset.to} overlap`);

  // 7. Loop frames: every member inside its frame; the tab covers no node, edge label or other tab;
  // the frame's border cuts through no node and no edge label (each lies wholly inside or outside).
  const loops = Array.from(svg.querySelectorAll('g.fz-loop')) as SVGGElement[];
  const tabs: { loop: string; box: B }[] = [];
  for (const g of loops) {
    const name = `loop ${g.dataset.index}`;
    const frameEl = g.querySelector(':scope > .fz-loop-frame');
    const tabEl = g.querySelector(':scope > .fz-loop-tab');
    if (!frameEl || !tabEl) {
      violations.push(`${name}: no frame or tab`);
      continue;
    }
    const frame = bbox(frameEl);
    const tab = bbox(tabEl);
    tabs.push({ loop: name, box: tab });
    const members = new Set((g.dataset.nodes ?? '').split(' ').filter((x) => x !== ''));
    for (const id of members) {
      const m = byId.get(id);
      if (m && !inside(shapeOf.get(m)!, frame)) violations.push(`${name}: member ${id} outside its frame`);
    }
    for (const node of nodes) {
      const s = shapeOf.get(node)!;
      if (inside(frame, s, 0)) continue; // a container around the loop
      if (overlap(tab, s)) violations.push(`${name}: tab overlaps node ${node.dataset.id}`);
      if (overlap(frame, s) && !inside(s, frame)) violations.push(`${name}: frame cuts node ${node.dataset.id} ${fmt(s)} frame ${fmt(frame)}`);
    }
    for (const { edge, box } of labelBoxes) {
      const label = `${edge.dataset.from}->${edge.dataset.to}`;
      if (overlap(tab, box)) violations.push(`${name}: tab overlaps the label of edge ${label}`);
      if (overlap(frame, box) && !inside(box, frame)) violations.push(`${name}: frame cuts the label of edge ${label}`);
    }
  }
  for (let i = 0; i < tabs.length; i++)
    for (let j = i + 1; j < tabs.length; j++) if (overlap(tabs[i]!.box, tabs[j]!.box)) violations.push(`${tabs[i]!.loop} and ${tabs[j]!.loop}: tabs overlap`);

  // Crossings: a horizontal and a vertical segment of two different edges meeting strictly inside both.
  let crossings = 0;
  for (let i = 0; i < segments.length; i++) {
    for (let j = i + 1; j < segments.length; j++) {
      const a = segments[i]!;
      const b = segments[j]!;
      if (a.edge === b.edge) continue;
      const ah = Math.abs(a.y1 - a.y2) < 0.01;
      const bh = Math.abs(b.y1 - b.y2) < 0.01;
      if (ah === bh) continue;
      const h = ah ? a : b;
      const v = ah ? b : a;
      const x = v.x1;
      const y = h.y1;
      const inH = x > Math.min(h.x1, h.x2) + 0.5 && x < Math.max(h.x1, h.x2) - 0.5;
      const inV = y > Math.min(v.y1, v.y2) + 0.5 && y < Math.max(v.y1, v.y2) - 0.5;
      if (inH && inV) crossings++;
    }
  }
  return { fontLoaded, nodes: nodes.length, edges: edges.length, crossings, violations, scripts, eventAttributes };
}

const cases = [
  ...examples().map((e) => ({ ...e, direction: 'right' as const })),
  ...examples().map((e) => ({ name: `${e.name} (down)`, diagram: e.diagram, direction: 'down' as const })),
  ...corpusSample().map((e) => ({ ...e, direction: 'right' as const })),
  // Large generated diagrams: bands, overlaps and loop frames must hold at scale too.
  { name: 'generated 300 nodes', diagram: generatedDiagram(300), direction: 'right' as const },
  { name: 'generated 300 nodes (down)', diagram: generatedDiagram(300), direction: 'down' as const },
  // The bench's sizes, on demand (the in-page checks are quadratic): FLOWLANE_BROWSER_LARGE=1.
  ...(process.env['FLOWLANE_BROWSER_LARGE']
    ? [200, 1000].flatMap((n) => (['right', 'down'] as const).map((direction) => ({ name: `generated ${n} nodes${direction === 'down' ? ' (down)' : ''}`, diagram: generatedDiagram(n), direction })))
    : []),
];
const crossingTable: string[] = [];

describe('in Chromium', () => {
  for (const c of cases) {
    test(c.name, async () => {
      const svg = renderSvg(await layout(c.diagram, { direction: c.direction }), { id: 'fz-browser' });
      const report = await page!.evaluate(inspect, svg);
      expect(report.parseError).toBeUndefined();
      expect(report.fontLoaded).toBe(true);
      expect(report.scripts).toBe(0);
      expect(report.violations).toEqual([]);
      crossingTable.push(`${c.name}: ${report.crossings} crossing${report.crossings === 1 ? '' : 's'} (${report.nodes} nodes, ${report.edges} edges)`);
    });
  }

  test('hostile labels parse as XML in Chromium and hold no script', async () => {
    const text = '</text><script>alert(1)</script> & "q" \'s\' <svg onload="x"> \u0001';
    const lit = JSON.stringify(text);
    const source = `a { # ${text.replace(/\u0001/g, '')}\nn1: rectangle label:${lit}\nn2: diamond label:${lit}\nn1.handle(right) -> n2.handle(left) [label=${lit}]\n}`;
    const d = parseDiagram(source);
    const report = await page!.evaluate(inspect, renderSvg(await layout(d.value), { id: 'hostile' }));
    expect(report.parseError).toBeUndefined();
    expect(report.scripts).toBe(0);
    expect(report.eventAttributes).toBe(0);
    expect(report.violations).toEqual([]);
  });

  afterAll(() => {
    console.log(`Edge crossings per diagram:\n  ${crossingTable.join('\n  ')}`);
  });
});
