// Handoffs (an edge to the next lane that leaves by the side facing it and enters by the side facing
// back) and drops (bottom -> top inside one lane) are drawn as one straight line when their handles carry nothing else, in both directions;
// their labels sit on the line, clear of every node, of other labels and of the arrowhead.
import { describe, expect, test } from 'vitest';
import { layout } from '../../src/layout/index.js';
import type { Box, LaidOutDiagram, LaidOutEdge } from '../../src/layout/index.js';
import { ARROW_ROOM } from '../../src/layout/to-elk.js';
import { parseDiagram } from '../../src/model/index.js';
import { examples } from '../render/helpers.js';

const overlaps = (a: Box, b: Box): boolean => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** The handoffs of a drawing (to the neighbouring lane, or a drop inside one) whose two handles no other edge uses. */
function oneToOneHandoffs(laid: LaidOutDiagram): LaidOutEdge[] {
  const laneOf = new Map(laid.nodes.map((n) => [n.id, n.lane]));
  const order = laid.lanes.map((l) => l.id);
  const [after, before] = laid.direction === 'down' ? ['right', 'left'] : ['bottom', 'top'];
  const uses = new Map<string, number>();
  for (const e of laid.edges) {
    for (const key of [`${e.from}.${e.fromHandle}`, `${e.to}.${e.toHandle}`]) uses.set(key, (uses.get(key) ?? 0) + 1);
  }
  return laid.edges.filter((e) => {
    const a = order.indexOf(laneOf.get(e.from)!);
    const b = order.indexOf(laneOf.get(e.to)!);
    if (Math.abs(a - b) > 1) return false;
    // In one lane: a drop (after -> before: the target right under its source) or a rise.
    const across = b > a ? e.fromHandle === after && e.toHandle === before : b < a ? e.fromHandle === before && e.toHandle === after : (e.fromHandle === after && e.toHandle === before) || (e.fromHandle === before && e.toHandle === after);
    return across && uses.get(`${e.from}.${e.fromHandle}`) === 1 && uses.get(`${e.to}.${e.toHandle}`) === 1;
  });
}

function checkHandoffs(laid: LaidOutDiagram, expected: number): void {
  const handoffs = oneToOneHandoffs(laid);
  expect(handoffs).toHaveLength(expected);
  const down = laid.direction === 'down';
  for (const e of handoffs) {
    const name = `${e.from} -> ${e.to}`;
    expect(e.points, name).toHaveLength(2);
    const [p, q] = e.points as [{ x: number; y: number }, { x: number; y: number }];
    // Straight across the flow: vertical in direction right, horizontal in direction down.
    expect(Math.abs(down ? p.y - q.y : p.x - q.x), name).toBeLessThan(0.5);
    if (!e.label) continue;
    const box = e.label.box;
    for (const n of laid.nodes) expect(overlaps(box, n.box), `${name} label on ${n.id}`).toBe(false);
    for (const other of laid.edges) {
      if (other !== e && other.label) expect(overlaps(box, other.label.box), `${name} label on ${other.from} -> ${other.to}'s`).toBe(false);
    }
    // The label lies on the line, and leaves the arrowhead free.
    const along = down ? [box.x, box.x + box.width] : [box.y, box.y + box.height];
    const across = down ? [box.y, box.y + box.height] : [box.x, box.x + box.width];
    const line = down ? p.y : p.x;
    expect(across[0]! < line && line < across[1]!, `${name} label on its line`).toBe(true);
    const end = down ? q.x : q.y;
    const start = down ? p.x : p.y;
    const gapToEnd = end > start ? end - along[1]! : along[0]! - end;
    expect(gapToEnd, `${name} label clear of the arrowhead`).toBeGreaterThanOrEqual(ARROW_ROOM - 0.5);
  }
}

