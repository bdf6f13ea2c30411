// Drawing-quality figures of one LaidOutDiagram (src/layout/types.ts), and their sum over many.
// Input: a laid-out diagram. Output: plain counts. Used by `npm run quality` (bench/quality.mjs)
// and by test/layout/quality.test.ts (totals on examples/ against a golden file). Pure: no I/O.

/** A route with its collinear and repeated points removed: what a reader sees as bends. */
export function simplify(points) {
  const out = [];
  for (const p of points) {
    const last = out[out.length - 1];
    if (last && Math.abs(last.x - p.x) < 0.5 && Math.abs(last.y - p.y) < 0.5) continue;
    out.push({ x: p.x, y: p.y });
    while (out.length >= 3) {
      const [a, b, c] = out.slice(-3);
      const collinear = (Math.abs(a.x - b.x) < 0.5 && Math.abs(b.x - c.x) < 0.5) || (Math.abs(a.y - b.y) < 0.5 && Math.abs(b.y - c.y) < 0.5);
      if (!collinear) break;
      out.splice(out.length - 2, 1);
    }
  }
  return out;
}

const segmentsOf = (pts) => {
  const s = [];
  for (let i = 1; i < pts.length; i++) s.push([pts[i - 1], pts[i]]);
  return s;
};
const isVertical = ([a, b]) => Math.abs(a.x - b.x) < 0.5;
const isHorizontal = ([a, b]) => Math.abs(a.y - b.y) < 0.5;

/** A proper crossing of a horizontal and a vertical segment (touching at an end does not count). */
function crosses(h, v) {
  const [x0, x1] = [Math.min(h[0].x, h[1].x), Math.max(h[0].x, h[1].x)];
  const [y0, y1] = [Math.min(v[0].y, v[1].y), Math.max(v[0].y, v[1].y)];
  const x = v[0].x;
  const y = h[0].y;
  return x > x0 + 0.5 && x < x1 - 0.5 && y > y0 + 0.5 && y < y1 - 0.5;
}

/** Length that two parallel segments run on one line (within 1 px). */
function overlap(s, t) {
  if (isHorizontal(s) && isHorizontal(t) && Math.abs(s[0].y - t[0].y) < 1) {
    return Math.min(Math.max(s[0].x, s[1].x), Math.max(t[0].x, t[1].x)) - Math.max(Math.min(s[0].x, s[1].x), Math.min(t[0].x, t[1].x));
  }
  if (isVertical(s) && isVertical(t) && Math.abs(s[0].x - t[0].x) < 1) {
    return Math.min(Math.max(s[0].y, s[1].y), Math.max(t[0].y, t[1].y)) - Math.max(Math.min(s[0].y, s[1].y), Math.min(t[0].y, t[1].y));
  }
  return 0;
}

const boxesMeet = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const holds = (a, b) => b.x >= a.x - 0.5 && b.y >= a.y - 0.5 && b.x + b.width <= a.x + a.width + 0.5 && b.y + b.height <= a.y + a.height + 0.5;
function segmentMeetsBox([a, b], box) {
  const s = { x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), width: Math.abs(a.x - b.x) || 0.01, height: Math.abs(a.y - b.y) || 0.01 };
  return boxesMeet(s, { x: box.x + 0.5, y: box.y + 0.5, width: box.width - 1, height: box.height - 1 });
}

