// A Parallel branch's or Map iterator's start and end markers are small dots of one size, their
// label a tooltip; the diagram's own Start and End circles, and a branch circle that says more
// than "Start"/"End", stay labelled circles.
import { describe, expect, test } from 'vitest';
import { layout } from '../../src/layout/index.js';
import { MARKER_SIZE } from '../../src/layout/measure.js';
import { parseDiagram } from '../../src/model/index.js';
import { renderSvg } from '../../src/render/index.js';
import { examples } from '../render/helpers.js';

describe('branch markers', () => {
  test('the markers of a Map are dots of one size; the top-level Start and End are not', async () => {
    const ex = examples().find((e) => e.name === 'feature-map')!;
    const laid = await layout(ex.diagram);
    const byId = new Map(laid.nodes.map((n) => [n.id, n]));
    expect(byId.get('n3')!.marker).toBe('start');
    expect(byId.get('n5')!.marker).toBe('end');
    expect(byId.get('n8')!.marker).toBe('end');
    for (const id of ['n3', 'n5', 'n8']) expect(byId.get(id)!.box).toMatchObject({ width: MARKER_SIZE, height: MARKER_SIZE });
    for (const id of ['n1', 'n9']) {
      expect(byId.get(id)!.marker).toBeUndefined();
      expect(byId.get(id)!.box.width).toBeGreaterThan(2 * MARKER_SIZE);
    }
    const svg = renderSvg(laid, { id: 'm', embedFont: false });
    const n3 = /<g[^>]*data-id="n3"[^>]*>([\s\S]*?)<\/g>/.exec(svg)![1]!;
    expect(n3).toContain('fz-marker-start');
    expect(n3).toContain('<title>Start</title>');
    expect(n3).not.toContain('<text');
    const n5 = /<g[^>]*data-id="n5"[^>]*>([\s\S]*?)<\/g>/.exec(svg)![1]!;
    expect(n5).toContain('fz-marker-end');
    expect(n5).toContain('fz-marker-core');
  });

  test('a branch circle with its own words stays a labelled circle', async () => {
    const text = `a { # A
n1: circle label:"Start"
n2: rectangle label:"Fan out" Type:"Parallel" {
  b1 { # One
    n3: circle label:"Start"
    n4: rectangle label:"Work" Type:"Pass"
    n5: circle label:"Results ready"
    n3.handle(right) -> n4.handle(left)
    n4.handle(right) -> n5.handle(left)
  }
}
n6: circle label:"End"
n1.handle(right) -> n2.handle(left)
n2.handle(right) -> n6.handle(left)
}`;
    const laid = await layout(parseDiagram(text).value);
    const byId = new Map(laid.nodes.map((n) => [n.id, n]));
    expect(byId.get('n3')!.marker).toBe('start');
    expect(byId.get('n5')!.marker).toBeUndefined();
    expect(byId.get('n5')!.box.width).toBeGreaterThan(2 * MARKER_SIZE);
  });
});