describe('straight handoffs', () => {
  test('the orchestration example: every one-to-one handoff and drop is one straight line, in both directions', async () => {
    const ex = examples().find((e) => e.name === 'orchestration')!;
    // n3 -> n4, n8 -> n14, n16 -> n9, n17 -> n12 to other lanes; the drops n5 -> n7 and n10 -> n12 in one.
    checkHandoffs(await layout(ex.diagram), 6);
    checkHandoffs(await layout(ex.diagram, { direction: 'down' }), 6);
  });

  test('handoffs down three lanes and one back up are straight, and a wide label widens the gap instead of covering a node', async () => {
    const text = `a { # A
n1: rectangle label:"Submit"
n1.handle(bottom) -> b.n2.handle(top) [label="a label far wider than the gap between two lanes"]
}
b { # B
n2: rectangle label:"Review"
n3: rectangle label:"Decide"
n6: circle label:"Closed"
n2.handle(right) -> n3.handle(left)
n3.handle(right) -> n6.handle(left)
n3.handle(bottom) -> c.n4.handle(top) [label="Approved"]
}
c { # C
n4: rectangle label:"Ship"
n5: circle label:"Done"
n4.handle(right) -> n5.handle(left)
n5.handle(top) -> b.n6.handle(bottom) [label="Shipped"]
}`;
    const diagram = parseDiagram(text).value;
    for (const direction of ['right', 'down'] as const) {
      const laid = await layout(diagram, { direction });
      checkHandoffs(laid, 3);
    }
  });

  test('a request and its reply sharing one handle: the request straight from the middle, the reply beside it, clear of the label', async () => {
    const text = `Frontend { # Frontend
n1: rectangle label:"Submit Form"
n1.handle(bottom) -> API.n2.handle(top) [label="POST /orders"]
}
API { # API Server
n2: rectangle label:"Process Request"
n3: rectangle label:"Return Response"
n2.handle(right) -> n3.handle(left)
n3.handle(top) -> Frontend.n1.handle(bottom) [label="Response: 200 OK"]
}`;
    const diagram = parseDiagram(text).value;
    for (const direction of ['right', 'down'] as const) {
      const laid = await layout(diagram, { direction });
      const down = direction === 'down';
      const n1 = laid.nodes.find((n) => n.id === 'n1')!.box;
      const request = laid.edges.find((e) => e.from === 'n1')!;
      const reply = laid.edges.find((e) => e.to === 'n1')!;
      expect(request.points, direction).toHaveLength(2);
      const middle = down ? n1.y + n1.height / 2 : n1.x + n1.width / 2;
      expect(Math.abs((down ? request.points[0]!.y : request.points[0]!.x) - middle)).toBeLessThan(0.5);
      // The reply ends on n1's side, off the middle, and outside the request's label.
      const end = reply.points.at(-1)!;
      expect(Math.abs(down ? end.x - (n1.x + n1.width) : end.y - (n1.y + n1.height))).toBeLessThan(0.5);
      expect(Math.abs((down ? end.y : end.x) - middle)).toBeGreaterThan(4);
      const box = request.label!.box;
      const [a, b] = reply.points.slice(-2) as [{ x: number; y: number }, { x: number; y: number }];
      const runMeetsLabel = Math.min(a.x, b.x) < box.x + box.width && Math.max(a.x, b.x) > box.x && Math.min(a.y, b.y) < box.y + box.height && Math.max(a.y, b.y) > box.y;
      expect(runMeetsLabel, `${direction}: the reply's last run under the request's label`).toBe(false);
    }
  });

  test('a Catch merge: the member from the next lane drops straight in, the others join its line, one label', async () => {
    // Three services whose Tasks all catch into one Fail state in the lane below the last one.
    const text = `Users { # User Service
  n1: circle label:"Start"
  n2: rectangle label:"CreateUser" Type:"Task" Resource:"arn:aws:lambda:us-east-1:123456789012:function:CreateUser"
  n1.handle(right) -> n2.handle(left)
  n2.handle(right) -> Orders.n3.handle(left)
  n2.handle(bottom) -> Failures.n6.handle(top) [label="States.ALL" Catch={"ErrorEquals":["States.ALL"]}]
}
Orders { # Order Service
  n3: rectangle label:"PlaceOrder" Type:"Task" Resource:"arn:aws:lambda:us-east-1:123456789012:function:PlaceOrder"
  n3.handle(right) -> Notifications.n4.handle(left)
  n3.handle(bottom) -> Failures.n6.handle(top) [label="States.Timeout" Catch={"ErrorEquals":["States.Timeout"]}]
}
Notifications { # Notification Service
  n4: rectangle label:"SendNotification" Type:"Task" Resource:"arn:aws:lambda:us-east-1:123456789012:function:SendNotification"
  n5: circle label:"Done" Type:"Succeed"
  n4.handle(right) -> n5.handle(left)
  n4.handle(bottom) -> Failures.n6.handle(top) [label="States.ALL" Catch={"ErrorEquals":["States.ALL"]}]
}
Failures { # Failure Handling
  n6: circle label:"Order Failed" Type:"Fail" Error:"OrderFailed"
}`;
    const diagram = parseDiagram(text).value;
    for (const direction of ['right', 'down'] as const) {
      const laid = await layout(diagram, { direction });
      const down = direction === 'down';
      const box = (id: string): Box => laid.nodes.find((n) => n.id === id)!.box;
      const centre = (b: Box): number => (down ? b.y + b.height / 2 : b.x + b.width / 2);
      const drop = laid.edges.find((e) => e.from === 'n4' && e.to === 'n6')!;
      expect(drop.points, direction).toHaveLength(2);
      // The target sits across the flow from the member's state, not after the last state.
      expect(Math.abs(centre(box('n6')) - centre(box('n4'))), direction).toBeLessThan(0.5);
      expect(down ? box('n6').y : box('n6').x, direction).toBeLessThan(down ? box('n5').y : box('n5').x);
      // The other members end where the drop does, on its line; one label names every error once.
      const end = drop.points[1]!;
      const members = laid.edges.filter((e) => e.to === 'n6');
      for (const e of members) expect(e.points.at(-1), `${direction}: ${e.from}`).toEqual(end);
      const labels = members.flatMap((e) => (e.label ? [e.label.text.lines.join(' ')] : []));
      expect(labels, direction).toEqual(['States.ALL, States.Timeout']);
    }
  });

  test('a Catch merge with several members from the next lane: the last state\'s member drops', async () => {
    const text = `Work { # Work
  a: rectangle label:"Prepare" Type:"Task" Resource:"arn:aws:states:::lambda:invoke"
  b: rectangle label:"Migrate" Type:"Task" Resource:"arn:aws:states:::lambda:invoke"
  c: rectangle label:"Finish" Type:"Task" Resource:"arn:aws:states:::lambda:invoke"
  a.handle(right) -> b.handle(left)
  b.handle(right) -> c.handle(left)
  a.handle(bottom) -> Errors.f.handle(top) [Catch={"ErrorEquals":["States.ALL"]}]
  b.handle(bottom) -> Errors.f.handle(top) [Catch={"ErrorEquals":["States.ALL"]}]
  c.handle(bottom) -> Errors.f.handle(top) [Catch={"ErrorEquals":["States.ALL"]}]
}
Errors { # Errors
  f: circle label:"Failed" Type:"Fail"
}`;
    const diagram = parseDiagram(text).value;
    for (const direction of ['right', 'down'] as const) {
      const laid = await layout(diagram, { direction });
      const straight = laid.edges.filter((e) => e.to === 'f' && e.points.length === 2).map((e) => e.from);
      expect(straight, direction).toEqual(['c']);
      const end = laid.edges.find((e) => e.from === 'c')!.points[1]!;
      for (const e of laid.edges.filter((x) => x.to === 'f')) expect(e.points.at(-1), `${direction}: ${e.from}`).toEqual(end);
    }
  });
});