/** Whether a point lies inside a polygon (even-odd rule). */
function insidePolygon(p, poly) {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const a = poly[i];
    const b = poly[j];
    if (a.y > p.y !== b.y > p.y && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

/** Edges drawn as one bundle on purpose: Catch edges into the same port. Their shared run is no defect. */
const bundled = (e, f) => e.kind === 'catch' && f.kind === 'catch' && e.to === f.to && e.toHandle === f.toHandle;
/** A fan out of one handle or a merge into one: sharing runs as a drawing by hand does. */
const related = (e, f) => (e.from === f.from && e.fromHandle === f.fromHandle) || (e.to === f.to && e.toHandle === f.toHandle);

/**
 * The figures of one drawing. Bends: corners of a route. Jogs: segments under 12 px between two
 * corners. Crossings: proper crossings over all pairs of edges (pairs sharing a node included).
 * Overlaps: pairs of edges (not one bundle) sharing a run longer than 20 px; unrelated ones: not a
 * fan out of one handle nor a merge into one. Joins: unrelated pairs sharing a run of 4 to 20 px
 * (one route turns off a line just past where the other turns on to it, and seems to go on into
 * the node the other enters). Straight: edges with no corner. Crooked: edges with
 * more than 4 corners. Handoffs: edges across the flow (bottom -> top in direction right) to a node
 * in the neighbouring lane of the same scope, and how many are straight; single-step handoffs:
 * those whose two handles carry no other edge (no fan out of the source's handle, no merge into
 * the target's: of those only one member can drop straight, by geometry); sole handoffs:
 * single-step ones whose target no other edge enters (one that does, a Catch into the state's own
 * Next say, fixes the target's place along the flow: one of the two must bend); flow-step handoffs:
 * single-step ones whose target the source does not also reach by a longer way (a Catch to a state
 * several steps on cannot sit beside its source: those steps put it further along). Label hits: routes
 * through another edge's label. Intrusions: nodes inside a loop frame (its outline when notched)
 * that are not in the loop, plus edges through a loop's tab. Node area: nodes (containers
 * excluded, their contents counted) over the canvas.
 */
export function measureDrawing(laid) {
  const routes = laid.edges.map((e) => simplify(e.points));
  let bends = 0;
  let jogs = 0;
  let straight = 0;
  let crooked = 0;
  const segs = routes.map(segmentsOf);
  routes.forEach((pts, i) => {
    const b = Math.max(0, pts.length - 2);
    bends += b;
    if (b === 0) straight++;
    if (b > 4) crooked++;
    segs[i].forEach(([a, c], k) => {
      if (k > 0 && k < segs[i].length - 1 && Math.hypot(a.x - c.x, a.y - c.y) < 12) jogs++;
    });
  });
  let crossings = 0;
  let overlaps = 0;
  let unrelatedOverlaps = 0;
  let joins = 0;
  for (let i = 0; i < segs.length; i++) {
    for (let j = i + 1; j < segs.length; j++) {
      let shared = 0;
      for (const s of segs[i]) {
        for (const t of segs[j]) {
          if (isHorizontal(s) && isVertical(t) && crosses(s, t)) crossings++;
          else if (isVertical(s) && isHorizontal(t) && crosses(t, s)) crossings++;
          else shared = Math.max(shared, overlap(s, t));
        }
      }
      // A shorter run shared by unrelated edges: two turns a few pixels apart in one channel,
      // where one route seems to run on into the node the other enters.
      if (shared > 4 && shared <= 20 && !bundled(laid.edges[i], laid.edges[j]) && !related(laid.edges[i], laid.edges[j])) joins++;
      if (shared > 20 && !bundled(laid.edges[i], laid.edges[j])) {
        overlaps++;
        // A fan (one handle out) or a merge (one handle in) shares its runs as a drawing by hand does;
        // unrelated edges on one line make the reader guess which way each goes.
        if (!related(laid.edges[i], laid.edges[j])) unrelatedOverlaps++;
      }
    }
  }
  // Handoffs to the next lane of the same scope.
  const laneIndex = new Map();
  const byParent = new Map();
  for (const l of laid.lanes) {
    const list = byParent.get(l.parent) ?? [];
    list.push(l.id);
    byParent.set(l.parent, list);
    laneIndex.set(l.id, { parent: l.parent, i: list.length - 1 });
  }
  const laneOfNode = new Map(laid.nodes.map((n) => [n.id, n.lane]));
  let handoffs = 0;
  let straightHandoffs = 0;
  // One-to-one: both handles carry this edge only and nothing else enters the target. A fan-in, a
  // shared handle or a target placed by another way in cannot be one straight line by geometry, so
  // this share is the one that can reach 100 %.
  let stepHandoffs = 0;
  let straightStepHandoffs = 0;
  let soleHandoffs = 0;
  let straightSoleHandoffs = 0;
  // Single-step ones that are one step of the flow: the target is not reached from the source by a
  // longer way too (a Catch to a state several steps on, whose place along the flow those steps set).
  let flowStepHandoffs = 0;
  let straightFlowStepHandoffs = 0;
  const outOf = new Map();
  for (const e of laid.edges) (outOf.get(e.from) ?? outOf.set(e.from, []).get(e.from)).push(e);
  /** Whether `e.to` is reached from `e.from` by two or more edges, `e` not among them. */
  const reachedOtherwise = (e) => {
    const seen = new Set([e.from]);
    const queue = (outOf.get(e.from) ?? []).filter((f) => f !== e && f.to !== e.to).map((f) => f.to);
    while (queue.length > 0) {
      const n = queue.shift();
      if (n === e.to) return true;
      if (seen.has(n)) continue;
      seen.add(n);
      for (const f of outOf.get(n) ?? []) if (f !== e) queue.push(f.to);
    }
    return false;
  };
  const handleUses = new Map();
  const entries = new Map();
  for (const e of laid.edges) {
    for (const key of [`${e.from}.${e.fromHandle}`, `${e.to}.${e.toHandle}`]) handleUses.set(key, (handleUses.get(key) ?? 0) + 1);
    if (e.from !== e.to) entries.set(e.to, (entries.get(e.to) ?? 0) + 1);
  }
  laid.edges.forEach((e, i) => {
    const a = laneIndex.get(laneOfNode.get(e.from));
    const b = laneIndex.get(laneOfNode.get(e.to));
    if (!a || !b || a.parent !== b.parent || Math.abs(a.i - b.i) !== 1) return;
    // A handoff leaves across the flow towards the other lane and enters from that side.
    const [after, before] = laid.direction === 'down' ? ['right', 'left'] : ['bottom', 'top'];
    const across = b.i > a.i ? e.fromHandle === after && e.toHandle === before : e.fromHandle === before && e.toHandle === after;
    if (!across) return;
    handoffs++;
    if (routes[i].length === 2) straightHandoffs++;
    if (handleUses.get(`${e.from}.${e.fromHandle}`) !== 1 || handleUses.get(`${e.to}.${e.toHandle}`) !== 1) return;
    stepHandoffs++;
    if (routes[i].length === 2) straightStepHandoffs++;
    if (!reachedOtherwise(e)) {
      flowStepHandoffs++;
      if (routes[i].length === 2) straightFlowStepHandoffs++;
    }
    if (entries.get(e.to) !== 1) return;
    soleHandoffs++;
    if (routes[i].length === 2) straightSoleHandoffs++;
  });
  // Routes through another edge's label (a Catch bundle's members share theirs).
  let labelHits = 0;
  laid.edges.forEach((e) => {
    if (!e.label) return;
    const b = e.label.box;
    laid.edges.forEach((o, j) => {
      if (o === e || bundled(o, e)) return;
      if (segs[j].some(([p, q]) => Math.max(p.x, q.x) > b.x + 1 && Math.min(p.x, q.x) < b.x + b.width - 1 && Math.max(p.y, q.y) > b.y + 1 && Math.min(p.y, q.y) < b.y + b.height - 1)) labelHits++;
    });
  });
  // Loop frames.
  let intrusions = 0;
  const nodeById = new Map(laid.nodes.map((n) => [n.id, n]));
  for (const loop of laid.loops) {
    const members = new Set(loop.nodes);
    const memberBoxes = loop.nodes.map((id) => nodeById.get(id)?.box).filter(Boolean);
    for (const n of laid.nodes) {
      if (members.has(n.id) || !boxesMeet(n.box, loop.box) || holds(n.box, loop.box)) continue;
      // A notched frame (an orthogonal polygon) leaves out what lies in a notch.
      if (loop.outline && !insidePolygon({ x: n.box.x + n.box.width / 2, y: n.box.y + n.box.height / 2 }, loop.outline)) continue;
      // Inside a member container: part of the loop.
      if (memberBoxes.some((m) => holds(m, n.box))) continue;
      intrusions++;
    }
    for (const s of segs) if (s.some((seg) => segmentMeetsBox(seg, loop.tab))) intrusions++;
  }
  const canvas = Math.max(1, laid.width) * Math.max(1, laid.height);
  const nodeArea = laid.nodes.filter((n) => n.kind !== 'container').reduce((sum, n) => sum + n.box.width * n.box.height, 0);
  return {
    edges: laid.edges.length,
    bends,
    jogs,
    crossings,
    overlaps,
    unrelatedOverlaps,
    joins,
    straight,
    crooked,
    handoffs,
    straightHandoffs,
    stepHandoffs,
    straightStepHandoffs,
    soleHandoffs,
    straightSoleHandoffs,
    flowStepHandoffs,
    straightFlowStepHandoffs,
    labelHits,
    intrusions,
    width: laid.width,
    height: laid.height,
    aspect: Math.max(laid.width, laid.height) / Math.max(1, Math.min(laid.width, laid.height)),
    nodeShare: nodeArea / canvas,
  };
}

const median = (xs) => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const round = (x, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

/** Sums (counts) and medians (aspect, node share) over many drawings. */
export function totals(figures) {
  const sum = (k) => figures.reduce((s, f) => s + f[k], 0);
  const edges = sum('edges');
  return {
    drawings: figures.length,
    edges,
    bends: sum('bends'),
    bendsPerEdge: round(edges ? sum('bends') / edges : 0),
    jogs: sum('jogs'),
    crossings: sum('crossings'),
    overlaps: sum('overlaps'),
    unrelatedOverlaps: sum('unrelatedOverlaps'),
    joins: sum('joins'),
    straightShare: round(edges ? sum('straight') / edges : 1),
    crooked: sum('crooked'),
    handoffs: sum('handoffs'),
    straightHandoffShare: round(sum('handoffs') ? sum('straightHandoffs') / sum('handoffs') : 1),
    stepHandoffs: sum('stepHandoffs'),
    straightStepHandoffShare: round(sum('stepHandoffs') ? sum('straightStepHandoffs') / sum('stepHandoffs') : 1),
    soleHandoffs: sum('soleHandoffs'),
    straightSoleHandoffShare: round(sum('soleHandoffs') ? sum('straightSoleHandoffs') / sum('soleHandoffs') : 1),
    flowStepHandoffs: sum('flowStepHandoffs'),
    straightFlowStepHandoffShare: round(sum('flowStepHandoffs') ? sum('straightFlowStepHandoffs') / sum('flowStepHandoffs') : 1),
    labelHits: sum('labelHits'),
    intrusions: sum('intrusions'),
    medianAspect: round(median(figures.map((f) => f.aspect)), 2),
    maxSide: Math.max(0, ...figures.map((f) => Math.max(f.width, f.height))),
    medianNodeShare: round(median(figures.map((f) => f.nodeShare))),
  };
}

/** For each total, whether a larger value is better (true), worse (false), or neither (absent). */
/**
 * The ASL corpus files whose layout is worth judging, from its MANIFEST.tsv text: one state machine
 * per near-duplicate group (column 14), of at least 6 states (column 7), in manifest order.
 */
export function aslQualityPicks(manifest) {
  const rows = manifest.trim().split('\n').slice(1).map((l) => l.split('\t'));
  const seen = new Set();
  return rows.filter((r) => Number(r[6]) >= 6 && !seen.has(r[13]) && seen.add(r[13])).map((r) => r[0]);
}

export const BETTER_WHEN_LARGER = {
  bendsPerEdge: false,
  bends: false,
  jogs: false,
  crossings: false,
  overlaps: false,
  unrelatedOverlaps: false,
  joins: false,
  straightShare: true,
  crooked: false,
  straightHandoffShare: true,
  straightStepHandoffShare: true,
  straightSoleHandoffShare: true,
  straightFlowStepHandoffShare: true,
  labelHits: false,
  intrusions: false,
  medianNodeShare: true,
  maxSide: false,
};
